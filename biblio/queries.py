"""Reads: editions selected by translator, author, editor, publisher, year, original
language, form or text, and the views the command line and the exporters work from.

Name filters match case- and accent-insensitively, in either order ("Richard Greeman",
"Greeman, Richard"), by family name alone, and through variant names.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, union

from . import names
from .errors import InvalidValue, NotFound
from .languages import english_name, language_code, read_language
from .models import Base, Contribution, Edition, Person, Work
from .records import EditionRecord, OriginalRecord, year_of

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

# Views are read with Core selects on the tables, not loaded as ORM objects: building and
# then detaching thousands of instances cost more than everything else an export does.
_EDITION = Base.metadata.tables["edition"]
_WORK = Base.metadata.tables["work"]
_ORIGINAL = _WORK.alias("original")  # for --original: not correlated with the joined work
_PUBLISHER = Base.metadata.tables["publisher"]
_CONTRIBUTION = Base.metadata.tables["contribution"]
_PERSON = Base.metadata.tables["person"]
_PERSON_NAME = Base.metadata.tables["person_name"]
_PUBLISHER_NAME = Base.metadata.tables["publisher_name"]
_ALTERNATE_TITLE = Base.metadata.tables["alternate_title"]
_KEYWORD = Base.metadata.tables["keyword"]

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
    original: str | None = None
    original_language: str | None = None
    form: str | None = None
    search: str | None = None
    keyword: str | None = None
    keys: tuple[str, ...] | None = None  # only these editions (a search's result, say)
    # @xdata records too: data containers that children draw on, no editions (biber never
    # prints one), so a listing leaves them out; an export has them
    containers: bool = False


def people_matching(query: str) -> Select[Any]:
    """The ids of the people a name query means: any name form or variant, or the family
    name alone, without regard to case or accents."""
    match_keys, family_keys = names.query_keys(query)
    person_name = _PERSON_NAME.c
    return select(person_name.person_id).where(
        or_(person_name.match_key.in_(match_keys), person_name.family_key.in_(family_keys))
    )


def _with_role(query: str, roles: tuple[str, ...], on_work_too: bool) -> ColumnElement[bool]:
    people = people_matching(query)
    contribution = _CONTRIBUTION.c
    on_edition = select(contribution.edition_id).where(
        contribution.role.in_(roles), contribution.person_id.in_(people)
    )
    condition: ColumnElement[bool] = _EDITION.c.id.in_(on_edition)
    if on_work_too:
        on_work = select(contribution.work_id).where(
            contribution.role.in_(roles), contribution.person_id.in_(people)
        )
        condition = or_(condition, _EDITION.c.work_id.in_(on_work))
    return condition


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``filters``, on the edition table joined to its work's."""
    edition, work = _EDITION.c, _WORK.c
    conditions = []
    if not filters.containers:
        conditions.append(edition.entry_type != "xdata")
    if filters.translator:
        conditions.append(_with_role(filters.translator, ("translator",), False))
    if filters.author:
        conditions.append(_with_role(filters.author, ("author", "coauthor"), True))
    if filters.editor:
        conditions.append(_with_role(filters.editor, ("editor",), False))
    if filters.publisher:
        key = names.fold(filters.publisher)
        # Folded, a name of punctuation alone ("&") is empty, which every name contains: it
        # is looked for as written instead
        publishers = select(_PUBLISHER.c.id).where(
            _PUBLISHER.c.name_key.contains(key, autoescape=True)
            if key
            else _PUBLISHER.c.name.contains(filters.publisher, autoescape=True)
        )
        variants = select(_PUBLISHER_NAME.c.publisher_id).where(
            _PUBLISHER_NAME.c.name_key.contains(key, autoescape=True)
            if key
            else _PUBLISHER_NAME.c.name.contains(filters.publisher, autoescape=True)
        )
        # One IN over a UNION, not two INs joined by OR: the planner then joins through the
        # index on edition.publisher_id instead of filtering every edition.
        conditions.append(edition.publisher_id.in_(union(publishers, variants)))
    if filters.year:
        first, last = parse_year_range(filters.year)
        conditions.append(edition.year.between(first, last))
    if filters.original:
        # The work's key, or its title with case, accents and punctuation ignored; through the
        # index on work.title_key, then the one on edition.work_id.
        original = _ORIGINAL.c
        originals = select(original.id).where(
            or_(
                original.title_key == names.fold(filters.original),
                original.key == filters.original,
            )
        )
        conditions.append(edition.work_id.in_(originals))
    if filters.original_language:
        conditions.append(work.language == language_code(filters.original_language))
    if filters.form:
        conditions.append(or_(edition.form == filters.form, work.form == filters.form))
    if filters.search:
        # Its own texts, or the names of its people and publisher: ``name_text`` holds each
        # word once, sorted, so "Richard Greeman" matches there word by word.
        folded = names.fold(filters.search)
        words = folded.split() or [folded]
        if not folded:  # punctuation alone: no word to find (it found every edition)
            conditions.append(false())
        conditions.append(
            or_(
                edition.search_text.contains(folded, autoescape=True),
                and_(*(edition.name_text.contains(w, autoescape=True) for w in words)),
            )
        )
    if filters.keys is not None:
        conditions.append(edition.key.in_(filters.keys))
    if filters.keyword:
        keyword = _KEYWORD.c
        tagged = select(keyword.edition_id).where(
            keyword.keyword_key == names.fold(filters.keyword)
        )
        conditions.append(edition.id.in_(tagged))
    return conditions


# Undated editions last on every backend (SQLite sorts NULL first, PostgreSQL last).
_ORDER = (_EDITION.c.year.is_(None), _EDITION.c.year, _EDITION.c.key)


def select_editions(filters: Filters) -> Select[Any]:
    """The select() of editions that pass ``filters``, in year then key order."""
    query = select(Edition).outerjoin(Work, Edition.work_id == Work.id)
    return query.where(*_conditions(filters)).order_by(*_ORDER)


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
    qid: str | None = None  # its Wikidata item


@dataclass(frozen=True)
class Authority:
    """A person's identifiers in authority files, where the catalogue knows them."""

    qid: str | None = None  # Wikidata, "Q42"
    viaf: str | None = None  # VIAF cluster id, digits
    isni: str | None = None  # 16 characters, no spaces


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
    pages: str | None = None
    doi: str | None = None
    isbn: str | None = None
    issn: str | None = None
    url: str | None = None
    abstract: str | None = None
    edition_statement: str | None = None
    note: str | None = None
    keywords: list[str] = field(default_factory=list)
    kept: dict[str, list[list[str]]] = field(default_factory=dict)  # other formats' own fields
    authors: list[names.Name] = field(default_factory=list)
    translators: list[names.Name] = field(default_factory=list)
    editors: list[names.Name] = field(default_factory=list)
    also_published_as: list[str] = field(default_factory=list)
    original: OriginalView | None = None
    people: list[dict[str, Any]] | None = None  # with notes and variants, for ``show`` only
    extra_fields: list[tuple[str, str]] = field(default_factory=list)  # raw .bib values
    others: list[str] = field(default_factory=list)  # roles whose name list ends "and others"
    inherited: list[str] = field(default_factory=list)  # facts its crossref/xdata parent gave
    qid: str | None = None  # the edition's Wikidata item
    publisher_qid: str | None = None  # the publisher's Wikidata item
    authorities: dict[str, list[Authority]] = field(default_factory=dict)
    """The identifiers of the people in ``authors``, ``translators`` and ``editors``, by
    those names, in their order; a role is left out where none of its people has any."""

    def authority(self, role: str, index: int) -> Authority:
        """The identifiers of the ``index``-th person of ``role`` ("authors", "translators",
        "editors"); an empty Authority where the catalogue knows none."""
        found = self.authorities.get(role)
        return found[index] if found else _NO_AUTHORITY

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
            "pages": self.pages,
            "doi": self.doi,
            "isbn": self.isbn,
            "issn": self.issn,
            "url": self.url,
            "abstract": self.abstract,
            "keywords": list(self.keywords),
            "edition": self.edition_statement,
            "note": self.note,
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
            if self.original.qid:
                record["original"]["qid"] = self.original.qid
        if self.qid:
            record["qid"] = self.qid  # Wikidata's items: only where known
        if self.people is not None:
            record["people"] = self.people
        return record


_NO_AUTHORITY = Authority()
_EDITION_PUBLISHER = _PUBLISHER.alias("edition_publisher")
_WORK_PUBLISHER = _PUBLISHER.alias("work_publisher")
#: EditionView's fields read from an edition row, and where each comes from.
_VIEW_COLUMNS: dict[str, ColumnElement[Any]] = {
    "key": _EDITION.c.key,
    "entry_type": _EDITION.c.entry_type,
    "title": _EDITION.c.title,
    "subtitle": _EDITION.c.subtitle,
    "year": _EDITION.c.year,
    "date": _EDITION.c.date,
    "place": _EDITION.c.place,
    "publisher": func.coalesce(_EDITION.c.publisher_as_given, _EDITION_PUBLISHER.c.name),
    "language": _EDITION.c.language,
    "series": _EDITION.c.series,
    "journal": _EDITION.c.journal,
    "volume": _EDITION.c.volume,
    "number": _EDITION.c.number,
    "translator_status": _EDITION.c.translator_status,
    "form": func.coalesce(_EDITION.c.form, _WORK.c.form),  # the CHECK on form forbids ""
    "section": _EDITION.c.section,
    "edition_annotation": _EDITION.c.annotation,
    "notes": _EDITION.c.notes,
    "pages": _EDITION.c.pages,
    "doi": _EDITION.c.doi,
    "isbn": _EDITION.c.isbn,
    "issn": _EDITION.c.issn,
    "url": _EDITION.c.url,
    "abstract": _EDITION.c.abstract,
    "edition_statement": _EDITION.c.edition_statement,
    "note": _EDITION.c.note,
    "qid": _EDITION.c.qid,
    "publisher_qid": _EDITION_PUBLISHER.c.qid,
}
#: OriginalView's fields, from the edition's work.
_ORIGINAL_COLUMNS: dict[str, ColumnElement[Any]] = {
    "key": _WORK.c.key,
    "title": _WORK.c.title,
    "subtitle": _WORK.c.subtitle,
    "year": _WORK.c.year,
    "date": _WORK.c.date,
    "place": _WORK.c.place,
    "publisher": _WORK_PUBLISHER.c.name,
    "language": _WORK.c.language,
    "form": _WORK.c.form,
    "annotation": _WORK.c.annotation,
    "notes": _WORK.c.notes,
    "qid": _WORK.c.qid,
}
#: An edition row: the edition's id, its work's id and extra fields, then the views' fields.
_ROW = (
    _EDITION.c.id,
    _EDITION.c.work_id,
    _EDITION.c.extra,
    *_VIEW_COLUMNS.values(),
    *_ORIGINAL_COLUMNS.values(),
)
_VIEW_FIELDS = slice(3, 3 + len(_VIEW_COLUMNS))
_ORIGINAL_FIELDS = slice(_VIEW_FIELDS.stop, None)
_ROWS_FROM = (
    _EDITION.outerjoin(_WORK, _EDITION.c.work_id == _WORK.c.id)
    .outerjoin(_EDITION_PUBLISHER, _EDITION.c.publisher_id == _EDITION_PUBLISHER.c.id)
    .outerjoin(_WORK_PUBLISHER, _WORK.c.publisher_id == _WORK_PUBLISHER.c.id)
)

_Credits = dict[int, list[tuple[str, int, names.Name | None]]]
"""Edition or work id -> its (role, person id, the entry's own spelling if it differs)
triples, in position order."""


def _credits(
    connection: Connection,
    column: str,
    ids: Select[Any] | list[int],
    people: dict[int, names.Name],
    authorities: dict[int, Authority],
) -> _Credits:
    """The contributions to the editions (``column`` "edition_id") or works ("work_id") whose
    ids ``ids`` selects, adding each person's name to ``people``, and their identifiers to
    ``authorities`` where they have any."""
    contribution, person = _CONTRIBUTION.c, _PERSON.c
    owner = contribution[column]
    query = (
        select(owner, contribution.role, person.id, contribution.name_as_given)
        .add_columns(person.qid, person.viaf, person.isni)
        .add_columns(person.family, person.given, person.prefix, person.suffix)
        .join_from(_CONTRIBUTION, _PERSON, contribution.person_id == person.id)
        .where(owner.in_(ids))
        .order_by(contribution.position, contribution.id)
    )
    found: _Credits = defaultdict(list)
    for owner_id, role, person_id, as_given, qid, viaf, isni, *parts in connection.execute(
        query
    ).all():
        found[owner_id].append((role, person_id, names.Name(*as_given) if as_given else None))
        if person_id not in people:
            people[person_id] = names.Name(*parts)
            if qid or viaf or isni:
                authorities[person_id] = Authority(qid, viaf, isni)
    return found


def bib_blocks(session: Session, views: Sequence[EditionView]) -> list[tuple[str, str]]:
    """The @preamble and @comment blocks the views' entries came with, once each, in the
    order the entries name them: (kind, text as written)."""
    digests: dict[str, None] = {}
    for view in views:
        for (digest,) in view.kept.get("bib", []):
            digests.setdefault(digest)
    if not digests:
        return []
    block = Base.metadata.tables["bib_block"].c
    found: dict[str, tuple[str, str]] = {}
    wanted = list(digests)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(block.digest, block.kind, block.text).where(
                block.digest.in_(wanted[start : start + 500])
            )
        )
        found.update({digest: (kind, text) for digest, kind, text in rows})
    return [found[d] for d in digests if d in found]


def _keywords(connection: Connection, ids: Select[Any] | list[int]) -> dict[int, list[str]]:
    keyword = _KEYWORD.c
    rows = connection.execute(
        select(keyword.edition_id, keyword.keyword)
        .where(keyword.edition_id.in_(ids))
        .order_by(keyword.edition_id, keyword.position)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for edition_id, text in rows:
        found[edition_id].append(text)
    return found


def _alternate_titles(connection: Connection, ids: Select[Any] | list[int]) -> dict[int, list[str]]:
    alternate = _ALTERNATE_TITLE.c
    query = (
        select(alternate.edition_id, alternate.title)
        .where(alternate.edition_id.in_(ids))
        .order_by(alternate.position)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for edition_id, title in connection.execute(query).all():
        found[edition_id].append(title)
    return found


def _person_details(
    connection: Connection,
    credits: list[tuple[str, int, names.Name | None]],
    people: dict[int, names.Name],
) -> list[dict[str, Any]]:
    """What ``show`` tells of each person credited: role, name, sort name, variants, note."""
    ids = sorted({person_id for _, person_id, _given in credits})
    person, person_name = _PERSON.c, _PERSON_NAME.c
    details = {
        person_id: (sort_name, note)
        for person_id, sort_name, note in connection.execute(
            select(person.id, person.sort_name, person.note).where(person.id.in_(ids))
        )
    }
    variants: dict[int, list[str]] = defaultdict(list)
    query = (
        select(person_name.person_id, person_name.family, person_name.given)
        .add_columns(person_name.prefix, person_name.suffix)
        .where(person_name.person_id.in_(ids), person_name.kind == "variant")
        .order_by(person_name.id)
    )
    for person_id, *parts in connection.execute(query):
        variants[person_id].append(names.Name(*parts).display)
    return [
        {
            "role": role,
            "name": people[person_id].display,
            "sort_name": details[person_id][0],
            "variants": variants[person_id],
            "note": details[person_id][1],
        }
        for role, person_id, _given in credits
    ]


_AUTHOR_ROLES = ("author", "coauthor")
_LISTED_IDS = 500
"""Up to this many editions, their related rows are fetched by id (well inside every
backend's limit on parameters); beyond, by the filter's own conditions."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many objects that form no cycles are
    built (views, export text, parsed entries, rows): otherwise it walks everything built so
    far again and again, which took half of a 20,000-entry export and a third of a
    100,000-entry import (measured). Reference counting still frees.

    On the way out what was built is moved out of the collector's sight (``gc.freeze``), or
    the first collections after the pause would walk all of it at once (4 s of a
    100,000-entry import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _views(
    session: Session,
    conditions: Iterable[ColumnElement[bool]],
    ordered: bool = True,
    with_people: bool = False,
) -> list[EditionView]:
    """The editions meeting ``conditions`` as views (in year then key order if ``ordered``):
    one select for the editions with their originals and publishers, then one per table for
    people and alternate titles, grouped here. ``with_people`` adds each person's variant
    names and note."""
    with gc_paused():
        return _read_views(session.connection(), conditions, ordered, with_people)


def _read_views(
    connection: Connection,
    conditions: Iterable[ColumnElement[bool]],
    ordered: bool,
    with_people: bool,
) -> list[EditionView]:
    conditions = list(conditions)
    query = select(*_ROW).select_from(_ROWS_FROM).where(*conditions)
    rows = connection.execute(query.order_by(*_ORDER) if ordered else query).all()
    edition_ids: Select[Any] | list[int]
    work_ids: Select[Any] | list[int]
    if len(rows) <= _LISTED_IDS:
        # A researcher's answer: its ids, so that a costly filter (a publisher's name looked
        # for inside every publisher's) runs once, not once more per related table.
        edition_ids = [row[0] for row in rows]
        work_ids = sorted({row[1] for row in rows if row[1] is not None})
    else:
        # An export: the related rows selected by the same conditions, one statement per
        # table whatever the number of editions, and no limit on parameters to run into.
        chosen = _EDITION.outerjoin(_WORK, _EDITION.c.work_id == _WORK.c.id)
        edition_ids = select(_EDITION.c.id).select_from(chosen).where(*conditions)
        work_ids = select(_EDITION.c.work_id).select_from(chosen).where(*conditions)
    people: dict[int, names.Name] = {}
    known: dict[int, Authority] = {}
    edition_credits = _credits(connection, "edition_id", edition_ids, people, known)
    work_credits = _credits(connection, "work_id", work_ids, people, known)
    alternate_titles = _alternate_titles(connection, edition_ids)
    keywords = _keywords(connection, edition_ids)
    no_credits: list[tuple[str, int, names.Name | None]] = []
    views = []
    for row in rows:
        edition_id, work_id, extra = row[0], row[1], row[2] or {}
        on_edition = edition_credits.get(edition_id, no_credits)
        on_work = work_credits.get(work_id, no_credits) if work_id is not None else no_credits
        authors = [
            given or people[p]
            for role, p, given in (*on_work, *on_edition)
            if role in _AUTHOR_ROLES
        ]
        authorities = {}
        if known:
            for field_name, ids in (
                ("authors", [p for r, p, _ in (*on_work, *on_edition) if r in _AUTHOR_ROLES]),
                ("translators", [p for r, p, _ in on_edition if r == "translator"]),
                ("editors", [p for r, p, _ in on_edition if r == "editor"]),
            ):
                if any(p in known for p in ids):
                    authorities[field_name] = [known.get(p, _NO_AUTHORITY) for p in ids]
        original = None
        if work_id is not None:
            original = OriginalView(
                **dict(zip(_ORIGINAL_COLUMNS, row[_ORIGINAL_FIELDS], strict=True))
            )
        view = EditionView(
            **dict(zip(_VIEW_COLUMNS, row[_VIEW_FIELDS], strict=True)),
            authors=authors,
            translators=[
                given or people[p] for role, p, given in on_edition if role == "translator"
            ],
            editors=[given or people[p] for role, p, given in on_edition if role == "editor"],
            also_published_as=alternate_titles.get(edition_id, []),
            keywords=keywords.get(edition_id, []),
            kept={fmt: extra[fmt] for fmt in ("ris", "csl", "bib", "marc") if fmt in extra},
            original=original,
            extra_fields=[(name, value) for name, value in extra.get("fields", [])],
            others=list(extra.get("others", [])),
            inherited=list(extra.get("inherited", [])),
            authorities=authorities,
        )
        if with_people:
            view.people = _person_details(connection, [*on_work, *on_edition], people)
        views.append(view)
    return views


def list_editions(session: Session, filters: Filters) -> list[EditionView]:
    """The editions passing ``filters``, as views."""
    return _views(session, _conditions(filters))


def page_of_editions(
    session: Session, filters: Filters, page: int, size: int
) -> tuple[int, list[EditionView]]:
    """How many editions pass ``filters``, and page ``page`` (from 1) of ``size`` of them as
    views, in ``list_editions``'s order: a browser's page of a large catalogue without a view
    of every edition."""
    conditions = _conditions(filters)
    total = session.scalar(select(func.count()).select_from(_ROWS_FROM).where(*conditions))
    ids = list(
        session.scalars(
            select(_EDITION.c.id)
            .select_from(_ROWS_FROM)
            .where(*conditions)
            .order_by(*_ORDER)
            .limit(size)
            .offset((page - 1) * size)
        )
    )
    return total or 0, _views(session, [_EDITION.c.id.in_(ids)]) if ids else []


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
        found = _views(session, [_EDITION.c.key.in_(set(wanted))], ordered=False)
        found = [view for view in sorted(found, key=lambda v: v.key) if view.key not in have]
        have.update(view.key for view in found)
        result += found
        wanted = [key for view in found for key in referenced_keys(view) if key not in have]
    return result


def get_edition(session: Session, key: str) -> EditionView:
    """The edition with citation key ``key``; NotFound if there is none."""
    found = _views(session, [_EDITION.c.key == key], ordered=False, with_people=True)
    if not found:
        raise NotFound(f"no edition with key {key!r}")
    return found[0]


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


def record_view(record: EditionRecord) -> EditionView:
    """The view the catalogue would give back of ``record`` once written (people as the
    record names them, publishers with single spaces, languages as codes), for a reader to
    ask its own writer which of the record's fields the columns reproduce."""

    def one_space(text: str | None) -> str | None:
        return " ".join(text.split()) if text and text.strip() else None

    def year(date: str | None) -> int | None:
        try:
            return year_of(date)
        except InvalidValue:
            return None

    def people(found: list[str | names.Name]) -> list[names.Name]:
        return [n for n in found if isinstance(n, names.Name)]

    def language(value: str | None) -> str | None:
        return read_language(value) if value else None

    work = record.original
    original = None
    if work is not None:
        original = OriginalView(
            key="",
            title=work.title,
            subtitle=work.subtitle,
            year=year(work.date),
            date=work.date,
            place=work.place,
            publisher=one_space(work.publisher),
            language=language(work.language),
            form=work.form,
            annotation=work.annotation or None,
            notes=work.notes,
        )
    return EditionView(
        key=record.key or "",
        entry_type=record.entry_type,
        title=record.title,
        subtitle=record.subtitle,
        year=year(record.date),
        date=record.date,
        place=record.place,
        publisher=one_space(record.publisher),
        language=language(record.language),
        series=record.series,
        journal=record.journal,
        volume=record.volume,
        number=record.number,
        translator_status=record.translator_status
        or ("named" if record.translators else "unknown"),
        form=record.form,
        section=record.section,
        edition_annotation=record.annotation or None,
        notes=record.notes,
        pages=record.pages or None,
        doi=record.doi or None,
        isbn=record.isbn or None,
        issn=record.issn or None,
        url=record.url or None,
        abstract=record.abstract or None,
        edition_statement=record.edition_statement or None,
        note=record.note or None,
        keywords=list(record.keywords),
        authors=people(record.authors),
        translators=people(record.translators),
        editors=people(record.editors),
        also_published_as=list(record.also_published_as),
        original=original,
        extra_fields=list(record.extra_fields),
        others=list(record.others),
        inherited=list(record.inherited),
    )


def people_of(session: Session, key: str) -> dict[str, list[str | names.Name]]:
    """The edition's people by role, as "#ID" references, so that re-writing the record
    links the very same person records (no name lookup, no ambiguity)."""
    edition = session.scalar(select(Edition).where(Edition.key == key))
    assert edition is not None
    people: dict[str, list[str | names.Name]] = {"author": [], "translator": [], "editor": []}
    contributions = [*(edition.work.contributions if edition.work else []), *edition.contributions]
    for c in contributions:
        people["author" if c.role == "coauthor" else c.role].append(f"#{c.person_id}")
    return people


def edition_record(session: Session, key: str) -> EditionRecord:
    """The edition ``key`` as a plain record (what an import of it would give)."""
    view = get_edition(session, key)
    people = people_of(session, key)
    original = None
    if view.original is not None:
        o = view.original
        original = OriginalRecord(
            title=o.title,
            subtitle=o.subtitle,
            date=o.date,
            place=o.place,
            publisher=o.publisher,
            language=o.language,
            form=o.form,
            annotation=o.annotation,
            notes=o.notes,
            qid=o.qid,
        )
    return EditionRecord(
        title=view.title,
        subtitle=view.subtitle,
        key=view.key,
        entry_type=view.entry_type,
        date=view.date,
        place=view.place,
        publisher=view.publisher,
        language=view.language,
        series=view.series,
        journal=view.journal,
        volume=view.volume,
        number=view.number,
        authors=people["author"],
        translators=people["translator"],
        editors=people["editor"],
        translator_status=view.translator_status,
        also_published_as=list(view.also_published_as),
        form=session.scalar(select(Edition.form).where(Edition.key == key)),  # its own, not
        # the original's, which the view shows where the edition has none
        section=view.section,
        annotation=view.edition_annotation,
        notes=view.notes,
        original=original,
        extra_fields=list(view.extra_fields),
        others=list(view.others),
        inherited=list(view.inherited),
        pages=view.pages,
        doi=view.doi,
        isbn=view.isbn,
        issn=view.issn,
        url=view.url,
        abstract=view.abstract,
        keywords=list(view.keywords),
        edition_statement=view.edition_statement,
        note=view.note,
        kept={fmt: [list(pair) for pair in pairs] for fmt, pairs in view.kept.items()},
        qid=view.qid,
    )


# ----------------------------------------------------------------------------- people, publishers


def variant_names(session: Session, ids: list[int]) -> dict[int, list[names.Name]]:
    """The other names (not the primary) of the people ``ids``, in the order they were
    given, by person; people without any are left out."""
    from .models import PersonName

    found: dict[int, list[names.Name]] = defaultdict(list)
    for person_id, family, given, prefix, suffix in session.execute(
        select(PersonName.person_id, PersonName.family, PersonName.given,
               PersonName.prefix, PersonName.suffix)
        .where(PersonName.person_id.in_(ids), PersonName.kind == "variant")
        .order_by(PersonName.id)
    ):  # fmt: skip
        found[person_id].append(names.Name(family, given, prefix, suffix))
    return found


def people_rows(
    session: Session, search: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Every person (or those with a name containing ``search``, case and accents ignored;
    the first ``limit``): id, name, other names, credits by role, note; sorted by name."""
    from .models import PersonName

    query = select(Person.id, Person.sort_name, Person.note).order_by(Person.sort_name, Person.id)
    if search:
        wanted = f"%{names.fold(search)}%"
        query = query.where(
            Person.id.in_(
                select(PersonName.person_id).where(
                    PersonName.match_key.like(wanted) | PersonName.family_key.like(wanted)
                )
            )
        )
    people = session.execute(query.limit(limit)).all()
    ids = [p.id for p in people]
    variants: dict[int, list[str]] = defaultdict(list)
    credits: dict[int, dict[str, int]] = defaultdict(dict)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for person_id, others in variant_names(session, chunk).items():
            variants[person_id] = [name.sort_name for name in others]
        # An edition or work counts once in a role, however often its list names the person.
        role = _author_or(Contribution.role).label("credited_as")
        for person_id, credited_as, count in session.execute(
            select(
                Contribution.person_id,
                role,
                func.count(func.distinct(Contribution.edition_id))
                + func.count(func.distinct(Contribution.work_id)),
            )
            .where(Contribution.person_id.in_(chunk))
            .group_by(Contribution.person_id, role)
        ):
            credits[person_id][credited_as] = count
    return [
        {
            "id": p.id,
            "name": p.sort_name,
            "other_names": variants.get(p.id, []),
            "credits": ", ".join(f"{n} as {r}" for r, n in sorted(credits[p.id].items())),
            "note": p.note,
        }
        for p in people
    ]


def _author_or(role: Any) -> Any:
    """``role`` with a coauthor counted as an author (SQL)."""
    return case((role == "coauthor", "author"), else_=role)


def person_record(session: Session, person: Person) -> dict[str, Any]:
    """One person as ``biblio people show`` shows it: names, note, and each credit (role,
    the edition's or work's key, its title and year)."""
    role = _author_or(Contribution.role).label("credited_as")
    rows = session.execute(
        select(role, Edition.key, Work.key, Edition.title, Work.title,
               Edition.year, Work.year)
        .outerjoin(Edition, Edition.id == Contribution.edition_id)
        .outerjoin(Work, Work.id == Contribution.work_id)
        .where(Contribution.person_id == person.id)
        .order_by(role, Edition.key, Work.key)
        .distinct()  # a list naming the person twice is one credit
    )  # fmt: skip
    from .identifiers import KINDS, display

    held = {kind: display(kind, getattr(person, kind)) for kind in KINDS if getattr(person, kind)}
    return {
        "id": person.id,
        "name": person.sort_name,
        "display": names.Name(person.family, person.given, person.prefix, person.suffix).display,
        "other_names": [
            names.Name(n.family, n.given, n.prefix, n.suffix).sort_name
            for n in person.names
            if n.kind == "variant"
        ],
        "note": person.note,
        **held,  # identifiers only where the person has them
        "credits": [
            {
                "role": role,
                "edition" if edition else "work": edition or work,
                "title": edition_title if edition else work_title,
                "year": edition_year if edition else work_year,
            }
            for role, edition, work, edition_title, work_title, edition_year, work_year in rows
        ],  # fmt: skip
    }


def publisher_rows(
    session: Session, search: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Every publisher (or those with a name containing ``search``; the first ``limit``): id,
    name, other names, editions and works published, note; sorted by name."""
    from .models import Publisher, PublisherName

    query = select(Publisher).order_by(Publisher.name_key, Publisher.id)
    if search:
        wanted = f"%{names.fold(search)}%"
        query = query.where(
            Publisher.name_key.like(wanted)
            | Publisher.id.in_(
                select(PublisherName.publisher_id).where(PublisherName.name_key.like(wanted))
            )
        )
    publishers = list(session.scalars(query.limit(limit)))
    editions = dict(
        session.execute(
            select(Edition.publisher_id, func.count()).group_by(Edition.publisher_id)
        ).all()
    )
    works = dict(
        session.execute(select(Work.publisher_id, func.count()).group_by(Work.publisher_id)).all()
    )
    others: dict[int, list[str]] = defaultdict(list)
    for publisher_id, name in session.execute(
        select(PublisherName.publisher_id, PublisherName.name).order_by(PublisherName.id)
    ):
        others[publisher_id].append(name)
    return [
        {
            "id": p.id,
            "name": p.name,
            "other_names": others.get(p.id, []),
            "editions": editions.get(p.id, 0),
            "works": works.get(p.id, 0),
            "note": p.note,
        }
        for p in publishers
    ]


# ----------------------------------------------------------------------------- full-text search


def search(session: Session, query: str, limit: int | None = None) -> list[EditionView]:
    """The editions every word of ``query`` finds, best first: in their titles, subtitles,
    alternate titles, annotations and original, or in the names of their people (any of their
    names, credited on the edition or its original) or publisher (any of its names); one
    full-text index holds them all (SQLite FTS5, PostgreSQL tsvector: migrations 0011 and
    0015). Case, accents and punctuation are ignored and a word matches as a prefix ("Gree"
    finds Greeman); the words are data, never query syntax, so "Jean-Paul" or "O'Brien" is
    simply searched for. The CLI's ``biblio search`` and the web both call it.

    Best first: by relevance (FTS5's bm25, PostgreSQL's ts_rank), ties by id, among the
    ``RANKED_AT_MOST`` editions catalogued last that match; any older matches follow, newest
    first. With a ``limit``, only that many are read and made into views."""
    words = names.fold(query).split()
    if not words:
        return []
    connection = session.connection()
    chosen = _text_matches(connection, words, limit)
    if not chosen:
        return []
    order = {edition_id: i for i, edition_id in enumerate(chosen)}
    no_containers = _EDITION.c.entry_type != "xdata"  # as listings: see Filters.containers
    views = _views(session, [_among(_EDITION.c.id, chosen), no_containers], ordered=False)
    ids: dict[str, int] = {
        key: edition_id
        for key, edition_id in connection.execute(
            select(_EDITION.c.key, _EDITION.c.id).where(_among(_EDITION.c.id, chosen))
        )
    }
    views.sort(key=lambda v: order[ids[v.key]])
    return views


def _among(column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN (ids)``, the ids written into the statement: a search without a limit
    may find more editions than a statement takes parameters (65,535 with psycopg)."""
    from sqlalchemy import bindparam

    return column.in_(bindparam(None, ids, expanding=True, literal_execute=True))


RANKED_AT_MOST = 2_000
"""How many of the editions a search matches are ranked by relevance: the ones catalogued
last; older matches follow them, newest first. Ranking reads each ranked edition's index
entry and sizes: over a million editions, ranking all that a common word or name matches
took a search past 50 ms (README, "search over a million editions"). Where a search matches
fewer, all are ranked."""


SEARCH_WORK_MEM = "64MB"
"""PostgreSQL's work_mem for a search's transaction."""

PREFIX_WORDS_AT_MOST = 64
"""PostgreSQL: a search word that begins at most this many of the index's words is asked for
as those whole words, joined by OR (the table ``search_word``, migration 0016): the same
editions as GIN's prefix match, at the cost of whole words. A word that begins more (a letter
or two) is asked for as a prefix, and tested on the rows the other words find (``_Terms``)."""

FIRST_WINDOW = 10_000
"""PostgreSQL: a search first looks for its newest matches among this many ids below the
newest, walking the primary key down (the fastest way for a common word), then in windows
below sized from how often it found them there (see ``_newest_ranked``)."""

COMMON = 0.05
"""PostgreSQL: a search whose first window matched at least this share of its editions goes
on walking the primary key down; a rarer one reads each window through the indexes."""


def _text_matches(connection: Connection, words: list[str], limit: int | None) -> list[int]:
    """Editions whose indexed text has every word (as a prefix), best first (ties by id)
    among the ``RANKED_AT_MOST`` catalogued last, then older ones, newest first; the first
    ``limit`` of them if given."""
    from sqlalchemy import text

    if connection.dialect.name == "sqlite":
        # Each word a quoted FTS5 string with a prefix star: no operator can get in.
        match = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        found = "FROM edition_fts WHERE edition_fts MATCH :q"
        # One pass over the index: the newest matches with their scores (bm25: lower is
        # better), ranked here.
        parameters = {"q": match}
        newest: list[tuple[int, float]] = [
            (edition_id, score)
            for edition_id, score in connection.execute(
                text(
                    f"SELECT rowid, bm25(edition_fts) {found} ORDER BY rowid DESC "
                    f"LIMIT {RANKED_AT_MOST}"
                ),
                parameters,
            )
        ]
        older = f"SELECT rowid {found} AND rowid < :oldest ORDER BY rowid DESC"
    else:
        # Room for an exact bitmap of a common word's rows (the default 4MB makes it lossy:
        # every row of its pages read again), for this transaction only.
        connection.execute(text(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'"))
        terms = _tsquery(connection, words)
        if terms is None:
            return []
        newest = _newest_ranked(connection, terms)
        older = f"SELECT id FROM edition WHERE {terms.condition} AND id < :oldest ORDER BY id DESC"
        parameters = terms.parameters
    chosen = [edition_id for edition_id, _ in sorted(newest, key=lambda row: (row[1], row[0]))]
    if len(newest) < RANKED_AT_MOST or (limit is not None and len(chosen) >= limit):
        return chosen[:limit]
    if limit is not None:
        older += f" LIMIT {int(limit) - len(chosen)}"
    oldest = min(edition_id for edition_id, _ in newest)
    rest = connection.execute(text(older), {**parameters, "oldest": oldest}).scalars()
    return chosen + list(rest)


@dataclass(frozen=True)
class _Terms:
    """PostgreSQL: a search's words as tsqueries: ``indexed``, the ones asked of the GIN index,
    and ``filtered``, broad ones (one letter, or a prefix of more than
    ``PREFIX_WORDS_AT_MOST`` words) tested on the rows the others found (an OR of the many
    common words a short prefix begins made the index's bitmap three to ten times slower);
    ``every`` is every word as a prefix, the query the two stand for: editions are ranked
    by it, so that a score does not depend on how the words were asked of the index."""

    indexed: str
    filtered: str
    every: str

    @property
    def condition(self) -> str:
        """SQL: an edition matches every word (``ts_match_vq``, the function behind ``@@``,
        is not matched to the index, so the broad words are a filter)."""
        found = "search_vector @@ to_tsquery('simple', :q)"
        if self.filtered:
            found += " AND ts_match_vq(search_vector, to_tsquery('simple', :broad))"
        return found

    @property
    def score(self) -> str:
        """SQL: the relevance of an edition to every word, lower is better."""
        return "-ts_rank(search_vector, to_tsquery('simple', :every))"

    @property
    def parameters(self) -> dict[str, str]:
        """The bound values of ``condition`` and ``score``."""
        return {"q": self.indexed, "broad": self.filtered, "every": self.every}


BROAD_BELOW = 2
"""PostgreSQL: a search word shorter than this (one letter) is tested on the rows the others
find rather than asked of the index (``_Terms``), unless every word is as short."""


def _tsquery(connection: Connection, words: list[str]) -> _Terms | None:
    """PostgreSQL: the tsqueries finding every word as a prefix, each word written as the
    whole words of the index it begins (``search_word``) where there are at most
    ``PREFIX_WORDS_AT_MOST``, else as a prefix (``'word':*``); None where a word begins no
    word of the index, so that nothing can match."""
    from sqlalchemy import text

    prefixes = ["'" + word.replace("'", "''") + "':*" for word in words]
    uppers = [_successor(word) for word in words]
    rows = connection.execute(
        text(
            "SELECT q.n, to_tsquery('simple', q.prefix)::text, ARRAY("
            "SELECT DISTINCT s.word FROM search_word s "
            'WHERE s.word >= q.word COLLATE "C" AND s.word < q.upper COLLATE "C" '
            "ORDER BY s.word LIMIT :most) "
            "FROM unnest(CAST(:words AS text[]), CAST(:prefixes AS text[]), "
            "CAST(:uppers AS text[])) WITH ORDINALITY AS q(word, prefix, upper, n) "
            "ORDER BY q.n"
        ),
        {
            "words": words,
            "prefixes": prefixes,
            "uppers": [upper or "" for upper in uppers],
            "most": PREFIX_WORDS_AT_MOST + 1,
        },
    ).all()
    narrow: list[str] = []
    broad: list[str] = []
    for (_n, parsed, whole), word, prefix, upper in zip(rows, words, prefixes, uppers, strict=True):
        if not parsed:  # no lexeme at all (a sign the parser skips, a word too long to index)
            continue  # which the plain query drops too (and ``every`` still holds)
        if parsed != prefix or upper is None:  # not one lexeme as PostgreSQL parses it
            narrow.append(prefix)
        elif len(whole) > PREFIX_WORDS_AT_MOST:
            broad.append(prefix)
        elif not whole:
            return None
        else:
            term = "(" + " | ".join("'" + w.replace("'", "''") + "'" for w in whole) + ")"
            (broad if len(word) < BROAD_BELOW else narrow).append(term)
    if not narrow:
        narrow, broad = broad, []
    if not narrow:  # no word gave a lexeme: the plain query finds nothing either
        return None
    return _Terms(" & ".join(narrow), " & ".join(broad), " & ".join(prefixes))


def _successor(word: str) -> str | None:
    """The least string above every string that begins with ``word``, in code-point order (its
    last character that can be raised, raised); None if there is none."""
    for end in range(len(word) - 1, -1, -1):
        code = ord(word[end]) + 1
        if 0xD800 <= code <= 0xDFFF:  # surrogates are not characters
            code = 0xE000
        if code <= 0x10FFFF:
            return word[:end] + chr(code)
    return None


def _newest_ranked(connection: Connection, terms: _Terms) -> list[tuple[int, float]]:
    """PostgreSQL: the ``RANKED_AT_MOST`` newest editions matching ``terms`` (all if fewer),
    each with its score (lower is better), read window by window from the newest id down so
    that a common word's rows are not all visited for the newest of them.

    The first window (``FIRST_WINDOW`` ids) walks the primary key down, testing each row.
    Each next window is sized from the share of matches found so far to hold the ones
    missing (half as many again, and at least a quarter of the ids passed); a search that
    found at least ``COMMON`` goes on walking, a rarer one reads the window as the
    intersection of the full-text index's bitmap with the ids' block-range index (migration
    0016), visiting only its matches. The planner is told which way for each window (its
    estimates for several words are too far off to choose), and its settings are put back
    before returning."""
    from sqlalchemy import text

    top, bottom, index_scan, bitmap_scan = connection.execute(
        text(
            "SELECT max(id), min(id), current_setting('enable_indexscan'), "
            "current_setting('enable_bitmapscan') FROM edition"
        )
    ).one()
    if top is None:
        return []
    select = f"SELECT id, {terms.score} FROM edition WHERE {terms.condition} AND id < :high"
    plan = "SELECT set_config('enable_indexscan', :index, true), " + (
        "set_config('enable_bitmapscan', :bitmap, true)"
    )
    found: list[tuple[int, float]] = []
    high, width, walk = top + 1, FIRST_WINDOW, True
    while len(found) < RANKED_AT_MOST:
        way = {"index": "on", "bitmap": "off"} if walk else {"index": "off", "bitmap": "on"}
        connection.execute(text(plan), way)
        low = high - width
        last = low <= bottom
        statement = select + ("" if last else " AND id >= :low")
        statement += f" ORDER BY id DESC LIMIT {RANKED_AT_MOST - len(found)}"
        found += [
            (edition_id, score)
            for edition_id, score in connection.execute(
                text(statement), {**terms.parameters, "high": high, "low": low}
            )
        ]
        if last:
            break
        seen, high = top + 1 - low, low
        share = len(found) / seen
        walk = share >= COMMON
        missing = RANKED_AT_MOST - len(found)
        width = max(int(missing / share * 1.5), seen // 4) + 1 if found else seen * 8
    # Put back for the rest of the transaction (after a failure the rollback does it).
    connection.execute(text(plan), {"index": index_scan, "bitmap": bitmap_scan})
    return found


def editions_published_by(session: Session, publisher_id: int) -> list[EditionView]:
    """The editions of one publisher record (whatever name they spell it with)."""
    return _views(session, [_EDITION.c.publisher_id == publisher_id])


@dataclass
class CreditedPerson:
    """A person credited on some editions, as an authority record gives them: the name,
    the other names, the note, and each credit as (role, edition key)."""

    id: int
    name: names.Name
    variants: list[names.Name]
    note: str | None
    credits: list[tuple[str, str]]
    authority: Authority = _NO_AUTHORITY  # Wikidata, VIAF, ISNI


def credited_people(session: Session, views: Sequence[EditionView]) -> list[CreditedPerson]:
    """The people credited on ``views``' editions or on their works, by sort name; each
    with the credits among those editions (a work's author on each of its editions)."""

    keys = [view.key for view in views]
    edition, contribution = _EDITION.c, _CONTRIBUTION.c
    credits: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for start in range(0, len(keys), _LISTED_IDS):
        chunk = keys[start : start + _LISTED_IDS]
        on_edition = (
            select(contribution.person_id, contribution.role, edition.key, contribution.position)
            .join_from(_CONTRIBUTION, _EDITION, contribution.edition_id == edition.id)
            .where(edition.key.in_(chunk))
        )
        on_work = (
            select(contribution.person_id, contribution.role, edition.key, contribution.position)
            .join_from(_CONTRIBUTION, _EDITION, contribution.work_id == edition.work_id)
            .where(edition.key.in_(chunk))
        )
        for query in (on_work, on_edition):
            for person_id, role, key, _position in session.execute(
                query.order_by(edition.key, contribution.position, contribution.id)
            ):
                role = "author" if role == "coauthor" else role
                if (role, key) not in credits[person_id]:
                    credits[person_id].append((role, key))
    order = {key: index for index, key in enumerate(keys)}
    ids: list[int] = sorted(credits)
    people: list[CreditedPerson] = []
    for start in range(0, len(ids), _LISTED_IDS):
        some = ids[start : start + _LISTED_IDS]
        variants = variant_names(session, some)
        for person in session.scalars(select(Person).where(Person.id.in_(some))):
            people.append(
                CreditedPerson(
                    id=person.id,
                    name=_name(person),
                    variants=variants.get(person.id, []),
                    note=person.note,
                    credits=sorted(credits[person.id], key=lambda c: order[c[1]]),
                    authority=Authority(person.qid, person.viaf, person.isni),
                )
            )
    people.sort(key=lambda p: (names.fold(p.name.sort_name), p.id))
    return people


def other_editions_of_their_works(
    session: Session, views: Sequence[EditionView]
) -> list[EditionView]:
    """The catalogue's other editions of ``views``' works (the originals' own editions and
    the other translations, which MARC 765 and 767 fields point to); none when ``views``
    hold every edition."""
    total = session.execute(select(func.count()).select_from(_EDITION)).scalar_one()
    if len(views) >= total:
        return []
    have = {view.key for view in views}
    work_keys = sorted({view.original.key for view in views if view.original is not None})
    found: list[EditionView] = []
    for start in range(0, len(work_keys), _LISTED_IDS):
        chunk = work_keys[start : start + _LISTED_IDS]
        found += [v for v in _views(session, [_WORK.c.key.in_(chunk)]) if v.key not in have]
    return found
