"""Engines, sessions and schema upgrades.

``open_catalogue`` is the one door to a catalogue: it checks that a SQLite file exists (or
creates it when asked), sets SQLite's pragmas on that engine only (foreign keys enforced, a busy
timeout, WAL set once when the catalogue is created), and refuses a catalogue whose schema is
not at the head revision, unless the caller is upgrading it, and a database that holds other
tables than biblio's, unless told to share it. Upgrades go through Alembic's API.

A catalogue is opened for writing or for reading. A writer's SQLite transaction takes the write
lock when it begins; a reader's is a plain BEGIN, which in WAL mode never waits for a writer and
sees the last commit, on a connection that refuses to write. A reader that cannot write the
catalogue's file or directory opens it read-only and creates nothing beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from weakref import WeakKeyDictionary

from .config import Target
from .errors import BiblioError, CatalogueError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

T = TypeVar("T")

HEAD_REVISION = "0020"
"""The newest migration; a test checks it against Alembic's own view of the scripts."""

BUSY_TIMEOUT_MS = 30_000

WRITER_CACHE_KIB = 32_768
"""A writer's SQLite page cache, in KiB (SQLite's default is 2,000). A large import spills
pages out of a small cache and reads them back for every index it adds to: importing the
generated 100,000-entry benchmark file, the edition rows took 4.1-4.5 s to insert with the
default and 3.0-3.4 s with this, the credits 2.4-2.7 s and 1.8-1.9 s (two runs each; 64 MiB or
256 MiB gained no more). SQLite takes the memory only as pages are used, so a small catalogue
or a small change costs nothing more; a reader keeps SQLite's default."""


def make_engine(target: Target, *, read_only: bool = False) -> Engine:
    """An engine for the target, for writing or (``read_only``) for reading.

    SQLite connections enforce foreign keys and wait when busy. A writer's transactions begin
    with the write lock; a reader's take none, refuse to write (``PRAGMA query_only``), and
    open a catalogue this user cannot write read-only (see ``_sqlite_read_uri``). A PostgreSQL
    reader's transactions are READ ONLY. A missing database driver is a CatalogueError that
    names what to install.
    """
    from sqlalchemy import create_engine, event

    if target.path is None:
        return _server_engine(target, read_only)
    if read_only:
        import sqlite3

        uri = _sqlite_read_uri(target.path)
        engine = create_engine(
            target.url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
    else:
        engine = create_engine(target.url)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # The driver's own transaction handling is off so that _begin below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
        cursor.close()

    # A writer takes the write lock up front: two writers that both began by reading would
    # otherwise deadlock on upgrading their locks, and one would fail at once with "database
    # is locked" whatever the busy timeout. With it, the second waits. A reader must not wait
    # behind an import: in WAL mode its plain BEGIN reads the last commit at once.
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql(begin)

    return engine


def _server_engine(target: Target, read_only: bool) -> Engine:
    """An engine for a database server's URL; ``postgresql://`` means the psycopg driver that
    the ``postgres`` extra installs."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import NoSuchModuleError

    url = make_url(target.url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    postgres = url.get_backend_name() == "postgresql"
    options = {"postgresql_readonly": True} if read_only and postgres else {}
    try:
        return create_engine(url, execution_options=options)
    except NoSuchModuleError:
        raise CatalogueError(
            f"{target.display}: unknown kind of database {url.drivername!r} "
            "(give a SQLite file's path or a postgresql+psycopg:// URL)"
        ) from None
    except ImportError as exc:
        missing = f"cannot import {exc.name}" if exc.name else str(exc).splitlines()[0]
        if postgres and url.get_driver_name() == "psycopg":
            raise CatalogueError(
                f"{target.display}: PostgreSQL needs the 'postgres' extra "
                f"({missing}): pip install 'biblio[postgres]'"
            ) from None
        raise CatalogueError(
            f"{target.display}: the database driver for {url.drivername} is not installed "
            f"({missing})"
        ) from None


def _sqlite_read_uri(path: Path) -> str:
    """The SQLite URI a reader opens the catalogue at ``path`` with.

    When this user may write the file and its directory: an ordinary connection (that must
    not create the file); WAL's -wal and -shm files appear beside the catalogue while it is
    open, and the last connection to close removes them, as for any SQLite user. Otherwise an
    ordinary connection would leave them behind, owned by this user (where they break the
    catalogue for its owner), or could not create them at all (a read-only directory): the
    file is opened read-only, through the -wal and -shm files already there while a writer is
    at work, or, with none there, as immutable, which creates nothing and takes no lock.
    """
    import os
    from urllib.parse import quote

    uri = f"file:{quote(str(path))}"
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return f"{uri}?mode=rw"
    if any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm")):
        return f"{uri}?mode=ro"
    return f"{uri}?mode=ro&immutable=1"


_CHECKED: set[Path] = set()
"""SQLite files this process has checked (and may hold connections to)."""


def _check_sqlite_file(target: Target, create: bool) -> None:
    path = target.path
    assert path is not None
    if path.is_dir():
        raise CatalogueError(f"{path}: is a directory, not a catalogue file")
    if path.exists():
        if path.resolve() in _CHECKED:
            # Never read it again: closing any descriptor of a file drops every POSIX lock
            # this process holds on it, SQLite's included. A server that opened a second
            # engine after its first would lose its shared lock, and the next process to
            # close a connection would take itself for the last one and delete the -wal
            # file under it: every later commit of the server's lost.
            return
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise CatalogueError(f"{path}: cannot read catalogue: {exc.strerror}") from None
        if header and header != b"SQLite format 3\x00":
            raise CatalogueError(f"{path}: not a SQLite catalogue")
        _CHECKED.add(path.resolve())
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
    engine = make_engine(target, read_only=True)
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


def open_catalogue(
    target: Target,
    *,
    create: bool = False,
    upgrade_schema: bool = False,
    read_only: bool = False,
    share_database: bool = False,
) -> Engine:
    """Open the catalogue at ``target`` and return its engine, for writing or, with
    ``read_only``, for reading (see ``make_engine``).

    With ``create``, a missing SQLite file is created and the schema brought to the head
    revision; with ``upgrade_schema``, an older schema is upgraded. Otherwise a missing or
    out-of-date catalogue is an error, and nothing is written. A database that holds other
    tables and no catalogue is refused, left as it was, unless ``share_database`` lets biblio
    add its tables beside them.
    """
    from sqlalchemy.exc import SQLAlchemyError

    if read_only and (create or upgrade_schema):
        raise ValueError("a catalogue opened for reading is neither created nor upgraded")
    if target.path is not None:
        _check_sqlite_file(target, create)
    engine = make_engine(target, read_only=read_only)
    try:
        revision = current_revision(engine)
        if revision != HEAD_REVISION:
            _check_schema(target, engine, revision, create or upgrade_schema, share_database)
            upgrade(engine)
            if revision is not None:
                _UPGRADED_FROM[engine] = revision
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _translate_connect_error(target, exc) from None
    except BiblioError:
        engine.dispose()
        raise
    return engine


_UPGRADED_FROM: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()


def upgraded_from(engine: Engine) -> str | None:
    """The schema revision ``open_catalogue`` upgraded the catalogue of ``engine`` from; None
    where it found the catalogue current, or created it. What an upgrade leaves to do is
    ``catalogue.complete_upgrade``'s."""
    return _UPGRADED_FROM.get(engine)


def _check_schema(
    target: Target, engine: Engine, revision: str | None, may_upgrade: bool, share: bool
) -> None:
    """Refuse, with what to do, a schema that is not the head revision and may not (or
    cannot) be brought to it; return when upgrading it is safe."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from .models import Base

    where = target.display
    if revision is not None:
        scripts = ScriptDirectory.from_config(alembic_config())
        if revision not in {script.revision for script in scripts.walk_revisions()}:
            raise CatalogueError(
                f"{where}: not a biblio catalogue: its schema revision {revision!r} is none of "
                f"biblio's (another program's database, or a newer biblio's catalogue)"
            )
        if not may_upgrade:
            raise CatalogueError(
                f"{where}: catalogue schema is at revision {revision}, "
                f"biblio needs {HEAD_REVISION} (run 'biblio db upgrade')"
            )
        return
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
    if "alembic_version" in tables and not share:
        raise CatalogueError(
            f"{where}: a catalogue not yet created whole: its tables are there, its schema "
            "revision is not (another biblio creating it at the same time, or one stopped "
            "while creating it): try again; if this stays, remove it and run 'biblio init'"
        )
    if tables and not share:
        shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise CatalogueError(
            f"{where}: not a biblio catalogue: it holds other tables ({shown}); "
            "'biblio init --force' adds biblio's tables beside them"
        )
    if not may_upgrade:
        raise CatalogueError(f"{where}: not a biblio catalogue (run 'biblio init' to create one)")
    clash = sorted(set(tables) & set(Base.metadata.tables))
    if clash:
        raise CatalogueError(
            f"{where}: holds tables named as biblio's own ({', '.join(clash)}): "
            "biblio cannot add its tables to this database"
        )


BIG_WRITE = 1000
"""Rows written at once after which PostgreSQL's planner statistics are refreshed."""


def refresh_statistics(session: Session) -> None:
    """ANALYZE a PostgreSQL catalogue after a big write, in the writer's transaction (its new
    rows counted): with the statistics of an empty one the planner scans tables instead of
    using indexes (a translator's editions among 100,000 took 130 ms instead of 13). SQLite's
    planner does without statistics: nothing to do."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))


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
        source = sqlite3.connect(
            _sqlite_read_uri(target.path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
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
