"""Reads: editions selected by translator, author, editor, publisher, year, original
language, form or text, and the views the command line and the exporters work from.

Name filters match case- and accent-insensitively, in either order ("Richard Greeman",
"Greeman, Richard"), by family name alone, and through variant names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select, union
from sqlalchemy.orm import Session, selectinload

from . import names
from .errors import InvalidValue, NotFound
from .languages import english_name, language_code
from .models import Contribution, Edition, Person, PersonName, Publisher, PublisherName, Work

_YEAR_RANGE = re.compile(r"^\s*(\d{1,4})\s*(?:-\s*(\d{1,4})\s*)?$")


def parse_year_range(value: str) -> tuple[int, int]:
    """ "1930" -> (1930, 1930); "1930-1950" -> (1930, 1950); InvalidValue otherwise."""
    match = _YEAR_RANGE.match(value)
    if not match:
        raise InvalidValue(f"invalid year {value!r} (expected YYYY or YYYY-YYYY)")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if first > last:
        raise InvalidValue(f"invalid year range {value!r}: {first} is after {last}")
    return first, last


@dataclass
class Filters:
    """What ``biblio list`` and ``biblio export`` select; every given filter must hold."""

    translator: str | None = None
    author: str | None = None
    editor: str | None = None
    publisher: str | None = None
    year: str | None = None
    original_language: str | None = None
    form: str | None = None
    search: str | None = None


def people_matching(query: str) -> Select[Any]:
    """The ids of the people a name query means: any name form or variant, or the family
    name alone, without regard to case or accents."""
    match_keys, family_keys = names.query_keys(query)
    return select(PersonName.person_id).where(
        or_(PersonName.match_key.in_(match_keys), PersonName.family_key.in_(family_keys))
    )


def _with_role(query: str, roles: tuple[str, ...], on_work_too: bool) -> Any:
    people = people_matching(query)
    on_edition = select(Contribution.edition_id).where(
        Contribution.role.in_(roles), Contribution.person_id.in_(people)
    )
    condition: Any = Edition.id.in_(on_edition)
    if on_work_too:
        on_work = select(Contribution.work_id).where(
            Contribution.role.in_(roles), Contribution.person_id.in_(people)
        )
        condition = or_(condition, Edition.work_id.in_(on_work))
    return condition


def select_editions(filters: Filters) -> Select[Any]:
    """The select() of editions that pass ``filters``, in year then key order."""
    query = select(Edition).outerjoin(Work, Edition.work_id == Work.id)
    conditions = []
    if filters.translator:
        conditions.append(_with_role(filters.translator, ("translator",), False))
    if filters.author:
        conditions.append(_with_role(filters.author, ("author", "coauthor"), True))
    if filters.editor:
        conditions.append(_with_role(filters.editor, ("editor",), False))
    if filters.publisher:
        key = names.fold(filters.publisher)
        publishers = select(Publisher.id).where(Publisher.name_key.contains(key, autoescape=True))
        variants = select(PublisherName.publisher_id).where(
            PublisherName.name_key.contains(key, autoescape=True)
        )
        # One IN over a UNION, not two INs joined by OR: the planner then joins through the
        # index on edition.publisher_id instead of filtering every edition.
        conditions.append(Edition.publisher_id.in_(union(publishers, variants)))
    if filters.year:
        first, last = parse_year_range(filters.year)
        conditions.append(Edition.year.between(first, last))
    if filters.original_language:
        conditions.append(Work.language == language_code(filters.original_language))
    if filters.form:
        conditions.append(or_(Edition.form == filters.form, Work.form == filters.form))
    if filters.search:
        conditions.append(Edition.search_text.contains(names.fold(filters.search), autoescape=True))
    # Undated editions last on every backend (SQLite sorts NULL first, PostgreSQL last).
    return query.where(*conditions).order_by(Edition.year.is_(None), Edition.year, Edition.key)


_LOAD = (
    selectinload(Edition.contributions).selectinload(Contribution.person),
    selectinload(Edition.alternate_titles),
    selectinload(Edition.publisher),
    selectinload(Edition.work).selectinload(Work.contributions).selectinload(Contribution.person),
    selectinload(Edition.work).selectinload(Work.publisher),
)
_LOAD_PEOPLE = (
    selectinload(Edition.contributions)
    .selectinload(Contribution.person)
    .selectinload(Person.names),
    selectinload(Edition.work)
    .selectinload(Work.contributions)
    .selectinload(Contribution.person)
    .selectinload(Person.names),
)


def _name(person: Person) -> names.Name:
    return names.Name(person.family, person.given, person.prefix, person.suffix)


@dataclass
class OriginalView:
    """The original work as exporters and listings see it."""

    key: str
    title: str
    subtitle: str | None
    year: int | None
    date: str | None
    place: str | None
    publisher: str | None
    language: str | None
    form: str | None
    annotation: str | None
    notes: str | None


@dataclass
class EditionView:
    """One edition with everything needed to list, show or export it; no database attached."""

    key: str
    entry_type: str
    title: str
    subtitle: str | None
    year: int | None
    date: str | None
    place: str | None
    publisher: str | None
    language: str | None
    series: str | None
    journal: str | None
    volume: str | None
    number: str | None
    translator_status: str
    form: str | None
    section: str | None
    edition_annotation: str | None
    notes: str | None
    authors: list[names.Name] = field(default_factory=list)
    translators: list[names.Name] = field(default_factory=list)
    editors: list[names.Name] = field(default_factory=list)
    also_published_as: list[str] = field(default_factory=list)
    original: OriginalView | None = None
    people: list[dict[str, Any]] | None = None  # with notes and variants, for ``show`` only
    extra_fields: list[tuple[str, str]] = field(default_factory=list)  # raw .bib values
    others: list[str] = field(default_factory=list)  # roles whose name list ends "and others"

    @property
    def annotation(self) -> str | None:
        """The annotation to print: the work's, then the edition's own, when both exist."""
        parts = [self.original.annotation if self.original else None, self.edition_annotation]
        return " ".join(p for p in parts if p) or None

    def as_dict(self) -> dict[str, Any]:
        """The JSON/CSV shape of ``biblio list``: names as "Given Family" strings."""
        original = None
        if self.original is not None:
            original = {
                "title": self.original.title,
                "subtitle": self.original.subtitle,
                "year": self.original.year,
                "place": self.original.place,
                "language": self.original.language,
            }
        return {
            "key": self.key,
            "title": self.title,
            "subtitle": self.subtitle,
            "year": self.year,
            "authors": [n.display for n in self.authors],
            "translators": [n.display for n in self.translators],
            "translator_status": self.translator_status,
            "editors": [n.display for n in self.editors],
            "publisher": self.publisher,
            "place": self.place,
            "language": self.language,
            "form": self.form,
            "also_published_as": list(self.also_published_as),
            "annotation": self.annotation,
            "original": original,
        }

    def as_row(self) -> dict[str, Any]:
        """The table/CSV shape of ``biblio list``: the original as one readable cell,
        "Naissance de notre force (Paris, 1931; French)"."""
        row = self.as_dict()
        original = self.original
        if original is not None:
            where = ", ".join(str(p) for p in (original.place, original.year) if p)
            language = english_name(original.language) if original.language else None
            details = "; ".join(p for p in (where, language) if p)
            row["original"] = f"{original.title} ({details})" if details else original.title
        return row

    def as_record(self) -> dict[str, Any]:
        """Everything ``biblio show`` prints, the list fields first."""
        record = self.as_dict()
        record["annotation"] = self.edition_annotation  # the work's is under "original"
        record.update(
            {
                "entry_type": self.entry_type,
                "date": self.date,
                "series": self.series,
                "journal": self.journal,
                "volume": self.volume,
                "number": self.number,
                "section": self.section,
                "notes": self.notes,
                "extra_fields": dict(self.extra_fields),
            }
        )
        if self.original is not None:
            record["original"] = {
                "key": self.original.key,
                "title": self.original.title,
                "subtitle": self.original.subtitle,
                "date": self.original.date,
                "year": self.original.year,
                "place": self.original.place,
                "publisher": self.original.publisher,
                "language": self.original.language,
                "form": self.original.form,
                "annotation": self.original.annotation,
                "notes": self.original.notes,
            }
        if self.people is not None:
            record["people"] = self.people
        return record


def _people(contributions: list[Contribution], roles: tuple[str, ...]) -> list[names.Name]:
    chosen = sorted((c for c in contributions if c.role in roles), key=lambda c: c.position)
    return [_name(c.person) for c in chosen]


def _person_details(edition: Edition) -> list[dict[str, Any]]:
    contributions = [*(edition.work.contributions if edition.work else []), *edition.contributions]
    return [
        {
            "role": c.role,
            "name": _name(c.person).display,
            "sort_name": c.person.sort_name,
            "variants": [
                names.Name(n.family, n.given, n.prefix, n.suffix).display
                for n in c.person.names
                if n.kind == "variant"
            ],
            "note": c.person.note,
        }
        for c in contributions
    ]


def edition_view(edition: Edition, with_people: bool = False) -> EditionView:
    """Detach an edition (loaded with its relations) into an EditionView; ``with_people``
    adds each person's variant names and note."""
    work = edition.work
    original = None
    authors = _people(edition.contributions, ("author", "coauthor"))
    if work is not None:
        original = OriginalView(
            key=work.key,
            title=work.title,
            subtitle=work.subtitle,
            year=work.year,
            date=work.date,
            place=work.place,
            publisher=work.publisher.name if work.publisher else None,
            language=work.language,
            form=work.form,
            annotation=work.annotation,
            notes=work.notes,
        )
        authors = _people(work.contributions, ("author", "coauthor")) + authors
    return EditionView(
        key=edition.key,
        entry_type=edition.entry_type,
        title=edition.title,
        subtitle=edition.subtitle,
        year=edition.year,
        date=edition.date,
        place=edition.place,
        publisher=edition.publisher.name if edition.publisher else None,
        language=edition.language,
        series=edition.series,
        journal=edition.journal,
        volume=edition.volume,
        number=edition.number,
        translator_status=edition.translator_status,
        form=edition.form or (work.form if work else None),
        section=edition.section,
        edition_annotation=edition.annotation,
        notes=edition.notes,
        authors=authors,
        translators=_people(edition.contributions, ("translator",)),
        editors=_people(edition.contributions, ("editor",)),
        also_published_as=[t.title for t in edition.alternate_titles],
        original=original,
        people=_person_details(edition) if with_people else None,
        extra_fields=[(name, value) for name, value in (edition.extra or {}).get("fields", [])],
        others=list((edition.extra or {}).get("others", [])),
    )


def list_editions(session: Session, filters: Filters) -> list[EditionView]:
    """The editions passing ``filters``, as views."""
    editions = session.scalars(select_editions(filters).options(*_LOAD)).all()
    return [edition_view(e) for e in editions]


REFERENCE_FIELDS = ("crossref", "xdata", "related", "entryset", "xref")
"""Fields whose value names other entries (comma-separated) that biber needs in the file."""


def referenced_keys(view: EditionView) -> list[str]:
    """The keys of the entries ``view`` refers to through crossref, xdata, related, entryset."""
    found = []
    for name, value in view.extra_fields:
        if name.lower() in REFERENCE_FIELDS:
            inner = value.strip()
            if inner[:1] in '{"':
                inner = inner[1:-1]
            found += [key.strip() for key in inner.split(",") if key.strip()]
    return found


def with_references(session: Session, views: list[EditionView]) -> list[EditionView]:
    """``views`` plus, after them, every catalogued entry they refer to (transitively), so an
    exported file is complete for biber."""
    have = {view.key for view in views}
    result = list(views)
    wanted = [key for view in views for key in referenced_keys(view) if key not in have]
    while wanted:
        query = select(Edition).where(Edition.key.in_(set(wanted))).options(*_LOAD)
        found = [edition_view(e) for e in session.scalars(query)]
        found = [view for view in sorted(found, key=lambda v: v.key) if view.key not in have]
        have.update(view.key for view in found)
        result += found
        wanted = [key for view in found for key in referenced_keys(view) if key not in have]
    return result


def get_edition(session: Session, key: str) -> EditionView:
    """The edition with citation key ``key``; NotFound if there is none."""
    query = select(Edition).where(Edition.key == key).options(*_LOAD, *_LOAD_PEOPLE)
    edition = session.scalar(query)
    if edition is None:
        raise NotFound(f"no edition with key {key!r}")
    return edition_view(edition, with_people=True)


def translators(session: Session) -> list[dict[str, Any]]:
    """Each translator with the number of editions translated and the span of years."""
    query = (
        select(
            Person,
            func.count(func.distinct(Edition.id)),
            func.min(Edition.year),
            func.max(Edition.year),
        )
        .join(Contribution, Contribution.person_id == Person.id)
        .join(Edition, Edition.id == Contribution.edition_id)
        .where(Contribution.role == "translator")
        .group_by(Person.id)
        .order_by(Person.sort_name)
    )
    return [
        {
            "translator": _name(person).display,
            "sort_name": person.sort_name,
            "editions": count,
            "first_year": first,
            "last_year": last,
        }
        for person, count, first, last in session.execute(query)
    ]
