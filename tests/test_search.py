"""Full-text search (`biblio search`, `queries.search`) on both backends: SQLite's FTS5 and
PostgreSQL's tsvector (migration 0011), kept in step with every write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import invoke


def keys(db: str, query: str, *args: str) -> list[str]:
    result = invoke(db, "search", query, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [entry["key"] for entry in json.loads(result.stdout)]


BOTH_MEMOIRS = {"serge1963memoirs", "fignermemoires"}  # one original title, two editions


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("naissance", {"serge1967birth"}),  # the original's title
        ("NAISSANCE de notre", {"serge1967birth"}),  # case, several words
        ("memoires revolutionnaire", BOTH_MEMOIRS),  # accents ignored
        ("Mémoires d'un", BOTH_MEMOIRS),  # an apostrophe is no syntax
        ("unforgiv", {"serge2008unforgiving"}),  # a prefix
        ("kibalchich kronstadt", {"serge1975kronstadt"}),  # a variant name and a title word
        ("doubleday birth", {"serge1967birth"}),  # a publisher and a title word
        ("figner", {"fignermemoires"}),  # an author
    ],
)
def test_search_finds_by_every_word(seeded: str, query: str, expected: set[str]) -> None:
    assert set(keys(seeded, query)) == expected


def test_search_by_a_translator_finds_all_their_translations(seeded: str) -> None:
    found = keys(seeded, "greeman")
    translated = json.loads(
        invoke(seeded, "list", "--translator", "Greeman", "--format", "json").stdout
    )
    assert sorted(found) == sorted(e["key"] for e in translated) and len(found) == 5


@pytest.mark.parametrize(
    "query", ['"', "'", "Jean-Paul", "O'Brien", "a OR b", "NEAR(x y)", "*", "x:*", "(", "&|!"]
)
def test_user_input_is_never_query_syntax(seeded: str, query: str) -> None:
    result = invoke(seeded, "search", query, "--format", "json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


def test_the_index_follows_edits_imports_removals_and_undo(seeded: str, tmp_path: Path) -> None:
    assert invoke(seeded, "edit", "serge1967birth", "--set", "title=Zeppelin Days").exit_code == 0
    assert keys(seeded, "zeppelin") == ["serge1967birth"]
    assert invoke(seeded, "edit", "serge1967birth", "--set", "title=Airship Days").exit_code == 0
    assert keys(seeded, "zeppelin") == [] and keys(seeded, "airship") == ["serge1967birth"]
    bib = tmp_path / "new.bib"
    bib.write_text("@book{quux2001, author = {Quist, Anna}, title = {Quuxology}, date = {2001},"
                   " publisher = {Zork Press}}\n")  # fmt: skip
    assert invoke(seeded, "import", str(bib)).exit_code == 0
    assert keys(seeded, "quuxol") == ["quux2001"]
    assert keys(seeded, "zork") == ["quux2001"]
    assert invoke(seeded, "remove", "quux2001", "--yes").exit_code == 0
    assert keys(seeded, "quuxol") == []
    history = json.loads(invoke(seeded, "history", "--format", "json").stdout)
    assert invoke(seeded, "undo", str(history[0]["id"])).exit_code == 0  # the removal
    assert keys(seeded, "quuxol") == ["quux2001"]


def test_best_first_and_limit(seeded: str) -> None:
    found = keys(seeded, "serge")
    assert len(found) > 5
    assert keys(seeded, "serge", "--limit", "3") == found[:3]
    assert invoke(seeded, "search", "   ").stdout.strip() == "(no entries)"


def _name_texts_to_mend(db: str) -> int:
    """How many editions' name text (what search finds them by: migration 0015) differs from
    what their names give when computed afresh: 0 when every write kept it."""
    from biblio.config import resolve
    from biblio.db import open_catalogue
    from biblio.search_names import refresh

    engine = open_catalogue(resolve(db))
    try:
        with engine.connect() as connection:
            mended = refresh(connection)
            connection.rollback()
    finally:
        engine.dispose()
    return mended


def test_names_follow_renames_merges_and_undo(seeded: str, tmp_path: Path) -> None:
    greeman = set(keys(seeded, "greeman"))
    assert invoke(seeded, "people", "rename", "Greeman, Richard", "Zyzzyva, Richard").exit_code == 0
    assert set(keys(seeded, "zyzzyva")) == greeman  # the new name
    assert set(keys(seeded, "greeman")) == greeman  # the old one stays another name
    history = json.loads(invoke(seeded, "history", "--format", "json").stdout)
    assert invoke(seeded, "undo", str(history[0]["id"])).exit_code == 0
    assert keys(seeded, "zyzzyva") == []
    # A publisher's name comes with a merge, and an edition's credits with an import.
    bib = tmp_path / "new.bib"
    bib.write_text(
        "@book{quux2001, author = {Serge, Victor}, translator = {Quist, Anna},"
        " title = {Quuxology}, date = {2001}, publisher = {Zork Press}}\n"
    )
    assert invoke(seeded, "import", str(bib)).exit_code == 0
    assert keys(seeded, "quist serge quuxol") == ["quux2001"]
    doubleday = set(keys(seeded, "doubleday"))
    assert invoke(seeded, "merge", "publisher", "Doubleday", "Zork Press").exit_code == 0
    assert set(keys(seeded, "zork")) == doubleday | {"quux2001"}
    assert set(keys(seeded, "doubleday")) == doubleday | {"quux2001"}
    # A person merged into another: the duplicate's name finds the one kept's editions.
    assert invoke(seeded, "merge", "person", "Greeman, Richard", "Quist, Anna").exit_code == 0
    assert set(keys(seeded, "quist")) == greeman | {"quux2001"}
    assert _name_texts_to_mend(seeded) == 0


def test_an_originals_author_finds_its_translations(seeded: str) -> None:
    # Serge is credited on the original of Birth of our Power, not on the edition: his name
    # reaches the edition through its work.
    assert keys(seeded, "victor serge greeman birth") == ["serge1967birth"]
    assert _name_texts_to_mend(seeded) == 0


def test_the_newest_matches_are_ranked_and_older_ones_follow_newest_first(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from biblio import queries
    from biblio.config import resolve
    from biblio.db import open_catalogue, session_scope

    titles = [  # in catalogue order: e1 is the best match of all, and the oldest
        "Alpha alpha alpha alpha alpha",
        "Alpha",
        "Alpha alpha alpha beta",
        "Alpha gamma delta epsilon zeta eta theta",
        "Alpha alpha beta gamma",
    ]
    bib = tmp_path / "alpha.bib"
    bib.write_text(
        "".join(
            f"@book{{e{i}, title = {{{t}}}, date = {{2000}}}}\n" for i, t in enumerate(titles, 1)
        )
    )
    assert invoke(db, "import", str(bib)).exit_code == 0
    engine = open_catalogue(resolve(db), read_only=True)

    def found(limit: int | None = None) -> list[str]:
        with session_scope(engine, commit=False) as session:
            return [view.key for view in queries.search(session, "alpha", limit=limit)]

    try:
        assert found()[0] == "e1"  # all ranked: the best first
        monkeypatch.setattr(queries, "RANKED_AT_MOST", 3)
        everything = found()
        assert everything == ["e3", "e5", "e4", "e2", "e1"]
        assert [found(limit) for limit in range(1, 7)] == [everything[:n] for n in range(1, 7)]
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- PostgreSQL's ways
# On PostgreSQL a search asks the index for the whole words a prefix begins (the table
# search_word, migration 0016), tests a one-letter word on the rows the others find, and reads
# the newest matches window by window (queries._newest_ranked). None of this may change what
# is found or its order: each is checked against one plain prefix query over the whole table.

# ৴ (Bengali currency numerator one) is kept by names.fold and dropped by PostgreSQL's parser,
# as is a word too long to index.
PLAIN_QUERIES = [
    "serge", "s", "a", "greeman", "v serge", "birth o", "naissance", "de", "la r", "1967",
    "zzzq", "serge zzzq", "o", "r g", "ville", "press", "tr", "ville q", "serge k",
    "πολ", "Πόλη", "東京", "ville 東", "s ৴", "a b ৴", "৴", "s " + "x" * 3000,
    "ville " + "x" * 3000,
]  # fmt: skip


def _plain(connection, query: str, ranked: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Every edition matching each word of ``query`` as a prefix: the ``ranked`` newest by
    ts_rank (ties by id), then the older ones newest first; read the plainest way."""
    from sqlalchemy import text

    from biblio import names

    words = names.fold(query).split()
    tsquery = " & ".join("'" + word.replace("'", "''") + "':*" for word in words)
    rows = connection.execute(
        text(
            "SELECT id, -ts_rank(search_vector, to_tsquery('simple', :q)) FROM edition "
            "WHERE search_vector @@ to_tsquery('simple', :q) ORDER BY id DESC"
        ),
        {"q": tsquery},
    ).all()
    newest = sorted(rows[:ranked], key=lambda row: (row[1], row[0]))
    return [row[0] for row in newest] + [row[0] for row in rows[ranked:]]


@pytest.fixture
def seeded_postgres(postgres_db: str, tmp_path: Path) -> str:
    """The seeded catalogue on PostgreSQL, with a hundred more editions of repeated words so
    that windows of a few ids hold some matches and miss others."""
    assert invoke(postgres_db, "seed").exit_code == 0
    bib = tmp_path / "more.bib"
    bib.write_text(
        "".join(
            f"@book{{more{i}, author = {{{'Serge, Victor' if i % 3 else 'Rossi, Anna'}}},"
            f" title = {{{'Ville ' * (i % 4 + 1)}de la r{'é' * (i % 2)}volution {i}"
            f"{' quietly' * (i % 7 == 0)}{' Πόλη' * (i % 6 == 0)}{' 東京の夜' * (i % 8 == 0)}}},"
            f" publisher = {{{'Tristram Press' if i % 5 else 'Otter'}}},"
            f" date = {{19{i % 90:02}}}}}\n"
            for i in range(100)
        )
    )
    assert invoke(postgres_db, "import", str(bib)).exit_code == 0
    return postgres_db


@pytest.mark.parametrize(
    "first_window, common, prefix_words, ranked",
    [
        (3, 0.0, 64, 7),  # tiny windows read through the indexes
        (3, 1.1, 64, 7),  # tiny windows walked down the primary key
        (1, 0.05, 1, 5),  # every prefix of two words or more asked as a prefix, as a filter
        (10_000, 0.05, 64, 2_000),  # as configured
    ],
)
def test_postgresql_finds_what_one_plain_prefix_query_finds_in_its_order(
    seeded_postgres: str,
    monkeypatch: pytest.MonkeyPatch,
    first_window: int,
    common: float,
    prefix_words: int,
    ranked: int,
) -> None:
    from sqlalchemy import text

    from biblio import queries
    from biblio.config import resolve
    from biblio.db import open_catalogue, session_scope

    monkeypatch.setattr(queries, "FIRST_WINDOW", first_window)
    monkeypatch.setattr(queries, "COMMON", common)
    monkeypatch.setattr(queries, "PREFIX_WORDS_AT_MOST", prefix_words)
    monkeypatch.setattr(queries, "RANKED_AT_MOST", ranked)
    settings = "SELECT current_setting('enable_indexscan'), current_setting('enable_bitmapscan')"
    engine = open_catalogue(resolve(seeded_postgres), read_only=True)
    try:
        with session_scope(engine, commit=False) as session:
            key_of = {i: key for i, key in session.execute(text("SELECT id, key FROM edition"))}
            some = 0
            for query in PLAIN_QUERIES:
                expected = [key_of[i] for i in _plain(session.connection(), query, ranked)]
                some += bool(expected)
                found = [view.key for view in queries.search(session, query)]
                assert found == expected, query
                for limit in (1, ranked + 3):
                    found = [view.key for view in queries.search(session, query, limit)]
                    assert found == expected[:limit], (query, limit)
                # The planner's settings are the server's again after each search.
                assert session.execute(text(settings)).one() == ("on", "on")
            assert some >= 18  # most queries find something, and "zzzq" nothing
    finally:
        engine.dispose()


def test_postgresql_lists_every_word_of_its_index(seeded_postgres: str, tmp_path: Path) -> None:
    from sqlalchemy import text

    from biblio.config import resolve
    from biblio.db import open_catalogue

    missing_words = text(
        "SELECT count(DISTINCT lexeme) FROM edition, unnest(tsvector_to_array(search_vector))"
        " lexeme WHERE NOT EXISTS (SELECT 1 FROM search_word WHERE word = lexeme)"
    )
    # Words come with an edit, a rename (a name text rewritten) and a publisher added.
    assert (
        invoke(
            seeded_postgres, "edit", "serge1967birth", "--set", "annotation=Qwertyuiop"
        ).exit_code
        == 0
    )
    assert (
        invoke(
            seeded_postgres, "people", "rename", "Greeman, Richard", "Zyxwvut, Richard"
        ).exit_code
        == 0
    )
    assert "serge1967birth" in keys(seeded_postgres, "qwerty zyxw")
    engine = open_catalogue(resolve(seeded_postgres), read_only=True)
    try:
        with engine.connect() as connection:
            assert connection.execute(missing_words).scalar_one() == 0
            listed = connection.execute(
                text("SELECT count(DISTINCT word) FROM search_word")
            ).scalar_one()
            assert listed > 300
    finally:
        engine.dispose()


def test_a_failing_search_raises_its_own_error_on_postgresql(
    seeded_postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DBAPIError

    from biblio import queries
    from biblio.config import resolve
    from biblio.db import open_catalogue

    # A window's statement fails on the server (the ranking made to divide by zero).
    monkeypatch.setattr(queries._Terms, "score", property(lambda self: "1 / (id - id)"))
    engine = open_catalogue(resolve(seeded_postgres), read_only=True)
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as raised:
            queries._text_matches(connection, ["ville"], 10)
        assert "division by zero" in str(raised.value)  # not "current transaction is aborted"
    finally:
        engine.dispose()


def test_a_bulk_imports_name_texts_are_exact_without_the_commits_check(
    db: str, tmp_path: Path
) -> None:
    """A bulk import (new keys) writes each new edition's name text as it inserts it, and the
    commit no longer checks those again (``history.names_written``): they must be exact where
    a later entry gives a new original more authors, where an entry gives a catalogued
    original a new author (whose name then finds the work's older translations too), and
    where an entry credits a catalogued person under a new spelling."""
    first = tmp_path / "first.bib"
    first.write_text(
        "@book{tr1967, author = {Serge, Victor}, translator = {Greeman, Richard},\n"
        "  title = {Birth of our Power}, date = {1967}, publisher = {Doubleday},\n"
        "  origtitle = {Naissance de notre force}, origdate = {1931}}\n",
        encoding="utf-8",
    )
    assert invoke(db, "import", str(first)).exit_code == 0
    second = tmp_path / "second.bib"
    second.write_text(
        "@book{tr1970, author = {Serge, Victor and Zyx, Vlady}, title = {Birth II},\n"
        "  date = {1970}, origtitle = {Naissance de notre force}, origdate = {1931}}\n"
        "@book{a1, author = {Quist, Anna}, translator = {Greeman, Richard E.},\n"
        "  title = {Quux One}, date = {2001}, origtitle = {Zorg}, origdate = {1990}}\n"
        "@book{a2, author = {Quist, Anna and Yxa, Bo}, title = {Quux Two}, date = {2002},\n"
        "  origtitle = {Zorg}, origdate = {1990}, publisher = {Zork Press}}\n",
        encoding="utf-8",
    )
    assert invoke(db, "import", str(second)).exit_code == 0
    assert set(keys(db, "zyx")) == {"tr1967", "tr1970"}  # the catalogued work's new author
    assert set(keys(db, "yxa")) == {"a1", "a2"}  # a new work's later author
    assert set(keys(db, "quist zork")) == {"a2"}
    assert "tr1967" in keys(db, "greeman")
    assert _name_texts_to_mend(db) == 0
