"""New editions written in bulk: the part of an import that adds what the catalogue lacks.

``catalogue.import_records`` sends here every entry whose citation key the catalogue does not
have yet (most of any import, all of a first one); the entries it must compare with rows one
by one (known keys, entries without a key) it updates itself. Both find people, publishers,
works and duplicates through ``biblio.matching``, by the same rules. Here the catalogue is read
with one query per few hundred names, titles or keys, and written with one multi-row INSERT
per table. Works the catalogue already had are updated through the ORM, one by one
(``update_work``): that is the rare case (an import adding translations of catalogued
originals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import history, names, search_names
from .errors import InvalidValue
from .matching import (
    NEW_PERSON,
    Matcher,
    WorkIndex,
    allocate_keys,
    catalogued_editions,
    catalogued_works,
    chunks,
    edition_extra,
    identifier_values,
    insert_rows,
    insert_with_ids,
    keyword_rows,
    parent_rows,
    publisher_as_given,
    stored_language,
)
from .models import AlternateTitle, Contribution, Edition, EditionParent, Keyword, Work
from .records import EditionRecord, OriginalRecord, key_stem, year_of

UpdateWork = Callable[[Session, Matcher, Work, OriginalRecord, Sequence[Any]], bool]
"""``catalogue.update_work``: brings a record's facts into a catalogued work."""


@dataclass(eq=False)
class _NewWork:
    """A work this import creates: its row, its authors, the title key it is found by."""

    row: dict[str, Any]
    authors: list[tuple[str, int, Any]]  # role, person id, the name as given
    first_author: int | None
    id: int | None = None


class BulkImport:
    """Writes new editions (keys the catalogue does not have) in bulk; see the module doc."""

    def __init__(
        self, session: Session, matcher: Matcher, on_duplicate: str, update_work: UpdateWork
    ) -> None:
        self.session = session
        self.matcher = matcher
        self.on_duplicate = on_duplicate
        self.update_work = update_work

    # ------------------------------------------------------------------ the import

    def run(
        self, records: Sequence[EditionRecord], report: Any, progress: Callable[[int], None] | None
    ) -> None:
        """Write ``records`` (keys the catalogue lacks), counting them in ``report``. Each
        edition's name text is written exact, and not checked again at the commit
        (``history.names_written``)."""
        with history.names_written(self.session) as exact:
            self._run(records, report, progress, exact)

    def _run(
        self,
        records: Sequence[EditionRecord],
        report: Any,
        progress: Callable[[int], None] | None,
        exact: set[int],
    ) -> None:
        matcher = self.matcher
        people = [
            [matcher.name(n) for n in (*r.authors, *r.translators, *r.editors)] for r in records
        ]
        parsed = [n for row in people for n in row if isinstance(n, names.Name)]
        matcher.look_up_people(parsed)
        title_keys = [names.fold(r.original.title) if r.original else "" for r in records]
        works = catalogued_works(self.session, (k for k in title_keys if k))

        if self.on_duplicate != "update":
            keep = self._not_duplicates(records, people, title_keys, works, report, progress)
            records = [records[i] for i in keep]
            people = [people[i] for i in keep]
            title_keys = [title_keys[i] for i in keep]
            parsed = [n for row in people for n in row if isinstance(n, names.Name)]
        matcher.create_people(parsed)
        matcher.publishers(
            t for r in records for t in (r.publisher, r.original.publisher if r.original else None)
        )

        person_ids = [
            [n if isinstance(n, int) else matcher.person_ids[n.match_key] for n in row]
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
                wanted: list[tuple[str, int, Any]] = [
                    ("author" if i == 0 else "coauthor", p, matcher.as_given(names_[i], p))
                    for i, p in enumerate(authors)
                ]
                first_author = authors[0] if authors else None
                work = works.find(title_key, year, first_author)
                facts = {
                    "subtitle": original.subtitle,
                    "language": stored_language(original.language),
                    "date": original.date,
                    "year": year,
                    "place": original.place,
                    "publisher_id": matcher.publisher(original.publisher),
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
                    stem_family = matcher.primaries[authors[0]][0] if authors else None
                    work.row["key"] = key_stem(stem_family, year, original.title)
                    new_works.append(work)
                    works.found[title_key].append((work, year, work.first_author))
                elif isinstance(work, _NewWork):
                    work.row.update({k: v for k, v in facts.items() if v is not None})
                    if wanted:
                        work.authors = wanted
                        works.set_first_author(title_key, work, wanted[0][1])
                else:
                    catalogued = self.session.get(Work, work)
                    assert catalogued is not None
                    self.update_work(self.session, matcher, catalogued, original, record.authors)
                    if wanted:
                        works.set_first_author(title_key, work, wanted[0][1])
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

        # The names search finds each edition by (its people's, its original's, its
        # publisher's), written with it, exact: every work's authors are final by now (a later
        # entry may have given a new work more), and so are the names of everyone credited.
        publisher_of = [matcher.publisher(r.publisher) for r in records]
        self.session.flush()  # the names of catalogued works' new authors (update_work)
        people_keys, publisher_keys, work_keys = search_names.name_keys(
            self.session.connection(),
            {p for row in person_ids for p in row},
            {p for p in publisher_of if p is not None},
            {w.id for w in work_of if isinstance(w, Work)},
        )

        def name_text(i: int) -> str:
            work, publisher = work_of[i], publisher_of[i]
            keys = [k for p in person_ids[i] for k in people_keys[p]]
            keys += publisher_keys[publisher] if publisher is not None else []
            if isinstance(work, Work):
                keys += work_keys[work.id]
            elif work is not None:
                keys += [k for _, p, _ in work.authors for k in people_keys[p]]
            return search_names.name_text(keys)

        # Editions, a batch at a time.
        with _text_index_after(self.session):
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
                            "publisher_id": (publisher_id := publisher_of[i]),
                            "publisher_as_given": publisher_as_given(
                                record.publisher,
                                matcher.publisher_names.get(publisher_id) if publisher_id else None,
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
                            "name_text": name_text(i),
                        }
                    )
                edition_ids = insert_with_ids(self.session, Edition, rows)
                exact.update(edition_ids)
                contributions = []
                alternates = []
                keywords: list[dict[str, Any]] = []
                parents: list[dict[str, Any]] = []
                for i, edition_id in zip(batch, edition_ids, strict=True):
                    record, ids, given = records[i], person_ids[i], people[i]
                    n_authors = len(record.authors)
                    # Authors are the work's where there is one: the edition's credits start after.
                    start = n_authors if work_of[i] is not None else 0
                    roles = (["author"] + ["coauthor"] * n_authors)[: n_authors - start]
                    roles += ["translator"] * len(record.translators) + ["editor"] * len(
                        record.editors
                    )
                    wanted = [
                        (role, ids[j], matcher.as_given(given[j], ids[j]))
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
                        for j, (role, p, as_given) in enumerate(wanted)
                    ]
                    alternates += [
                        {"edition_id": edition_id, "position": j, "title": title}
                        for j, title in enumerate(record.also_published_as)
                    ]
                    keywords += keyword_rows(edition_id, record.keywords)
                    parents += parent_rows(edition_id, record)
                    report.created += 1
                    report.keys.append(record.key)
                    if progress:
                        progress(1)
                insert_rows(self.session, Contribution, contributions)
                insert_rows(self.session, AlternateTitle, alternates)
                insert_rows(self.session, Keyword, keywords)
                insert_rows(self.session, EditionParent, parents)

    def _not_duplicates(
        self,
        records: Sequence[EditionRecord],
        people: Sequence[Sequence[names.Name | int]],
        title_keys: Sequence[str],
        works: WorkIndex,
        report: Any,
        progress: Callable[[int], None] | None,
    ) -> list[int]:
        """Indexes of the records that are not already catalogued under another key (same
        title, year and original, or first credited person, as ``catalogue.find_existing``
        decides); the others are skipped or refused, as ``on_duplicate`` says."""
        candidates = [
            i for i, r in enumerate(records) if r.title and (r.date or r.authors or r.editors)
        ]
        catalogued = catalogued_editions(
            self.session, (names.fold(records[i].title) for i in candidates)
        )
        this_import = set(report.keys)
        duplicates: dict[int, str] = {}
        for i in candidates if catalogued.found else ():
            record = records[i]
            work_id: int | None = None
            first_person: int | None = None
            if record.original is None and (record.authors or record.editors):
                at = 0 if record.authors else len(record.translators)
                known = self.matcher.known_person(people[i][at])
                first_person = NEW_PERSON if known is None else known
            if record.original is not None:
                first = self.matcher.known_person(people[i][0]) if record.authors else None
                if record.authors and first is None:
                    continue  # a new author: nothing of theirs is catalogued yet
                found = works.find(title_keys[i], year_of(record.original.date), first)
                if found is None:
                    continue
                work_id = found
            found_key = catalogued.find(
                names.fold(record.title),
                year_of(record.date),
                work_id,
                record.doi,
                skip=this_import,
                first_person=first_person,
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


@contextmanager
def _text_index_after(session: Session) -> Iterator[None]:
    """On SQLite, the editions written inside enter the full-text index (FTS5 ``edition_fts``)
    in one INSERT ... SELECT when it ends, instead of through the row trigger: 100,000 new
    editions took 5 s through the trigger, 0.9 s this way (measured on the generated
    benchmark file). The trigger is dropped for the while and put back as the catalogue had
    it, inside this transaction (SQLite's schema changes are transactional and the write lock
    is held), so no other connection ever sees it missing. Every edition above the largest id
    at the start is new (ids are never given twice). On an error the rows written so far are
    indexed and the trigger put back all the same, in case the caller goes on; a catalogue
    without the trigger, or on PostgreSQL (whose index is a column of the row), is left as it
    is."""
    connection = session.connection()
    found = None
    if connection.dialect.name == "sqlite":
        session.flush()  # what the ORM holds goes in through the trigger
        found = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
            {"n": _FTS_INSERT},
        ).scalar()
    if found is None:
        yield
        return
    indexed = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(edition_fts)")]
    columns = ", ".join(indexed)
    largest = connection.execute(text("SELECT coalesce(max(id), 0) FROM edition")).scalar()
    connection.exec_driver_sql(f"DROP TRIGGER {_FTS_INSERT}")

    def catch_up() -> None:
        session.flush()
        connection.execute(
            text(
                f"INSERT INTO edition_fts(rowid, {columns}) "  # noqa: S608 (names of the schema)
                f"SELECT id, {columns} FROM edition WHERE id > :largest"
            ),
            {"largest": largest},
        )
        connection.exec_driver_sql(found)

    try:
        yield
    except BaseException:
        with suppress(Exception):  # the caller rolls back: this only keeps the index whole
            catch_up()
        raise
    catch_up()


_FTS_INSERT = "edition_fts_insert"
"""The trigger that indexes each new edition (migrations 0011 and 0015)."""
