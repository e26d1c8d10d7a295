"""The bulk import path (biblio.bulk) against the entry-by-entry ORM path it replaces.

Each scenario imports the same files twice, once each way, into empty catalogues on each
backend, and compares everything the catalogue holds (every column of every table, ids
replaced by natural keys) and the biblatex and CSL-JSON exports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from biblio import db as dbm
from biblio.catalogue import import_records
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


def _import(engine: Any, records: list[EditionRecord], bulk: bool, **kw: Any) -> Any:
    people = kw.pop("people", [])
    with dbm.session_scope(engine) as session:
        return import_records(session, people, records, bulk=bulk, **kw)


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
    for bulk in (True, False):
        engine = _open(db, tmp_path, f"{bulk}.db")
        reports.append([_import(engine, records, bulk, **dict(kw)) for records, kw in steps])
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


def _same(bulk: dict[str, Any], orm: dict[str, Any]) -> None:
    for table in orm:
        assert bulk[table] == orm[table], table


def _summary(reports: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (r.created, r.updated, r.unchanged, r.skipped, sorted(r.keys), sorted(r.duplicates))
        for r in reports
    ]


def test_seed_the_same_both_ways(db: str, tmp_path: Path) -> None:
    people, entries = load_seed()
    bulk, orm, rb, ro = _both_ways(db, tmp_path, [(entries, {"people": people})])
    _same(bulk, orm)
    assert _summary(rb) == _summary(ro)
    assert len(bulk["edition"]) == len(entries)


def test_handmade_and_biblatex_examples_the_same_both_ways(db: str, tmp_path: Path) -> None:
    texts = [HANDMADE.read_text(encoding="utf-8"), biblatex_examples().read_text("utf-8")]
    first, second = _records(*texts, tmp_path=tmp_path)
    steps = [(first, {"on_duplicate": "skip"}), (second, {"on_duplicate": "skip"})]
    bulk, orm, rb, ro = _both_ways(db, tmp_path, steps)
    _same(bulk, orm)
    assert _summary(rb) == _summary(ro)


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
def test_into_a_populated_catalogue_the_same_both_ways(
    db: str, tmp_path: Path, on_duplicate: str
) -> None:
    """Shared originals within one import and with the catalogue, a work without a year, a
    person spelt two ways, a repeated author, a duplicate under another key, a known key."""
    first, second = _records(FIRST, SECOND, tmp_path=tmp_path)
    steps = [(first, {}), (second, {"on_duplicate": on_duplicate})]
    bulk, orm, rb, ro = _both_ways(db, tmp_path, steps)
    _same(bulk, orm)
    assert _summary(rb) == _summary(ro)
    works = {dict(w)["key"] for w in bulk["work"]}
    # Naissance (shared by tr1, tr2, tr5; tr7 has another author), Ville conquise twice
    # (one undated, so the 1932 one is another), Minuit.
    assert len(works) == 5
    if on_duplicate == "skip":
        assert _summary(rb)[1][3] == 2  # tr1again (same title, year, original), tr1 (key)


def test_error_on_duplicate_the_same_both_ways(db: str, tmp_path: Path) -> None:
    first, second = _records(FIRST, SECOND, tmp_path=tmp_path)
    messages = []
    for bulk in (True, False):
        engine = _open(db, tmp_path, f"e{bulk}.db")
        _import(engine, first, bulk)
        with pytest.raises(InvalidValue) as caught:
            _import(engine, [r for r in second if r.key != "tr1"], bulk, on_duplicate="error")
        messages.append(str(caught.value))
        engine.dispose()
        if not db.endswith(".db"):
            _reset_postgres(db)
    assert messages[0] == messages[1]
    assert "'tr1'" in messages[0]


def test_ambiguous_name_refused_both_ways(db: str, tmp_path: Path) -> None:
    """Two catalogued people known by the same name: an import naming it must say so."""
    for bulk in (True, False):
        engine = _open(db, tmp_path, f"a{bulk}.db")
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
            _import(engine, [record], bulk)
        engine.dispose()
        if not db.endswith(".db"):
            _reset_postgres(db)


def test_work_keys_follow_the_catalogue_both_ways(db: str, tmp_path: Path) -> None:
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
    bulk, orm, _rb, _ro = _both_ways(db, tmp_path, steps)
    _same(bulk, orm)
    keys = sorted(dict(w)["key"] for w in bulk["work"])
    assert "'serge1951memoires'" in keys and "'serge1951memoiresac'" in keys
    assert len(set(keys)) == 30


def test_a_stem_that_is_another_stem_with_a_suffix_both_ways(db: str, tmp_path: Path) -> None:
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
    bulk, orm, _rb, _ro = _both_ways(db, tmp_path, [(records, {})])
    _same(bulk, orm)
    keys = sorted(dict(w)["key"] for w in bulk["work"])
    assert keys == [
        "'serge1951memoires'", "'serge1951memoiresa'", "'serge1951memoiresaa'",
        "'serge1951memoiresb'",
    ]  # fmt: skip
