"""Reading never blocks and never breaks anything (issue 11, point 7).

Reading commands run in read transactions: they answer at once while a writer holds the lock,
and they never write. A catalogue its reader cannot write (a read-only file, a read-only
directory, a read-only file system) is listed and left exactly as it was. ``init`` refuses a
database that is not a catalogue unless given ``--force``, and a missing database driver is one
line that names the extra to install.

Permissions bind everyone but root, and CI runs as root: there the read-only catalogue is read
by user ``nobody`` in a subprocess, and the read-only file system is a read-only bind mount in
a private mount namespace (``unshare``), which binds root too.
"""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

import biblio
from biblio.config import resolve
from biblio.db import BUSY_TIMEOUT_MS, WRITER_CACHE_KIB, open_catalogue, session_scope
from tests.conftest import invoke

PROMPT_SECONDS = BUSY_TIMEOUT_MS / 1000 - 10
"""Longer than any command takes, shorter than the busy timeout a blocked reader would wait."""

HOLD_INSERT = (
    "INSERT INTO publisher_name (publisher_id, name, name_key) "
    "SELECT publisher_id, name || ' (held)', name_key || ' (held)' FROM publisher_name LIMIT 1"
)

READ_COMMANDS = {
    "list": ["list"],
    "show": ["show", "serge1967birth"],
    "export": ["export", "--format", "biblatex"],
    "check": ["check", "--format", "json"],
    "stats": ["stats", "translators"],
    "translators": ["translators"],
    "cite": ["cite", "serge1967birth"],
    "db current": ["db", "current"],
}


def run_python(prefix: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run this Python, with biblio importable, after ``prefix`` (a command that runs another
    as another user, or in another mount namespace), failing the test if it has not answered
    within PROMPT_SECONDS."""
    package_root = str(Path(biblio.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=package_root, PYTHONDONTWRITEBYTECODE="1")
    try:
        return subprocess.run(
            [*prefix, sys.executable, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
            timeout=PROMPT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} did not answer within {PROMPT_SECONDS:.0f} s")


def run_biblio(
    db: str, *args: str, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``biblio --db db ARGS`` in its own process; see run_python."""
    return run_python(prefix or [], "-m", "biblio", "--db", db, *args)


def one_line_error(exit_code: int, stderr: str) -> str:
    """The single line of an error that exited 1, without a traceback."""
    assert exit_code == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    return lines[0]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file in ``directory``, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


# --------------------------------------------------------------------------- reads never wait


@contextmanager
def write_lock_held(db: str) -> Iterator[None]:
    """A writer inside its transaction (the write lock taken, a row inserted, nothing
    committed), as an import is for as long as it runs."""
    if "://" not in db:
        connection = sqlite3.connect(db, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(HOLD_INSERT)
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    engine = create_engine(db)
    try:
        with engine.connect() as pg:
            pg.execute(text(HOLD_INSERT))
            pg.execute(text("LOCK TABLE edition IN EXCLUSIVE MODE"))  # what blocks writers
            yield
            pg.rollback()
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=list(READ_COMMANDS))
def test_reading_answers_at_once_while_a_writer_holds_the_lock(seeded: str, command: str) -> None:
    with write_lock_held(seeded):
        result = run_biblio(seeded, *READ_COMMANDS[command])
    assert "Error" not in result.stderr, result.stderr
    if command == "check" and result.returncode == 1:  # check's way of saying "found some"
        assert result.stderr.endswith("problems found\n"), result.stderr
    else:
        assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_a_writer_still_waits_for_the_lock(
    seeded_sqlite: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers keep taking the lock when they begin, so two imports queue instead of failing
    (here the wait is cut to 0.1 s, after which it gives up)."""
    monkeypatch.setattr("biblio.db.BUSY_TIMEOUT_MS", 100)
    engine = open_catalogue(resolve(seeded_sqlite))
    try:
        with write_lock_held(seeded_sqlite), engine.connect() as connection:
            with pytest.raises(DBAPIError, match="database is locked"):
                connection.execute(text("SELECT 1"))  # its BEGIN IMMEDIATE waits, then fails
    finally:
        engine.dispose()


def test_a_reader_sees_the_last_commit_not_a_transaction_in_progress(seeded: str) -> None:
    with write_lock_held(seeded):
        engine = open_catalogue(resolve(seeded), read_only=True)
        try:
            with session_scope(engine) as session:
                held = session.execute(
                    text("SELECT count(*) FROM publisher_name WHERE name LIKE '% (held)'")
                ).scalar()
        finally:
            engine.dispose()
    assert held == 0


def test_a_reader_never_writes(seeded: str) -> None:
    engine = open_catalogue(resolve(seeded), read_only=True)
    try:
        with pytest.raises(DBAPIError), session_scope(engine) as session:
            session.execute(text("UPDATE edition SET title = 'changed'"))
    finally:
        engine.dispose()
    assert "changed" not in invoke(seeded, "list").stdout
    with pytest.raises(ValueError):
        open_catalogue(resolve(seeded), read_only=True, create=True)


# --------------------------------------------------------------------------- read-only catalogues


def _as_nobody() -> list[str]:
    """The command prefix that runs what follows as user nobody; skips where nobody cannot
    run this Python and import biblio."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root, and there is no user 'nobody' to read as")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv not installed (Debian package util-linux)")
    prefix = [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    probe = run_python(prefix, "-c", "import biblio.cli")
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        pytest.skip(f"user nobody cannot run {sys.executable} with biblio: {last}")
    return prefix


@pytest.fixture
def open_directory() -> Iterator[Path]:
    """An empty directory that any user may reach (tmp_path is root's alone under root)."""
    directory = Path(tempfile.mkdtemp(prefix="biblio-read-only-"))
    directory.chmod(0o755)
    for parent in directory.parents:
        if not parent.stat().st_mode & stat.S_IXOTH:
            pytest.skip(f"{parent} cannot be entered by other users")
    yield directory
    directory.chmod(0o755)
    shutil.rmtree(directory)


def _owner_writes_afterwards(db: str) -> None:
    """The catalogue's owner can still write to it and read the change back."""
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            session.execute(
                text("UPDATE edition SET title = 'Written afterwards' WHERE key = :key"),
                {"key": "serge1967birth"},
            )
    finally:
        engine.dispose()
    assert "Written afterwards" in invoke(db, "show", "serge1967birth").stdout


READ_ONLY = {
    "file": (0o444, 0o755),
    "directory": (0o644, 0o555),
    "file and directory": (0o444, 0o555),
}


@pytest.mark.parametrize("reader", ["this user", "another user"])
@pytest.mark.parametrize("what", READ_ONLY, ids=list(READ_ONLY))
def test_a_read_only_catalogue_is_listed_and_left_as_it_was(
    open_directory: Path, what: str, reader: str
) -> None:
    """As any user but root, "this user" reads through the permissions; root ignores them and
    reads as the catalogue's owner would ("another user" then reads as nobody, for whom they
    hold). Either way the directory holds the same files with the same bytes afterwards."""
    db = str(open_directory / "catalogue.db")
    assert invoke(db, "seed").exit_code == 0
    other = None
    if reader == "another user":
        if os.geteuid() != 0:
            pytest.skip("only root can read as another user ('this user' covers it)")
        other = _as_nobody()
    file_mode, directory_mode = READ_ONLY[what]
    before = snapshot(open_directory)
    Path(db).chmod(file_mode)
    open_directory.chmod(directory_mode)
    try:
        if other is None:
            result = invoke(db, "list")
            code, stdout, stderr = result.exit_code, result.stdout, result.stderr
        else:
            done = run_biblio(db, "list", prefix=other)
            code, stdout, stderr = done.returncode, done.stdout, done.stderr
        assert code == 0, stderr
        assert "serge1967birth" in stdout
        assert snapshot(open_directory) == before
    finally:
        open_directory.chmod(0o755)
        Path(db).chmod(0o644)
    _owner_writes_afterwards(db)


def _read_only_mount() -> list[str]:
    """The command prefix that runs what follows with the directory "$1" mounted read-only."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare not installed (Debian package util-linux)")
    prefix = [unshare, "--user", "--map-root-user", "--mount", "sh", "-c"]
    probe = subprocess.run([*prefix, "mount --bind -o ro /tmp /tmp"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no private read-only mount here: {probe.stderr.decode().strip()}")
    return prefix


def test_a_catalogue_on_a_read_only_file_system_is_listed(open_directory: Path) -> None:
    """A read-only mount binds root too: this is the read-only path even under CI."""
    prefix = _read_only_mount()
    db = str(open_directory / "catalogue.db")
    assert invoke(db, "seed").exit_code == 0
    before = snapshot(open_directory)
    mount = [*prefix, 'mount --bind -o ro "$0" "$0" && exec "$@"', str(open_directory)]
    result = run_biblio(db, "list", prefix=mount)
    assert result.returncode == 0, result.stderr
    assert "serge1967birth" in result.stdout
    assert snapshot(open_directory) == before
    _owner_writes_afterwards(db)


def test_a_reader_who_cannot_write_sees_what_a_writer_at_work_committed(
    open_directory: Path,
) -> None:
    """While a writer has the catalogue open, its last commit may still be in the -wal file:
    a reader on a read-only mount reads it there, and not the writer's transaction in
    progress, and leaves the writer's files as they were."""
    prefix = _read_only_mount()
    db = str(open_directory / "catalogue.db")
    assert invoke(db, "seed").exit_code == 0
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("UPDATE edition SET title = 'Committed' WHERE key = 'serge1967birth'")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE edition SET title = 'In progress' WHERE key = 'serge1969men'")
        assert (open_directory / "catalogue.db-wal").stat().st_size > 0
        before = snapshot(open_directory)
        mount = [*prefix, 'mount --bind -o ro "$0" "$0" && exec "$@"', str(open_directory)]
        result = run_biblio(db, "list", "--format", "csv", prefix=mount)
        assert result.returncode == 0, result.stderr
        assert "Committed" in result.stdout
        assert "In progress" not in result.stdout
        assert snapshot(open_directory) == before
        writer.execute("ROLLBACK")
    finally:
        writer.close()


# --------------------------------------------------------------------------- init


def _execute(db: str, *statements: str) -> None:
    """Run SQL on the database behind a --db value, outside biblio."""
    engine = create_engine(resolve(db).url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _tables(db: str) -> dict[str, list[tuple[object, ...]]]:
    from sqlalchemy import inspect

    engine = create_engine(resolve(db).url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {
                name: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {name}"))]
                for name in names
            }
    finally:
        engine.dispose()


def test_a_catalogue_being_created_is_not_called_another_programs(db: str) -> None:
    """A catalogue whose tables are there but not yet its schema revision (another biblio
    creating it at the same moment) is refused with what happened and what to do, not as a
    database of another program's tables, for which 'init --force' was the advice."""
    _execute(
        db,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "CREATE TABLE edition (id INTEGER PRIMARY KEY)",
    )
    for command in (["init"], ["list"]):
        result = invoke(db, *command)
        line = one_line_error(result.exit_code, result.stderr)
        assert "a catalogue not yet created whole" in line and "try again" in line
        assert "--force" not in line


def test_init_refuses_a_database_that_is_not_a_catalogue_unless_forced(db: str) -> None:
    _execute(db, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('mine')")
    bytes_before = Path(db).read_bytes() if "://" not in db else None
    for command in (["init"], ["seed"], ["list"]):
        result = invoke(db, *command)
        line = one_line_error(result.exit_code, result.stderr)
        assert "not a biblio catalogue: it holds other tables (notes)" in line
        assert "'biblio init --force'" in line
    assert _tables(db) == {"notes": [("mine",)]}
    if bytes_before is not None:
        assert Path(db).read_bytes() == bytes_before
        assert sorted(p.name for p in Path(db).parent.iterdir()) == [Path(db).name]

    result = invoke(db, "init", "--force")
    assert result.exit_code == 0, result.output
    assert _tables(db)["notes"] == [("mine",)]
    assert invoke(db, "seed").exit_code == 0
    assert "serge1967birth" in invoke(db, "list").stdout


def test_init_refuses_another_programs_alembic_database_even_forced(db: str) -> None:
    _execute(
        db,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
    )
    for command in (["init"], ["init", "--force"], ["list"]):
        result = invoke(db, *command)
        line = one_line_error(result.exit_code, result.stderr)
        assert "its schema revision 'ae1027a6acf' is none of biblio's" in line
    assert _tables(db) == {"alembic_version": [("ae1027a6acf",)]}


def test_init_takes_an_empty_sqlite_file(sqlite_db: str) -> None:
    Path(sqlite_db).touch()
    result = invoke(sqlite_db, "init")
    assert result.exit_code == 0, result.output
    assert invoke(sqlite_db, "db", "current").stdout.endswith("(current)\n")


# --------------------------------------------------------------------------- drivers


@pytest.mark.parametrize(
    "url", ["postgresql://librarian@localhost/biblio", "postgresql+psycopg://localhost/biblio"]
)
@pytest.mark.parametrize("command", [["list"], ["init"], ["db", "current"]])
def test_a_missing_driver_is_one_line_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, url: str, command: list[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    result = invoke(url, *command)
    line = one_line_error(result.exit_code, result.stderr)
    assert "PostgreSQL needs the 'postgres' extra" in line
    assert "pip install 'biblio[postgres]'" in line


def test_a_missing_driver_in_a_fresh_process(tmp_path: Path) -> None:
    """Without psycopg in the process at all: what a user without the extra sees."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['psycopg'] = None\n")
    package_root = str(Path(biblio.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{package_root}")
    result = subprocess.run(
        [sys.executable, "-m", "biblio", "--db", "postgresql://localhost/biblio", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=PROMPT_SECONDS,
    )
    line = one_line_error(result.returncode, result.stderr)
    assert line == (
        "Error: postgresql://localhost/biblio: PostgreSQL needs the 'postgres' extra "
        "(cannot import psycopg): pip install 'biblio[postgres]'"
    )


def test_an_unknown_kind_of_database_is_one_line() -> None:
    result = invoke("mongodb://localhost/biblio", "list")
    line = one_line_error(result.exit_code, result.stderr)
    assert "unknown kind of database 'mongodb'" in line


def test_a_writer_has_a_larger_page_cache_than_a_reader(seeded_sqlite: str) -> None:
    """A large import is faster with a larger page cache (db.WRITER_CACHE_KIB); a reader
    keeps SQLite's default."""
    seeded = seeded_sqlite
    sizes = {}
    for read_only in (False, True):
        engine = open_catalogue(resolve(seeded), read_only=read_only)
        try:
            with session_scope(engine) as session:
                sizes[read_only] = session.execute(text("PRAGMA cache_size")).scalar()
        finally:
            engine.dispose()
    assert sizes[False] == -WRITER_CACHE_KIB
    assert sizes[True] == -2000  # SQLite's default
