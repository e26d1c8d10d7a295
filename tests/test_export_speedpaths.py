"""The fast paths of reads and exports say exactly what the slower, obvious ones said: the .bib
text joined by hand is bibtexparser's writer's, byte for byte; views are read with a fixed
number of statements whatever their number, through the indexes; the collector comes back on."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy import event

from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.export import export
from biblio.export.tex import Raw, write_bib
from biblio.queries import Filters, gc_paused, get_edition, list_editions

from .factories import catalogue_views

ENTRIES = [
    ("book", "a1", [("author", "Serge, Victor"), ("title", "Naissance"), ("date", Raw("1931"))]),
    ("periodical", "b-2", []),
    ("book", "c3", [("origlanguage", "french"), ("note", Raw('"quoted"')), ("x", "")]),
    ("online", "d:4", [("url", Raw("{https://example.org/a_b}")), ("annotation", "Long " * 40)]),
]


def _bibtexparser_writer(entries: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    """What write_bib wrote before it joined the text itself."""
    from bibtexparser import BibtexFormat, Library, writer
    from bibtexparser.model import Entry, Field

    library = Library(
        [
            Entry(
                entry_type,
                key,
                [Field(n, v if isinstance(v, Raw) else f"{{{v}}}") for n, v in fields],
            )
            for entry_type, key, fields in entries
        ]
    )
    bib_format = BibtexFormat()
    bib_format.indent = "  "
    bib_format.value_column = "auto"
    bib_format.block_separator = "\n"
    return writer.write(library, bib_format)


@pytest.mark.parametrize("count", [0, 1, 2, len(ENTRIES)])
def test_write_bib_is_bibtexparsers_layout(count: int) -> None:
    entries = ENTRIES[:count]
    assert write_bib(iter(entries)) == _bibtexparser_writer(entries)


def test_write_bib_refuses_duplicate_keys_like_bibtexparser() -> None:
    with pytest.raises(ValueError, match="Duplicate keys"):
        write_bib([("book", "a", []), ("misc", "a", [])])


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_seed_export_is_bibtexparsers_layout(seeded: str, fmt: str) -> None:
    from biblio.export import biblatex, bibtex

    views = catalogue_views(seeded)
    entry = biblatex.biblatex_entry if fmt == "biblatex" else bibtex.bibtex_entry
    assert export(views, fmt).text == _bibtexparser_writer([entry(v) for v in views])


def _statements(db: str, work: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """``work(session)``'s result and the SQL statements it ran, with their parameters."""
    engine = open_catalogue(resolve(db))
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    try:
        with session_scope(engine, commit=False) as session:
            result = work(session)
    finally:
        engine.dispose()
    return result, [s for s in seen if s[0].lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(translator="Richard Greeman"), Filters(publisher="Doubleday")],
    ids=["all", "translator", "publisher"],
)
def test_views_take_five_statements_whatever_their_number(seeded: str, filters: Filters) -> None:
    views, statements = _statements(seeded, lambda s: list_editions(s, filters))
    assert views
    # editions (with works and publishers), their people, their works' people, other titles
    assert len(statements) == 5, [s for s, _ in statements]


def test_show_adds_only_the_people_details(seeded: str) -> None:
    view, statements = _statements(seeded, lambda s: get_edition(s, "serge1967birth"))
    assert view.people and view.people[0]["name"] == "Victor Serge"
    assert len(statements) == 7, [s for s, _ in statements]


def test_view_rows_are_read_through_indexes(seeded_sqlite: str) -> None:
    query = Filters(translator="Richard Greeman")
    _, statements = _statements(seeded_sqlite, lambda s: list_editions(s, query))
    sql, parameters = statements[0]
    engine = open_catalogue(resolve(seeded_sqlite))
    try:
        with engine.connect() as connection:
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            plan = [row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)]
    finally:
        engine.dispose()
    joined = "\n".join(plan)
    assert "SCAN edition" not in joined.replace("SCAN edition USING", ""), joined


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_export_leaves_the_collector_on(seeded_sqlite: str) -> None:
    assert export(catalogue_views(seeded_sqlite), "ris").entries == 23
    assert gc.isenabled()


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(translator="Greeman"), Filters(publisher="doubleday")]
)
def test_related_rows_by_ids_and_by_conditions_agree(
    seeded: str, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small answers fetch their people and alternate titles by edition ids, big ones (an
    export) by the filter's conditions: the views must not depend on which."""
    from biblio import queries

    engine = open_catalogue(resolve(seeded))
    try:
        with session_scope(engine, commit=False) as session:
            by_ids = list_editions(session, filters)
            shown = [get_edition(session, v.key) for v in by_ids]
            monkeypatch.setattr(queries, "_LISTED_IDS", 0)
            by_conditions = list_editions(session, filters)
            shown_again = [get_edition(session, v.key) for v in by_ids]
    finally:
        engine.dispose()
    assert by_ids and by_ids == by_conditions
    assert shown == shown_again
    assert any(v.translators for v in by_ids) and any(v.original for v in by_ids)
