"""One import pipeline, whatever the batch: a file imported at once against the same file
imported one entry per import.

At once, new editions go in bulk and are matched against each other in memory
(``biblio.bulk``); one entry at a time, each is matched against what the catalogue holds,
and a later entry naming an earlier one's key or original goes the entry-by-entry way
(``biblio.catalogue``). Both must give the same catalogue: each scenario imports the same
files both ways into empty catalogues on each backend, and compares everything the catalogue
holds (every column of every table, ids replaced by natural keys) and the biblatex and
CSL-JSON exports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from biblio import db as dbm
from biblio.catalogue import ImportReport, import_records
from biblio.config import Target
from biblio.errors import AmbiguousName, InvalidValue
from biblio.export import export_text
from biblio.formats import read_files
from biblio.models import (
    AlternateTitle,
    Contribution,
    Edition,
    Person,
    PersonName,
    Publisher,
    PublisherName,
    Work,
)
from biblio.queries import Filters, list_editions
from biblio.records import EditionRecord, OriginalRecord, load_seed

from .test_import import HANDMADE, biblatex_examples

FIRST = r"""
@book{tr1, author = {Serge, Victor}, title = {Birth of our Power}, date = {1967},
  translator = {Greeman, Richard}, publisher = {Doubleday}, location = {New York},
  origtitle = {Naissance de notre force}, origdate = {1931}, origlanguage = {french},
  annotation = {First English translation.}}
@book{tr2, author = {Victor Serge}, title = {Geburt unserer Macht}, date = {1969},
  translator = {M{\"u}ller, Hans}, publisher = {Suhrkamp}, location = {Frankfurt},
  origtitle = {Naissance de notre force}, origdate = {1931}, origlanguage = {french}}
@book{tr3, author = {Serge, Victor}, title = {Conquered City}, date = {1975},
  translator = {Greeman, Richard and Smith, John}, publisher = {DOUBLEDAY},
  origtitle = {Ville conquise}, origlanguage = {french}}
@book{tr4, author = {Serge, Victor and Serge, Victor}, title = {Midnight in the Century},
  date = {1982}, translator = {Greeman, Richard}, origtitle = {S'il est minuit dans le siecle},
  origdate = {1939}}
@collection{anth, editor = {Smith, John}, title = {An Anthology}, date = {2001},
  publisher = {Verso}}
@book{nodate, author = {Anonymous}, title = {Untitled Memoirs}}
"""

SECOND = r"""
@book{tr5, author = {Serge, Victor}, title = {Nacimiento de nuestra fuerza}, date = {1972},
  translator = {P{\'e}rez, Juan}, publisher = {Era}, origtitle = {Naissance de notre force},
  origdate = {1931}, origlanguage = {french}, origpublisher = {Rieder},
  annotation = {Spanish translation.}}
@book{tr1again, author = {Serge, Victor}, title = {Birth of our Power}, date = {1967},
  translator = {Greeman, Richard}, publisher = {Doubleday},
  origtitle = {Naissance de notre force}, origdate = {1931}}
@book{tr1, author = {Serge, Victor}, title = {Birth of our Power (corrected)}, date = {1967}}
@book{tr6, author = {Serge, Victor}, title = {Conquered City}, date = {1976},
  translator = {Smith, John}, publisher = {Verso}, origtitle = {Ville conquise},
  origdate = {1932}}
@book{tr7, author = {Newcomer, Nora}, title = {Birth of our Power}, date = {1967},
  origtitle = {Naissance de notre force}, origdate = {1931}}
"""


def _open(db: str, tmp_path: Path, name: str) -> Any:
    if db.endswith(".db"):
        path = tmp_path / name
        return dbm.open_catalogue(Target(f"sqlite:///{path}", path), create=True)
    return dbm.open_catalogue(Target(db, None), create=True)


def _import(engine: Any, records: list[EditionRecord], at_once: bool, **kw: Any) -> Any:
    """One import of ``records``, or (``at_once`` false) one import per record, their reports
    added up."""
    people = kw.pop("people", [])
    with dbm.session_scope(engine) as session:
        if at_once:
            return import_records(session, people, records, **kw)
        total = ImportReport()
        for i, record in enumerate(records):
            report = import_records(session, people if i == 0 else [], [record], **kw)
            for name in ("created", "updated", "unchanged", "skipped"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.keys += report.keys
            total.duplicates += report.duplicates
        return total


def _records(*texts: str, tmp_path: Path) -> list[list[EditionRecord]]:
    out = []
    for i, text in enumerate(texts):
        path = tmp_path / f"in{i}.bib"
        path.write_text(text, encoding="utf-8")
        entries, problems = read_files([str(path)])
        assert not [p for p in problems if p.is_error], problems
        out.append([e.record for e in entries])
    return out


def dump(engine: Any) -> dict[str, Any]:
    """Every row of every table, ids replaced by natural keys, and two exports."""
    with dbm.session_scope(engine, commit=False) as s:
        person = dict(s.execute(select(Person.id, Person.authority_key)).all())
        work = dict(s.execute(select(Work.id, Work.key)).all())
        edition = dict(s.execute(select(Edition.id, Edition.key)).all())
        publisher = dict(s.execute(select(Publisher.id, Publisher.name_key)).all())

        def rows(model: Any, refs: dict[str, dict[int, str]]) -> list[tuple[Any, ...]]:
            columns = [c for c in model.__table__.columns if c.name != "id"]
            found = []
            for row in s.execute(select(*columns)):
                values = dict(zip([c.name for c in columns], row, strict=True))
                for column, mapping in refs.items():
                    if values[column] is not None:
                        values[column] = mapping[values[column]]
                found.append(tuple(sorted((k, repr(v)) for k, v in values.items())))
            return sorted(found)

        tables = {
            "person": rows(Person, {}),
            "person_name": rows(PersonName, {"person_id": person}),
            "publisher": rows(Publisher, {}),
            "publisher_name": rows(PublisherName, {"publisher_id": publisher}),
            "work": rows(Work, {"publisher_id": publisher}),
            "edition": rows(Edition, {"publisher_id": publisher, "work_id": work}),
            "contribution": rows(
                Contribution, {"person_id": person, "work_id": work, "edition_id": edition}
            ),
            "alternate_title": rows(AlternateTitle, {"edition_id": edition}),
        }
        views = list_editions(s, Filters())
        tables["biblatex"] = export_text(views, "biblatex")
        tables["csl-json"] = export_text(views, "csl-json")
    return tables


def _both_ways(
    db: str, tmp_path: Path, steps: list[tuple[list[EditionRecord], dict[str, Any]]]
) -> tuple[dict[str, Any], dict[str, Any], list[Any], list[Any]]:
    dumps, reports = [], []
    for at_once in (True, False):
        engine = _open(db, tmp_path, f"{at_once}.db")
        reports.append([_import(engine, records, at_once, **dict(kw)) for records, kw in steps])
        dumps.append(dump(engine))
        if not db.endswith(".db"):  # one PostgreSQL database per test: empty it for the next
            engine.dispose()
            _reset_postgres(db)
        else:
            engine.dispose()
    return dumps[0], dumps[1], reports[0], reports[1]


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _same(at_once: dict[str, Any], one_by_one: dict[str, Any]) -> None:
    for table in one_by_one:
        assert at_once[table] == one_by_one[table], table


def _summary(reports: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (r.created, r.updated, r.unchanged, r.skipped, sorted(r.keys), sorted(r.duplicates))
        for r in reports
    ]


def test_seed_the_same_at_once_and_one_by_one(db: str, tmp_path: Path) -> None:
    people, entries = load_seed()
    at_once, one_by_one, rb, ro = _both_ways(db, tmp_path, [(entries, {"people": people})])
    _same(at_once, one_by_one)
    assert _summary(rb) == _summary(ro)
    assert len(at_once["edition"]) == len(entries)


def test_handmade_and_biblatex_examples_the_same_either_way(db: str, tmp_path: Path) -> None:
    texts = [HANDMADE.read_text(encoding="utf-8"), biblatex_examples().read_text("utf-8")]
    first, second = _records(*texts, tmp_path=tmp_path)
    # Updating, not skipping: biblatex-examples.bib has entries of one title and year under
    # two keys (baez/article, baez/online), which one import keeps apart as the file does,
    # while one import per entry rightly finds the second a duplicate of the first.
    steps = [(first, {}), (second, {})]
    at_once, one_by_one, rb, ro = _both_ways(db, tmp_path, steps)
    _same(at_once, one_by_one)
    assert _summary(rb) == _summary(ro)


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
def test_into_a_populated_catalogue_the_same_at_once_and_one_by_one(
    db: str, tmp_path: Path, on_duplicate: str
) -> None:
    """Shared originals within one import and with the catalogue, a work without a year, a
    person spelt two ways, a repeated author, a duplicate under another key, a known key."""
    first, second = _records(FIRST, SECOND, tmp_path=tmp_path)
    steps = [(first, {}), (second, {"on_duplicate": on_duplicate})]
    at_once, one_by_one, rb, ro = _both_ways(db, tmp_path, steps)
    _same(at_once, one_by_one)
    assert _summary(rb) == _summary(ro)
    works = {dict(w)["key"] for w in at_once["work"]}
    # Naissance (shared by tr1, tr2, tr5; tr7 has another author), Ville conquise twice
    # (one undated, so the 1932 one is another), Minuit.
    assert len(works) == 5
    if on_duplicate == "skip":
        # tr1again (same title, year and original as tr1); tr1, now titled otherwise, is
        # another work under a catalogued key: imported as new under tr1a, never skipped.
        assert _summary(rb)[1][3] == 1
        assert "tr1a" in _summary(rb)[1][4]


def test_error_on_duplicate_the_same_at_once_and_one_by_one(db: str, tmp_path: Path) -> None:
    first, second = _records(FIRST, SECOND, tmp_path=tmp_path)
    messages = []
    for at_once in (True, False):
        engine = _open(db, tmp_path, f"e{at_once}.db")
        _import(engine, first, at_once)
        with pytest.raises(InvalidValue) as caught:
            _import(engine, [r for r in second if r.key != "tr1"], at_once, on_duplicate="error")
        messages.append(str(caught.value))
        engine.dispose()
        if not db.endswith(".db"):
            _reset_postgres(db)
    assert messages[0] == messages[1]
    assert "'tr1'" in messages[0]


def test_ambiguous_name_refused_at_once_and_one_by_one(db: str, tmp_path: Path) -> None:
    """Two catalogued people known by the same name: an import naming it must say so."""
    for at_once in (True, False):
        engine = _open(db, tmp_path, f"a{at_once}.db")
        with dbm.session_scope(engine) as session:
            session.add_all(
                [
                    Person(family="Smith", given="John", sort_name="Smith, John",
                           authority_key="smith|john"),
                    Person(family="Smith", given="J.", sort_name="Smith, J.",
                           authority_key="smith|j"),
                ]
            )  # fmt: skip
            session.flush()
            for person in session.scalars(select(Person)):
                session.add(
                    PersonName(person_id=person.id, kind="variant", family="Smith",
                               given="John", match_key="john smith", family_key="smith")
                )  # fmt: skip
        record = EditionRecord(title="T", key="t1", translators=["Smith, John"])
        with pytest.raises(AmbiguousName):
            _import(engine, [record], at_once)
        engine.dispose()
        if not db.endswith(".db"):
            _reset_postgres(db)


def test_work_keys_follow_the_catalogue_at_once_and_one_by_one(db: str, tmp_path: Path) -> None:
    """Thirty originals with the same key stem, half already catalogued: suffixes a..z, aa..."""

    def batch(start: int, stop: int) -> list[EditionRecord]:
        return [
            EditionRecord(
                title=f"Translation {i}",
                key=f"ed{i}",
                date="1990",
                authors=["Serge, Victor"],
                original=OriginalRecord(title=f"Memoires {i}", date="1951"),
            )
            for i in range(start, stop)
        ]

    steps = [(batch(0, 15), {}), (batch(15, 30), {})]
    at_once, one_by_one, _rb, _ro = _both_ways(db, tmp_path, steps)
    _same(at_once, one_by_one)
    keys = sorted(dict(w)["key"] for w in at_once["work"])
    assert "'serge1951memoires'" in keys and "'serge1951memoiresac'" in keys
    assert len(set(keys)) == 30


def test_a_stem_that_is_another_stem_with_a_suffix_either_way(db: str, tmp_path: Path) -> None:
    """ "Memoires" twice takes serge1951memoires and serge1951memoiresa, which is the stem of
    "Memoiresa": that one must get serge1951memoiresaa, not the same key again."""
    titles = ["Memoires un", "Memoiresa", "Memoires deux", "Memoiresa bis"]
    records = [
        EditionRecord(
            title=f"Translation {i}",
            key=f"m{i}",
            date="1990",
            authors=["Serge, Victor"],
            original=OriginalRecord(title=title, date="1951"),
        )
        for i, title in enumerate(titles)
    ]
    at_once, one_by_one, _rb, _ro = _both_ways(db, tmp_path, [(records, {})])
    _same(at_once, one_by_one)
    keys = sorted(dict(w)["key"] for w in at_once["work"])
    assert keys == [
        "'serge1951memoires'", "'serge1951memoiresa'", "'serge1951memoiresaa'",
        "'serge1951memoiresb'",
    ]  # fmt: skip


def test_other_dois_are_other_editions_either_way(db: str, tmp_path: Path) -> None:
    """One rule finds duplicates in bulk and one by one: an entry of a catalogued title and
    year is a duplicate unless both carry DOIs and they differ."""

    def article(key: str, doi: str | None) -> EditionRecord:
        return EditionRecord(title="On Translation", key=key, date="2001", doi=doi,
                             entry_type="article", journal="J")  # fmt: skip

    steps = [
        ([article("a", "10.1/a")], {}),
        ([article("b", "10.1/b"), article("c", None), article("d", "10.1/a")],
         {"on_duplicate": "skip"}),
    ]  # fmt: skip
    at_once, one_by_one, rb, ro = _both_ways(db, tmp_path, steps)
    _same(at_once, one_by_one)
    assert _summary(rb) == _summary(ro)
    assert _summary(rb)[1] == (1, 0, 0, 2, ["b"], ["a", "a"])


# ----------------------------------------------------------------------------- full-text index

FTS_INSERT = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'edition_fts_insert'"


def _fts_state(path: str) -> str | None:
    """The insert trigger's SQL, after FTS5's own check that ``edition_fts`` indexes exactly
    what ``edition`` holds (``integrity-check`` with rank 1 compares the external content)."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "INSERT INTO edition_fts(edition_fts, rank) VALUES ('integrity-check', 1)"
        )
        found = connection.execute(FTS_INSERT).fetchone()
        return found[0] if found else None
    finally:
        connection.close()


def test_bulk_imports_keep_the_full_text_index_whole(sqlite_db: str, tmp_path: Path) -> None:
    """New editions enter SQLite's full-text index after the bulk writes (biblio.bulk), not
    through the row trigger: the index must still match the table after imports into a
    populated catalogue, and after later edits and removals, which go through the update and
    delete triggers and would corrupt an index missing the rows; the trigger comes back as
    it was."""
    from .conftest import invoke

    result = invoke(sqlite_db, "init")
    assert result.exit_code == 0, result.output
    trigger = _fts_state(sqlite_db)
    assert trigger is not None and "INSERT INTO edition_fts" in trigger
    for i, text in enumerate((FIRST, SECOND)):
        path = tmp_path / f"in{i}.bib"
        path.write_text(text, encoding="utf-8")
        result = invoke(sqlite_db, "import", str(path))
        assert result.exit_code == 0, result.output
        assert _fts_state(sqlite_db) == trigger
    for args in (
        ("edit", "tr3", "--set", "title=Conquered City Revised"),
        ("remove", "tr6", "--yes"),
    ):
        result = invoke(sqlite_db, *args)
        assert result.exit_code == 0, result.output
        assert _fts_state(sqlite_db) == trigger

    def found(query: str) -> list[str]:
        result = invoke(sqlite_db, "search", query, "--format", "json")
        assert result.exit_code == 0, result.output
        return [entry["key"] for entry in json.loads(result.output)]

    assert "tr5" in found("nacimiento")
    assert "tr3" in found("revised")
    assert "tr3" in found("greeman conquered")
    assert "tr6" not in found("conquered")
    assert "tr7" in found("newcomer birth")  # new in the second import


def test_a_failed_bulk_import_leaves_the_index_and_trigger(
    sqlite_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error after editions were written: the rollback leaves the catalogue as it was,
    trigger included; and a caller that goes on in the same transaction finds the rows
    written so far indexed and the trigger back."""
    import sqlite3

    from biblio import bulk

    engine = _open(sqlite_db, tmp_path, "failing.db")
    path = str(tmp_path / "failing.db")
    (records,) = _records(FIRST, tmp_path=tmp_path)
    _import(engine, records[:1], at_once=True)
    trigger = _fts_state(path)
    before = dump(engine)
    real = bulk.insert_rows

    def failing(session: Any, model: Any, rows: Any) -> None:
        if model is bulk.Keyword:
            raise RuntimeError("disk full")
        real(session, model, rows)

    monkeypatch.setattr(bulk, "insert_rows", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(engine, records[1:], at_once=True)
    assert _fts_state(path) == trigger
    assert dump(engine) == before

    with dbm.session_scope(engine) as session:
        with pytest.raises(RuntimeError, match="disk full"):
            import_records(session, [], records[1:])
        connection = session.connection()
        assert connection.exec_driver_sql(FTS_INSERT).scalar() == trigger
        written = connection.exec_driver_sql("SELECT count(*) FROM edition").scalar()
        assert written is not None and written > 1  # the editions of the first batch
        connection.exec_driver_sql(
            "INSERT INTO edition_fts(edition_fts, rank) VALUES ('integrity-check', 1)"
        )
        session.rollback()
    engine.dispose()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM edition").fetchone() == (1,)


# ----------------------------------------------------------------------------- driver inserts


def test_driver_inserts_store_what_sqlalchemys_insert_stores(tmp_path: Path) -> None:
    """On SQLite, ``matching.insert_rows`` bypasses SQLAlchemy's per-row parameter handling:
    the same rows through it and through SQLAlchemy's own ``insert`` must leave the same stored
    values, JSON text and column defaults included (rows that leave out defaulted columns,
    JSON that is None, a dict, a list, non-ASCII)."""
    from sqlalchemy import insert, text

    from biblio.matching import insert_rows

    people = [
        {"id": 1, "family": "Serge", "given": "Victor", "sort_name": "serge victor",
         "authority_key": "serge victor"},
        {"id": 2, "family": "Müller", "given": None, "sort_name": "muller",
         "authority_key": "muller"},
    ]  # fmt: skip
    editions = [
        {"id": 1, "key": "a", "title": "Birth of our Power", "extra": None},
        {"id": 2, "key": "b", "title": "Полночь века", "extra": {"fields": [["x", "ü"]]}},
        {"id": 3, "key": "c", "title": "Conquered City", "extra": {"n": 1, "s": None}},
    ]
    contributions = [
        {"id": 1, "person_id": 1, "edition_id": 1, "work_id": None, "role": "author",
         "position": 0, "name_as_given": None},
        {"id": 2, "person_id": 2, "edition_id": 2, "work_id": None, "role": "translator",
         "position": 0, "name_as_given": ["Muller", "Hans", None, None]},
    ]  # fmt: skip
    tables = [(Person, people), (Edition, editions), (Contribution, contributions)]
    stored = []
    for way in ("sqlalchemy", "driver"):
        engine = _open("x.db", tmp_path, f"{way}.db")
        with dbm.session_scope(engine) as session:
            for model, rows in tables:
                copies = [dict(row) for row in rows]
                if way == "driver":
                    insert_rows(session, model, copies)
                else:
                    session.connection().execute(insert(model.__table__), copies)
        with engine.connect() as connection:
            stored.append(
                {
                    model.__tablename__: connection.execute(
                        text(f"SELECT * FROM {model.__tablename__} ORDER BY id")  # noqa: S608
                    ).all()
                    for model, _ in tables
                }
            )
        engine.dispose()
    assert stored[0] == stored[1]
    edition = stored[1]["edition"]
    assert len(edition) == 3 and {row.entry_type for row in edition} == {"book"}
    assert {row.translator_status for row in edition} == {"unknown"}
    assert stored[1]["contribution"][1].name_as_given == '["Muller", "Hans", null, null]'
