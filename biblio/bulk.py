"""The bulk path of an import: new editions written with a few set-based statements.

``catalogue.import_records`` sends here every entry whose citation key the catalogue does not
have yet (most of any import, all of a first one). The outcome is the one the per-entry path
would give (the same people, publishers, works, keys and rows, which a test checks by exporting
both), but the catalogue is read with one query per few hundred names, titles or keys, and
written with one multi-row INSERT per table, instead of several queries and ORM flushes per
entry. Works the catalogue already had are still updated through the ORM, one by one: that
is the rare case (an import adding translations of catalogued originals).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from . import names
from .errors import AmbiguousName, InvalidValue
from .models import (
    AlternateTitle,
    Contribution,
    Edition,
    Keyword,
    Person,
    PersonName,
    Publisher,
    PublisherName,
    Work,
)
from .records import EditionRecord, year_of

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
    largest = connection.execute(sql(f"SELECT max(id) FROM {table}")).scalar() or 0  # noqa: S608
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
    """INSERT ``rows`` (Core executemany: no ORM bookkeeping)."""
    connection = session.connection()
    statement = insert(model.__table__)
    for chunk in chunks(rows):
        connection.execute(statement, list(chunk))


@dataclass
class _NewWork:
    """A work this import creates: its row, its authors, the title key it is found by."""

    row: dict[str, Any]
    authors: list[tuple[str, int]]
    first_author: int | None
    id: int | None = None


@dataclass
class _WorkIndex:
    """Works by title key, catalogued (id, year, first author id) and new, in id order."""

    found: dict[str, list[tuple[int | _NewWork, int | None, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def find(self, title_key: str, year: int | None, first_author: int | None) -> Any:
        """``catalogue._find_work``'s rule: same title, same year if given, same first
        author where both have one; one match, or the first when the year is given."""
        found = [
            work
            for work, work_year, work_author in self.found.get(title_key, ())
            if (year is None or work_year == year)
            and (first_author is None or work_author is None or work_author == first_author)
        ]
        return found[0] if len(found) == 1 or (found and year is not None) else None


class BulkImport:
    """Writes new editions (keys the catalogue does not have) in bulk; see the module doc."""

    def __init__(self, session: Session, resolver: Any, on_duplicate: str) -> None:
        self.session = session
        self.resolver = resolver  # catalogue.Resolver: people and publishers known so far
        self.on_duplicate = on_duplicate
        self.person_ids: dict[str, int] = {k: p.id for k, p in resolver.people.items()}
        self.primaries: dict[int, tuple[str | None, ...]] = {
            p.id: (p.family, p.given, p.prefix, p.suffix) for p in resolver.people.values()
        }
        self.publisher_ids: dict[str, int] = {k: p.id for k, p in resolver.publishers.items()}
        self.publisher_names: dict[int, str] = {p.id: p.name for p in resolver.publishers.values()}

    # ------------------------------------------------------------------ people

    def _name(self, text: str | names.Name) -> names.Name | int:
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

    def _look_up_people(self, wanted: Iterable[names.Name]) -> None:
        """Catalogued people for these names: by any of their names' match keys, else by
        authority key. AmbiguousName where two people share a name."""
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
                name = by_key[key]
                raise AmbiguousName(
                    name.display, sorted((p.id, p.sort_name, p.note) for p in people)
                )
            self.person_ids[key] = next(iter(ids))
        rest = {by_key[k].authority_key: k for k in keys if k not in candidates}
        for chunk in chunks(list(rest)):
            rows = self.session.execute(
                select(Person.authority_key, Person.id).where(Person.authority_key.in_(chunk))
            )
            for authority_key, person_id in rows:
                self.person_ids[rest[authority_key]] = person_id
        missing = [i for i in set(self.person_ids.values()) if i not in self.primaries]
        for chunk in chunks(missing):
            primaries = self.session.execute(
                select(Person.id, Person.family, Person.given, Person.prefix, Person.suffix).where(
                    Person.id.in_(chunk)
                )
            )
            for person_id, family, given, prefix, suffix in primaries:
                self.primaries[person_id] = (family, given, prefix, suffix)

    def _given(self, name: names.Name | int, person_id: int) -> list[str | None] | None:
        """The entry's spelling where it differs from the person's primary name."""
        from .catalogue import name_as_given

        if isinstance(name, int):
            return None
        return name_as_given(self.primaries[person_id], name)

    def _known_person(self, name: names.Name | int) -> int | None:
        return name if isinstance(name, int) else self.person_ids.get(name.match_key)

    def _create_people(self, wanted: Iterable[names.Name]) -> None:
        """One new person per authority key among names no one in the catalogue bears."""
        from .catalogue import person_name_row

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

    # ------------------------------------------------------------------ publishers

    def _publishers(self, texts: Iterable[str | None]) -> None:
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

    def _publisher(self, text: str | None) -> int | None:
        return self.publisher_ids[names.fold(text)] if text and text.strip() else None

    # ------------------------------------------------------------------ works

    def _catalogued_works(self, title_keys: Iterable[str]) -> _WorkIndex:
        index = _WorkIndex()
        keys = sorted(set(title_keys))
        works: list[tuple[int, str, int | None]] = []
        for chunk in chunks(keys):
            works += self.session.execute(
                select(Work.id, Work.title_key, Work.year).where(Work.title_key.in_(chunk))
            )
        first: dict[int, int] = {}
        for chunk in chunks([w[0] for w in works]):
            rows = self.session.execute(
                select(Contribution.work_id, Contribution.person_id)
                .where(Contribution.work_id.in_(chunk), Contribution.role == "author")
                .order_by(Contribution.work_id, Contribution.position)
            )
            for work_id, person_id in rows:
                first.setdefault(work_id, person_id)  # type: ignore[arg-type]
        for work_id, title_key, year in sorted(works):
            index.found[title_key].append((work_id, year, first.get(work_id)))
        return index

    # ------------------------------------------------------------------ the import

    def run(
        self, records: Sequence[EditionRecord], report: Any, progress: Callable[[int], None] | None
    ) -> None:
        from .catalogue import (
            edition_extra,
            identifier_values,
            key_stem,
            keyword_rows,
            publisher_as_given,
            stored_language,
            unique_people,
            update_work,
        )

        people = [
            [self._name(n) for n in (*r.authors, *r.translators, *r.editors)] for r in records
        ]
        parsed = [n for row in people for n in row if isinstance(n, names.Name)]
        self._look_up_people(parsed)
        title_keys = [names.fold(r.original.title) if r.original else "" for r in records]
        works = self._catalogued_works(k for k in title_keys if k)

        if self.on_duplicate != "update":
            keep = self._not_duplicates(records, people, title_keys, works, report, progress)
            records = [records[i] for i in keep]
            people = [people[i] for i in keep]
            title_keys = [title_keys[i] for i in keep]
            parsed = [n for row in people for n in row if isinstance(n, names.Name)]
        self._create_people(parsed)
        self._publishers(
            t for r in records for t in (r.publisher, r.original.publisher if r.original else None)
        )

        person_ids = [
            [n if isinstance(n, int) else self.person_ids[n.match_key] for n in row]
            for row in people
        ]

        # Works, in entry order: found (catalogued or new in this import) or created.
        new_works: list[_NewWork] = []
        work_of: list[Any] = []
        search_texts: list[str] = []
        for record, ids, names_, title_key in zip(
            records, person_ids, people, title_keys, strict=True
        ):
            authors = ids[: len(record.authors)]
            work: Any = None
            original = record.original
            if original is not None:
                year = year_of(original.date)
                wanted = unique_people(
                    [
                        ("author" if i == 0 else "coauthor", p, self._given(names_[i], p))
                        for i, p in enumerate(authors)
                    ]
                )
                first_author = authors[0] if authors else None
                work = works.find(title_key, year, first_author)
                facts = {
                    "subtitle": original.subtitle,
                    "language": stored_language(original.language),
                    "date": original.date,
                    "year": year,
                    "place": original.place,
                    "publisher_id": self._publisher(original.publisher),
                    "form": original.form,
                    "annotation": original.annotation or None,
                    "notes": original.notes,
                }
                if work is None:
                    work = _NewWork(
                        {"title": original.title, "title_key": title_key, **facts},
                        wanted,
                        wanted[0][1] if wanted else None,
                    )
                    stem_family = self.primaries[authors[0]][0] if authors else None
                    work.row["key"] = key_stem(stem_family, year, original.title)
                    new_works.append(work)
                    works.found[title_key].append((work, year, work.first_author))
                elif isinstance(work, _NewWork):
                    work.row.update({k: v for k, v in facts.items() if v is not None})
                    if wanted:
                        work.authors = wanted
                        self._set_first_author(works, title_key, work, wanted[0][1])
                else:
                    catalogued = self.session.get(Work, work)
                    assert catalogued is not None
                    update_work(self.session, self.resolver, catalogued, original, record.authors)
                    if wanted:
                        self._set_first_author(works, title_key, work, wanted[0][1])
                    work = catalogued
            texts = [record.title, record.subtitle, record.annotation, *record.also_published_as]
            if isinstance(work, _NewWork):
                texts += [work.row["title"], work.row["subtitle"], work.row["annotation"]]
            elif work is not None:
                texts += [work.title, work.subtitle, work.annotation]
            search_texts.append(names.search_text(texts))
            work_of.append(work)

        keys = allocate_keys(self.session, Work, [w.row["key"] for w in new_works])
        for work, key in zip(new_works, keys, strict=True):
            work.row["key"] = key
        work_ids = insert_with_ids(self.session, Work, [w.row for w in new_works])
        contributions: list[dict[str, Any]] = []
        for work, new_id in zip(new_works, work_ids, strict=True):
            work.id = new_id
            contributions += [
                {
                    "work_id": new_id,
                    "person_id": p,
                    "role": role,
                    "position": i,
                    "name_as_given": given,
                }
                for i, (role, p, given) in enumerate(work.authors)
            ]
        insert_rows(self.session, Contribution, contributions)

        # Editions, a batch at a time.
        for batch in chunks(range(len(records))):
            rows = []
            for i in batch:
                record, work = records[i], work_of[i]
                rows.append(
                    {
                        "key": record.key,
                        "entry_type": record.entry_type,
                        "work_id": work.id if work is not None else None,
                        "title": record.title,
                        "title_key": names.fold(record.title),
                        "subtitle": record.subtitle,
                        "date": record.date,
                        "year": year_of(record.date),
                        "place": record.place,
                        "publisher_id": (publisher_id := self._publisher(record.publisher)),
                        "publisher_as_given": publisher_as_given(
                            record.publisher,
                            self.publisher_names.get(publisher_id) if publisher_id else None,
                        ),
                        "language": stored_language(record.language),
                        "series": record.series,
                        "journal": record.journal,
                        "volume": record.volume,
                        "number": record.number,
                        "translator_status": record.translator_status
                        or ("named" if record.translators else "unknown"),
                        "form": record.form,
                        "section": record.section,
                        "annotation": record.annotation or None,
                        "notes": record.notes,
                        "extra": edition_extra(record),
                        **identifier_values(record),
                        "search_text": search_texts[i],
                    }
                )
            edition_ids = insert_with_ids(self.session, Edition, rows)
            contributions = []
            alternates = []
            keywords: list[dict[str, Any]] = []
            for i, edition_id in zip(batch, edition_ids, strict=True):
                record, ids, given = records[i], person_ids[i], people[i]
                n_authors = len(record.authors)
                # Authors are the work's where there is one: the edition's credits start after.
                start = n_authors if work_of[i] is not None else 0
                roles = (["author"] + ["coauthor"] * n_authors)[: n_authors - start]
                roles += ["translator"] * len(record.translators) + ["editor"] * len(record.editors)
                wanted = [
                    (role, ids[j], self._given(given[j], ids[j]))
                    for j, role in enumerate(roles, start)
                ]
                contributions += [
                    {
                        "edition_id": edition_id,
                        "person_id": p,
                        "role": role,
                        "position": j,
                        "name_as_given": as_given,
                    }
                    for j, (role, p, as_given) in enumerate(unique_people(wanted))
                ]
                alternates += [
                    {"edition_id": edition_id, "position": j, "title": title}
                    for j, title in enumerate(record.also_published_as)
                ]
                keywords += keyword_rows(edition_id, record.keywords)
                report.created += 1
                report.keys.append(record.key)
                if progress:
                    progress(1)
            insert_rows(self.session, Contribution, contributions)
            insert_rows(self.session, AlternateTitle, alternates)
            insert_rows(self.session, Keyword, keywords)

    @staticmethod
    def _set_first_author(works: _WorkIndex, title_key: str, work: Any, person_id: int) -> None:
        entries = works.found[title_key]
        for i, (candidate, year, _first) in enumerate(entries):
            if candidate is work:
                entries[i] = (candidate, year, person_id)

    def _not_duplicates(
        self,
        records: Sequence[EditionRecord],
        people: Sequence[Sequence[names.Name | int]],
        title_keys: Sequence[str],
        works: _WorkIndex,
        report: Any,
        progress: Callable[[int], None] | None,
    ) -> list[int]:
        """Indexes of the records that are not already catalogued under another key (same
        title, year and original, as ``catalogue.find_existing`` decides); the others are
        skipped or refused, as ``on_duplicate`` says."""
        candidates = [i for i, r in enumerate(records) if r.title and r.date]
        edition_keys = sorted({names.fold(records[i].title) for i in candidates})
        catalogued: dict[tuple[str, int | None, int | None], str] = {}
        this_import = set(report.keys)
        for chunk in chunks(edition_keys):
            rows = self.session.execute(
                select(Edition.title_key, Edition.year, Edition.work_id, Edition.key)
                .where(Edition.title_key.in_(chunk))
                .order_by(Edition.id)
            )
            for title_key, year, of_work, key in rows:
                if key not in this_import:
                    catalogued.setdefault((title_key, year, of_work), key)
        duplicates: dict[int, str] = {}
        if catalogued:
            for i in candidates:
                record = records[i]
                work_id: int | None = None
                if record.original is not None:
                    first = self._known_person(people[i][0]) if record.authors else None
                    if record.authors and first is None:
                        continue  # a new author: nothing of theirs is catalogued yet
                    found = works.find(title_keys[i], year_of(record.original.date), first)
                    if found is None:
                        continue
                    work_id = found
                found_key = catalogued.get(
                    (names.fold(record.title), year_of(record.date), work_id)
                )
                if found_key is not None:
                    duplicates[i] = found_key
        for i, key in sorted(duplicates.items()):
            if self.on_duplicate == "error":
                record = records[i]
                raise InvalidValue(
                    f"entry {record.key or record.title!r} is already in the catalogue as "
                    f"'{key}' (use --on-duplicate skip or update)"
                )
            report.skipped += 1
            report.duplicates.append(key)
            if progress:
                progress(1)
        return [i for i in range(len(records)) if i not in duplicates]
