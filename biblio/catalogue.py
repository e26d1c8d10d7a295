"""Writes to the catalogue: people, publishers, works and editions from plain records.

``import_records`` is the one path by which entries enter the catalogue, for the seed and for a
user's import alike. It resolves names to person records (one person per name authority,
variants included), publishers to one record per publisher, originals to works, and gives each
new edition a readable, unique, stable citation key. Re-importing the same records changes
nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import names
from .bulk import allocate_keys, chunks
from .errors import AmbiguousName, InvalidValue
from .languages import language_code
from .models import (
    AlternateTitle,
    BibBlock,
    Contribution,
    Edition,
    Keyword,
    Person,
    PersonName,
    Publisher,
    PublisherName,
    Work,
)
from .records import EditionRecord, OriginalRecord, PersonRecord, year_of

_STOPWORDS = {
    "a", "an", "the", "of", "on", "in", "and", "to", "for", "at", "by", "with",
    "le", "la", "les", "un", "une", "de", "du", "des", "et", "en", "au", "aux", "il", "est",
    "der", "die", "das", "ein", "eine", "el", "los", "las", "lo",
}  # fmt: skip


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

    def summary(self) -> str:
        """One line: "3 created, 1 updated, 0 unchanged, 2 skipped as duplicates"."""
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped as duplicates"
        )


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", names.fold(text).replace(" ", ""))


def key_stem(family: str | None, year: int | None, title: str) -> str:
    """The readable part of a citation key: family name, year, first significant title word.

    >>> key_stem("Serge", 1967, "Birth of our Power")
    'serge1967birth'
    """
    words = [w for w in names.fold(title).split() if len(w) > 1 and w not in _STOPWORDS]
    word = _ascii_word(words[0]) if words else ""
    return f"{_ascii_word(family or 'anon') or 'anon'}{year if year is not None else ''}{word}"


def _free_key(
    session: Session, model: type[Edition] | type[Work], stem: str, reserved: Iterable[str] = ()
) -> str:
    return allocate_keys(session, model, [stem], reserved)[0]


class Resolver:
    """Finds or creates people and publishers, remembering them for the rest of an import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people: dict[str, Person] = {}
        self.reserved_keys: set[str] = set()  # given in this import, written later
        self.publishers: dict[str, Publisher] = {}

    def person(self, text: str | names.Name) -> Person:
        person = self.find_person(text)
        if person is None:
            name = text if isinstance(text, names.Name) else names.parse_name(text)
            person = Person(
                family=name.family,
                given=name.given,
                prefix=name.prefix,
                suffix=name.suffix,
                sort_name=name.sort_name,
                authority_key=name.authority_key,
            )
            person.names.append(_person_name(name, "primary"))
            self.session.add(person)
            self.session.flush()
            self.people[name.match_key] = person
        return person

    def find_person(self, text: str | names.Name) -> Person | None:
        """The catalogued person with this name (any variant), or None; InvalidValue if the
        name is ambiguous."""
        if isinstance(text, str) and text.strip().startswith("#") and text.strip()[1:].isdigit():
            by_id = self.session.get(Person, int(text.strip()[1:]))
            if by_id is None:
                raise InvalidValue(f"no person {text.strip()}")
            return by_id
        name = text if isinstance(text, names.Name) else names.parse_name(text)
        if name.match_key in self.people:
            return self.people[name.match_key]
        candidates = list(
            self.session.scalars(
                select(Person).join(PersonName).where(PersonName.match_key == name.match_key)
            ).unique()
        )
        if len(candidates) > 1:
            raise AmbiguousName(
                text.display if isinstance(text, names.Name) else text,
                [(p.id, p.sort_name, p.note) for p in sorted(candidates, key=_id)],
            )
        person: Person | None = candidates[0] if candidates else None
        if person is None:
            person = self.session.scalar(
                select(Person).where(Person.authority_key == name.authority_key)
            )
        if person is not None:
            self.people[name.match_key] = person
        return person

    def publisher(self, text: str | None) -> Publisher | None:
        if not text or not text.strip():
            return None
        key = names.fold(text)
        if key in self.publishers:
            return self.publishers[key]
        publisher = find_publisher(self.session, text)
        if publisher is None:
            publisher = Publisher(name=" ".join(text.split()), name_key=key)
            self.session.add(publisher)
            self.session.flush()
        self.publishers[key] = publisher
        return publisher


def _id(person: Person) -> int:
    return person.id


def find_publisher(session: Session, text: str) -> Publisher | None:
    """The publisher with this name or one of its other names (case and accents ignored)."""
    key = names.fold(text)
    found = session.scalar(select(Publisher).where(Publisher.name_key == key))
    if found is None:
        found = session.scalar(
            select(Publisher).join(PublisherName).where(PublisherName.name_key == key)
        )
    return found


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


def _person_name(name: names.Name, kind: str) -> PersonName:
    return PersonName(**person_name_row(name, kind))


def upsert_person(
    session: Session, record: PersonRecord, resolver: Resolver | None = None
) -> Person:
    """Find or create the person named by ``record``, adding its variant names and note."""
    resolver = resolver or Resolver(session)
    person = resolver.person(record.name)
    known = {n.match_key for n in person.names}
    for variant in record.variants:
        name = names.parse_name(variant)
        if name.match_key not in known:
            person.names.append(_person_name(name, "variant"))
            known.add(name.match_key)
        resolver.people.setdefault(name.match_key, person)
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


def unique_people(wanted: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """(role, person or person id, ...) tuples with the same person named twice in one role
    (an author and a coauthor count as one role) kept once, at the first place."""
    seen: set[tuple[str, int]] = set()
    unique = []
    for item in wanted:
        role, person = item[0], item[1]
        kind = "author" if role == "coauthor" else role
        ident = person if isinstance(person, int) else person.id
        if (kind, ident) not in seen:
            seen.add((kind, ident))
            unique.append(item)
    return unique


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


def _credit(resolver: Resolver, role: str, text: str | names.Name) -> tuple[str, Person, Any]:
    person = resolver.person(text)
    primary = (person.family, person.given, person.prefix, person.suffix)
    return role, person, name_as_given(primary, text)


def _position(credit: tuple[str, int, int, Any]) -> int:
    return credit[2]


def _set_contributions(
    target: Work | Edition, wanted: Sequence[tuple[str, Person, Any]], roles: Iterable[str]
) -> bool:
    roles = set(roles)
    wanted = unique_people(wanted)
    current = [
        (c.role, c.person_id, c.position, c.name_as_given)
        for c in target.contributions
        if c.role in roles
    ]
    desired = [(role, person.id, i, given) for i, (role, person, given) in enumerate(wanted)]
    if sorted(current, key=_position) == desired:  # positions are unique: one order
        return False
    session = Session.object_session(target)
    assert session is not None
    for contribution in [c for c in target.contributions if c.role in roles]:
        target.contributions.remove(contribution)
    session.flush()
    for role, person, given in wanted:
        target.contributions.append(
            Contribution(
                person=person,
                role=role,
                position=len(target.contributions),
                name_as_given=given,
            )
        )
    return True


def _authors(
    resolver: Resolver, people: Sequence[str | names.Name]
) -> list[tuple[str, Person, Any]]:
    return [
        _credit(resolver, "author" if i == 0 else "coauthor", name) for i, name in enumerate(people)
    ]


def stored_language(value: str | None) -> str | None:
    """The catalogue's code for a language code or name, or None; InvalidValue if unknown."""
    return language_code(value) if value else None


def _find_work(
    session: Session, record: OriginalRecord, first_author: Person | None
) -> Work | None:
    year = year_of(record.date)
    # Without a year, a work of that title and author in any year (if only one) is meant.
    query = select(Work).where(Work.title_key == names.fold(record.title)).order_by(Work.id)
    if year is not None:
        query = query.where(Work.year == year)
    found = []
    for work in session.scalars(query):
        authors = [c.person_id for c in work.contributions if c.role == "author"]
        if first_author is None or not authors or authors[0] == first_author.id:
            found.append(work)
    return found[0] if len(found) == 1 or (found and year is not None) else None


def upsert_work(
    session: Session,
    resolver: Resolver,
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
    wanted = _authors(resolver, authors)
    replace_all = work is not None
    if work is None:
        work = _find_work(session, record, wanted[0][1] if wanted else None)
    created = work is None
    if work is None:
        stem = key_stem(wanted[0][1].family if wanted else None, year_of(record.date), record.title)
        work = Work(key=_free_key(session, Work, stem), title=record.title)
        session.add(work)
        replace_all = True
    changed = _bring_in(session, resolver, work, record, wanted, replace_all)
    return work, created or changed


def update_work(
    session: Session,
    resolver: Resolver,
    work: Work,
    record: OriginalRecord,
    authors: Sequence[str | names.Name],
) -> bool:
    """Bring into a work found as ``record``'s original the facts the record gives (see
    ``upsert_work``); whether anything changed."""
    return _bring_in(session, resolver, work, record, _authors(resolver, authors), False)


def _bring_in(
    session: Session,
    resolver: Resolver,
    work: Work,
    record: OriginalRecord,
    wanted: Sequence[tuple[str, Person, Any]],
    replace_all: bool,
) -> bool:
    facts = {
        "title": record.title,
        "subtitle": record.subtitle,
        "language": stored_language(record.language),
        "date": record.date,
        "year": year_of(record.date),
        "place": record.place,
        "publisher": resolver.publisher(record.publisher),
        "form": record.form,
        "annotation": record.annotation or None,
        "notes": record.notes,
    }
    if not replace_all:
        facts = {attr: value for attr, value in facts.items() if value is not None}
        del facts["title"]  # found by its title: the catalogue's spelling stands
    changed = _set(work, facts)
    session.flush()
    if replace_all or wanted:
        changed |= _set_contributions(work, wanted, ("author", "coauthor"))
    return changed


def _find_edition(session: Session, record: EditionRecord, work: Work | None) -> Edition | None:
    if record.key:
        return session.scalar(select(Edition).where(Edition.key == record.key))
    if not record.title:
        return None  # untitled entries are told apart by nothing: each is its own
    query = select(Edition).where(
        Edition.title_key == names.fold(record.title),
        Edition.year == year_of(record.date),
        Edition.work_id == (work.id if work else None),
    )
    if record.doi:  # two articles of one title and year with other DOIs are two
        query = query.where(or_(Edition.doi.is_(None), Edition.doi == record.doi))
    return session.scalar(query.order_by(Edition.id).limit(1))


def edition_extra(record: EditionRecord) -> dict[str, Any] | None:
    """What ``Edition.extra`` keeps of ``record``: raw .bib fields, roles ending "and others",
    and the RIS tags and CSL variables kept in their own format."""
    extra: dict[str, Any] = {}
    if record.extra_fields:
        extra["fields"] = [[name, value] for name, value in record.extra_fields]
    if record.others:
        extra["others"] = list(record.others)
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


def keyword_rows(edition_id: int, keywords: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of the keyword table for one edition's keywords, in order."""
    return [
        {"edition_id": edition_id, "position": i, "keyword": k, "keyword_key": names.fold(k)}
        for i, k in enumerate(keywords)
    ]


def upsert_edition(
    session: Session,
    resolver: Resolver,
    record: EditionRecord,
    own_work: Work | None = None,
    publisher_typed: bool = False,
) -> tuple[Edition, str]:
    """Create or update one edition and its original: "created", "updated" or "unchanged".
    ``own_work``: the edition's current original, to be rewritten whole (see upsert_work).
    ``publisher_typed``: the publisher was typed by a librarian to pick a catalogued one
    ("DOUBLEDÂY"), so the record's spelling stands; else an entry's own spelling is kept."""
    work, work_changed = (None, False)
    if record.original is not None:
        work, work_changed = upsert_work(
            session, resolver, record.original, record.authors, own_work
        )
    edition = _find_edition(session, record, work)
    outcome = "unchanged"
    if edition is None:
        outcome = "created"
        if record.key:
            key = record.key
        else:
            credited = record.authors or record.editors  # an editor names an anthology
            first = resolver.person(credited[0]).family if credited else None
            stem = key_stem(first, year_of(record.date), record.title)
            key = _free_key(session, Edition, stem, resolver.reserved_keys)
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
            "publisher": (publisher := resolver.publisher(record.publisher)),
            "publisher_as_given": None
            if publisher_typed
            else publisher_as_given(record.publisher, publisher.name if publisher else None),
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
            **identifier_values(record),
        },
    )
    session.flush()
    people: list[tuple[str, Person, Any]] = (
        [] if work is not None else _authors(resolver, record.authors)
    )
    people += [_credit(resolver, "translator", n) for n in record.translators]
    people += [_credit(resolver, "editor", n) for n in record.editors]
    changed |= _set_contributions(edition, people, ("author", "coauthor", "translator", "editor"))
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
    bulk: bool = True,
) -> ImportReport:
    """Bring people and editions into the catalogue inside the caller's transaction.

    Every record is validated first, so a bad one raises InvalidValue before anything is
    written; an error later rolls the caller's transaction back. An edition already catalogued
    (same key, or same title, year and original) is handled as ``on_duplicate`` says
    (see ON_DUPLICATE; the seed updates). ``progress(n)`` is called as entries are done.

    Entries with a key the catalogue does not have yet are written in bulk (``biblio.bulk``);
    ``bulk=False`` writes every entry one by one instead, through the ORM: the same outcome,
    slower (the tests compare the two).
    """
    from .queries import gc_paused

    with gc_paused():  # records and rows form no cycles: nothing for the collector to find
        return _import_records(session, people, entries, on_duplicate, progress, bulk)


def _import_records(
    session: Session,
    people: Sequence[PersonRecord],
    entries: Sequence[EditionRecord],
    on_duplicate: str,
    progress: Callable[[int], None] | None,
    bulk: bool,
) -> ImportReport:
    for i, entry in enumerate(entries):
        entry.validate(f"entry {i + 1} ({entry.key or entry.title!r})", require_title=False)
        for name in [*entry.authors, *entry.translators, *entry.editors]:
            if not isinstance(name, names.Name):
                names.parse_name(name)
        for value in (entry.language, entry.original.language if entry.original else None):
            stored_language(value)
    store_bib_blocks(session, entries)
    resolver = Resolver(session)
    for person in people:
        upsert_person(session, person, resolver)
    report = ImportReport()
    # New keys go the bulk way (biblio.bulk), after the entries that need the catalogue's
    # current rows one by one: known keys, entries without a key, a key given twice.
    counts = Counter(entry.key for entry in entries if entry.key)
    known = _catalogued_keys(session, list(counts)) if bulk else set()
    fresh = {key for key, count in counts.items() if count == 1 and key not in known and bulk}
    new_entries = [entry for entry in entries if entry.key in fresh]
    resolver.reserved_keys = fresh
    for entry in entries:
        if entry.key in fresh:
            continue
        if on_duplicate != "update":
            existing = find_existing(session, resolver, entry)
            if existing is not None and existing.key not in report.keys:
                if on_duplicate == "error":
                    raise InvalidValue(
                        f"entry {entry.key or entry.title!r} is already in the catalogue as "
                        f"'{existing.key}' (use --on-duplicate skip or update)"
                    )
                report.skipped += 1
                report.duplicates.append(existing.key)
                if progress:
                    progress(1)
                continue
        edition, outcome = upsert_edition(session, resolver, entry)
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.keys.append(edition.key)
        if progress:
            progress(1)
    if new_entries:
        from .bulk import BulkImport

        session.flush()
        BulkImport(session, resolver, on_duplicate).run(new_entries, report, progress)
    return report


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


def find_existing(session: Session, resolver: Resolver, record: EditionRecord) -> Edition | None:
    """The catalogued edition ``record`` duplicates, found without writing anything: same key,
    or (for a titled, dated record) same title, year and original."""
    if record.key:
        found = session.scalar(select(Edition).where(Edition.key == record.key))
        if found is not None:
            return found
    if not record.title or not record.date:
        return None
    work = None
    if record.original is not None:
        first = resolver.find_person(record.authors[0]) if record.authors else None
        if record.authors and first is None:
            return None  # a new author: nothing of theirs is catalogued yet
        work = _find_work(session, record.original, first)
        if work is None:
            return None
    return _find_edition(session, replace(record, key=None), work)
