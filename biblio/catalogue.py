"""Writes to the catalogue: people, publishers, works and editions from plain records.

``import_records`` is the one path by which entries enter the catalogue, for the seed and for a
user's import alike. It resolves names to person records (one person per name authority,
variants included), publishers to one record per publisher, originals to works, and gives each
new edition a readable, unique, stable citation key. Re-importing the same records changes
nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import history, names
from .bulk import BulkImport
from .errors import InvalidValue
from .export.tex import bib_inner, canonical, kept_value
from .inheritance import cleared, inherit_from_parents, parents_of
from .matching import (
    NEW_PERSON,
    Matcher,
    allocate_keys,
    catalogued_editions,
    catalogued_works,
    chunks,
    edition_extra,
    identifier_values,
    person_name_row,
    publisher_as_given,
    stored_language,
)
from .models import (
    AlternateTitle,
    BibBlock,
    Contribution,
    Edition,
    EditionParent,
    Keyword,
    Person,
    PersonName,
    Work,
)
from .queries import edition_record, get_edition
from .records import EditionRecord, OriginalRecord, PersonRecord, key_stem, year_of

ON_DUPLICATE = ("skip", "update", "error")
"""What an import does with an entry already in the catalogue (same key, or same title, year
and original): leave the catalogue's version alone (the default: a librarian's corrections are
never overwritten by someone else's file), update it from the file, or refuse the import."""


@dataclass
class ImportReport:
    """What an import did: counts of editions created, updated, unchanged and skipped."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    keys: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    rekeyed: list[tuple[str, str, str]] = field(default_factory=list)
    """(key in the file, key given, why): entries whose key the catalogue gives to another
    work, imported under a new key."""
    changes: list[FieldChange] = field(default_factory=list)
    inherited: list[str] = field(default_factory=list)
    """Catalogued editions (not in the import) given what they now inherit from a
    ``crossref`` or ``xdata`` parent the import brought or changed."""

    def summary(self) -> str:
        """One line: "3 created, 1 updated, 0 unchanged, 2 skipped as duplicates"."""
        line = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped as duplicates"
        )
        if self.rekeyed:
            line += f", {len(self.rekeyed)} under a new key (their key is another work's)"
        if self.conflicts:
            line += f", {len(self.conflicts)} values changed that differed"
        if self.inherited:
            line += f", {len(self.inherited)} catalogued children given what they now inherit"
        return line


@dataclass
class Conflict:
    """A field an update changed from one value to another (not filled in where empty)."""

    key: str
    field: str
    catalogue: str
    incoming: str


@dataclass
class FieldChange:
    """One field of one record as an import changed (or, in a dry run, would change) it."""

    record: str
    field: str
    before: Any
    after: Any


def _free_key(
    session: Session, model: type[Edition] | type[Work], stem: str, reserved: Iterable[str] = ()
) -> str:
    return allocate_keys(session, model, [stem], reserved)[0]


def upsert_person(session: Session, record: PersonRecord, matcher: Matcher) -> Person:
    """Find or create the person named by ``record``, adding its variant names and note."""
    person = session.get(Person, matcher.person(record.name))
    assert person is not None
    known = {n.match_key for n in person.names}
    for variant in record.variants:
        name = names.parse_name(variant)
        if name.match_key not in known:
            person.names.append(PersonName(**person_name_row(name, "variant")))
            known.add(name.match_key)
        matcher.person_ids.setdefault(name.match_key, person.id)
    if record.note and person.note != record.note:
        person.note = record.note
    return person


def _set(obj: object, values: Mapping[str, object]) -> bool:
    changed = False
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


def _credit(matcher: Matcher, role: str, text: str | names.Name) -> tuple[str, int, Any]:
    name = matcher.name(text)
    person_id = matcher.person(name) if isinstance(name, names.Name) else name
    return role, person_id, matcher.as_given(name, person_id)


def _set_contributions(
    target: Work | Edition, wanted: Sequence[tuple[str, int, Any]], roles: Iterable[str]
) -> bool:
    roles = set(roles)
    current = sorted(
        (c.position, c.role, c.person_id, c.name_as_given)
        for c in target.contributions
        if c.role in roles
    )  # positions are unique: one order
    if [tuple(c[1:]) for c in current] == [tuple(w) for w in wanted]:
        return False
    session = Session.object_session(target)
    assert session is not None
    for contribution in [c for c in target.contributions if c.role in roles]:
        target.contributions.remove(contribution)
    session.flush()
    for role, person, given in wanted:
        target.contributions.append(
            Contribution(
                person_id=person,
                role=role,
                position=len(target.contributions),
                name_as_given=given,
            )
        )
    return True


def _authors(matcher: Matcher, people: Sequence[str | names.Name]) -> list[tuple[str, int, Any]]:
    return [
        _credit(matcher, "author" if i == 0 else "coauthor", name) for i, name in enumerate(people)
    ]


def _find_work(session: Session, record: OriginalRecord, first_author: int | None) -> Work | None:
    title_key = names.fold(record.title)
    found = catalogued_works(session, [title_key]).find(
        title_key, year_of(record.date), first_author
    )
    return session.get(Work, found) if found is not None else None


def upsert_work(
    session: Session,
    matcher: Matcher,
    record: OriginalRecord,
    authors: Sequence[str | names.Name],
    work: Work | None = None,
) -> tuple[Work, bool]:
    """Find the original work (same title, year and first author) or create it, and bring
    in the record's facts.

    A work found this way is another edition's original too, so only the facts the record
    gives are set: a second translation imported without an annotation of its original does
    not erase the one the catalogue has. ``work`` names the work to rewrite whole instead (an
    edition's own original, corrected by ``biblio edit``).
    """
    wanted = _authors(matcher, authors)
    replace_all = work is not None
    if work is None:
        work = _find_work(session, record, wanted[0][1] if wanted else None)
    created = work is None
    if work is None:
        family = matcher.primaries[wanted[0][1]][0] if wanted else None
        stem = key_stem(family, year_of(record.date), record.title)
        work = Work(key=_free_key(session, Work, stem), title=record.title)
        session.add(work)
        replace_all = True
    changed = _bring_in(session, matcher, work, record, wanted, replace_all)
    return work, created or changed


def update_work(
    session: Session,
    matcher: Matcher,
    work: Work,
    record: OriginalRecord,
    authors: Sequence[str | names.Name],
) -> bool:
    """Bring into a work found as ``record``'s original the facts the record gives (see
    ``upsert_work``); whether anything changed."""
    return _bring_in(session, matcher, work, record, _authors(matcher, authors), False)


def _bring_in(
    session: Session,
    matcher: Matcher,
    work: Work,
    record: OriginalRecord,
    wanted: Sequence[tuple[str, int, Any]],
    replace_all: bool,
) -> bool:
    facts = {
        "title": record.title,
        "subtitle": record.subtitle,
        "language": stored_language(record.language),
        "date": record.date,
        "year": year_of(record.date),
        "place": record.place,
        "publisher_id": matcher.publisher(record.publisher),
        "form": record.form,
        "annotation": record.annotation or None,
        "notes": record.notes,
        "qid": record.qid,
    }
    if not replace_all:
        facts = {attr: value for attr, value in facts.items() if value is not None}
        del facts["title"]  # found by its title: the catalogue's spelling stands
    changed = _set(work, facts)
    session.flush()
    if replace_all or wanted:
        changed |= _set_contributions(work, wanted, ("author", "coauthor"))
    return changed


def _find_edition(session: Session, record: EditionRecord) -> Edition | None:
    """The edition ``record`` is, by its key. A record without one is a new edition: whether
    it duplicates a catalogued one is ``find_existing``'s to say, before (an update gives the
    record the key of the edition it updates). Matching it again here by title and year
    rewrote another entry's edition: two RIS editorials of one title and year, by other
    authors in other journals, became one."""
    if not record.key:
        return None
    return session.scalar(select(Edition).where(Edition.key == record.key))


def _edition_like(
    session: Session,
    record: EditionRecord,
    work_id: int | None,
    skip: Container[str] = (),
    first_person: int | None = None,
) -> Edition | None:
    title_key = names.fold(record.title)
    key = catalogued_editions(session, [title_key]).find(
        title_key, year_of(record.date), work_id, record.doi, skip, first_person
    )
    return session.scalar(select(Edition).where(Edition.key == key)) if key else None


def upsert_edition(
    session: Session,
    matcher: Matcher,
    record: EditionRecord,
    own_work: Work | None = None,
    publisher_typed: bool = False,
    keep_roles: Iterable[str] = (),
    current_work: Work | None = None,
) -> tuple[Edition, str]:
    """Create or update one edition and its original: "created", "updated" or "unchanged".
    ``own_work``: the edition's current original, to be rewritten whole (see upsert_work).
    ``publisher_typed``: the publisher was typed by a librarian to pick a catalogued one
    ("DOUBLEDÂY"), so the record's spelling stands; else an entry's own spelling is kept.
    ``keep_roles``: roles ("author", "translator", "editor") whose credits stay as they are
    (an update from an entry that names none). ``current_work``: the work the edition has,
    which the record's original is (an update): it takes the facts the record gives, found
    as it is even where the entry lists its authors in another order."""
    work, work_changed = (None, False)
    if record.original is not None and current_work is not None and own_work is None:
        work = current_work
        work_changed = update_work(session, matcher, work, record.original, record.authors)
    elif record.original is not None:
        work, work_changed = upsert_work(
            session, matcher, record.original, record.authors, own_work
        )
    edition = _find_edition(session, record)
    outcome = "unchanged"
    if edition is None:
        outcome = "created"
        if record.key:
            key = record.key
        else:
            credited = record.authors or record.editors  # an editor names an anthology
            first = matcher.primaries[matcher.person(credited[0])][0] if credited else None
            stem = key_stem(first, year_of(record.date), record.title)
            key = _free_key(session, Edition, stem, matcher.reserved_keys)
        edition = Edition(key=key, title=record.title)
        session.add(edition)
    status = record.translator_status or ("named" if record.translators else "unknown")
    changed = _set(
        edition,
        {
            "entry_type": record.entry_type,
            "work": work,
            "title": record.title,
            "subtitle": record.subtitle,
            "date": record.date,
            "year": year_of(record.date),
            "place": record.place,
            "publisher_id": (publisher := matcher.publisher(record.publisher)),
            "publisher_as_given": None
            if publisher_typed
            else publisher_as_given(
                record.publisher, matcher.publisher_names[publisher] if publisher else None
            ),
            "language": stored_language(record.language),
            "series": record.series,
            "journal": record.journal,
            "volume": record.volume,
            "number": record.number,
            "translator_status": status,
            "form": record.form,
            "section": record.section,
            "annotation": record.annotation or None,
            "notes": record.notes,
            "extra": edition_extra(record),
            "qid": record.qid,
            **identifier_values(record),
        },
    )
    session.flush()
    people = [] if work is not None else _authors(matcher, record.authors)
    people += [_credit(matcher, "translator", n) for n in record.translators]
    people += [_credit(matcher, "editor", n) for n in record.editors]
    kept = set(keep_roles) | ({"coauthor"} if "author" in keep_roles else set())
    roles = [r for r in ("author", "coauthor", "translator", "editor") if r not in kept]
    people = [p for p in people if p[0] in roles]
    changed |= _set_contributions(edition, people, roles)
    if [t.title for t in edition.alternate_titles] != record.also_published_as:
        edition.alternate_titles.clear()
        session.flush()
        edition.alternate_titles.extend(
            AlternateTitle(title=t, position=i) for i, t in enumerate(record.also_published_as)
        )
        changed = True
    if [k.keyword for k in edition.keywords] != record.keywords:
        edition.keywords.clear()
        session.flush()
        edition.keywords.extend(
            Keyword(keyword=k, keyword_key=names.fold(k), position=i)
            for i, k in enumerate(record.keywords)
        )
        changed = True
    parents = parents_of(record)
    if [p.parent_key for p in edition.parents] != parents:
        edition.parents.clear()
        session.flush()
        edition.parents.extend(
            EditionParent(parent_key=key, position=i) for i, key in enumerate(parents)
        )
        changed = True
    texts = [edition.title, edition.subtitle, edition.annotation, *record.also_published_as]
    if work is not None:
        texts += [work.title, work.subtitle, work.annotation]
    changed |= _set(edition, {"search_text": names.search_text(texts)})
    if outcome == "unchanged" and (changed or work_changed):
        outcome = "updated"
    return edition, outcome


def import_records(
    session: Session,
    people: Sequence[PersonRecord],
    entries: Sequence[EditionRecord],
    on_duplicate: str = "update",
    progress: Callable[[int], None] | None = None,
    kind: str = "import",
) -> ImportReport:
    """Bring people and editions into the catalogue inside the caller's transaction.

    Every record is validated first, so a bad one raises InvalidValue before anything is
    written; an error later rolls the caller's transaction back. An edition already catalogued
    (same key, or same title, year and original) is handled as ``on_duplicate`` says
    (see ON_DUPLICATE; the seed updates). ``progress(n)`` is called as entries are done.
    The history records it as one change of ``kind`` ("import", or "seed").

    One pipeline for every format and size: people, publishers, works and duplicates are
    found by ``biblio.matching``'s rules. Entries with a key the catalogue does not have yet
    (most of any import) are written in bulk (``biblio.bulk``); the others, which must be
    compared with a catalogued edition (a known key, no key, a key given twice), one by one.
    A big import refreshes PostgreSQL's planner statistics in the same transaction
    (``db.refresh_statistics``), whoever called it.
    """
    from .db import BIG_WRITE, refresh_statistics
    from .queries import gc_paused

    history.name(session, kind)
    with gc_paused():  # records and rows form no cycles: nothing for the collector to find
        report = _import_records(session, people, entries, on_duplicate, progress)
    if report.created + report.updated >= BIG_WRITE:
        refresh_statistics(session)
    return report


def _import_records(
    session: Session,
    people: Sequence[PersonRecord],
    entries: Sequence[EditionRecord],
    on_duplicate: str,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    for i, entry in enumerate(entries):
        entry.validate(f"entry {i + 1} ({entry.key or entry.title!r})", require_title=False)
        for name in [*entry.authors, *entry.translators, *entry.editors]:
            if not isinstance(name, names.Name):
                names.parse_name(name)
        for value in (entry.language, entry.original.language if entry.original else None):
            stored_language(value)
    store_bib_blocks(session, entries)
    matcher = Matcher(session)
    for person in people:
        upsert_person(session, person, matcher)
    report = ImportReport()
    # New keys go the bulk way (biblio.bulk), after the entries that need the catalogue's
    # current rows one by one: known keys, entries without a key, a key given twice.
    counts = Counter(entry.key for entry in entries if entry.key)
    known = _catalogued_keys(session, list(counts))
    fresh = {key for key, count in counts.items() if count == 1 and key not in known}
    new_entries = [entry for entry in entries if entry.key in fresh]
    matcher.reserved_keys = fresh
    orphans = False  # an update moved an edition to another original
    for entry in entries:
        if entry.key in fresh:
            continue
        # An entry without a key may be one given earlier in this import (an export that
        # lists a record twice); an entry with a key is told apart from the others by it.
        existing = find_existing(session, matcher, entry, skip=report.keys if entry.key else ())
        keep_roles: set[str] = set()
        current_work: Work | None = None
        current: EditionRecord | None = None  # the catalogue's record of ``existing``
        if existing is not None and entry.key == existing.key:
            current = edition_record(session, existing.key)
            why = key_clash(session, matcher, current, entry)
            if why is not None:
                # Another work's key: the entry is the edition it matches by title, year and
                # original, if one is catalogued, else a new one under a key of its own.
                existing = find_existing(
                    session, matcher, replace(entry, key=None), skip=report.keys
                )
                current = None
                if existing is None:
                    taken = matcher.reserved_keys | set(report.keys)
                    new_key = _free_key(session, Edition, entry.key, taken)
                    report.rekeyed.append((entry.key, new_key, why))
                    entry = replace(entry, key=new_key)
        if existing is not None:
            if on_duplicate == "error":
                raise InvalidValue(
                    f"entry {entry.key or entry.title!r} is already in the catalogue as "
                    f"'{existing.key}' (use --on-duplicate skip or update)"
                )
            if on_duplicate == "skip":
                report.skipped += 1
                report.duplicates.append(existing.key)
                if progress:
                    progress(1)
                continue
            if current is None:
                current = edition_record(session, existing.key)
            entry, keep_roles, conflicts = merge_records(session, matcher, current, entry)
            report.conflicts += conflicts
            same = (
                existing.work is not None
                and entry.original is not None
                and (names.fold(entry.original.title) == names.fold(existing.work.title))
            )
            current_work = existing.work if same else None
            orphans |= any(c.field == "original" for c in conflicts)
        edition, outcome = upsert_edition(
            session, matcher, entry, keep_roles=keep_roles, current_work=current_work
        )
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.keys.append(edition.key)
        if progress:
            progress(1)
    if new_entries:
        session.flush()
        BulkImport(session, matcher, on_duplicate, update_work).run(new_entries, report, progress)
    report.inherited = _inherit_apart(session, entries, report.keys)
    if orphans:
        remove_orphan_works(session)
    for _record, label, before, after in history.pending_updates(session):
        for name in before:
            if name not in ("search_text", "title_key"):
                report.changes.append(FieldChange(label, name, before[name], after.get(name)))
    return report


def _inherit_apart(
    session: Session, entries: Sequence[EditionRecord], imported_keys: Sequence[str]
) -> list[str]:
    """After an import, children and parents catalogued apart: the entries whose parent came
    in an earlier import (the reader resolved them from this import's entries only), and the
    catalogued children of the editions this import wrote. Returns the keys of the catalogued
    editions, not in the import, given what they now inherit."""
    if not _names_a_parent(session):
        return []  # most catalogues, and every import without a crossref or xdata
    imported = set(imported_keys)
    outside = {  # (an entry skipped as a duplicate, or given a new key, is not under its key)
        e.key: [p for p in parents_of(e) if p not in imported] for e in entries if e.key in imported
    }
    catalogued = _catalogued_keys(session, sorted({p for ps in outside.values() for p in ps}))
    apart = [key for key, found in outside.items() if any(p in catalogued for p in found)]
    refreshed = refresh_inherited(session, imported_keys, apart, skip=imported - set(apart))
    return [key for key in refreshed if key not in imported]


INHERITANCE_REVISION = "0018"
"""The schema revision from which a catalogue's children hold what they inherit."""


def complete_upgrade(session: Session, from_revision: str | None) -> list[str]:
    """What an upgrade of a catalogue from schema ``from_revision`` leaves to do that the
    migrations cannot (they never call the code of today): before 0018 a ``crossref`` or
    ``xdata`` child held nothing it inherited, and nothing found it from its parent; it is
    given what it inherits now. Returns the keys of the editions rewritten (none for a new
    catalogue, or one already at 0018 or later)."""
    if from_revision is None or from_revision >= INHERITANCE_REVISION:
        return []
    children = session.scalars(
        select(Edition.key).join(EditionParent, EditionParent.edition_id == Edition.id).distinct()
    ).all()
    return refresh_inherited(session, (), children)


def refresh_inherited(
    session: Session,
    parents: Collection[str],
    children: Collection[str] = (),
    skip: Collection[str] = (),
) -> list[str]:
    """Give the catalogued children of the editions ``parents`` (keys), and the editions
    ``children``, what they inherit now from their catalogued ``crossref`` and ``xdata``
    parents (``biblio.inheritance``), and so on down to their own children; ``skip``: keys
    whose inheritance is already right (an import's, resolved by its reader). Returns the
    keys of the editions rewritten."""
    if not _names_a_parent(session):
        return []  # most catalogues
    matcher = Matcher(session)
    processed: set[str] = set()
    excluded = set(skip)  # the first round only: a rewritten edition's children follow
    rewritten: list[str] = []
    wanted = set(children)
    sought = set(parents)
    while wanted or sought:
        for chunk in chunks(sorted(sought)):
            wanted.update(
                session.scalars(
                    select(Edition.key)
                    .join(EditionParent, EditionParent.edition_id == Edition.id)
                    .where(EditionParent.parent_key.in_(chunk))
                )
            )
        todo = sorted(wanted - processed - excluded)
        wanted, sought, excluded = set(), set(), set()
        for key in todo:
            processed.add(key)
            record = edition_record(session, key)
            for attr, value in cleared(record.inherited).items():
                setattr(record, attr, value)
            if "translators" in record.inherited:
                record.translator_status = "unknown"
            record.inherited = []
            found = _catalogued_keys(session, parents_of(record))
            own = [edition_record(session, k) for k in parents_of(record) if k in found]
            inherit_from_parents([record, *own])
            _edition, outcome = upsert_edition(session, matcher, record)
            if outcome != "unchanged":
                rewritten.append(key)
                sought.add(key)  # its children inherit from it
    return rewritten


def _names_a_parent(session: Session) -> bool:
    """Whether any catalogued edition names a ``crossref`` or ``xdata`` parent."""
    return session.scalar(select(EditionParent.id).limit(1)) is not None


MERGED_FIELDS = (
    "title", "subtitle", "entry_type", "date", "place", "publisher", "language", "series",
    "journal", "volume", "number", "translator_status", "form", "section", "annotation",
    "notes", "pages", "doi", "isbn", "issn", "url", "abstract", "edition_statement", "note",
)  # fmt: skip
"""Edition fields an update takes from an entry that gives them, and leaves where it does not."""

ORIGINAL_FIELDS = (
    "title", "subtitle", "date", "place", "publisher", "language", "form", "annotation", "notes",
)  # fmt: skip

ROLE_FIELDS = {"author": "authors", "translator": "translators", "editor": "editors"}

#: The .bib fields (biblatex's and classic BibTeX's names) that keep what a record field
#: holds, as a .bib file spelt it.
_KEPT_AS = {
    "title": ("title",), "subtitle": ("subtitle",), "date": ("date", "year", "month"),
    "place": ("location", "address"), "publisher": ("publisher",),
    "language": ("langid", "language"), "series": ("series",),
    "journal": ("journaltitle", "journal"), "volume": ("volume",), "number": ("number",),
    "annotation": ("annotation", "annote"), "pages": ("pages",), "doi": ("doi",),
    "isbn": ("isbn",), "issn": ("issn",), "url": ("url",), "abstract": ("abstract",),
    "edition_statement": ("edition",), "note": ("note",), "keywords": ("keywords",),
    "authors": ("author",), "translators": ("translator",), "editors": ("editor",),
    "orig-title": ("origtitle",), "orig-date": ("origdate", "origyear"),
    "orig-place": ("origlocation",), "orig-publisher": ("origpublisher",),
    "orig-language": ("origlanguage",),
}  # fmt: skip


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(v.display if isinstance(v, names.Name) else str(v) for v in value)
    return str(value)


def merge_records(
    session: Session, matcher: Matcher, current: EditionRecord, incoming: EditionRecord
) -> tuple[EditionRecord, set[str], list[Conflict]]:
    """``current`` (a catalogued edition's record) updated with the fields ``incoming`` gives:
    what the incoming entry lacks stays as it is. Returns the merged record, the roles whose
    credits stay (the entry names no one in them), and the fields that had another value."""
    merged = replace(current)
    key = current.key or ""
    conflicts: list[Conflict] = []

    changed: set[str] = set()
    coarser: set[str] = set()  # what the entry says less of than the catalogue (kept)
    # a biblatex date kept as the file gave it (a range the column holds the start of)
    kept_date = kept_value(current.extra_fields, "date")

    def take(target: Any, name: str, value: Any, label: str) -> None:
        old = getattr(target, name)
        if value in (None, "", []) or value == old:
            return
        if old not in (None, "", []):
            conflicts.append(Conflict(key, label, _shown(old), _shown(value)))
        setattr(target, name, value)
        changed.add(label)

    for name in MERGED_FIELDS:
        value = getattr(incoming, name)
        if name == "translator_status" and (value == "unknown" or incoming.translators):
            continue  # what a reader says when the entry says nothing (or names them)
        if (
            (name == "entry_type" and coarser_type(current.entry_type, value))
            # a format that cannot hold the whole date (a range, a day)
            or (name == "date" and coarser_date(kept_date or current.date, value))
            # CSL's publisher for a thesis's school, a report's institution
            or (name == "publisher" and not current.publisher
                and _publishing_body(current) == value)
        ):  # fmt: skip
            coarser.add(name)
            continue
        take(merged, name, value, name)
    keep_roles: set[str] = set()
    for role, attr in ROLE_FIELDS.items():
        given = getattr(incoming, attr)
        if not given:
            keep_roles.add(role)
            setattr(merged, attr, [])
            continue
        ids = [matcher.find_person(n) for n in given]
        if ids != [int(str(p)[1:]) for p in getattr(current, attr)]:
            if getattr(current, attr) and key:
                shown = [n.display for n in getattr(get_edition(session, key), attr)]
                conflicts.append(Conflict(key, attr, "; ".join(shown), _shown(given)))
            setattr(merged, attr, list(given))
            changed.add(attr)
        else:
            keep_roles.add(role)
            setattr(merged, attr, [])
    for name in ("also_published_as", "keywords"):
        take(merged, name, list(getattr(incoming, name)), name)
    if incoming.original is not None:
        if current.original is None:
            merged.original = incoming.original
        elif names.fold(incoming.original.title) != names.fold(current.original.title):
            conflicts.append(
                Conflict(key, "original", current.original.title, incoming.original.title)
            )
            # Another original (or its title corrected): what the entry does not say of it
            # is carried over from the one the edition had.
            original = replace(current.original, title=incoming.original.title)
            changed.update(f"orig-{name}" for name in ORIGINAL_FIELDS)
            for name in ORIGINAL_FIELDS[1:]:
                value = getattr(incoming.original, name)
                if value not in (None, ""):
                    setattr(original, name, value)
            merged.original = original
        else:
            original = replace(current.original)
            for name in ORIGINAL_FIELDS[1:]:
                take(original, name, getattr(incoming.original, name), f"orig-{name}")
            merged.original = original
    # A .bib field kept as the file spelt it stands for its value no longer where the entry
    # changed that value (an update from CSL-JSON or RIS): it goes, as ``edit`` drops it.
    stale = {bib for label in changed for bib in _KEPT_AS.get(label, ())}
    still = [pair for pair in current.extra_fields if pair[0].lower() not in stale]
    # nor do the .bib fields that said it (the classic export's year and month for a day)
    from .export.csl_json import THESIS_GENRE

    dropped = {bib for label in coarser for bib in _KEPT_AS.get(label, ())}
    genre = THESIS_GENRE.get(current.entry_type)
    given = [
        pair
        for pair in incoming.extra_fields
        if pair[0].lower() not in dropped
        and not (pair[0].lower() == "type" and genre and pair[1].strip('{}" ') == genre)
    ]  # a thesis's kind, which CSL-JSON writes from its type
    merged.extra_fields = _merged_pairs(still, given, bib=True)
    merged.kept = {
        fmt: [list(p) for p in _merged_pairs(current.kept.get(fmt, []),
                                              incoming.kept.get(fmt, []))]
        for fmt in {*current.kept, *incoming.kept}
    }  # fmt: skip
    if "marc" in incoming.kept:  # a whole MARC record: its fields replace the kept ones
        merged.kept["marc"] = [list(p) for p in incoming.kept["marc"]]
    merged.others = sorted({*current.others, *incoming.others})
    return merged, keep_roles, conflicts


def coarser_type(current: str, incoming: Any) -> bool:
    """Whether ``incoming`` is what a format that lacks ``current``'s entry type makes of it
    (the catalogue's own RIS, CSL-JSON or classic BibTeX export read back: a phdthesis as a
    thesis, a techreport as a report, a patent as misc): an update keeps the finer type."""
    from .export.bibtex import BIBTEX_TYPES, NEAREST_TYPE
    from .export.csl_json import BIBLATEX_TYPES, CSL_TYPES
    from .export.ris import DEFAULT_TYPE, RIS_TYPES
    from .ris import ENTRY_TYPES

    if not incoming or incoming == current:
        return False
    classic = NEAREST_TYPE.get(current, current)
    made = {
        "misc",
        BIBLATEX_TYPES.get(CSL_TYPES.get(current, "document"), "misc"),
        ENTRY_TYPES.get(RIS_TYPES.get(current, DEFAULT_TYPE), "misc"),
        classic if classic in BIBTEX_TYPES else "book",
    }
    return incoming in made


def coarser_date(current: str | None, incoming: Any) -> bool:
    """Whether ``incoming`` says less of ``current`` and nothing else: its start as far as a
    format that cannot hold the whole date writes it (RIS's and the classic export's
    "1886-02" for "1886-02-09", "1986-12-03" for the range "1986-12-03/1986-12-05")."""
    if not current or not incoming or current == incoming or not current.startswith(incoming):
        return False
    return current[len(incoming)] in "-/T"


def _publishing_body(record: EditionRecord) -> str | None:
    """The school, institution or organization a record's .bib fields name: what the CSL-JSON
    export writes as the publisher of an entry that names none."""
    from .latex import decode_latex

    body = kept_value(record.extra_fields, "school", "institution", "organization")
    return decode_latex(body) if body is not None else None


def _merged_pairs(
    current: Sequence[Sequence[str]], incoming: Sequence[Sequence[str]], bib: bool = False
) -> Any:
    """Kept (name, value) pairs of a field list: the incoming entry's, and the current ones of
    names it does not give, in the current order; the current pairs as they are where those
    are the same pairs in another order (the catalogue's own export, which writes the fields
    in one order, read back changes nothing). For .bib fields (``bib``), a field's other name
    (``address``, ``location``) is the same field, and a value with the same text as the
    current one (less markup) leaves the current spelling."""
    from .latex import decode_latex

    def text(raw: str) -> str:
        return decode_latex(bib_inner(raw)) if bib else raw

    def named(name: str) -> str:
        return canonical(name.lower()) if bib else name.lower()

    given = {named(pair[0]) for pair in incoming}
    kept = [tuple(pair) for pair in current if named(pair[0]) not in given]
    spelt = {named(pair[0]): tuple(pair) for pair in current if len(pair) == 2}
    # the same text with less markup (RIS's plain "ACM" for "{ACM}"), or under the other
    # name of the field (the classic export's address for a location): the current spelling
    merged = [
        *kept,
        *(
            spelt[named(pair[0])]
            if len(pair) == 2
            and named(pair[0]) in spelt
            and text(spelt[named(pair[0])][1]) == text(pair[1])
            else tuple(pair)
            for pair in incoming
        ),
    ]

    def pairs(found: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
        return sorted((pair[0].lower(), *pair[1:]) for pair in found)  # "PMID" as "pmid"

    if pairs(merged) == pairs(current):
        return [tuple(pair) for pair in current]
    return merged


def _same_title(current: EditionRecord, incoming: EditionRecord) -> bool:
    """Whether two records give one title: the same, or the same once each's subtitle is
    joined to it (the classic BibTeX and CSL-JSON exports join them: "Brain and
    Intelligence: The Ecology of Child Development")."""
    if names.fold(incoming.title) == names.fold(current.title):
        return True

    def whole(record: EditionRecord) -> str:
        return names.fold(f"{record.title} {record.subtitle or ''}")

    return whole(incoming) == whole(current)


def key_clash(
    session: Session, matcher: Matcher, current: EditionRecord, incoming: EditionRecord
) -> str | None:
    """Why ``incoming``, under the key of the catalogued ``current``, is another work (its
    title, year or authors disagree), or None where it may be the same edition."""
    reasons = []
    if incoming.title and not _same_title(current, incoming):
        reasons.append(f"title {current.title!r} in the catalogue, {incoming.title!r} here")
    years = (year_of(current.date), year_of(incoming.date))
    if None not in years and years[0] != years[1]:
        reasons.append(f"year {years[0]} in the catalogue, {years[1]} here")
    if current.authors and incoming.authors:
        ids = {matcher.find_person(n) for n in incoming.authors}
        if not ids & {int(str(p)[1:]) for p in current.authors}:
            reasons.append("no author in common")
    return "; ".join(reasons) or None


EDITION_COLUMNS = {
    "date": "date", "year": "date", "publisher_id": "publisher",
    "publisher_as_given": "publisher", "extra": "extra", "work_id": "original",
    "credits": "credits", "keywords": "keywords", "also_published_as": "also_published_as",
}  # fmt: skip
"""Edition columns (and child tables) as the record fields they hold; others keep their name."""


def seed_records(
    session: Session, people: Sequence[PersonRecord], entries: Sequence[EditionRecord]
) -> ImportReport:
    """Bring the seed into the catalogue without undoing a librarian's work.

    Each seed entry has a key. Its edition is found by that key, or, through the history, by
    the key the seed gave it (a librarian may have renamed it). An edition the history shows
    removed by someone is not brought back; fields that changes other than seeds altered (as
    the history shows) are left as they are; what the seed gives in the other fields comes
    in, and entries the catalogue lacks are added. Recorded as one "seed" change.
    """
    history.name(session, "seed")
    theirs = history.others_work(session, "seed")
    matcher = Matcher(session)
    for person in people:
        found = matcher.find_person(person.name)
        edited = theirs.fields.get(f"person:{found}", set()) if found is not None else set()
        if "note" in edited:
            person = replace(person, note=None)
        if "variants" in edited:
            person = replace(person, variants=[])
        upsert_person(session, person, matcher)
    report = ImportReport()
    new: list[EditionRecord] = []
    for entry in entries:
        assert entry.key is not None, "every seed entry has a key"
        edition = _seeded_edition(session, entry.key, theirs)
        if edition is None and entry.key in theirs.removed:
            report.skipped += 1  # removed by a librarian: stays removed
            continue
        if edition is None:
            new.append(entry)
            continue
        edited = set(theirs.fields.get(f"edition:{edition.id}", set()))
        if edition.work_id is not None:
            edited |= {f"orig-{f}" for f in theirs.fields.get(f"work:{edition.work_id}", ())}
        if edition.publisher_id is not None and "name" in theirs.fields.get(
            f"publisher:{edition.publisher_id}", ()
        ):
            edited.add("publisher")  # the publisher was renamed: its new name stands
        current = edition_record(session, edition.key)
        incoming = _without(entry, current, edited)
        merged, keep_roles, _conflicts = merge_records(session, matcher, current, incoming)
        _edition, outcome = upsert_edition(session, matcher, merged, keep_roles=keep_roles)
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.keys.append(edition.key)
    if new:
        added = import_records(session, [], new, "update", kind="seed")
        report.created += added.created
        report.updated += added.updated
        report.unchanged += added.unchanged
        report.keys += added.keys
    return report


def _seeded_edition(session: Session, key: str, theirs: history.OthersWork) -> Edition | None:
    for record in history.records_labelled(session, "edition", key):
        found = session.get(Edition, int(record.partition(":")[2]))
        if found is not None:
            return found
    edition = session.scalar(select(Edition).where(Edition.key == key))
    return None if edition is None and key in theirs.removed else edition


def _without(entry: EditionRecord, current: EditionRecord, edited: set[str]) -> EditionRecord:
    """The seed's ``entry`` with the catalogue's values (``current``) in the fields others
    edited: columns as the record's fields, and "orig-" fields of the original."""
    entry = replace(entry, key=current.key)
    for column in edited:
        if column.startswith("orig-"):
            continue
        name = EDITION_COLUMNS.get(column, column)
        if name == "credits":
            entry.authors, entry.translators, entry.editors = [], [], []
        elif name == "original":
            entry.original = None
        elif name == "extra":
            entry.extra_fields, entry.kept, entry.others = [], {}, []
        elif hasattr(entry, name):
            setattr(entry, name, getattr(current, name))
    originals = {c.removeprefix("orig-") for c in edited if c.startswith("orig-")}
    if entry.original is not None and current.original is not None and originals:
        original = replace(entry.original)
        for column in originals:
            name = EDITION_COLUMNS.get(column, column)
            if name == "credits":
                entry.authors = []
            elif hasattr(original, name):
                setattr(original, name, getattr(current.original, name))
        entry.original = original
    return entry


def remove_orphan_works(session: Session) -> list[str]:
    """Remove the works no edition has any more; their keys."""
    orphans = list(
        session.scalars(
            select(Work).where(~select(Edition.id).where(Edition.work_id == Work.id).exists())
        )
    )
    for work in orphans:
        session.delete(work)
    session.flush()
    return [work.key for work in orphans]


def bib_block_digest(kind: str, text: str) -> str:
    """The key a @preamble or @comment block is kept under."""
    import hashlib

    return hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()


def store_bib_blocks(session: Session, entries: Sequence[EditionRecord]) -> None:
    """Keep each @preamble and @comment the entries came with once, and leave on each entry
    only their digests (``[[digest], ...]``) for ``Edition.extra["bib"]``."""
    wanted: dict[str, tuple[str, str]] = {}

    def digest_of(block: list[str]) -> list[str]:
        if len(block) == 1:  # a digest already (an edited entry written again)
            return block
        kind, text = block
        digest = bib_block_digest(kind, text)
        wanted.setdefault(digest, (kind, text))
        return [digest]

    # The entries of one file share one list of blocks: each list is digested once.
    digested: dict[int, list[list[str]]] = {}
    for entry in entries:
        blocks = entry.kept.get("bib")
        if blocks:
            if id(blocks) not in digested:
                digested[id(blocks)] = [digest_of(block) for block in blocks]
            entry.kept["bib"] = digested[id(blocks)]
    if not wanted:
        return
    known: set[str] = set()
    for chunk in chunks(list(wanted)):
        known.update(session.scalars(select(BibBlock.digest).where(BibBlock.digest.in_(chunk))))
    for digest, (kind, text) in wanted.items():
        if digest not in known:
            session.add(BibBlock(kind=kind, text=text, digest=digest))
    session.flush()


def _catalogued_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(keys):
        found.update(session.scalars(select(Edition.key).where(Edition.key.in_(chunk))))
    return found


def find_existing(
    session: Session, matcher: Matcher, record: EditionRecord, skip: Container[str] = ()
) -> Edition | None:
    """The catalogued edition ``record`` duplicates, found without writing anything: same key,
    or (for a titled record with a date or someone credited) same title, year and original,
    and for an edition without an original the same first credited person where both credit
    someone (``matching.EditionIndex``), leaving out editions whose keys are in ``skip``."""
    if record.key:
        found = session.scalar(select(Edition).where(Edition.key == record.key))
        if found is not None:
            return None if found.key in skip else found  # given earlier in this import
    elif record.doi:
        # An entry with no key of its own (a Scopus or PubMed RIS record) is the one edition
        # of its DOI, where one is catalogued: with no title, it was catalogued again at
        # every import of its file
        same = session.scalars(
            select(Edition).where(func.lower(Edition.doi) == record.doi.lower()).limit(2)
        ).all()
        if len(same) == 1 and same[0].key not in skip:
            return same[0]
    credited = record.authors or record.editors
    if not record.title or not (record.date or credited):
        return None  # told apart from others by nothing but a title: each is its own
    if record.original is None:
        first = matcher.find_person(credited[0]) if credited else None
        first_person = (NEW_PERSON if first is None else first) if credited else None
        return _edition_like(session, record, None, skip, first_person)
    first = matcher.find_person(record.authors[0]) if record.authors else None
    if record.authors and first is None:
        return None  # a new author: nothing of theirs is catalogued yet
    title_key = names.fold(record.original.title)
    works = catalogued_works(session, [title_key])
    work_id = works.find(title_key, year_of(record.original.date), first)
    if work_id is None:
        return None
    return _edition_like(session, record, work_id, skip)
