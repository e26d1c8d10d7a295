"""The command line as a user meets it: queries, formats, and bad input."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import click
import pytest

from biblio.cli import cli

from .conftest import invoke

GREEMAN_KEYS = [
    "serge1967birth",
    "serge1969men",
    "serge1975conquered",
    "serge1982midnight",
    "serge2008unforgiving",
]


def keys(db: str, *args: str) -> list[str]:
    result = invoke(db, "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [row["key"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "name",
    ["Richard Greeman", "Greeman, Richard", "greeman", "GREEMAN", "Gréeman", "richard  greeman"],
)
def test_translator_matches_any_name_form(seeded: str, name: str) -> None:
    assert keys(seeded, "--translator", name) == GREEMAN_KEYS


def test_author_matches_through_variant_names(seeded: str) -> None:
    everything = keys(seeded)
    assert len(everything) == 23  # the 21 of the bibliography, 2 from the article's body
    by_serge = keys(seeded, "--author", "Serge")
    # Every entry but the collection about Serge, whose source names no author, and Vera
    # Figner's memoirs, which he translated.
    assert len(by_serge) == 21 and "weissman1997ideas" not in by_serge
    assert "fignermemoires" not in by_serge
    assert keys(seeded, "--author", "Kibalchich, Victor Lvovich") == by_serge
    assert keys(seeded, "--author", "le retif") == by_serge
    assert keys(seeded, "--author", "Natalia Sedova Trotsky") == ["serge1973life"]


def test_name_filters_that_match_nobody_list_nothing(seeded: str) -> None:
    assert keys(seeded, "--translator", "Serge") == ["fignermemoires"]  # he translated Figner
    assert keys(seeded, "--translator", "Greeman", "--author", "Figner") == []
    assert keys(seeded, "--translator", "Nobody Atall") == []
    result = invoke(seeded, "list", "--translator", "Nobody")
    assert result.exit_code == 0 and result.stdout == "(no entries)\n"


def test_a_publisher_named_by_punctuation_is_found_as_written(db: str, tmp_path: Path) -> None:
    path = tmp_path / "amp.bib"
    path.write_text(
        "@book{h, title = {H}, publisher = {Harper \\& Row}, year = 1970}\n"
        "@book{p, title = {P}, publisher = {Penguin}, year = 1971}\n",
        encoding="utf-8",
    )
    assert invoke(db, "import", str(path)).exit_code == 0
    assert keys(db, "--publisher", "&") == ["h"]


def test_filters_by_editor_publisher_year_language_form_and_text(seeded: str) -> None:
    assert keys(seeded, "--editor", "Al Richardson") == ["serge1994century", "serge2004collected"]
    assert keys(seeded, "--editor", "D.J. Cotterill") == ["serge1994serge"]
    assert keys(seeded, "--publisher", "doubleday") == [
        "serge1967birth",
        "serge1969men",
        "serge1973life",
        "serge1975conquered",
    ]
    assert keys(seeded, "--year", "1967") == ["serge1967birth"]
    assert keys(seeded, "--year", "1930-1950") == [
        "serge1937from",
        "serge1937russia",
        "serge1946long",
    ]
    assert keys(seeded, "--translator", "Greeman", "--year", "1970-1990") == [
        "serge1975conquered",
        "serge1982midnight",
    ]
    french = keys(seeded, "--original-language", "french")
    assert french == keys(seeded, "--original-language", "fr")
    assert len(french) == 14  # 7 novels, the poems, 6 non-fiction books
    assert keys(seeded, "--form", "poetry") == ["serge1989resistance"]
    assert keys(seeded, "--form", "pamphlet") == ["serge1975kronstadt"]
    # Original titles, alternate titles and accents all count for --search.
    assert keys(seeded, "--search", "Toulaev") == ["serge1951case"]
    assert keys(seeded, "--search", "destiny of a revolution") == ["serge1937russia"]
    assert keys(seeded, "--search", "lenine a staline") == ["serge1937from"]
    assert keys(seeded, "--search", "100%") == []
    # Punctuation alone folds to nothing, which every text contains: it found every edition
    for punctuation in ("&", "_", "%", "."):
        assert keys(seeded, "--publisher", punctuation) == [], punctuation
        assert keys(seeded, "--search", punctuation) == [], punctuation
    # A name of a person credited on the edition or its original, or of its publisher.
    greeman = keys(seeded, "--translator", "Greeman")
    assert len(greeman) > 3
    assert keys(seeded, "--search", "Greeman") == greeman
    # A whole name, in either order: each of its words among the edition's names.
    assert keys(seeded, "--search", "Richard Greeman") == greeman
    assert keys(seeded, "--search", "greeman, richard") == greeman
    assert keys(seeded, "--search", "Richard Nobody") == []
    assert set(keys(seeded, "--search", "doubleday")) == set(
        keys(seeded, "--publisher", "Doubleday")
    )


def test_list_json_has_the_promised_shape(seeded: str) -> None:
    rows = json.loads(invoke(seeded, "list", "--format", "json").stdout)
    for row in rows:
        for field in ["key", "title", "subtitle", "year", "authors", "translators", "editors",
                      "publisher", "place", "annotation", "original"]:  # fmt: skip
            assert field in row, (row["key"], field)
    birth = next(r for r in rows if r["key"] == "serge1967birth")
    assert birth["translators"] == ["Richard Greeman"]
    assert birth["original"] == {
        "title": "Naissance de notre force",
        "subtitle": None,
        "year": 1931,
        "place": "Paris",
        "language": "fr",
    }
    papers = next(r for r in rows if r["key"] == "serge1994serge")
    assert papers["original"] is None


def test_list_table_and_csv(seeded: str) -> None:
    table = invoke(seeded, "list", "--translator", "Greeman").stdout.splitlines()
    assert table[0].split() == ["key", "year", "title", "authors", "translators", "publisher",
                                "place", "original"]  # fmt: skip
    assert len(table) == 2 + 5
    assert "Naissance de notre force (Paris, 1931; French)" in table[2]
    rows = list(csv.DictReader(io.StringIO(invoke(seeded, "list", "--format", "csv").stdout)))
    assert len(rows) == 23
    men = next(r for r in rows if r["key"] == "serge1969men")
    assert men["place"] == "Garden City, NY" and men["year"] == "1969"


def test_translators_counts_editions_and_spans_years(seeded: str) -> None:
    result = invoke(seeded, "translators", "--format", "json")
    rows = {r["translator"]: r for r in json.loads(result.stdout)}
    assert rows["Richard Greeman"]["editions"] == 5
    assert (rows["Richard Greeman"]["first_year"], rows["Richard Greeman"]["last_year"]) == (
        1967,
        2008,
    )
    assert rows["Ralph Manheim"]["editions"] == 2
    assert (rows["Ralph Manheim"]["first_year"], rows["Ralph Manheim"]["last_year"]) == (1937, 1946)
    assert rows["Victor Serge"]["editions"] == 1  # Figner's memoirs, undated
    assert rows["Victor Serge"]["first_year"] is None
    assert len(rows) == 11


def test_show_prints_the_whole_record(seeded: str) -> None:
    result = invoke(seeded, "show", "serge1967birth")
    assert result.exit_code == 0
    text = result.stdout
    for expected in ["Birth of our Power", "Richard Greeman", "Naissance de notre force",
                     "Paris", "1931", "Doubleday", "New York", "Novels"]:  # fmt: skip
        assert expected in text
    record = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert record["original"]["annotation"]
    assert [p["role"] for p in record["people"]] == ["author", "translator"]


def test_default_location_and_environment_variable(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "BIBLIO_DB": None}
    result = invoke(None, "seed", env=env)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    default = tmp_path / "config" / "biblio" / "catalogue.db"
    assert default.is_file()
    assert str(default) in result.stderr

    other = tmp_path / "other.db"
    invoke(str(other), "seed")
    result = invoke(None, "list", "--year", "1967", env={"BIBLIO_DB": str(other)})
    assert "serge1967birth" in result.stdout


# --------------------------------------------------------------------------- bad input


def assert_one_line_error(result, code: int = 1) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    if code == 1:  # an error: exactly one line
        assert len(lines) == 1, result.stderr
    assert lines[-1].startswith("Error:"), result.stderr  # usage errors end with that line
    return lines[-1]


def test_unknown_key(seeded: str) -> None:
    line = assert_one_line_error(invoke(seeded, "show", "nosuchkey1999"))
    assert line == "Error: no edition with key 'nosuchkey1999'"


@pytest.mark.parametrize("year", ["19x9", "1950-1930", "", "1930-", "nineteen"])
def test_malformed_year_is_a_usage_error(seeded: str, year: str) -> None:
    line = assert_one_line_error(invoke(seeded, "list", "--year", year), code=2)
    assert "--year" in line


def test_unknown_original_language(seeded: str) -> None:
    line = assert_one_line_error(invoke(seeded, "list", "--original-language", "martian"))
    assert "unknown language 'martian'" in line


def test_missing_catalogue_is_not_created_by_reads(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    for args in (["list"], ["show", "x"], ["translators"], ["export"], ["db", "current"]):
        line = assert_one_line_error(invoke(str(path), *args))
        assert str(path) in line and "no catalogue" in line
    assert not path.exists()


def test_unusable_db_paths(tmp_path: Path) -> None:
    a_file = tmp_path / "plain.txt"
    a_file.write_text("not a catalogue\n")
    line = assert_one_line_error(invoke(str(a_file), "list"))
    assert "not a SQLite catalogue" in line
    line = assert_one_line_error(invoke(str(a_file), "seed"))
    assert a_file.read_text() == "not a catalogue\n"

    line = assert_one_line_error(invoke(str(tmp_path), "init"))
    assert "is a directory" in line

    under_a_file = a_file / "sub" / "catalogue.db"
    line = assert_one_line_error(invoke(str(under_a_file), "init"))
    assert "cannot create directory" in line


def test_unreachable_database_url() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing"
    line = assert_one_line_error(invoke(url, "list"))
    assert "cannot open catalogue" in line and "127.0.0.1" in line
    assert "secret" not in line


def test_export_to_an_unwritable_place_writes_nothing(seeded_sqlite: str, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.bib"
    line = assert_one_line_error(invoke(seeded_sqlite, "export", "-o", str(target)))
    assert "cannot write" in line
    assert not target.parent.exists()


def test_export_to_a_file(seeded_sqlite: str, tmp_path: Path) -> None:
    target = tmp_path / "greeman.bib"
    result = invoke(seeded_sqlite, "export", "--translator", "Greeman", "-o", str(target))
    assert result.exit_code == 0
    assert "wrote 5 entries" in result.stderr
    assert target.read_text(encoding="utf-8").count("@book{") == 5
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not the temporary file's 0600
    # No temporary file left behind.
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("catalogue.db")] == [
        "greeman.bib"
    ]


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize("name,command", _commands(cli), ids=lambda v: getattr(v, "name", v))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    result = invoke(None, *name.split(), "--help")
    assert result.exit_code == 0
    assert command.help and len(command.help.strip()) > 20
    assert "Example:" in result.stdout and "biblio " in result.stdout.split("Example:")[1]


def test_search_help_states_how_many_matches_are_ranked() -> None:
    """The help text spells out ``queries.RANKED_AT_MOST`` (the command line does not import
    the queries to say it): a change of the one must change the other."""
    from biblio.queries import RANKED_AT_MOST

    help_text = " ".join(invoke(None, "search", "--help").stdout.split())
    assert f"among the {RANKED_AT_MOST:,} matches catalogued last" in help_text


def test_same_catalogue_exports_the_same_on_both_backends(
    sqlite_db: str, postgres_admin_url: str
) -> None:
    from .conftest import _fresh_postgres_database

    databases = _fresh_postgres_database(postgres_admin_url)
    postgres_db = next(databases)
    try:
        outputs = []
        for db in (sqlite_db, postgres_db):
            assert invoke(db, "seed").exit_code == 0
            outputs.append(
                (
                    invoke(db, "export", "--format", "biblatex").stdout,
                    invoke(db, "export", "--format", "bibtex").stdout,
                    invoke(db, "list", "--format", "json").stdout,
                )
            )
        assert outputs[0] == outputs[1]
        assert outputs[0][0].count("@") == 23
    finally:
        databases.close()


def test_a_read_only_catalogue_is_reported_with_its_path(
    seeded_sqlite: str, tmp_path: Path
) -> None:
    import os
    import subprocess

    path = Path(seeded_sqlite)
    before = invoke(seeded_sqlite, "export").stdout
    files = [tmp_path, *tmp_path.iterdir()]
    if os.geteuid() == 0:  # root ignores permissions; the immutable attribute binds it too
        if subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True).returncode:
            pytest.skip("chattr +i unavailable here: cannot make a file read-only for root")
        restore = ["chattr", "-i", *map(str, files)]
    else:
        for file in files:
            file.chmod(0o500 if file.is_dir() else 0o400)
        restore = ["chmod", "u+w", *map(str, files)]
    try:
        line = assert_one_line_error(invoke(seeded_sqlite, "seed"))
        assert str(path) in line
    finally:
        subprocess.run(restore, check=True)
    assert invoke(seeded_sqlite, "export").stdout == before


def test_backup_while_another_process_writes(seeded_sqlite: str, tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys

    big = tmp_path / "big.bib"
    big.write_text(
        "\n".join(
            f"@book{{w{i}, author = {{Writer{i % 40}, Ann}}, title = {{Book {i}}}, "
            f"date = {{{1900 + i % 100}}}, publisher = {{P{i % 9}}}}}"
            for i in range(1500)
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "BIBLIO_DB": seeded_sqlite}
    writer = subprocess.Popen([sys.executable, "-m", "biblio", "import", str(big)], env=env,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    import time

    time.sleep(1.5)  # the import (about 5 s) is under way, inside its one transaction
    copies = []
    for n in range(3):
        copy = tmp_path / f"copy{n}.db"
        result = invoke(seeded_sqlite, "backup", str(copy))
        assert result.exit_code == 0, result.output
        copies.append(copy)
    _out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    for copy in copies:
        connection = sqlite3.connect(copy)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count = connection.execute("SELECT count(*) FROM edition").fetchone()[0]
        connection.close()
        # A snapshot: the seed alone, or the seed and the whole import (it is one transaction).
        assert count in (23, 23 + 1500)
        assert len(json.loads(invoke(str(copy), "list", "--format", "json").stdout)) == count
    line = assert_one_line_error(invoke(seeded_sqlite, "backup", str(copies[0])))
    assert "already exists" in line


def test_backup_of_a_postgresql_catalogue_says_how(postgres_admin_url: str) -> None:
    line = assert_one_line_error(invoke(postgres_admin_url, "backup", "x.db"))
    assert "pg_dump" in line and "secret" not in line


def test_list_and_export_by_original(seeded: str, tmp_path: Path) -> None:
    """A researcher's "every translation of this original": by its title, whatever the case,
    accents and punctuation, or by its key; the other originals' translations stay out."""
    by_title = invoke(seeded, "list", "--original", "NAISSANCE de notre-force", "--format", "json")
    assert by_title.exit_code == 0, by_title.output
    assert [e["key"] for e in json.loads(by_title.stdout)] == ["serge1967birth"]
    by_key = invoke(seeded, "list", "--original", "serge1931naissance", "--format", "json")
    assert json.loads(by_key.stdout) == json.loads(by_title.stdout)
    conquered = invoke(seeded, "list", "--original", "Ville conquise", "--format", "csv")
    assert [line.split(",")[0] for line in conquered.stdout.splitlines()[1:]] == [
        "serge1975conquered"
    ]
    out = tmp_path / "naissance.bib"
    exported = invoke(
        seeded, "export", "--original", "naissance de notre force", "--format", "biblatex",
        "-o", str(out),
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    text = out.read_text(encoding="utf-8")
    assert text.count("@book{") == 1 and "@book{serge1967birth," in text
    nothing = invoke(seeded, "list", "--original", "No such book")
    assert nothing.exit_code == 0 and "(no entries)" in nothing.output


def test_a_postgresql_catalogue_with_a_language_collation_lists_as_sqlite_does(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    """A PostgreSQL database created with a language's collation (en-US, as usual installs
    are) lists, exports and shows people in the order SQLite does: byte order for keys, sort
    names and publishers (migration 0020). It put "abbott1885" before "Cetin1885" and
    "Çetinkaya" after "Zola" differently from SQLite."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    name = f"biblio_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            if not connection.scalar(
                text("SELECT count(*) FROM pg_collation WHERE collname = 'en-US-x-icu'")
            ):
                pytest.skip("this PostgreSQL has no ICU collations (built without ICU)")
            connection.execute(text(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu"
                " ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            ))  # fmt: skip
        postgres = make_url(postgres_admin_url).set(database=name).render_as_string(False)
        sqlite = str(tmp_path / "catalogue.db")
        path = tmp_path / "order.bib"
        path.write_text(
            "@book{Zola1885, author = {Zola, {\\'E}mile}, title = {Germinal}, year = 1885,"
            " publisher = {Charpentier}}\n"
            "@book{abbott1885, author = {Abbott, Edwin}, title = {Flatland}, year = 1885,"
            " publisher = {seeley}}\n"
            "@book{Cetin1885, author = {{\\c{C}}etinkaya, Ali}, title = {Kitap}, year = 1885,"
            ' publisher = {{\\"O}zgur}}\n',
            encoding="utf-8",
        )
        outputs = []
        for db in (sqlite, postgres):
            assert invoke(db, "import", str(path)).exit_code == 0
            outputs.append(
                [
                    invoke(db, *command).stdout
                    for command in (["list"], ["export"], ["people"], ["publishers"])
                ]  # fmt: skip
            )
        assert outputs[0] == outputs[1]
        assert keys(sqlite) == ["Cetin1885", "Zola1885", "abbott1885"]
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
