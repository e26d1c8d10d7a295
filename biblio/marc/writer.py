"""MARC 21 writer: bibliographic records (ISO 2709 or MARCXML) and authority records for people,
coded as the Library of Congress and the PCC code translations (pymarc 5 writes them).

A bibliographic record of a translation (Leader/09 ``a``: UTF-8; Leader/17 ``7``, minimal
level, never OCLC's ``I``; Leader/18 ``i``: ISBD punctuation) has:

- 008 with the date of publication, the country of the place (MARC country codes, for the
  places the table below knows; ``xx`` otherwise), the literary form and, at 35-37, the
  language of the edition in hand (MARC codes are ISO 639-2/B: ``fre``, ``ger``, ``eng``);
- 020 for the ISBN (``$z`` when its check digit is wrong), 024 7_ ``$2 doi`` for the DOI;
- 041 1_ ``$a`` the edition's language and ``$h`` the original's;
- 100 1_ for the first author (``$e author.`` ``$4 aut``), and the original's title as the
  uniform title: 240 10 ``$a Naissance de notre force. $l English`` (130 0_ when there is no
  author). As LC does, an initial article is left out of a uniform title ("Affaire Toulaev",
  "Comte de Monte-Cristo"), so that its nonfiling indicator is 0;
- 245 with the title as catalogued, its second indicator counting an initial article of the
  edition's language, ``$b`` the subtitle, and ``$c`` "Victor Serge ; translated from the
  French by Richard Greeman.", punctuated as ISBD and LC's records are (``$a Title /``,
  ``$a Title : $b subtitle /``, a final period);
- 246 1_ ``$i Also published as: $a ...`` for each alternate title, 250 the edition statement,
  264 _1 ``$a New York : $b Doubleday, $c 1967.`` (RDA's "[publisher not identified]" and
  kin where one of them is unknown), 336/337/338 (text, unmediated, volume);
- 490 1_ and 830 _0 for the series; 773 0_ for the journal of a special issue or an article;
- 500 "Translation of: Naissance de notre force (Paris, 1931)."; 500 "Translator not named."
  when the edition names none; 500 for a note imported from elsewhere, 590 (local note) for
  the catalogue's own notes; 520 the annotation, with ``$c`` naming the bibliography as its
  source; 520 3_ the abstract; 653 the keywords;
- 700 1_ for each further author, translator (``$e translator.`` ``$4 trl``) and editor
  (``$e editor.`` ``$4 edt``), one field a person (``$e translator, $e editor.``);
- 765 0_ (original language entry) when the original is catalogued as an edition of its own,
  in its own language, and 767 0_ (translation entry) on that edition for each translation
  of it; ``$w`` is the other record's 001, the catalogue's key;
- 856 40 for the URL.

A record a MARC import kept fields of (``view.kept["marc"]``) has those fields, as they
came, in place of the writer's own of the same tags (``with_kept``).

Authority records (``--format marc-authority``) give each person credited on the exported
editions: 100 (the heading), 400 for each variant name, 670 with the bibliography as the
source of the person's note, and a 670 for each credit ("Birth of our Power, 1967").

A person's identifiers, where the catalogue knows them, are URIs in their headings as the
PCC's URI guidelines place them: ``$0`` the VIAF cluster (authority records), ``$1`` the
Wikidata item and the ISNI (the person); an authority record has each in a 024 7_ (``$2
wikidata``, ``viaf``, ``isni``).

What MARC cannot carry as such (``lost_facts``): the original's date, place and publisher
(folded into the "Translation of" note, and in 765 when the original is catalogued), an
unnamed translator (a note), and .bib fields no column holds (dropped).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from pymarc import Field, Indicators, Record, Subfield, record_to_xml_node
from pymarc.leader import Leader
from pymarc.marcxml import MARC_XML_NS

from ..identifiers import URIS
from ..languages import english_name, marc_code
from ..names import Name, fold
from ..queries import Authority, CreditedPerson, EditionView

SOURCE = "biblio annotated bibliography"
"""How 520 $c and 670 $a name the bibliography the annotations and notes come from."""

BIBLIOGRAPHIC_LEADER = "00000nam a22000007i 4500"
"""New record, language material, monograph; UTF-8; minimal level (7); ISBD punctuation."""
AUTHORITY_LEADER = "00000nz  a2200000n  4500"
"""New authority record; UTF-8; complete."""

#: Initial articles by word, with the languages (our codes) they are articles in: MARC 21's
#: list (Appendix E), for the languages MARC::Lint checks.
ARTICLES: dict[str, tuple[str, ...]] = {
    "a": ("en", "gl", "hu", "pt"), "an": ("en",), "the": ("en",),
    "das": ("de",), "dem": ("de",), "der": ("de",), "die": ("de",), "ein": ("de",),
    "eine": ("de",), "einem": ("de",), "einen": ("de",), "einer": ("de",), "eines": ("de",),
    "el": ("es",), "la": ("ca", "fr", "it", "es"), "las": ("es",), "lo": ("it", "es"),
    "los": ("es",), "le": ("fr", "it"), "les": ("ca", "fr"), "l": ("ca", "fr", "it"),
    "il": ("it",), "gli": ("it",), "un": ("ca", "es", "fr", "it"), "una": ("ca", "es", "it"),
    "une": ("fr",), "uno": ("it",), "os": ("pt",), "um": ("pt",), "uma": ("pt",),
}  # fmt: skip
_FIRST_WORD = re.compile(r"([^\W\d_]+)(['’] ?| )", re.UNICODE)

#: Folded place of publication -> MARC country code (008/15-17).
COUNTRIES = {
    "new york": "nyu", "garden city": "nyu", "garden city ny": "nyu", "brooklyn": "nyu",
    "boston": "mau", "cambridge ma": "mau", "chicago": "ilu", "san francisco": "cau",
    "berkeley": "cau", "los angeles": "cau", "philadelphia": "pau", "washington": "dcu",
    "london": "enk", "oxford": "enk", "cambridge": "enk", "harmondsworth": "enk",
    "manchester": "enk", "edinburgh": "stk", "glasgow": "stk", "dublin": "ie ",
    "paris": "fr ", "lyon": "fr ", "bruxelles": "be ", "brussels": "be ",
    "montreal": "quc", "montréal": "quc", "toronto": "onc", "mexico": "mx ",
    "mexico city": "mx ", "madrid": "sp ", "barcelona": "sp ", "berlin": "gw ",
    "munich": "gw ", "frankfurt am main": "gw ", "vienna": "au ", "wien": "au ",
    "moscow": "ru ", "leningrad": "ru ", "petrograd": "ru ", "rome": "it ", "milan": "it ",
    "amsterdam": "ne ", "geneva": "sz ", "zurich": "sz ",
}  # fmt: skip

#: The catalogue's form -> 008/33 (literary form) of a book.
LITERARY_FORMS = {
    "novel": "f", "poetry": "p", "short-stories": "j", "drama": "d", "essays": "e",
    "collection": "e", "letters": "i", "speeches": "s", "non-fiction": "0", "pamphlet": "0",
    "history": "0", "biography": "0", "memoir": "0",
}  # fmt: skip

_RELATORS = {"author": "aut", "translator": "trl", "editor": "edt"}
_JOURNAL_TYPES = ("periodical", "article", "suppperiodical")


def _end(text: str, mark: str = ".") -> str:
    """``text`` ending with ``mark``, unless it ends with a period already."""
    text = text.rstrip()
    return text if text.endswith(".") else text + mark


def nonfiling(title: str, language: str | None) -> int:
    """How many characters an initial article of ``language`` takes at the start of ``title``
    ("The Long Dusk" -> 4, "L'Affaire Toulaev" -> 2 in French); 0 where there is none."""
    match = _FIRST_WORD.match(title)
    if not match or not language:
        return 0
    if language not in ARTICLES.get(match.group(1).lower(), ()):
        return 0
    return min(match.end(), 9)


def uniform_title(title: str, language: str | None) -> str:
    """A title as a uniform title: without its initial article, capitalised
    ("Les Derniers Temps" -> "Derniers Temps")."""
    rest = title[nonfiling(title, language) :]
    return rest[:1].upper() + rest[1:] if rest else title


def heading(name: Name) -> list[Subfield]:
    """A personal name's heading subfields: ``$a Family, Given particle`` (``$c`` the suffix),
    as LC forms them ("Gennep, Arnold van"); a name without a given name in direct order."""
    if name.given:
        given = " ".join(p for p in (name.given, name.prefix) if p)
        subfields = [Subfield("a", f"{name.family}, {given}")]
    else:  # a name in direct order, a pseudonym as a phrase ("Le Rétif")
        subfields = [Subfield("a", " ".join(p for p in (name.prefix, name.family) if p))]
    if name.suffix:
        subfields.append(Subfield("c", name.suffix))
    return subfields


def _name_field(
    tag: str, name: Name, roles: Sequence[str], authority: Authority | None = None
) -> Field:
    """100 or 700 1_ for ``name`` with its relators: ``$a Greeman, Richard, $e translator.
    $4 trl``, and the person's identifiers as URIs (``$0``, ``$1``)."""
    subfields = heading(name)
    subfields[-1] = Subfield(subfields[-1].code, subfields[-1].value + ",")
    for index, role in enumerate(roles):
        last = index == len(roles) - 1
        subfields.append(Subfield("e", role + ("." if last else ",")))
    subfields += [Subfield("4", _RELATORS[role]) for role in roles]
    subfields += identifier_uris(authority)
    return Field(tag, Indicators("1" if name.given else "0", " "), subfields)


def identifier_uris(authority: Authority | None) -> list[Subfield]:
    """A person's identifiers as a heading's URIs: ``$0`` VIAF, ``$1`` Wikidata and ISNI."""
    if authority is None:
        return []
    found = [("0", "viaf", authority.viaf), ("1", "qid", authority.qid),
             ("1", "isni", authority.isni)]  # fmt: skip
    return [Subfield(code, URIS[kind].format(value)) for code, kind, value in found if value]


_SPACED_INITIALS = re.compile(r"\b(\w)\. (?=\w\.)")


def transcribed(name: Name) -> str:
    """A name as a statement of responsibility transcribes it: initials without spaces
    between them ("D.J. Cotterill"), as LC's rule for 245 $c has them (MARC::Lint checks)."""
    return _SPACED_INITIALS.sub(r"\1.", name.display)


def _people(names: Sequence[Name]) -> str:
    shown = [transcribed(n) for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def is_translation(view: EditionView) -> bool:
    """Whether the edition is a translation: a translator named or known to be unnamed, or
    an original in another language."""
    if view.translator_status == "none":
        return False
    original = view.original
    other_language = bool(
        original and original.language and view.language and original.language != view.language
    )
    return bool(view.translators) or view.translator_status == "not-named" or other_language


def responsibility(view: EditionView) -> str | None:
    """245 $c: "Victor Serge ; translated from the French by Richard Greeman ; edited by Al
    Richardson", the translator who also edits "translated and edited by"."""
    parts = [_people(view.authors)] if view.authors else []
    language = view.original.language if view.original else None
    source = f" from the {english_name(language)}" if language else ""
    both = [n for n in view.translators if n in view.editors]
    if both and len(both) == len(view.translators) == len(view.editors):
        parts.append(f"translated{source} and edited by {_people(both)}")
    else:
        if view.translators:
            parts.append(f"translated{source} by {_people(view.translators)}")
        if view.editors:
            parts.append(f"edited by {_people(view.editors)}")
    return " ; ".join(parts) or None


def _title_field(view: EditionView) -> Field:
    title, subtitle = view.title.strip(), (view.subtitle or "").strip()
    statement = responsibility(view)
    subfields = [Subfield("a", title)]
    if subtitle:
        subfields[0] = Subfield("a", title + " :")
        subfields.append(Subfield("b", subtitle))
    last = subfields[-1]
    if statement:
        subfields[-1] = Subfield(last.code, last.value + " /")
        subfields.append(Subfield("c", _end(statement)))
    else:
        subfields[-1] = Subfield(last.code, _end(last.value))
    first = "1" if view.authors else "0"
    return Field("245", Indicators(first, str(nonfiling(title, view.language))), subfields)


def _year(view: EditionView) -> str | None:
    if view.year is not None:
        return f"{view.year:04d}"
    return view.date[:4] if view.date and view.date[:4].isdigit() else None


def _fixed_field(view: EditionView, entered: date) -> str:
    """008 of a book: entered, single date, country, literary form, language, source ``d``."""
    year = _year(view)
    dates = f"s{year}    " if year else "nuuuuuuuu"
    country = COUNTRIES.get(fold(view.place), "xx ") if view.place else "xx "
    form = LITERARY_FORMS.get(view.form or "", "|") if not view.journal else "0"
    language = marc_code(view.language) if view.language else None
    # 18-32: illustrations, audience, form of item, contents, government publication,
    # conference, festschrift, index (none known: blank or 0), undefined
    books = "    " + " " + " " + "    " + " " + "0" + "0" + "0" + " "
    return f"{entered:%y%m%d}{dates}{country}{books}{form} {language or 'und'} d"


def _publication(view: EditionView) -> Field | None:
    """264 _1: ``$a New York : $b Doubleday, $c 1967.``; RDA's bracketed phrases for an
    unknown place, publisher or date when another of them is known."""
    year = _year(view)
    if not (view.place or view.publisher or year):
        return None
    place = view.place or "[Place of publication not identified]"
    publisher = view.publisher or "[publisher not identified]"
    when = year or "[date of publication not identified]"
    return Field(
        "264",
        Indicators(" ", "1"),
        [Subfield("a", place + " :"), Subfield("b", publisher + ","), Subfield("c", _end(when))],
    )


def original_line(view: EditionView) -> str | None:
    """The original as the "Translation of" note names it: "Naissance de notre force (Paris,
    1931)", "(Paris : Rieder, 1931)" with a publisher."""
    original = view.original
    if original is None:
        return None
    title = f"{original.title} : {original.subtitle}" if original.subtitle else original.title
    where = " : ".join(p for p in (original.place, original.publisher) if p)
    when = original.date or (str(original.year) if original.year else None)
    details = ", ".join(p for p in (where, when) if p)
    return f"{title} ({details})" if details else title


def _link(tag: str, other: EditionView) -> Field:
    """765 or 767 0_ pointing to ``other``: main entry, title, publication, its 001."""
    subfields = []
    if other.authors:
        subfields.append(Subfield("a", _end(heading(other.authors[0])[0].value)))
    subfields.append(Subfield("t", other.title))
    where = " : ".join(p for p in (other.place, other.publisher) if p)
    published = ", ".join(p for p in (where, _year(other)) if p)
    if published:
        subfields.append(Subfield("d", published))
    subfields.append(Subfield("w", other.key))
    return Field(tag, Indicators("0", " "), subfields)


def _isbns(value: str) -> list[Subfield]:
    """020 subfields of an ISBN column: ``$a`` for each valid ISBN (digits only), ``$z`` for
    an invalid one, as written."""
    from stdnum import isbn

    found = []
    for part in re.split(r"[;,]\s*|\s+(?=\d{9})", value.strip()):
        if not part.strip():
            continue
        if isbn.is_valid(part):
            found.append(Subfield("a", isbn.compact(part)))
        else:
            found.append(Subfield("z", part.strip()))
    return found


def _series_fields(view: EditionView) -> list[Field]:
    """490 1_ (the series as given) and 830 _0 (traced, without an initial article):
    ``$a Series, $x ISSN ; $v 12`` and ``$a Series ; $v 12.``"""
    if not view.series or view.journal:
        return []
    series = view.series.strip()
    statement = [Subfield("a", series)]
    if view.issn:
        statement = [Subfield("a", series + ","), Subfield("x", view.issn)]
    traced = [Subfield("a", uniform_title(series, view.language))]
    if view.number:
        for subfields in (statement, traced):
            last = subfields[-1]
            subfields[-1] = Subfield(last.code, last.value + " ;")
            subfields.append(Subfield("v", view.number))
    traced[-1] = Subfield(traced[-1].code, _end(traced[-1].value))
    return [
        Field("490", Indicators("1", " "), statement),
        Field("830", Indicators(" ", "0"), traced),
    ]


def _host(view: EditionView) -> Field | None:
    """773 0_ for the journal that carries the edition: ``$t Revolutionary History $g Vol. 5,
    no. 3 (1994)``."""
    if not view.journal:
        return None
    parts = []
    if view.volume:
        parts.append(f"Vol. {view.volume}")
    if view.number:
        parts.append(f"no. {view.number}")
    related = ", ".join(parts)
    year = _year(view)
    if year:
        related = f"{related} ({year})" if related else year
    if view.pages and view.entry_type == "article":
        related = f"{related}, p. {view.pages.replace('--', '-')}" if related else view.pages
    subfields = [Subfield("t", view.journal)]
    if related:
        subfields.append(Subfield("g", related))
    if view.issn:
        subfields.append(Subfield("x", view.issn))
    return Field("773", Indicators("0", " "), subfields)


def _contributors(view: EditionView) -> list[Field]:
    """700 1_ fields: further authors, then translators and editors, one field a person."""
    roles: dict[Name, list[str]] = defaultdict(list)
    known: dict[Name, Authority] = {}
    for attr, role, first in (("authors", "author", 1), ("translators", "translator", 0),
                              ("editors", "editor", 0)):  # fmt: skip
        for index, name in enumerate(getattr(view, attr)[first:], first):
            roles[name].append(role)
            known.setdefault(name, view.authority(attr, index))
    return [
        _name_field("700", name, list(dict.fromkeys(r)), known[name]) for name, r in roles.items()
    ]


def bibliographic_record(
    view: EditionView,
    entered: date,
    original_edition: EditionView | None = None,
    translations: Sequence[EditionView] = (),
) -> Record:
    """The MARC 21 bibliographic record of one edition (see the module's docstring);
    ``original_edition`` is the catalogued edition of its original (765), ``translations`` the
    catalogued translations of this edition (767)."""
    level = "m"  # monograph; a component part of a serial (b) or of a monograph (a)
    if view.entry_type == "article":
        level = "b"
    elif view.entry_type in ("incollection", "inbook", "inproceedings", "bookinbook"):
        level = "a"
    leader = BIBLIOGRAPHIC_LEADER[:7] + level + BIBLIOGRAPHIC_LEADER[8:]
    record = Record(force_utf8=True, leader=leader)
    record.leader = Leader(leader)
    fields: list[Field | None] = [
        Field("001", data=view.key),
        Field("008", data=_fixed_field(view, entered)),
    ]
    if view.isbn and (isbns := _isbns(view.isbn)):
        fields += [Field("020", Indicators(" ", " "), [sub]) for sub in isbns]
    if view.issn and not view.journal and not view.series:
        fields.append(Field("022", Indicators(" ", " "), [Subfield("a", view.issn)]))
    if view.doi:
        doi = [Subfield("a", view.doi), Subfield("2", "doi")]
        fields.append(Field("024", Indicators("7", " "), doi))
    original = view.original
    translated = is_translation(view)
    if translated and view.language:
        languages = [Subfield("a", marc_code(view.language) or view.language)]
        if original and original.language and original.language != view.language:
            languages.append(Subfield("h", marc_code(original.language) or original.language))
        fields.append(Field("041", Indicators("1", " "), languages))
    if view.authors:
        fields.append(_name_field("100", view.authors[0], ["author"], view.authority("authors", 0)))
    if translated and original is not None:
        title = uniform_title(original.title, original.language)
        subfields = [Subfield("a", title)]
        if view.language:
            subfields = [Subfield("a", _end(title)), Subfield("l", english_name(view.language))]
        tag, indicators = ("240", Indicators("1", "0")) if view.authors else ("130", None)
        fields.append(Field(tag, indicators or Indicators("0", " "), subfields))
    fields.append(_title_field(view))
    fields += [
        Field("246", Indicators("1", " "), [Subfield("i", "Also published as:"), Subfield("a", t)])
        for t in view.also_published_as
    ]
    if view.edition_statement:
        fields.append(
            Field("250", Indicators(" ", " "), [Subfield("a", _end(view.edition_statement))])
        )
    fields.append(_publication(view))
    fields += [
        Field(
            "336",
            Indicators(" ", " "),
            [Subfield("a", "text"), Subfield("b", "txt"), Subfield("2", "rdacontent")],
        ),
        Field(
            "337",
            Indicators(" ", " "),
            [Subfield("a", "unmediated"), Subfield("b", "n"), Subfield("2", "rdamedia")],
        ),
        Field(
            "338",
            Indicators(" ", " "),
            [Subfield("a", "volume"), Subfield("b", "nc"), Subfield("2", "rdacarrier")],
        ),
    ]
    series = _series_fields(view)
    fields += series[:1]
    notes = []
    if translated and original is not None:
        notes.append(f"Translation of: {original_line(view)}.")
    if view.translator_status == "not-named":
        notes.append("Translator not named.")
    if view.note:
        notes.append(_end(view.note))
    fields += [Field("500", Indicators(" ", " "), [Subfield("a", note)]) for note in notes]
    if view.annotation:
        annotation = [Subfield("a", _end(view.annotation)), Subfield("c", SOURCE)]
        fields.append(Field("520", Indicators(" ", " "), annotation))
    if view.abstract:
        fields.append(Field("520", Indicators("3", " "), [Subfield("a", _end(view.abstract))]))
    local = [
        view.notes,
        f"On the original: {original.notes}" if original and original.notes else None,
    ]
    fields += [Field("590", Indicators(" ", " "), [Subfield("a", _end(n))]) for n in local if n]
    fields += [Field("653", Indicators(" ", " "), [Subfield("a", k)]) for k in view.keywords]
    fields += _contributors(view)
    if original_edition is not None:
        fields.append(_link("765", original_edition))
    fields += [_link("767", other) for other in translations]
    fields.append(_host(view))
    fields += series[1:]
    if view.url:
        fields.append(Field("856", Indicators("4", "0"), [Subfield("u", view.url)]))
    made = [found for found in fields if found is not None]
    for found in with_kept(made, record, view.kept.get("marc", [])):
        record.add_field(found)
    return record


def with_kept(made: list[Field], record: Record, kept: Sequence[Sequence[str]]) -> list[Field]:
    """The fields of a record: those the writer ``made`` from the columns, but for each tag a
    MARC import kept as it came (``kept``, see ``biblio.marc.reader``), the kept fields
    (none for a ``[tag]`` alone: the record had none), all in tag order; a kept Leader's
    status, type, level and coding positions are set on ``record``."""
    if not kept:
        return made
    from .reader import LEADER_POSITIONS, kept_field

    leader = list(str(record.leader))
    for entry in kept:
        if entry[0] == "LDR" and len(entry) == 2 and len(entry[1]) == 24:
            for position in LEADER_POSITIONS:
                leader[position] = entry[1][position]
    record.leader = Leader("".join(leader))
    replaced = {entry[0] for entry in kept if entry[0] != "LDR"}
    fields = [found for found in made if found.tag not in replaced]
    fields += [kept_field(entry) for entry in kept if entry[0] != "LDR" and len(entry) > 1]
    return sorted(fields, key=lambda found: found.tag)


def _original_editions(
    editions: Iterable[EditionView],
) -> tuple[dict[str, EditionView], dict[str, list[EditionView]]]:
    """Work key -> the catalogued edition of the original in its own language (the earliest,
    if there are several), and that edition's key -> the translations of it, among
    ``editions``."""
    editions = list(editions)
    originals: dict[str, EditionView] = {}
    for view in sorted(editions, key=lambda v: (v.year is None, v.year or 0, v.key)):
        original = view.original
        if original is None or not original.language or view.language != original.language:
            continue
        if not is_translation(view):
            originals.setdefault(original.key, view)
    translations: dict[str, list[EditionView]] = defaultdict(list)
    for view in editions:
        found = originals.get(view.original.key) if view.original else None
        if found is not None and is_translation(view):
            translations[found.key].append(view)
    return originals, translations


def records(
    views: Sequence[EditionView],
    linked: Sequence[EditionView] = (),
    entered: date | None = None,
) -> list[Record]:
    """The editions' bibliographic records; ``linked`` are other catalogued editions of their
    works, which may be the originals of some (765) or translations of others (767);
    ``entered`` is 008's date entered on file (today)."""
    entered = entered or datetime.now(UTC).date()
    originals, translations = _original_editions((*views, *linked))
    result = []
    for view in views:
        original = None
        if view.original is not None and is_translation(view):
            original = originals.get(view.original.key)
        result.append(bibliographic_record(view, entered, original, translations[view.key]))
    return result


def render(views: Sequence[EditionView], linked: Sequence[EditionView] = ()) -> bytes:
    """The editions as MARC 21 records in ISO 2709, UTF-8."""
    return b"".join(record.as_marc() for record in records(views, linked))


def xml(marc_records: Iterable[Record]) -> str:
    """Records as a MARCXML collection (UTF-8 text, one element a line, indented), each
    leader with the record length and base address its ISO 2709 form has."""
    from xml.etree import ElementTree

    collection = ElementTree.Element("collection", xmlns=MARC_XML_NS)
    for record in marc_records:
        record.leader = Leader(record.as_marc()[:24].decode("ascii"))
        collection.append(record_to_xml_node(record))
    ElementTree.indent(collection)
    text = ElementTree.tostring(collection, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'


def render_xml(views: Sequence[EditionView], linked: Sequence[EditionView] = ()) -> str:
    """The editions as a MARCXML collection."""
    return xml(records(views, linked))


def lost_facts(view: EditionView) -> dict[str, str]:
    """What MARC cannot carry as such: the original's date, place and publisher (in the
    "Translation of" note), an unnamed translator (a note), and .bib fields that no column
    holds (dropped)."""
    from ..export import present_facts

    present = present_facts(view)
    lost: dict[str, str] = {}
    for fact in ("original-date", "original-place", "original-publisher"):
        if fact in present and is_translation(view):
            lost[fact] = "folded"
        elif fact in present:
            lost[fact] = "dropped"
    if "translator-not-named" in present:
        lost["translator-not-named"] = "folded"
    if "imported-fields" in present:
        lost["imported-fields"] = "dropped"
    return lost


def authority_record(
    person: CreditedPerson, titles: Mapping[str, EditionView], entered: date
) -> Record:
    """A person's MARC 21 authority record: 001, 008, 100 the heading, 400 each variant name,
    670 the note with the bibliography as its source, and 670 for each credit."""
    record = Record(force_utf8=True, leader=AUTHORITY_LEADER)
    record.leader = Leader(AUTHORITY_LEADER)
    # 008: entered; no geographic subdivision; romanization n/a; no attempt at catalog
    # language; established heading; other rules (z); subject system n/a; series n/a;
    # heading usable as main/added and subject entry, not series; 10 undefined;
    # not a government agency; tracings not necessarily consistent; record usable;
    # differentiation not coded; preliminary level; 4 undefined; not modified; other source.
    fixed = f"{entered:%y%m%d}nn|aznnnaabn{' ' * 10} b a|d{' ' * 4} d"
    record.add_field(Field("001", data=f"person-{person.id}"))
    record.add_field(Field("008", data=fixed))
    for kind, value in (("wikidata", person.authority.qid), ("viaf", person.authority.viaf),
                        ("isni", person.authority.isni)):  # fmt: skip
        if value:
            subfields = [Subfield("a", value), Subfield("2", kind)]
            record.add_field(Field("024", Indicators("7", " "), subfields))
    record.add_field(
        Field("100", Indicators("1" if person.name.given else "0", " "), heading(person.name))
    )
    for variant in person.variants:
        indicator = "1" if variant.given else "0"
        record.add_field(Field("400", Indicators(indicator, " "), heading(variant)))
    if person.note:
        record.add_field(
            Field("670", Indicators(" ", " "), [Subfield("a", SOURCE), Subfield("b", person.note)])
        )
    for role, key in person.credits:
        edition = titles.get(key)
        if edition is None:
            continue
        year = _year(edition)
        cited = f"{edition.title}, {year}:" if year else f"{edition.title}:"
        found = f"({role}: {person.name.display})"
        record.add_field(
            Field("670", Indicators(" ", " "), [Subfield("a", cited), Subfield("b", found)])
        )
    return record


def render_authorities(people: Sequence[CreditedPerson], views: Sequence[EditionView]) -> bytes:
    """The people credited on ``views`` as MARC 21 authority records in ISO 2709, UTF-8."""
    entered = datetime.now(UTC).date()
    titles = {view.key: view for view in views}
    return b"".join(authority_record(p, titles, entered).as_marc() for p in people)
