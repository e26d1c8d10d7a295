"""The names an edition is found by in full-text search: ``edition.name_text``.

``queries.search`` finds an edition by every word of a query in its own texts (titles,
annotations: ``search_text``) or in the names of its people (every name of every person
credited on it or on its original) and of its publisher (every name of its record). Those
names live in other tables; ``name_text`` holds their words folded, each once, sorted, in the
edition's own row, which the full-text index reads with its titles (SQLite FTS5 columns
``search_text`` and ``name_text``; PostgreSQL's ``search_vector`` over both: migration 0015).
One index lookup then answers a whole query, however many editions a name credits.

The text is derived, never recorded in the history, and kept at every commit: ``refresh``
takes the records a change wrote (the history's list of them, ``history`` calls it before it
writes the change) and rewrites the name text of every edition they can reach: an edition
itself, the editions of a work, of a person's credits (on editions or their originals) and of
a publisher. Only texts that differ are written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import bindparam, select, union, update

from .models import Contribution, Edition, PersonName, Publisher, PublisherName

CHUNK = 2000
"""Editions read and written per statement (well under every backend's parameter limit)."""


def name_text(keys: Iterable[str]) -> str:
    """The name text of an edition whose names fold to ``keys``: each word once, sorted."""
    return " ".join(sorted({word for key in keys for word in key.split()}))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _in(column: Any, ids: list[int]) -> Any:
    return column.in_(bindparam(None, ids, expanding=True))


def reached(connection: Any, records: Iterable[tuple[str, int]]) -> set[int]:
    """The editions whose name text records (``("person", 12)``...) can change: editions
    themselves, those of works, of people's credits and of publishers."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, record_id in records:
        by_kind[kind].add(record_id)
    editions = set(by_kind["edition"])
    works = set(by_kind["work"])
    for people in _chunks(sorted(by_kind["person"])):
        for edition_id, work_id in connection.execute(
            select(Contribution.edition_id, Contribution.work_id).where(
                _in(Contribution.person_id, people)
            )
        ):
            if edition_id is not None:
                editions.add(edition_id)
            else:
                works.add(work_id)
    for part in _chunks(sorted(works)):
        editions.update(
            connection.execute(select(Edition.id).where(_in(Edition.work_id, part))).scalars()
        )
    for part in _chunks(sorted(by_kind["publisher"])):
        editions.update(
            connection.execute(select(Edition.id).where(_in(Edition.publisher_id, part))).scalars()
        )
    return editions


def name_keys(
    connection: Any, people: Iterable[int], publishers: Iterable[int], works: Iterable[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]:
    """The folded names of ``people``, of ``publishers`` and of the people credited on
    ``works``, by record id: for a bulk import to write its editions' name text as it
    inserts them (``refresh`` at its commit then finds nothing to mend, or mends it)."""
    found: tuple[dict[int, list[str]], ...] = tuple(defaultdict(list) for _ in range(3))
    on_work = select(Contribution.work_id, PersonName.match_key).join(
        PersonName, PersonName.person_id == Contribution.person_id
    )
    statements = (
        lambda part: select(PersonName.person_id, PersonName.match_key).where(
            _in(PersonName.person_id, part)
        ),
        lambda part: union(
            select(Publisher.id, Publisher.name_key).where(_in(Publisher.id, part)),
            select(PublisherName.publisher_id, PublisherName.name_key).where(
                _in(PublisherName.publisher_id, part)
            ),
        ),
        lambda part: on_work.where(_in(Contribution.work_id, part)),
    )
    for ids, statement, keys in zip((people, publishers, works), statements, found, strict=True):
        for part in _chunks(sorted(set(ids))):
            for record_id, key in connection.execute(statement(part)):
                keys[record_id].append(key)
    return found[0], found[1], found[2]


def _texts(connection: Any, edition_ids: list[int]) -> dict[int, tuple[str, str]]:
    """For each of ``edition_ids`` (at most ``CHUNK``) that exists: the name text it has, and
    the one it should have now: the names of the people credited on it, of those credited on
    its original, and of its publisher."""
    records: dict[int, tuple[str, int | None, int | None]] = {}  # text, work, publisher
    found = select(Edition.id, Edition.name_text, Edition.work_id, Edition.publisher_id)
    for edition_id, text, work, pub in connection.execute(
        found.where(_in(Edition.id, edition_ids))
    ):
        records[edition_id] = (text, work, pub)
    credited: dict[int, list[int]] = defaultdict(list)
    credits = select(Contribution.edition_id, Contribution.person_id)
    for edition_id, person_id in connection.execute(
        credits.where(_in(Contribution.edition_id, edition_ids))
    ):
        credited[edition_id].append(person_id)
    people, publishers, works = name_keys(
        connection,
        {person for persons in credited.values() for person in persons},
        {pub for _, _, pub in records.values() if pub is not None},
        {work for _, work, _ in records.values() if work is not None},
    )
    return {
        edition_id: (
            text,
            name_text(
                [
                    *(key for person in credited[edition_id] for key in people[person]),
                    *(works[work] if work is not None else ()),
                    *(publishers[pub] if pub is not None else ()),
                ]
            ),
        )
        for edition_id, (text, work, pub) in records.items()
    }


def refresh(connection: Any, edition_ids: Iterable[int] | None = None) -> int:
    """Rewrite the name text of ``edition_ids`` (default: every edition) where it is not what
    their names give now; how many were rewritten."""
    if edition_ids is None:
        ids = list(connection.execute(select(Edition.id).order_by(Edition.id)).scalars())
    else:
        ids = sorted(set(edition_ids))
    written = 0
    table = Edition.__table__
    statement = (
        update(table)  # type: ignore[arg-type]
        .where(table.c.id == bindparam("edition_id"))
        .values(name_text=bindparam("text"))
    )
    for part in _chunks(ids):
        changed = [
            {"edition_id": edition_id, "text": wanted}
            for edition_id, (now, wanted) in _texts(connection, part).items()
            if now != wanted
        ]
        if changed:
            connection.execute(statement, changed)
            written += len(changed)
    return written
