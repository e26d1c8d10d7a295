"""QuickStatements (V1 syntax) for Wikidata, in the WikiProject Books model.

The original work is an item of class *written work* (``P31 Q47461344``) with its title
(``P1476``), authors (``P50``), language (``P407``) and date of publication (``P577``: the
date the catalogue keeps for an original is its first publication; ``P571``, inception,
would be when it was written, which the catalogue does not record); each
edition or translation is an item of class *version, edition or translation* (``P31
Q3331189``) linked to its work by ``P629``, with its title and subtitle (``P1476``,
``P1680``), translators (``P655``), editors (``P98``), language (``P407``), publisher
(``P123``), date (``P577``) and ISBN (``P212`` hyphenated for an ISBN-13, ``P957`` for an
ISBN-10). Labels (``L``) are the titles in the item's language, descriptions (``Den``) tell
items with the same title apart, other titles are aliases (``A``).

One command a line, its fields separated by tabs: ``CREATE`` makes an item, ``LAST`` names
the item made last, ``Q42`` an existing one; values are items (``Q150``), strings
(``"Victor Serge"``), monolingual texts (``fr:"Naissance de notre force"``), times
(``+1931-00-00T00:00:00Z/9``: precision 9 a year, 10 a month, 11 a day) and ``somevalue``
(an unknown value), a qualifier following a statement on its line: as QuickStatements' own
parser reads them (``quickstatements.php``, ``importDataFromV1`` and ``parseValueV1``), which
takes a string from its first to its last double quote (no escapes) and knows no item but
the last created by reference.

What the catalogue knows of Wikidata is used: a person, work or publisher with a QID is
linked by it, and a work or edition with a QID is not created again (nor edited). Without
one:

- an author is an *author name string* (``P2093 "Victor Serge"``);
- a translator, editor or publisher is an unknown value named as printed (``P655 somevalue
  P1932 "Richard Greeman"``: Wikidata has no plain string property for a translator, and
  *object named as*, P1932, is how it records a name whose item is not known). An unnamed
  translator is ``P655 somevalue`` alone;
- a place of publication (``P291``) needs an item, and the catalogue keeps places as text:
  it is left out, and the loss report says so.

V1 can refer back only to the item made last (``LAST``), so an edition can be linked to its
work only once the work has a QID: an export creates the works that have none, and leaves
their editions for the next export (the loss report counts them). Run the batch, give each
work its QID (``biblio edit KEY --set work-qid=Q...``), and export again: the works are then
linked, not created, and their editions follow. Give an edition its QID once created
(``--set qid=Q...``), and it is not created a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..languages import english_name
from ..names import Name
from ..queries import Authority, EditionView, OriginalView

WRITTEN_WORK = "Q47461344"
EDITION = "Q3331189"

#: ISO 639 code (as the catalogue stores it) -> the Wikidata item of the language. The
#: languages the seed and the usual translation pairs use; a language missing here is left
#: out of ``P407`` and reported. Each item is the language's own (English Q1860, not
#: "British English"), as Wikidata's ``P218``/``P219`` (ISO 639-1/-2 code) statements name
#: them; add a row to add a language.
LANGUAGE_ITEMS = {
    "ar": "Q13955", "ca": "Q7026", "cs": "Q9056", "da": "Q9035", "de": "Q188",
    "en": "Q1860", "eo": "Q143", "es": "Q1321", "fi": "Q1412", "fr": "Q150",
    "he": "Q9288", "hu": "Q9067", "it": "Q652", "ja": "Q5287", "ko": "Q9176",
    "la": "Q397", "nl": "Q7411", "pl": "Q809", "pt": "Q5146", "ro": "Q7913",
    "ru": "Q7737", "sv": "Q9027", "tr": "Q256", "uk": "Q8798", "yi": "Q8641",
    "zh": "Q7850",
}  # fmt: skip

#: A work's form as the noun of its English description ("novel by Victor Serge (1931)").
FORM_NOUNS = {
    "novel": "novel", "poetry": "poetry collection", "non-fiction": "non-fiction book",
    "collection": "collection", "pamphlet": "pamphlet",
}  # fmt: skip

_DATE = re.compile(r"^([+-]?)(\d{1,16})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DESCRIPTION_LIMIT = 250  # Wikidata's limit on labels and descriptions


def time_value(date: str | None, year: int | None) -> str | None:
    """A date in QuickStatements' time syntax: "1931" -> "+1931-00-00T00:00:00Z/9",
    "1931-05" -> "+1931-05-00T00:00:00Z/10", "1931-05-02" -> "+1931-05-02T00:00:00Z/11";
    a date the catalogue keeps as written ("1999-uu") by its sortable ``year``."""
    match = _DATE.match((date or "").strip())
    if match is None:
        if year is None:
            return None
        sign, digits, month, day = ("-" if year < 0 else "+"), str(abs(year)), None, None
    else:
        sign, digits, month, day = match.groups()
        sign = sign or "+"
    precision = 11 if day else 10 if month else 9
    return f"{sign}{int(digits):04d}-{month or '00'}-{day or '00'}T00:00:00Z/{precision}"


def string(text: str) -> str:
    """A string value: double-quoted, on one line (QuickStatements has no escapes: a tab or a
    line break would end the field or the command)."""
    return '"' + " ".join(text.split()) + '"'


def monolingual(language: str, text: str) -> str:
    """A monolingual text value: ``fr:"Naissance de notre force"``."""
    return f"{language}:{string(text)}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DESCRIPTION_LIMIT else text[: _DESCRIPTION_LIMIT - 1] + "…"


def _people(names: Sequence[Name]) -> str:
    shown = [n.display for n in names]
    return " and ".join(shown) if len(shown) < 3 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _work_description(view: EditionView, work: OriginalView) -> str:
    noun = FORM_NOUNS.get(work.form or "", "written work")
    by = f" by {_people(view.authors)}" if view.authors else ""
    year = f" ({work.year})" if work.year is not None else ""
    return _short(f"{noun}{by}{year}")


def _edition_description(view: EditionView) -> str:
    work = view.original
    language = english_name(view.language) if view.language else None
    translated = work is not None and view.language and work.language != view.language
    kind = f"{language} translation" if translated else f"{language} edition" if language else ""
    kind = kind or "edition"
    of = f" of {work.title}" if work is not None else ""
    where = ", ".join(str(p) for p in (view.publisher, view.year) if p)
    return _short(f"{kind}{of}" + (f" ({where})" if where else ""))


def _person_claims(
    item: str, prop: str, names: Sequence[Name], view: EditionView, role: str
) -> Iterator[str]:
    """``prop`` for each person: their QID, else an unknown value named as printed (authors:
    an author name string)."""
    for index, name in enumerate(names):
        authority: Authority = view.authority(role, index)
        if authority.qid:
            yield f"{item}\t{prop}\t{authority.qid}"
        elif prop == "P50":
            yield f"{item}\tP2093\t{string(name.display)}"
        else:
            yield f"{item}\t{prop}\tsomevalue\tP1932\t{string(name.display)}"


def _language_claim(item: str, language: str | None) -> Iterator[str]:
    if language in LANGUAGE_ITEMS:
        yield f"{item}\tP407\t{LANGUAGE_ITEMS[language]}"


def work_commands(view: EditionView) -> list[str]:
    """The commands that create ``view``'s original work as an item."""
    work = view.original
    assert work is not None
    label_language = work.language or "mul"
    lines = [
        "CREATE",
        f"LAST\tL{label_language}\t{string(work.title)}",
        f"LAST\tDen\t{string(_work_description(view, work))}",
        f"LAST\tP31\t{WRITTEN_WORK}",
    ]
    if work.language:
        lines.append(f"LAST\tP1476\t{monolingual(work.language, work.title)}")
        if work.subtitle:
            lines.append(f"LAST\tP1680\t{monolingual(work.language, work.subtitle)}")
    lines += _person_claims("LAST", "P50", view.authors, view, "authors")
    lines += _language_claim("LAST", work.language)
    if (time := time_value(work.date, work.year)) is not None:
        lines.append(f"LAST\tP577\t{time}")
    return lines


def edition_commands(view: EditionView) -> list[str]:
    """The commands that create ``view`` as an item of class version, edition or
    translation, linked to its work's QID (an edition with no original stands alone, and
    carries its authors itself)."""
    language = view.language or "mul"
    lines = [
        "CREATE",
        f"LAST\tL{language}\t{string(view.title)}",
        f"LAST\tDen\t{string(_edition_description(view))}",
        *(f"LAST\tA{language}\t{string(title)}" for title in view.also_published_as),
        f"LAST\tP31\t{EDITION}",
    ]
    if view.original is not None:
        lines.append(f"LAST\tP629\t{view.original.qid}")
    else:
        lines += _person_claims("LAST", "P50", view.authors, view, "authors")
    if view.language:
        lines.append(f"LAST\tP1476\t{monolingual(view.language, view.title)}")
        if view.subtitle:
            lines.append(f"LAST\tP1680\t{monolingual(view.language, view.subtitle)}")
    lines += _person_claims("LAST", "P655", view.translators, view, "translators")
    if view.translator_status == "not-named":
        lines.append("LAST\tP655\tsomevalue")
    lines += _person_claims("LAST", "P98", view.editors, view, "editors")
    lines += _language_claim("LAST", view.language)
    if view.publisher_qid:
        lines.append(f"LAST\tP123\t{view.publisher_qid}")
    elif view.publisher:
        lines.append(f"LAST\tP123\tsomevalue\tP1932\t{string(view.publisher)}")
    if (time := time_value(view.date, view.year)) is not None:
        lines.append(f"LAST\tP577\t{time}")
    if view.isbn:
        from stdnum import isbn

        prop = "P212" if len(view.isbn) == 13 else "P957"
        lines.append(f"LAST\t{prop}\t{string(isbn.format(view.isbn))}")
    return lines


def waits_for_its_work(view: EditionView) -> bool:
    """Whether the edition is left for a later export: its work has no QID yet."""
    return view.original is not None and not view.original.qid


def render(views: Sequence[EditionView]) -> str:
    """The commands for ``views``: first each original work with no QID (once), then each
    edition with no QID whose work has one (or that has no original)."""
    lines: list[str] = []
    created: set[str] = set()
    for view in views:
        work = view.original
        if work is not None and not work.qid and work.key not in created:
            created.add(work.key)
            lines += work_commands(view)
    for view in views:
        if not view.qid and not waits_for_its_work(view):
            lines += edition_commands(view)
    return "".join(line + "\n" for line in lines)


def _unlinked(view: EditionView, role: str) -> bool:
    return any(not view.authority(role, i).qid for i in range(len(getattr(view, role))))


def lost_facts(view: EditionView) -> dict[str, str]:
    """What these commands cannot carry. Dropped: the whole edition while its work has no
    QID (``awaiting-work-qid``: left for the next export), a place (no item for it), a
    language the table does not know, the original's place and publisher (on a work
    created here), a journal's issue, the series, the annotation and imported fields.
    Folded: people and publishers without a QID, named as printed, and an unnamed
    translator (an unknown value). An edition on Wikidata already loses nothing."""
    work = view.original
    lost: dict[str, str] = {}
    if work is not None and not work.qid:
        if work.place:
            lost["original-place"] = "dropped"
        if work.publisher:
            lost["original-publisher"] = "dropped"
        if work.language and work.language not in LANGUAGE_ITEMS:
            lost["original-language"] = "dropped"
        if _unlinked(view, "authors"):
            lost["author"] = "folded"
    if view.qid:
        return lost
    if waits_for_its_work(view):
        return {**lost, "awaiting-work-qid": "dropped"}
    if view.place:
        lost["place"] = "dropped"
    if view.language and view.language not in LANGUAGE_ITEMS:
        lost["language"] = "dropped"
    if work is None and _unlinked(view, "authors"):
        lost["author"] = "folded"
    if _unlinked(view, "translators"):
        lost["translator"] = "folded"
    if _unlinked(view, "editors"):
        lost["editor"] = "folded"
    if view.translator_status == "not-named":
        lost["translator-not-named"] = "folded"
    if view.publisher and not view.publisher_qid:
        lost["publisher"] = "folded"
    if view.journal and (view.volume or view.number):
        lost["journal-issue"] = "dropped"
    if view.series:
        lost["series"] = "dropped"
    if view.annotation:
        lost["annotation"] = "dropped"
    if view.extra_fields:
        lost["imported-fields"] = "dropped"
    return lost
