"""Engines, sessions and schema upgrades.

``open_catalogue`` is the one door to a catalogue: it checks that a SQLite file exists (or
creates it when asked), sets SQLite's pragmas on that engine only (foreign keys enforced, a busy
timeout, WAL set once when the catalogue is created), and refuses a catalogue whose schema is
not at the head revision, unless the caller is upgrading it. Upgrades go through Alembic's API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import TYPE_CHECKING, TypeVar

from .config import Target
from .errors import CatalogueError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

T = TypeVar("T")

HEAD_REVISION = "0009"
"""The newest migration; a test checks it against Alembic's own view of the scripts."""

BUSY_TIMEOUT_MS = 30_000


def make_engine(target: Target) -> Engine:
    """An engine for the target; SQLite connections enforce foreign keys and wait when busy."""
    from sqlalchemy import create_engine, event

    if target.path is None:
        return create_engine(target.url)
    engine = create_engine(target.url)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # The driver's own transaction handling is off so that _begin below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):  # type: ignore[no-untyped-def]
        # Take the write lock up front: two writers that both began by reading would
        # otherwise deadlock on upgrading their locks, and one would fail at once with
        # "database is locked" whatever the busy timeout. With it, the second waits.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _check_sqlite_file(target: Target, create: bool) -> None:
    path = target.path
    assert path is not None
    if path.is_dir():
        raise CatalogueError(f"{path}: is a directory, not a catalogue file")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise CatalogueError(f"{path}: cannot read catalogue: {exc.strerror}") from None
        if header and header != b"SQLite format 3\x00":
            raise CatalogueError(f"{path}: not a SQLite catalogue")
        return
    if not create:
        raise CatalogueError(
            f"{path}: no catalogue here (create one with 'biblio init' or 'biblio seed')"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatalogueError(f"{path.parent}: cannot create directory: {exc.strerror}") from None


def alembic_config(connection=None) -> Config:  # type: ignore[no-untyped-def]
    """Alembic's configuration for the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("biblio.migrations")))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The catalogue's schema revision, or None for an empty database."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` through Alembic (idempotent)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    if engine.dialect.name == "sqlite":
        # Readers and one writer at once; persistent, and set outside any transaction.
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()


def catalogue_revision(target: Target) -> str | None:
    """The schema revision of the existing catalogue at ``target`` (None if it has none)."""
    from sqlalchemy.exc import SQLAlchemyError

    if target.path is not None:
        _check_sqlite_file(target, create=False)
    engine = make_engine(target)
    try:
        return current_revision(engine)
    except SQLAlchemyError as exc:
        raise _translate_connect_error(target, exc) from None
    finally:
        engine.dispose()


def _translate_connect_error(target: Target, exc: Exception) -> CatalogueError:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()
    detail = reason[0] if reason else type(exc).__name__
    return CatalogueError(f"{target.display}: cannot open catalogue: {detail}")


def open_catalogue(target: Target, *, create: bool = False, upgrade_schema: bool = False) -> Engine:
    """Open the catalogue at ``target`` and return its engine.

    With ``create``, a missing SQLite file is created and the schema brought to the head
    revision; with ``upgrade_schema``, an older schema is upgraded. Otherwise a missing or
    out-of-date catalogue is an error, and nothing is written.
    """
    from sqlalchemy.exc import SQLAlchemyError

    if target.path is not None:
        _check_sqlite_file(target, create)
    engine = make_engine(target)
    try:
        revision = current_revision(engine)
        if revision != HEAD_REVISION:
            if create or upgrade_schema:
                upgrade(engine)
            elif revision is None:
                raise CatalogueError(
                    f"{target.display}: not a biblio catalogue (run 'biblio init' to create one)"
                )
            else:
                raise CatalogueError(
                    f"{target.display}: catalogue schema is at revision {revision}, "
                    f"biblio needs {HEAD_REVISION} (run 'biblio db upgrade')"
                )
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _translate_connect_error(target, exc) from None
    return engine


BIG_WRITE = 1000
"""Rows written at once after which PostgreSQL's planner statistics are refreshed."""


def refresh_statistics(target: Target) -> None:
    """ANALYZE a PostgreSQL catalogue after a big import: with the statistics of an empty one
    the planner scans tables instead of using indexes (a translator's editions among 100,000
    took 130 ms instead of 13). SQLite's planner does without statistics: nothing to do."""
    from sqlalchemy import text

    if target.path is not None:
        return
    engine = make_engine(target)
    try:
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    finally:
        engine.dispose()


CONFLICT_SQLSTATES = {"23505", "40001", "40P01"}
"""PostgreSQL: unique violation, serialization failure, deadlock: what a concurrent writer
causes, and what running the transaction again resolves."""


def _is_conflict(exc: Exception) -> bool:
    from sqlalchemy.exc import IntegrityError, OperationalError

    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None)
    if state is not None:
        return state in CONFLICT_SQLSTATES
    if isinstance(exc, IntegrityError):  # SQLite: another writer took the key first
        return "UNIQUE constraint failed" in str(orig)
    return isinstance(exc, OperationalError) and "database is locked" in str(orig)


def run_transaction(
    engine: Engine, work: Callable[[Session], T], commit: bool = True, attempts: int = 5
) -> T:
    """Run ``work(session)`` in one transaction and return its result. When a concurrent
    writer makes it conflict (a person, publisher or key another librarian just created, a
    serialization failure, a deadlock), roll back and run it again, up to ``attempts`` times:
    the next run finds what the other created. Other errors go up at once."""
    import random
    import time

    from sqlalchemy.exc import IntegrityError, OperationalError

    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine, commit) as session:
                return work(session)
        except (IntegrityError, OperationalError) as exc:
            if attempt == attempts or not _is_conflict(exc):
                raise
            time.sleep(random.uniform(0.05, 0.25) * attempt)
    raise AssertionError("unreachable")


@contextmanager
def session_scope(engine: Engine, commit: bool = True) -> Iterator[Session]:
    """A session whose transaction commits on success (rolls back instead when ``commit`` is
    false, for dry runs) and rolls back on any error."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        session.begin()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        if commit:
            session.commit()
        else:
            session.rollback()


def backup(target: Target, destination: str) -> int:
    """Copy the SQLite catalogue at ``target`` to ``destination`` with SQLite's online backup:
    a consistent snapshot even while others write. Returns the copy's size in bytes.

    A PostgreSQL catalogue is backed up with the server's own tools; CatalogueError says how.
    """
    import os
    import sqlite3
    import tempfile
    from pathlib import Path

    if target.path is None:
        raise CatalogueError(
            f"{target.display}: a PostgreSQL catalogue is backed up with the server's tools: "
            "pg_dump --format=custom --file=FILE 'DATABASE-URL' (restore with pg_restore)"
        )
    _check_sqlite_file(target, create=False)
    dest = Path(destination)
    if dest.exists():
        raise CatalogueError(f"{dest}: already exists (choose a new file for the backup)")
    try:
        fd, temporary = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
        os.close(fd)
    except OSError as exc:
        raise CatalogueError(f"{dest}: cannot write: {exc.strerror}") from None
    try:
        source = sqlite3.connect(target.path, timeout=BUSY_TIMEOUT_MS / 1000)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)  # one step: the snapshot of a single read transaction
        finally:
            copy.close()
            source.close()
        from .files import umask

        os.chmod(temporary, 0o666 & ~umask())
        os.replace(temporary, dest)
    except (OSError, sqlite3.Error) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CatalogueError(f"{dest}: backup failed: {exc}") from None
    return dest.stat().st_size
