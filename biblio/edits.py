"""A librarian's corrections: add, edit, remove and merge, each inside the caller's
transaction, each validated before anything changes.

Edits work on the same plain records as imports: the edition is read back into an
``EditionRecord``, changed, validated and written through ``catalogue.upsert_edition``. A field
the librarian changes loses the raw .bib text an import kept for it, so the new value is the
one exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import history, identifiers, names
from .catalogue import find_existing, refresh_inherited, remove_orphan_works, upsert_edition
from .errors import AmbiguousName, InvalidValue, NotFound
from .export.ris import kept_after_edit
from .export.tex import canonical
from .history import update_rows
from .languages import language_code
from .matching import Matcher, find_publisher, name_as_given, person_name_row
from .models import (
    AlternateTitle,
    Contribution,
    Edition,
    EditionParent,
    Person,
    PersonName,
    Publisher,
    PublisherName,
    Work,
)
from .queries import edition_record
from .records import EditionRecord, OriginalRecord, check_key, real_date, standard_number, year_of

# ----------------------------------------------------------------------------- add


def add_edition(session: Session, record: EditionRecord) -> str:
    """Catalogue a new edition (and its original, unless already catalogued, in which case the
    edition joins it); return its citation key. InvalidValue if it is already catalogued."""
    history.name(session, "add")
    record.validate("new entry")
    if not (record.title or "").strip():
        raise InvalidValue("empty title")
    matcher = Matcher(session, typed=True)
    existing = find_existing(session, matcher, record)
    if existing is not None:
        if existing.key == record.key:
            raise InvalidValue(f"key {record.key!r} is taken by: {existing.title}")
        raise InvalidValue(f"already catalogued as '{existing.key}': {existing.title}")
    edition, _outcome = upsert_edition(session, matcher, record, publisher_typed=True)
    refresh_inherited(session, [edition.key])  # children catalogued before their parent
    return edition.key


def record_from_values(values: dict[str, str]) -> EditionRecord:
    """A new edition from the fields a librarian filled in (the names and rules of
    ``EDITABLE``, as ``edit --set`` takes them; empty fields are left out)."""
    record = EditionRecord(title="")
    for field, value in values.items():
        if not value.strip():
            continue
        if field == "key":
            record.key = value.strip()
            continue
        if field not in EDITABLE:
            raise InvalidValue(f"unknown field {field!r}")
        try:
            EDITABLE[field].set(record, value)
        except InvalidValue as exc:
            raise InvalidValue(f"{field}: {exc}") from None
    if record.original is not None and not record.original.title:
        raise InvalidValue("orig-title is needed to record an original")
    return record


def possible_duplicates(
    session: Session, record: EditionRecord, limit: int = 10
) -> list[tuple[str, str, int | None, str]]:
    """Catalogued editions a new ``record`` may duplicate (what Koha's cataloguing checks on
    save): (key, title, year, reason) for those with the same title, whatever the year or
    spelling of accents and case, and those of the same original in the same language."""
    found: dict[str, tuple[str, str, int | None, str]] = {}
    title_key = names.fold(record.title or "")
    if title_key:
        for key, title, year in session.execute(
            select(Edition.key, Edition.title, Edition.year)
            .where(Edition.title_key == title_key)
            .order_by(Edition.year, Edition.key)
            .limit(limit)
        ):
            found[key] = (key, title, year, "same title")
    if record.original is not None and record.original.title:
        query = (
            select(Edition.key, Edition.title, Edition.year)
            .join(Work, Edition.work_id == Work.id)
            .where(Work.title_key == names.fold(record.original.title))
            .order_by(Edition.year, Edition.key)
            .limit(limit)
        )
        if record.language:
            query = query.where(Edition.language == record.language)
        for key, title, year in session.execute(query):
            found.setdefault(key, (key, title, year, "same original and language"))
    return list(found.values())[:limit]


def save_edition(
    session: Session,
    values: dict[str, str],
    key: str | None = None,
    *,
    all_editions: bool = False,
    confirmed: bool = False,
) -> str:
    """Save a librarian's form: a new edition (``key`` None) from ``values``, or the changed
    ``values`` of edition ``key``, under the rules of ``add`` and ``edit``; return the key.

    Unless ``confirmed``, NeedsConfirmation (and nothing saved) when a new edition looks like
    catalogued ones, or when the save would create a person or publisher that no record
    bears yet: a librarian picks existing records, and creates one only when asked to."""
    from .errors import NeedsConfirmation

    values = {f: v.replace("\r\n", "\n") for f, v in values.items()}  # a browser's text
    if key is None:
        record = record_from_values(values)
        duplicates = [] if confirmed else possible_duplicates(session, record)
        saved = add_edition(session, record)
    else:
        changes = {f: new for f, (_, new) in changed_values(session, key, values).items()}
        duplicates = []
        saved = edit_edition(session, key, changes, all_editions) if changes else key
    if confirmed:
        return saved
    new_people = [
        session.get(Person, i).sort_name  # type: ignore[union-attr]
        for i in sorted(history.inserted(session, "person"))
    ]
    new_publishers = [
        session.get(Publisher, i).name  # type: ignore[union-attr]
        for i in sorted(history.inserted(session, "publisher"))
    ]
    if duplicates or new_people or new_publishers:
        raise NeedsConfirmation(duplicates, new_people, new_publishers)
    return saved


# ----------------------------------------------------------------------------- edit


def _people(value: str) -> list[str | names.Name]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _text(value: str) -> str | None:
    return value.strip() or None


def _original(record: EditionRecord) -> OriginalRecord:
    if record.original is None:
        record.original = OriginalRecord(title="")
    return record.original


def _set_original(attr: str, convert: Callable[[str], object] = _text) -> Callable:  # type: ignore[type-arg]
    def setter(record: EditionRecord, value: str) -> None:
        original = _original(record)
        setattr(original, attr, convert(value))

    return setter


def _set(attr: str, convert: Callable[[str], object] = _text) -> Callable:  # type: ignore[type-arg]
    def setter(record: EditionRecord, value: str) -> None:
        setattr(record, attr, convert(value))

    return setter


def _date(value: str) -> str | None:
    """A date a librarian types: ISO 8601, and a day its month has (2001-02-29 is none)."""
    value = value.strip()
    year_of(value)
    if value and not real_date(value):
        raise InvalidValue(f"invalid date {value!r}: no such month or day")
    return value or None


def _language(value: str) -> str | None:
    return language_code(value) if value.strip() else None


def _translators(record: EditionRecord, value: str) -> None:
    record.translators = _people(value)
    if record.translators:
        record.translator_status = "named"
    elif record.translator_status == "named":
        record.translator_status = "unknown"


@dataclass(frozen=True)
class Editable:
    """A field ``edit --set`` can change: how to set it, and the .bib fields it replaces."""

    set: Callable[[EditionRecord, str], None]
    bib_fields: tuple[str, ...]
    help: str


EDITABLE: dict[str, Editable] = {
    "title": Editable(_set("title", str.strip), ("title",), "the edition's title"),
    "subtitle": Editable(_set("subtitle"), ("subtitle",), "its subtitle"),
    "year": Editable(_set("date", _date), ("date", "month"), "YYYY, YYYY-MM or YYYY-MM-DD"),
    "place": Editable(_set("place"), ("location",), "place of publication"),
    "publisher": Editable(_set("publisher"), ("publisher",), "publisher's name"),
    "language": Editable(_set("language", _language), ("langid", "language"), "ISO code or name"),
    "series": Editable(_set("series"), ("series",), "series"),
    "journal": Editable(_set("journal"), ("journaltitle",), "journal of a special issue"),
    "volume": Editable(_set("volume"), ("volume",), "volume"),
    "number": Editable(_set("number"), ("number",), "number"),
    "type": Editable(_set("entry_type", str.strip), (), "biblatex entry type"),
    "form": Editable(_set("form"), (), "novel, poetry, non-fiction, collection, pamphlet, other"),
    "annotation": Editable(_set("annotation"), ("annotation",), "the edition's annotation"),
    "notes": Editable(_set("notes"), (), "cataloguer's notes"),
    "authors": Editable(_set("authors", _people), ("author",), 'names separated by ";"'),
    "translators": Editable(_translators, ("translator",), 'names separated by ";"'),
    "editors": Editable(_set("editors", _people), ("editor",), 'names separated by ";"'),
    "translator-status": Editable(
        _set("translator_status", str.strip), (), "named, not-named, none or unknown"
    ),
    "also-published-as": Editable(
        _set("also_published_as", lambda v: [t.strip() for t in v.split(";") if t.strip()]),
        (),
        'other titles separated by ";"',
    ),
    "orig-title": Editable(_set_original("title", str.strip), ("origtitle",), "original title"),
    "orig-year": Editable(_set_original("date", _date), ("origdate",), "original's date"),
    "orig-place": Editable(_set_original("place"), ("origlocation",), "original's place"),
    "orig-publisher": Editable(
        _set_original("publisher"), ("origpublisher",), "original's publisher"
    ),
    "orig-language": Editable(
        _set_original("language", _language), ("origlanguage",), "original's language"
    ),
    "work-annotation": Editable(
        _set_original("annotation"), (), "the annotation of the original work"
    ),
    "pages": Editable(_set("pages"), ("pages",), "pages, e.g. 12--34"),
    "doi": Editable(_set("doi"), ("doi",), "DOI, e.g. 10.1000/xyz"),
    "isbn": Editable(_set("isbn", lambda v: _standard("isbn", v)), ("isbn",), "ISBN-10 or -13"),
    "issn": Editable(_set("issn", lambda v: _standard("issn", v)), ("issn",), "ISSN"),
    "url": Editable(_set("url"), ("url",), "URL"),
    "abstract": Editable(_set("abstract"), ("abstract",), "the abstract (not the annotation)"),
    "keywords": Editable(
        _set("keywords", lambda v: [k.strip() for k in v.split(";") if k.strip()]),
        ("keywords",),
        'keywords separated by ";"',
    ),
    "edition": Editable(_set("edition_statement"), ("edition",), 'edition statement: "2nd ed."'),
    "note": Editable(_set("note"), ("note",), "a public note"),
    "qid": Editable(
        _set("qid", lambda v: identifiers.read("qid", v)), (), "the edition's Wikidata item: Q42"
    ),
    "work-qid": Editable(
        _set_original("qid", lambda v: identifiers.read("qid", v)),
        (),
        "the original work's Wikidata item: Q42",
    ),
}

#: The CSL variables an edited field stands for: an import keeps them as they came (the CSL
#: writer writes them back in place of the columns), so an edit drops them. The RIS tags it
#: drops are the RIS writer's to say (``biblio.export.ris.kept_after_edit``).
CSL_VARIABLES: dict[str, tuple[str, ...]] = {
    "title": ("title", "title-short"),
    "subtitle": ("title",),
    "year": ("issued",),
    "place": ("publisher-place",),
    "publisher": ("publisher",),
    "language": ("language",),
    "series": ("collection-title",),
    "journal": ("container-title", "container-title-short"),
    "volume": ("volume",),
    "number": ("number", "issue"),
    "type": ("type",),
    "authors": ("author",),
    "translators": ("translator",),
    "editors": ("editor",),
    "pages": ("page",),
    "doi": ("DOI",),
    "isbn": ("ISBN",),
    "issn": ("ISSN",),
    "url": ("URL",),
    "abstract": ("abstract",),
    "keywords": ("keyword",),
    "edition": ("edition",),
    "note": ("note",),
    "orig-title": ("original-title",),
    "orig-year": ("original-date",),
    "orig-place": ("original-publisher-place",),
    "orig-publisher": ("original-publisher",),
}


_PEOPLE_TAGS = ("100", "110", "245", "700", "710")
_PUBLICATION_TAGS = ("008", "260", "264")
MARC_TAGS: dict[str, tuple[str, ...]] = {
    "title": ("245",), "subtitle": ("245",), "year": _PUBLICATION_TAGS,
    "place": _PUBLICATION_TAGS, "publisher": _PUBLICATION_TAGS, "language": ("008", "041"),
    "series": ("440", "490", "830"), "journal": ("773",), "volume": ("773",),
    "number": ("490", "773", "830"), "type": ("LDR", "773"), "form": ("008",),
    "authors": _PEOPLE_TAGS, "translators": _PEOPLE_TAGS, "editors": _PEOPLE_TAGS,
    "pages": ("773",), "doi": ("024",), "isbn": ("020",), "issn": ("022", "490", "773"),
    "url": ("856",), "abstract": ("520",), "keywords": ("653",), "edition": ("250",),
    "note": ("500",), "annotation": ("520",), "work-annotation": ("520",), "notes": ("590",),
    "orig-title": ("130", "240", "500", "765"), "orig-year": ("500",), "orig-place": ("500",),
    "orig-publisher": ("500",), "orig-language": ("041", "500"),
}  # fmt: skip
"""The MARC tags whose fields, kept as a MARC import brought them (``kept["marc"]``), an
edit of the field drops, so that the export writes them from the columns, edit included."""


def _standard(kind: str, value: str) -> str | None:
    """An ISBN's or ISSN's catalogue form (an empty value clears it); InvalidValue for a bad
    check digit."""
    return standard_number(kind, value) if value.strip() else None


WORK_FIELDS = (
    "orig-title", "orig-year", "orig-place", "orig-publisher", "orig-language",
    "work-annotation", "authors", "work-qid",
)  # fmt: skip
"""Fields of an edition's original work, which its other editions share."""


def sharing_editions(session: Session, key: str, changes: Iterable[str]) -> list[str]:
    """The other editions whose original ``changes`` would change too (the fields of the work
    they share with edition ``key``), by key; empty if the changes touch no shared work."""
    if not set(changes) & set(WORK_FIELDS):
        return []
    work_id = session.scalar(select(Edition.work_id).where(Edition.key == key))
    if work_id is None:
        return []
    return list(
        session.scalars(
            select(Edition.key)
            .where(Edition.work_id == work_id, Edition.key != key)
            .order_by(Edition.key)
        )
    )


def edit_edition(
    session: Session, key: str, changes: dict[str, str], all_editions: bool = False
) -> str:
    """Apply ``changes`` (editable field -> new value as text) to edition ``key``; return its
    (possibly new) key. Everything is validated before anything is written.

    A change to the original (orig-*, work-annotation, authors) of a work other editions
    share changes it for all of them with ``all_editions``; otherwise this edition's
    original is split off as a work of its own, and the others keep theirs."""
    history.name(session, "edit")
    record = edition_record(session, key)
    replaced: set[str] = set()
    new_key = changes.get("key", key).strip()
    for field, value in changes.items():
        if field == "key":
            continue
        if field not in EDITABLE:
            known = ", ".join(["key", *EDITABLE])
            raise InvalidValue(f"unknown field {field!r} (one of {known})")
        try:
            EDITABLE[field].set(record, value)
        except InvalidValue as exc:
            raise InvalidValue(f"{key}: {field}: {exc}") from None
        replaced.update(EDITABLE[field].bib_fields)
        # set by the librarian: the entry's own now, no longer its crossref parent's
        fact = {"year": "date", "edition": "edition_statement"}.get(field, field)
        record.inherited = [f for f in record.inherited if f != fact]
        if field == "year":
            replaced.add("year")
        csl_variables, marc_tags = CSL_VARIABLES.get(field, ()), MARC_TAGS.get(field, ())
        for fmt, dropped in (("csl", csl_variables), ("marc", marc_tags)):
            if record.kept.get(fmt) and dropped:
                record.kept[fmt] = [kept for kept in record.kept[fmt] if kept[0] not in dropped]
    if record.kept.get("ris"):  # which tags a field stands for depends on the edited type
        edited = [field for field in changes if field != "key"]
        record.kept["ris"] = kept_after_edit(record.kept["ris"], edited, record.entry_type)
    if record.original is not None and not record.original.title:
        raise InvalidValue(f"{key}: orig-title is needed to record an original")
    record.extra_fields = [
        (name, value)
        for name, value in record.extra_fields
        if canonical(name.lower()) not in {canonical(f) for f in replaced}
    ]
    record.validate(key, require_title="title" in changes)
    for name in [*record.authors, *record.translators, *record.editors]:
        if isinstance(name, str):
            names.parse_name(name)
    if new_key != key:
        check_key(new_key)
        if session.scalar(select(Edition.id).where(Edition.key == new_key)) is not None:
            raise InvalidValue(f"key {new_key!r} is taken")
        update_rows(session, Edition, Edition.key == key, {"key": new_key})
        _rename_references(session, key, new_key)
        session.flush()
        session.expire_all()
        record = replace(record, key=new_key)
    edition = session.scalar(select(Edition).where(Edition.key == new_key))
    assert edition is not None
    own_work = edition.work
    if own_work is not None and not all_editions and sharing_editions(session, new_key, changes):
        own_work = _split_work(session, edition)
        if record.original is not None and "work-qid" not in changes:
            record.original.qid = None
    if "qid" in changes and record.qid:
        holder = session.scalar(
            select(Edition.key).where(Edition.qid == record.qid, Edition.id != edition.id)
        )
        if holder is not None:
            raise InvalidValue(f"{key}: qid: {record.qid} is already the QID of edition {holder}")
    if "work-qid" in changes and record.original is not None and record.original.qid:
        holder = session.scalar(
            select(Work.key).where(
                Work.qid == record.original.qid,
                Work.id != (own_work.id if own_work is not None else None),
            )
        )
        if holder is not None:
            raise InvalidValue(
                f"{key}: work-qid: {record.original.qid} is already the QID of work {holder}: "
                "use 'biblio merge work' to make them one"
            )
    upsert_edition(
        session,
        Matcher(session, typed=True),
        record,
        own_work=own_work,
        publisher_typed="publisher" in changes,
    )
    # Its crossref and xdata children inherit what it says now (under its new key, if renamed:
    # _rename_references made them name it).
    refresh_inherited(session, [new_key])
    remove_orphan_works(session)
    return new_key


def _split_work(session: Session, edition: Edition) -> Work:
    """A copy of ``edition``'s work (its facts and authors) for that edition alone."""
    from .matching import allocate_keys

    shared = edition.work
    assert shared is not None
    # The copy is another work: the shared one's Wikidata item stays the shared one's.
    columns = [c.name for c in Work.__table__.columns if c.name not in ("id", "key", "qid")]
    copy = Work(**{name: getattr(shared, name) for name in columns})
    copy.key = allocate_keys(session, Work, [shared.key])[0]
    for c in shared.contributions:
        copy.contributions.append(
            Contribution(person_id=c.person_id, role=c.role, position=c.position,
                         name_as_given=c.name_as_given)
        )  # fmt: skip
    session.add(copy)
    edition.work = copy
    session.flush()
    return copy


def name_text(name: names.Name) -> str:
    """A name as text that ``names.parse_name`` reads back into the same parts: "Family,
    Given", the family braced where it has several words ("{Ortega y Gasset}, José")."""
    family = f"{{{name.family}}}" if len(name.family.split()) > 1 else name.family
    family = f"{name.prefix} {family}" if name.prefix else family
    return ", ".join(p for p in (family, name.suffix, name.given) if p)


def _rename_references(session: Session, old: str, new: str) -> None:
    """Make crossref, xdata, related and entryset fields that name ``old`` name ``new``, and
    the catalogue's links of children to their parent (``EditionParent``) with them, so that
    the renamed parent's children go on inheriting what it says."""
    from .queries import REFERENCE_FIELDS

    for link in session.scalars(select(EditionParent).where(EditionParent.parent_key == old)):
        link.parent_key = new

    for edition in session.scalars(select(Edition).where(Edition.extra.is_not(None))):
        # A copy: a JSON value changed in place is not seen as changed by SQLAlchemy.
        fields = [list(pair) for pair in (edition.extra or {}).get("fields", [])]
        changed = False
        for pair in fields:
            name, value = pair
            if name.lower() not in REFERENCE_FIELDS:
                continue
            inner = value.strip()
            braced = inner[:1] in '{"'
            keys = [k.strip() for k in (inner[1:-1] if braced else inner).split(",")]
            if old in keys:
                joined = ",".join(new if k == old else k for k in keys)
                pair[1] = f"{{{joined}}}"
                changed = True
        if changed:
            edition.extra = {**(edition.extra or {}), "fields": fields}


EDITOR_HEADER = """\
# Edit the fields below and save; a line "field: value" sets a field, an empty value clears it.
# Lists (authors, translators, editors, also-published-as) are separated by ";".
# Lines starting with # are ignored. Nothing is saved unless every value is valid.
"""


MULTILINE = ("annotation", "notes", "abstract", "work-annotation")
"""Fields whose text may hold paragraphs (the web's text areas)."""


def changed_values(
    session: Session, key: str, changes: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Of ``changes`` (field -> value as text), those that change something: field -> (the
    value before, the value given), as ``editable_values`` shows them. A value the same as
    the field's, whitespace aside, is no change: applied, it would still drop what the
    field's import kept as written (protective braces, a list of places) and record a change
    that changes nothing."""
    before = editable_values(session, edition_record(session, key), keep_lines=True)

    def same(field: str, value: str) -> bool:
        if field in MULTILINE:
            return value.strip() == before.get(field, "")
        return " ".join(value.split()) == before.get(field, "")

    return {f: (before.get(f, ""), v) for f, v in changes.items() if not same(f, v)}


def editable_values(
    session: Session, record: EditionRecord, keep_lines: bool = False
) -> dict[str, str]:
    """The record's editable fields as the text a librarian edits (``edit --set``, $EDITOR,
    the web's form): people by name (by "#ID" where another person bears the same name, so
    that saving keeps the very person), lists with ";" between; on one line each, unless
    ``keep_lines`` keeps the paragraphs of the ``MULTILINE`` fields."""

    def text(value: str | names.Name) -> str:
        if isinstance(value, str) and value.startswith("#") and value[1:].isdigit():
            person = session.get(Person, int(value[1:]))
            if person is not None:
                name = names.Name(person.family, person.given, person.prefix, person.suffix)
                namesakes = session.scalar(
                    select(func.count(PersonName.id)).where(
                        PersonName.match_key == name.match_key,
                        PersonName.person_id != person.id,
                    )
                )
                value = value if namesakes else name
        return name_text(value) if isinstance(value, names.Name) else value

    def people(values: list[str | names.Name]) -> str:
        return "; ".join(text(v) for v in values)

    original = record.original or OriginalRecord(title="")
    values = {
        "key": record.key,
        "type": record.entry_type,
        "title": record.title,
        "subtitle": record.subtitle,
        "authors": people(record.authors),
        "translators": people(record.translators),
        "translator-status": record.translator_status,
        "editors": people(record.editors),
        "year": record.date,
        "place": record.place,
        "publisher": record.publisher,
        "language": record.language,
        "series": record.series,
        "journal": record.journal,
        "volume": record.volume,
        "number": record.number,
        "form": record.form,
        "also-published-as": "; ".join(record.also_published_as),
        "annotation": record.annotation,
        "notes": record.notes,
        "orig-title": original.title,
        "orig-year": original.date,
        "orig-place": original.place,
        "orig-publisher": original.publisher,
        "orig-language": original.language,
        "work-annotation": original.annotation,
        "qid": record.qid,
        "work-qid": original.qid,
        "edition": record.edition_statement,
        "pages": record.pages,
        "isbn": record.isbn,
        "issn": record.issn,
        "doi": record.doi,
        "url": record.url,
        "keywords": "; ".join(record.keywords),
        "note": record.note,
        "abstract": record.abstract,
    }
    return {
        field: (value or "").replace("\r\n", "\n").strip()
        if keep_lines and field in MULTILINE
        else " ".join((value or "").split())
        for field, value in values.items()
    }


def render_for_editor(session: Session, record: EditionRecord) -> str:
    """The record as "field: value" lines, the fields ``edit --set`` knows; people by name."""
    values = editable_values(session, record)
    lines = [f"{field}: {value}" for field, value in values.items()]
    return EDITOR_HEADER + "\n".join(lines) + "\n"


def parse_from_editor(before: str, after: str) -> dict[str, str]:
    """The changes between two renderings: {field: new value} for each changed line.
    InvalidValue names the line that cannot be read."""

    def read(text: str) -> dict[str, str]:
        values: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            field, sep, value = line.partition(":")
            if not sep:
                raise InvalidValue(f"line {number}: expected 'field: value', got {line!r}")
            values[field.strip()] = value.strip()
        return values

    old, new = read(before), read(after)
    unknown = sorted(set(new) - set(old))
    if unknown:
        raise InvalidValue(f"unknown field {unknown[0]!r}")
    return {field: value for field, value in new.items() if old.get(field) != value}


# ----------------------------------------------------------------------------- remove


def children_of(session: Session, key: str) -> list[str]:
    """The keys of the editions whose ``crossref`` or ``xdata`` names ``key``, sorted."""
    found = session.scalars(
        select(Edition.key)
        .join(EditionParent, EditionParent.edition_id == Edition.id)
        .where(EditionParent.parent_key == key)
    )
    return sorted(set(found))


def remove_edition(session: Session, key: str) -> list[str]:
    """Remove edition ``key`` (its people and publisher stay); an original left with no
    edition goes too. Returns the keys removed (the edition's, then any work's)."""
    history.name(session, "remove")
    edition = session.scalar(select(Edition).where(Edition.key == key))
    if edition is None:
        raise NotFound(f"no edition with key {key!r}")
    session.delete(edition)
    session.flush()
    refresh_inherited(session, [key])  # its crossref children no longer inherit from it
    return [key, *remove_orphan_works(session)]


def person_named(session: Session, name: str) -> Person:
    """The one person a librarian means by ``name``: any name form, a variant, the family
    name alone or with initials, or "#ID" (``Matcher``'s rules for typed names); NotFound
    for no one, AmbiguousName when several people answer to it."""
    try:
        found = Matcher(session, typed=True).find_person(name)
    except AmbiguousName:
        raise  # two people bear it: for the caller to list them
    except InvalidValue:  # no name as typed ("Too many commas"): a person's catalogue name
        exact = session.scalars(select(Person.id).where(Person.sort_name == name.strip()))
        found = next(iter(exact.all()[:1]), None)
        if found is None:
            raise
    person = session.get(Person, found) if found is not None else None
    if person is None:
        raise NotFound(f"no person named {name!r}")
    return person


def publisher_named(session: Session, name: str) -> Publisher:
    """The publisher with this name or one of its other names; NotFound otherwise."""
    publisher = find_publisher(session, name)
    if publisher is None:
        raise NotFound(f"no publisher named {name!r}")
    return publisher


def _referencing(session: Session, person: Person) -> list[str]:
    on_editions = select(Edition.key).join(Contribution).where(Contribution.person_id == person.id)
    on_works = select(Work.key).join(Contribution).where(Contribution.person_id == person.id)
    return sorted(set(session.scalars(on_editions)) | set(session.scalars(on_works)))


def remove_person(session: Session, name: str) -> str:
    """Remove a person no edition or work refers to; InvalidValue listing the references
    otherwise. Returns the person's catalogue name."""
    history.name(session, "remove")
    person = person_named(session, name)
    refs = _referencing(session, person)
    if refs:
        listed = ", ".join(refs[:10]) + (f" and {len(refs) - 10} more" if len(refs) > 10 else "")
        raise InvalidValue(f"{person.sort_name} is still referenced by {listed}")
    session.delete(person)
    return person.sort_name


def remove_publisher(session: Session, name: str) -> str:
    """Remove a publisher no edition or work refers to; InvalidValue listing them otherwise."""
    history.name(session, "remove")
    publisher = publisher_named(session, name)
    refs = sorted(
        set(session.scalars(select(Edition.key).where(Edition.publisher_id == publisher.id)))
        | set(session.scalars(select(Work.key).where(Work.publisher_id == publisher.id)))
    )
    if refs:
        listed = ", ".join(refs[:10]) + (f" and {len(refs) - 10} more" if len(refs) > 10 else "")
        raise InvalidValue(f"{publisher.name} is still referenced by {listed}")
    session.delete(publisher)
    return publisher.name


# ----------------------------------------------------------------------------- merge


def merge_people(session: Session, keep_name: str, drop_name: str) -> str:
    """Merge the person ``drop_name`` into ``keep_name``: contributions move, every name of the
    dropped person becomes a variant of the kept one, and a note is kept if the kept person
    has none. Returns the kept person's catalogue name."""
    history.name(session, "merge")
    keep, drop = person_named(session, keep_name), person_named(session, drop_name)
    if keep.id == drop.id:
        raise InvalidValue(f"{keep_name!r} and {drop_name!r} are already one person")
    # Each entry keeps the spelling it credits ("Greeman, R."): the moved credits name the
    # dropped person's name as given, where the kept person's differs
    primary = (keep.family, keep.given, keep.prefix, keep.suffix)
    dropped = names.Name(drop.family, drop.given, drop.prefix, drop.suffix)
    for contribution in list(
        session.scalars(select(Contribution).where(Contribution.person_id == drop.id))
    ):
        duplicate = session.scalar(
            select(Contribution.id).where(
                Contribution.person_id == keep.id,
                Contribution.role == contribution.role,
                Contribution.work_id.is_(None)
                if contribution.work_id is None
                else Contribution.work_id == contribution.work_id,
                Contribution.edition_id.is_(None)
                if contribution.edition_id is None
                else Contribution.edition_id == contribution.edition_id,
            )
        )
        if duplicate is not None:
            session.delete(contribution)
        else:
            contribution.person_id = keep.id
            spelt: Any = contribution.name_as_given  # [family, given, prefix, suffix]
            contribution.name_as_given = name_as_given(
                primary, names.Name(*spelt) if spelt else dropped
            )
    known = {n.match_key for n in keep.names}
    for name in list(drop.names):
        drop.names.remove(name)
        if name.match_key not in known:
            name.kind = "variant"
            keep.names.append(name)
            known.add(name.match_key)
    if not keep.note and drop.note:
        keep.note = drop.note
    _take_identifiers(session, keep, drop, identifiers.KINDS)
    session.flush()
    session.delete(drop)
    session.flush()
    return keep.sort_name


def _take_identifiers(
    session: Session, keep: Person | Publisher | Work, drop: object, kinds: Iterable[str]
) -> None:
    """Give ``keep`` the identifiers of ``drop`` it lacks (one record holds each: the dropped
    one lets go of it first). Where both have one, the kept record's stands."""
    taken: dict[str, str] = {
        kind: getattr(drop, kind)
        for kind in kinds
        if getattr(drop, kind) and not getattr(keep, kind)
    }
    if not taken:
        return
    for kind in taken:
        setattr(drop, kind, None)
    session.flush()
    for kind, value in taken.items():
        setattr(keep, kind, value)


def merge_publishers(session: Session, keep_name: str, drop_name: str) -> str:
    """Merge publisher ``drop_name`` into ``keep_name``: editions and works move, the dropped
    name (and its other names) are kept as other names of the kept publisher."""
    history.name(session, "merge")
    keep, drop = publisher_named(session, keep_name), publisher_named(session, drop_name)
    if keep.id == drop.id:
        raise InvalidValue(f"{keep_name!r} and {drop_name!r} are already one publisher")
    # Each edition keeps the spelling it gave ("Pluto"), where the kept publisher's differs
    if drop.name != keep.name:
        spelt_as_dropped = (Edition.publisher_id == drop.id) & Edition.publisher_as_given.is_(None)
        update_rows(session, Edition, spelt_as_dropped, {"publisher_as_given": drop.name})
    update_rows(session, Edition, Edition.publisher_id == drop.id, {"publisher_id": keep.id})
    update_rows(session, Work, Work.publisher_id == drop.id, {"publisher_id": keep.id})
    moved = [(drop.name, drop.name_key)] + [(v.name, v.name_key) for v in drop.variants]
    if not keep.note and drop.note:
        keep.note = drop.note
    _take_identifiers(session, keep, drop, ("qid",))
    session.delete(drop)
    session.flush()
    for name, key in moved:
        keep.variants.append(PublisherName(name=name, name_key=key))
    session.flush()
    session.expire_all()
    return keep.name


def merge_works(session: Session, keep_key: str, drop_key: str) -> str:
    """Merge original work ``drop_key`` into ``keep_key``: its editions move, and the kept
    work takes the dropped one's annotation, place, date or language where it has none."""
    history.name(session, "merge")
    keep = session.scalar(select(Work).where(Work.key == keep_key))
    drop = session.scalar(select(Work).where(Work.key == drop_key))
    for key, work in ((keep_key, keep), (drop_key, drop)):
        if work is None:
            raise NotFound(f"no original work with key {key!r}")
    assert keep is not None and drop is not None
    if keep.id == drop.id:
        raise InvalidValue("a work cannot be merged with itself")
    update_rows(session, Edition, Edition.work_id == drop.id, {"work_id": keep.id})
    for attr in ("annotation", "place", "date", "year", "language", "publisher_id", "form"):
        if getattr(keep, attr) is None and getattr(drop, attr) is not None:
            setattr(keep, attr, getattr(drop, attr))
    _take_identifiers(session, keep, drop, ("qid",))
    keep_people = {(c.role, c.person_id) for c in keep.contributions}
    for contribution in list(drop.contributions):
        if (contribution.role, contribution.person_id) not in keep_people:
            drop.contributions.remove(contribution)
            contribution.position = len(keep.contributions)
            keep.contributions.append(contribution)
    session.flush()
    session.delete(drop)
    session.flush()
    return keep.key


# ----------------------------------------------------------------------------- identifiers


def set_identifiers(session: Session, kind: str, name: str, values: dict[str, str]) -> str:
    """Set the Wikidata QID, VIAF or ISNI id (``values``: "qid", "viaf", "isni" -> text; an
    empty text clears it) of the person (``kind`` "person") or publisher ("publisher", a QID
    only) ``name`` means. Every value is checked before anything is written; InvalidValue for
    a malformed one, or one another record holds (merge them instead). Returns the record's
    name with what it now has: "Greeman, Richard: qid Q42, isni 0000 0001 2103 2683"."""
    history.name(session, "edit")
    record: Person | Publisher
    if kind == "person":
        record = person_named(session, name)
        model: type[Person] | type[Publisher] = Person
        label = record.sort_name
        allowed: tuple[str, ...] = identifiers.KINDS
    else:
        record = publisher_named(session, name)
        model, label, allowed = Publisher, record.name, ("qid",)
    wanted: dict[str, str | None] = {}
    for field, text in values.items():
        if field not in allowed:
            raise InvalidValue(f"a {kind} has no {field} (only {', '.join(allowed)})")
        wanted[field] = identifiers.read(field, text)
    for field, value in wanted.items():
        if value is None:
            continue
        column = getattr(model, field)
        label_column = Person.sort_name if model is Person else Publisher.name
        holder = session.scalar(select(label_column).where(column == value, model.id != record.id))
        if holder is not None:
            raise InvalidValue(
                f"{value} is already the {field} of {kind} {holder!r}: "
                f"use 'biblio merge {kind}' to make them one"
            )
    for field, new in wanted.items():
        setattr(record, field, new)
    session.flush()
    held = [
        f"{field} {identifiers.display(field, getattr(record, field))}"
        for field in allowed
        if getattr(record, field)
    ]
    return f"{label}: {', '.join(held) if held else 'no identifiers'}"


def counts(session: Session) -> dict[str, int]:
    """How many editions, works, people, publishers and contributions the catalogue holds."""
    tables = {
        "editions": Edition,
        "works": Work,
        "people": Person,
        "person_names": PersonName,
        "publishers": Publisher,
        "contributions": Contribution,
        "alternate_titles": AlternateTitle,
    }
    return {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in tables.items()
    }


# ----------------------------------------------------------------------------- rename


def rename_person(session: Session, name: str, new_name: str) -> str:
    """Give the person ``name`` means the primary name ``new_name``; the old primary name
    stays as another name, so lists and imports still find them. InvalidValue where another
    person already bears the new name (merge them instead)."""
    history.name(session, "rename")
    person = person_named(session, name)
    new = names.parse_name(new_name)
    holder = Matcher(session).find_person(new)
    if holder is not None and holder != person.id:
        other = session.get(Person, holder)
        shown = other.sort_name if other else f"#{holder}"
        raise InvalidValue(
            f"{new.sort_name!r} is already person #{holder} ({shown}): "
            f"use 'biblio merge person' to make them one"
        )
    clash = session.scalar(
        select(Person.id).where(Person.authority_key == new.authority_key, Person.id != person.id)
    )
    if clash is not None:
        raise InvalidValue(f"{new.sort_name!r} is already person #{clash}: merge them instead")
    old = person.sort_name
    for entry in person.names:
        if entry.kind == "primary":
            entry.kind = "variant"
    existing = next((n for n in person.names if n.match_key == new.match_key), None)
    if existing is not None:
        existing.kind = "primary"
        for part in ("family", "given", "prefix", "suffix"):
            setattr(existing, part, getattr(new, part))
    else:
        person.names.append(PersonName(**person_name_row(new, "primary")))
    person.family, person.given, person.prefix, person.suffix = (
        new.family, new.given, new.prefix, new.suffix,
    )  # fmt: skip
    person.sort_name, person.authority_key = new.sort_name, new.authority_key
    session.flush()
    return f"{old} -> {person.sort_name}"


def rename_publisher(session: Session, name: str, new_name: str) -> str:
    """Give the publisher ``name`` means the name ``new_name``; the old name stays as another
    name. InvalidValue where another publisher already has the new name (merge instead)."""
    history.name(session, "rename")
    publisher = publisher_named(session, name)
    new_name = " ".join(new_name.split())
    if not new_name:
        raise InvalidValue("empty publisher name")
    holder = find_publisher(session, new_name)
    if holder is not None and holder.id != publisher.id:
        raise InvalidValue(
            f"{new_name!r} is already publisher {holder.name!r}: use 'biblio merge publisher'"
        )
    old, old_key = publisher.name, publisher.name_key
    key = names.fold(new_name)
    for variant in list(publisher.variants):
        if variant.name_key == key:
            publisher.variants.remove(variant)
    session.flush()
    publisher.name, publisher.name_key = new_name, key
    if old_key != key:
        publisher.variants.append(PublisherName(name=old, name_key=old_key))
    session.flush()
    return f"{old} -> {new_name}"
