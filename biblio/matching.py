"""What the catalogue already has: the one set of matching rules, and the rows every write adds.

An import (new editions in bulk, ``biblio.bulk``; the rest one by one, ``biblio.catalogue``),
``biblio add`` and ``biblio edit`` all find what is catalogued here, by the same rules:

- a **person** by any of their names' match keys, else by the name's authority key; two people
  answering to one name are an AmbiguousName. "#ID" names a person by id;
- a **publisher** by its name or any of its other names, case and accents ignored;
- a **work** by its title, its year where the record gives one, and its first author where
  both have one: the one match, or the first when the year is given;
- an **edition** by its title, year and work, unless both carry DOIs and they differ.

Look-ups are made a few hundred names or titles per query. People and publishers found or
created are remembered by the ``Matcher`` for the rest of its transaction; works and editions
are looked up afresh each time (``catalogued_works``, ``catalogued_editions``), so a write
made through the ORM in between is always seen.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from . import names
from .errors import AmbiguousName, InvalidValue
from .history import largest_id, record_inserts
from .inheritance import parents_of
from .languages import language_code
from .models import Contribution, Edition, Person, PersonName, Publisher, PublisherName, Work
from .records import EditionRecord

CHUNK = 500
"""Values per ``IN (...)`` lookup and rows per INSERT batch (well under SQLite's and
PostgreSQL's parameter limits)."""


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` a slice of ``size`` at a time (a range gives ranges)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def suffixes() -> Iterator[str]:
    """ "", "a", ..., "z", "aa", "ab", ...: what tells apart keys with the same stem."""
    n = 0
    while True:
        letters, m = "", n
        while m:
            m, r = divmod(m - 1, 26)
            letters = chr(97 + r) + letters
        yield letters
        n += 1


def allocate_keys(
    session: Session,
    model: type[Work] | type[Edition],
    stems: Sequence[str],
    reserved: Iterable[str] = (),
) -> list[str]:
    """A free key for each stem, in order: the stem itself if free, else the stem with the
    first free suffix ("serge1967birtha"); ``reserved`` keys (given to entries of the same
    import not written yet) count as taken."""
    wanted = Counter(stems)
    budget = 4
    while True:
        candidates: dict[str, list[str]] = {}
        for stem, count in wanted.items():
            gen = suffixes()
            candidates[stem] = [stem + next(gen) for _ in range(count + budget)]
        flat = [key for keys in candidates.values() for key in keys]
        taken: set[str] = set(reserved)
        for chunk in chunks(flat):
            taken.update(session.scalars(select(model.key).where(model.key.in_(chunk))))
        keys = _first_free(stems, candidates, taken)
        if keys is not None:
            return keys
        budget *= 8  # a stem with many catalogued keys already: ask for more


def _first_free(
    stems: Sequence[str], candidates: dict[str, list[str]], taken: set[str]
) -> list[str] | None:
    """For each stem in order, its first candidate neither catalogued nor given to an earlier
    stem (one stem's "serge1951memoiresa" can be another's own stem); None if some stem's
    candidates run out."""
    given: list[str] = []
    used = set(taken)
    cursor: dict[str, int] = defaultdict(int)
    for stem in stems:
        pool = candidates[stem]
        while cursor[stem] < len(pool) and pool[cursor[stem]] in used:
            cursor[stem] += 1
        if cursor[stem] == len(pool):
            return None
        key = pool[cursor[stem]]
        used.add(key)
        given.append(key)
    return given


def reserve_ids(session: Session, model: type[Any], count: int) -> list[int]:
    """``count`` new ids for ``model``'s table, which no other writer will take.

    PostgreSQL hands them out from the table's own sequence. On SQLite this transaction holds
    the write lock (biblio's SQLite transactions begin IMMEDIATE), so the ids after the
    largest one are free until it commits.
    """
    if count == 0:
        return []
    table = model.__table__.name
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return list(
            connection.execute(
                sql("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table, "n": count},
            ).scalars()
        )
    # Nor ids the history names: a removed record's id is never another's.
    largest = largest_id(connection, table, session)
    return list(range(largest + 1, largest + 1 + count))


def insert_with_ids(
    session: Session, model: type[Any], rows: Sequence[dict[str, Any]]
) -> list[int]:
    """INSERT ``rows`` with ids reserved for them; their ids, in the order of ``rows``.

    (Cheaper than INSERT ... RETURNING, which SQLAlchemy runs one row at a time on SQLite
    when the order of the ids must match the rows.)"""
    ids = reserve_ids(session, model, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    insert_rows(session, model, rows)
    return ids


def insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (Core executemany: no ORM bookkeeping), recorded in the history; rows
    without an ``id`` are given one (``reserve_ids``), which the history names them by."""
    if rows and "id" not in rows[0]:
        for row, row_id in zip(rows, reserve_ids(session, model, len(rows)), strict=True):
            row["id"] = row_id
    record_inserts(session, model, rows)
    connection = session.connection()
    if (
        rows
        and connection.dialect.name == "sqlite"
        and _execute_many(connection, model.__table__, rows)
    ):
        return
    statement = insert(model.__table__)
    for chunk in chunks(rows):
        connection.execute(statement, list(chunk))


def _execute_many(connection: Any, table: Any, rows: Sequence[dict[str, Any]]) -> bool:
    """INSERT ``rows`` (each with the first row's columns) into ``table`` with the driver's own
    executemany, as SQLAlchemy's would: the statement compiled by SQLAlchemy, each value through
    its column type's bind processor (JSON), the columns the rows lack given their scalar
    defaults. SQLAlchemy builds a parameter dictionary per row and then its tuple: at 100,000
    editions that took 3 s of an import's 40 (measured). False, having written nothing, where
    a column the rows lack has a callable default: those go SQLAlchemy's way."""
    dialect = connection.dialect
    missing = [c for c in table.columns if c.name not in rows[0] and c.default is not None]
    compiled = insert(table).compile(
        dialect=dialect, column_keys=[*rows[0], *(c.name for c in missing)]
    )
    positions = list(compiled.positiontup or ())
    if any(not c.default.is_scalar for c in missing) or len(positions) != len(rows[0]) + len(
        missing
    ):
        return False

    def processor(name: str) -> Any:
        return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

    given = [name for name in positions if name in rows[0]]
    get = itemgetter(*given)
    processed = [(i, p) for i, name in enumerate(given) if (p := processor(name)) is not None]
    constants = sorted(
        (positions.index(c.name), (processor(c.name) or (lambda v: v))(c.default.arg))
        for c in missing
    )
    single = len(given) == 1
    for chunk in chunks(rows):
        if not processed and not constants and not single:
            connection.exec_driver_sql(compiled.string, [get(row) for row in chunk])
            continue
        values: list[Any] = []
        for row in chunk:
            value = [get(row)] if single else list(get(row))
            for i, process in processed:
                value[i] = process(value[i])
            for at, constant in constants:
                value.insert(at, constant)
            values.append(tuple(value))
        connection.exec_driver_sql(compiled.string, values)
    return True


# ----------------------------------------------------------------------------- people, publishers


class Matcher:
    """Finds and creates people and publishers, remembering them for the rest of a transaction.

    ``person_ids`` maps a name's match key to its person, ``primaries`` a person to the parts
    of their primary name, ``publisher_ids`` a folded publisher name to its record and
    ``publisher_names`` a record to its name. ``reserved_keys``: edition keys this import gives
    to entries not written yet."""

    def __init__(self, session: Session, typed: bool = False) -> None:
        self.session = session
        self.typed = typed  # names a librarian typed: a family name or initials may do
        self.partial: set[str] = set()  # match keys of typed names found that way
        self.person_ids: dict[str, int] = {}
        self.primaries: dict[int, tuple[str | None, ...]] = {}
        self.publisher_ids: dict[str, int] = {}
        self.publisher_names: dict[int, str] = {}
        self.reserved_keys: set[str] = set()

    def name(self, text: str | names.Name) -> names.Name | int:
        """A parsed name, or the id a "#ID" names (InvalidValue if there is no such person)."""
        if isinstance(text, names.Name):
            return text
        stripped = text.strip()
        if stripped.startswith("#") and stripped[1:].isdigit():
            person = self.session.get(Person, int(stripped[1:]))
            if person is None:
                raise InvalidValue(f"no person {stripped}")
            self.primaries[person.id] = (person.family, person.given, person.prefix, person.suffix)
            return person.id
        return names.parse_name(text)

    def look_up_people(self, wanted: Iterable[names.Name]) -> None:
        """Find the catalogued people for these names: by any of their names' match keys,
        else by authority key. AmbiguousName where two people share a name."""
        by_key: dict[str, names.Name] = {}
        for name in wanted:
            if name.match_key not in self.person_ids:
                by_key.setdefault(name.match_key, name)
        keys = list(by_key)
        candidates: dict[str, set[int]] = defaultdict(set)
        for chunk in chunks(keys):
            rows = self.session.execute(
                select(PersonName.match_key, PersonName.person_id).where(
                    PersonName.match_key.in_(chunk)
                )
            )
            for key, person_id in rows:
                candidates[key].add(person_id)
        for key, ids in candidates.items():
            if len(ids) > 1:
                people = self.session.scalars(select(Person).where(Person.id.in_(ids)))
                raise AmbiguousName(
                    by_key[key].display, sorted((p.id, p.sort_name, p.note) for p in people)
                )
            self.person_ids[key] = next(iter(ids))
        rest = {by_key[k].authority_key: k for k in keys if k not in candidates}
        for chunk in chunks(list(rest)):
            rows = self.session.execute(
                select(Person.authority_key, Person.id).where(Person.authority_key.in_(chunk))
            )
            for authority_key, person_id in rows:
                self.person_ids[rest[authority_key]] = person_id
        if self.typed:
            for key in keys:
                if key not in self.person_ids:
                    self._look_up_partly(by_key[key])
        missing = [i for i in set(self.person_ids.values()) if i not in self.primaries]
        for chunk in chunks(missing):
            primaries = self.session.execute(
                select(Person.id, Person.family, Person.given, Person.prefix, Person.suffix).where(
                    Person.id.in_(chunk)
                )
            )
            for person_id, family, given, prefix, suffix in primaries:
                self.primaries[person_id] = (family, given, prefix, suffix)

    def _look_up_partly(self, name: names.Name) -> None:
        """A typed family name alone ("Serge") or with initials ("V. Serge") finds the one
        person with a name of that family whose given names start so; AmbiguousName where
        several do. A full given name that differs is another person."""
        initials = _initials(name.given)
        if name.given and initials is None:
            return
        rows = self.session.execute(
            select(PersonName.person_id, PersonName.given).where(
                PersonName.family_key == name.family_key
            )
        )
        found = sorted(
            {
                person_id
                for person_id, given in rows
                if not initials or _starts_with(given, initials)
            }
        )
        if len(found) > 1:
            people = self.session.scalars(select(Person).where(Person.id.in_(found)))
            raise AmbiguousName(name.display, sorted((p.id, p.sort_name, p.note) for p in people))
        if found:
            self.person_ids[name.match_key] = found[0]
            self.partial.add(name.match_key)
            self.look_up_people([])  # their primary name

    def known_person(self, name: names.Name | int) -> int | None:
        """The person found for ``name`` so far (see ``look_up_people``), or None."""
        return name if isinstance(name, int) else self.person_ids.get(name.match_key)

    def create_people(self, wanted: Iterable[names.Name]) -> None:
        """One new person per authority key among names no one in the catalogue bears."""
        new: dict[str, names.Name] = {}
        pending: dict[str, names.Name] = {}  # the first name with each match key stands
        for name in wanted:
            if name.match_key in self.person_ids or name.match_key in pending:
                continue
            pending[name.match_key] = name
            new.setdefault(name.authority_key, name)
        if not new:
            return
        firsts = list(new.values())
        ids = insert_with_ids(
            self.session,
            Person,
            [
                {
                    "family": n.family,
                    "given": n.given,
                    "prefix": n.prefix,
                    "suffix": n.suffix,
                    "sort_name": n.sort_name,
                    "authority_key": n.authority_key,
                }
                for n in firsts
            ],
        )
        by_authority = {}
        for name, person_id in zip(firsts, ids, strict=True):
            by_authority[name.authority_key] = person_id
            self.primaries[person_id] = (name.family, name.given, name.prefix, name.suffix)
        insert_rows(
            self.session,
            PersonName,
            [
                {"person_id": pid, **person_name_row(n, "primary")}
                for n, pid in zip(firsts, ids, strict=True)
            ],
        )
        for name in pending.values():
            self.person_ids.setdefault(name.match_key, by_authority[name.authority_key])

    def find_person(self, text: str | names.Name) -> int | None:
        """The id of the catalogued person with this name (any variant), or None;
        AmbiguousName if two people bear it."""
        name = self.name(text)
        if isinstance(name, names.Name):
            self.look_up_people([name])
        return self.known_person(name)

    def person(self, text: str | names.Name) -> int:
        """The id of the person with this name, created if no one bears it. AmbiguousName
        names the text as given."""
        name = self.name(text)
        if isinstance(name, int):
            return name
        try:
            self.look_up_people([name])
        except AmbiguousName as exc:
            if isinstance(text, str):
                raise AmbiguousName(text, exc.candidates) from None
            raise
        self.create_people([name])
        return self.person_ids[name.match_key]

    def as_given(self, name: names.Name | int, person_id: int) -> list[str | None] | None:
        """The entry's spelling of a name where it differs from the person's primary name
        (not a partial name a librarian typed to pick the person: that credits their name)."""
        if isinstance(name, int) or name.match_key in self.partial:
            return None
        return name_as_given(self.primaries[person_id], name)

    def publishers(self, texts: Iterable[str | None]) -> None:
        """Find, or create, the publisher record of each of these names."""
        wanted: dict[str, str] = {}
        for text in texts:
            if text and text.strip():
                key = names.fold(text)
                if key not in self.publisher_ids:
                    wanted.setdefault(key, text)
        keys = list(wanted)
        for column, owner in (
            (Publisher.name_key, Publisher.id),
            (PublisherName.name_key, PublisherName.publisher_id),
        ):
            for chunk in chunks([k for k in keys if k not in self.publisher_ids]):
                self.publisher_ids.update(
                    self.session.execute(select(column, owner).where(column.in_(chunk))).all()
                )
        new = [k for k in keys if k not in self.publisher_ids]
        rows = [{"name": " ".join(wanted[k].split()), "name_key": k} for k in new]
        new_ids = insert_with_ids(self.session, Publisher, rows)
        self.publisher_ids.update(zip(new, new_ids, strict=True))
        self.publisher_names.update(zip(new_ids, (r["name"] for r in rows), strict=True))
        unnamed = [i for i in set(self.publisher_ids.values()) if i not in self.publisher_names]
        for chunk in chunks(unnamed):
            self.publisher_names.update(
                self.session.execute(
                    select(Publisher.id, Publisher.name).where(Publisher.id.in_(chunk))
                ).all()
            )

    def publisher(self, text: str | None) -> int | None:
        """The id of the publisher with this name, created if none has it; None for no name."""
        if not text or not text.strip():
            return None
        key = names.fold(text)
        if key not in self.publisher_ids:
            self.publishers([text])
        return self.publisher_ids[key]


def _initials(given: str | None) -> list[str] | None:
    """["v"] for "V." or "V", ["j", "p"] for "J.-P."; None where the given names are not
    initials alone; [] for none."""
    if not given:
        return []
    parts = [p for p in re.split(r"[\s.\-]+", names.fold(given)) if p]
    return parts if parts and all(len(p) == 1 for p in parts) else None


def _starts_with(given: str | None, initials: list[str]) -> bool:
    parts = [p for p in re.split(r"[\s.\-]+", names.fold(given or "")) if p]
    return len(parts) >= len(initials) and all(
        p.startswith(i) for p, i in zip(parts, initials, strict=False)
    )


def find_publisher(session: Session, text: str) -> Publisher | None:
    """The publisher with this name or one of its other names (case and accents ignored)."""
    key = names.fold(text)
    found = session.scalar(select(Publisher).where(Publisher.name_key == key))
    if found is None:
        found = session.scalar(
            select(Publisher).join(PublisherName).where(PublisherName.name_key == key)
        )
    return found


# ----------------------------------------------------------------------------- works, editions


@dataclass
class WorkIndex:
    """Works by title key: (work, year, first author id), in id order. A work is a catalogued
    id or, in the bulk import, an object standing for a work not written yet."""

    found: dict[str, list[tuple[Any, int | None, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def find(self, title_key: str, year: int | None, first_author: int | None) -> Any:
        """The work of this title, with this year if given and this first author where both
        have one: the one match, or the first when the year is given; else None."""
        found = [
            work
            for work, work_year, work_author in self.found.get(title_key, ())
            if (year is None or work_year == year)
            and (first_author is None or work_author is None or work_author == first_author)
        ]
        return found[0] if len(found) == 1 or (found and year is not None) else None

    def set_first_author(self, title_key: str, work: Any, person_id: int) -> None:
        """Record that ``work`` now has ``person_id`` as its first author."""
        entries = self.found[title_key]
        for i, (candidate, year, _first) in enumerate(entries):
            if candidate is work or (isinstance(work, int) and candidate == work):
                entries[i] = (candidate, year, person_id)


def catalogued_works(session: Session, title_keys: Iterable[str]) -> WorkIndex:
    """The catalogued works with these title keys."""
    index = WorkIndex()
    keys = sorted(set(title_keys))
    works: list[tuple[int, str, int | None]] = []
    for chunk in chunks(keys):
        works += session.execute(
            select(Work.id, Work.title_key, Work.year).where(Work.title_key.in_(chunk))
        )
    first: dict[int, int] = {}
    for chunk in chunks([w[0] for w in works]):
        rows = session.execute(
            select(Contribution.work_id, Contribution.person_id)
            .where(Contribution.work_id.in_(chunk), Contribution.role == "author")
            .order_by(Contribution.work_id, Contribution.position)
        )
        for work_id, person_id in rows:
            first.setdefault(work_id, person_id)  # type: ignore[arg-type]
    for work_id, title_key, year in sorted(works):
        index.found[title_key].append((work_id, year, first.get(work_id)))
    return index


NEW_PERSON = -1
"""``EditionIndex.find``'s ``first_person`` for a name no catalogued person bears."""


@dataclass
class EditionIndex:
    """Editions by (title key, year, work id): (key, DOI, first credited person), in id order.
    The first credited person (author, else editor) is known for editions without an original
    (with one, the work's authors are part of finding the work)."""

    found: dict[tuple[str, int | None, int | None], list[tuple[str, str | None, int | None]]] = (
        field(default_factory=lambda: defaultdict(list))
    )

    def find(
        self,
        title_key: str,
        year: int | None,
        work_id: int | None,
        doi: str | None = None,
        skip: Container[str] = (),
        first_person: int | None = None,
    ) -> str | None:
        """The key of the first edition with this title, year and work whose DOI does not
        differ from ``doi`` (two articles of one title and year with other DOIs are two) and,
        for an edition without an original, where both credit someone, whose first credited
        person is ``first_person`` (``NEW_PERSON``: a name the catalogue does not know),
        leaving out the keys in ``skip``; None if there is none. Two editorials of one title
        and year by other authors are two; one that credits no one matches by title and year.
        """
        for key, their_doi, theirs in self.found.get((title_key, year, work_id), ()):
            if key in skip or (doi and their_doi and doi != their_doi):
                continue
            if first_person is not None and theirs is not None and first_person != theirs:
                continue
            return key
        return None


def catalogued_editions(session: Session, title_keys: Iterable[str]) -> EditionIndex:
    """The catalogued editions with these title keys."""
    index = EditionIndex()
    for chunk in chunks(sorted(set(title_keys))):
        rows = session.execute(
            select(
                Edition.title_key, Edition.year, Edition.work_id, Edition.key, Edition.doi,
                Edition.id,
            )
            .where(Edition.title_key.in_(chunk))
            .order_by(Edition.id)
        ).all()  # fmt: skip
        first = _first_credited(session, [row[5] for row in rows if row[2] is None])
        for title_key, year, work_id, key, doi, edition_id in rows:
            index.found[(title_key, year, work_id)].append((key, doi, first.get(edition_id)))
    return index


def _first_credited(session: Session, edition_ids: Sequence[int]) -> dict[int, int]:
    """The first person each of these editions credits: its first author, else its first
    editor."""
    first: dict[int, int] = {}
    for chunk in chunks(edition_ids):
        rows = session.execute(
            select(Contribution.edition_id, Contribution.person_id)
            .where(
                Contribution.edition_id.in_(chunk),
                Contribution.role.in_(("author", "coauthor", "editor")),
            )
            .order_by(Contribution.edition_id, Contribution.role == "editor", Contribution.position)
        )
        for edition_id, person_id in rows:
            first.setdefault(edition_id, person_id)  # type: ignore[arg-type]
    return first


# ----------------------------------------------------------------------------- rows


def person_name_row(name: names.Name, kind: str) -> dict[str, str | None]:
    """The columns of a PersonName for ``name`` ("primary" or "variant")."""
    return {
        "kind": kind,
        "family": name.family,
        "given": name.given,
        "prefix": name.prefix,
        "suffix": name.suffix,
        "match_key": name.match_key,
        "family_key": name.family_key,
    }


def name_as_given(
    primary: tuple[str | None, ...], given: str | names.Name
) -> list[str | None] | None:
    """The entry's spelling of a name, [family, given, prefix, suffix], where it differs from
    the linked person's ``primary`` name parts; None where it is the same or is a "#ID"."""
    if isinstance(given, str):
        if given.strip().startswith("#"):
            return None
        given = names.parse_name(given)
    parts = (given.family, given.given, given.prefix, given.suffix)
    return list(parts) if parts != tuple(primary) else None


def publisher_as_given(text: str | None, stored: str | None) -> str | None:
    """The entry's spelling of its publisher where it differs from the linked record's name
    (spaces folded, as the record's name is); None where it is the same."""
    if not text or not text.strip():
        return None
    spelled = " ".join(text.split())
    return spelled if spelled != stored else None


def stored_language(value: str | None) -> str | None:
    """The catalogue's code for a language code or name, or None; InvalidValue if unknown."""
    return language_code(value) if value else None


def edition_extra(record: EditionRecord) -> dict[str, Any] | None:
    """What ``Edition.extra`` keeps of ``record``: raw .bib fields, roles ending "and others",
    and the RIS tags and CSL variables kept in their own format."""
    extra: dict[str, Any] = {}
    if record.extra_fields:
        extra["fields"] = [[name, value] for name, value in record.extra_fields]
    if record.others:
        extra["others"] = list(record.others)
    if record.inherited:
        extra["inherited"] = list(record.inherited)
    for fmt, kept in record.kept.items():
        if kept:
            extra[fmt] = [list(pair) for pair in kept]
    return extra or None


IDENTIFIER_COLUMNS = (
    "pages", "doi", "isbn", "issn", "url", "abstract", "edition_statement", "note",
)  # fmt: skip
"""Edition columns an import copies from the record as they are."""


def identifier_values(record: EditionRecord) -> dict[str, str | None]:
    """The record's pages, DOI, ISBN, ISSN, URL, abstract, edition statement and note."""
    return {name: getattr(record, name) or None for name in IDENTIFIER_COLUMNS}


def parent_rows(edition_id: int, record: EditionRecord) -> list[dict[str, Any]]:
    """The EditionParent rows of an edition: the keys its crossref and xdata name."""
    return [
        {"edition_id": edition_id, "position": i, "parent_key": key}
        for i, key in enumerate(parents_of(record))
    ]


def keyword_rows(edition_id: int, keywords: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of the keyword table for one edition's keywords, in order."""
    return [
        {"edition_id": edition_id, "position": i, "keyword": k, "keyword_key": names.fold(k)}
        for i, k in enumerate(keywords)
    ]
