"""Personal names: parts, printed forms, folded keys, .bib name lists and bad input.

The middleware tests at the end show, on bibtexparser's own parse stack, why ``parse_bib_name``
splits a name before it decodes LaTeX: either order of ``LatexDecodingMiddleware`` and
``SplitNameParts`` goes wrong, one loudly and one silently.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

import bibtexparser
import pytest
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.names import NameParts

from biblio import names
from biblio.errors import InvalidValue
from biblio.names import Name, parse_bib_name, parse_name, query_keys, split_bib_names

Parser = Callable[[str], Name]
BOTH = pytest.mark.parametrize("parse", [parse_name, parse_bib_name], ids=["plain", "bib"])

# (written form, family, given, prefix, suffix): plain Unicode, read alike by both parsers.
PLAIN_CASES = [
    ("Greeman, Richard", "Greeman", "Richard", None, None),
    ("Richard Greeman", "Greeman", "Richard", None, None),
    ("van Gennep, Arnold", "Gennep", "Arnold", "van", None),
    ("Arnold van Gennep", "Gennep", "Arnold", "van", None),
    ("de la Fontaine, Jean", "Fontaine", "Jean", "de la", None),
    ("Jean de la Fontaine", "Fontaine", "Jean", "de la", None),
    ("{Ortega y Gasset}, José", "Ortega y Gasset", "José", None, None),
    ("José {Ortega y Gasset}", "Ortega y Gasset", "José", None, None),
    ("{van Gennep}, Arnold", "van Gennep", "Arnold", None, None),
    ("{Barnes and Noble}", "Barnes and Noble", None, None, None),
    ("King, Jr., Martin Luther", "King", "Martin Luther", None, "Jr."),
    ("D.J. Cotterill", "Cotterill", "D. J.", None, None),
    ("D. J. Cotterill", "Cotterill", "D. J.", None, None),
    ("D.J Cotterill", "Cotterill", "D. J.", None, None),
    ("D J Cotterill", "Cotterill", "D. J.", None, None),
    ("Cotterill, D.J.", "Cotterill", "D. J.", None, None),
    ("Trask, Willard R.", "Trask", "Willard R.", None, None),
    ("Th.W. Adorno", "Adorno", "Th. W.", None, None),
    ("J.-P. Sartre", "Sartre", "J.-P.", None, None),
    ("Malcolm X", "X", "Malcolm", None, None),
    ("Серж, Виктор", "Серж", "Виктор", None, None),
    ("Виктор Серж", "Серж", "Виктор", None, None),
    ("Ленин, В.И.", "Ленин", "В. И.", None, None),
    ("魯迅", "魯迅", None, None, None),
    ("Καζαντζάκης, Νίκος", "Καζαντζάκης", "Νίκος", None, None),
    ("Νίκος Καζαντζάκης", "Καζαντζάκης", "Νίκος", None, None),
    ("  Greeman,\n\tRichard  ", "Greeman", "Richard", None, None),
    ("Lenine, Jose\u0301", "Lenine", "Jos\u00e9", None, None),  # composed to NFC
]

# (as written in a .bib file, family, given, prefix, suffix)
LATEX_CASES = [
    (r"Luk{\'a}cs, Gy{\"o}rgy", "Lukács", "György", None, None),
    (r"{Ortega y Gasset}, Jos{\'e}", "Ortega y Gasset", "José", None, None),
    (r"Jos{\'e} {Ortega y Gasset}", "Ortega y Gasset", "José", None, None),
    (r"{Ortega~y~Gasset}, Jos\'e", "Ortega y Gasset", "José", None, None),
    (r"{\'E}mile Zola", "Zola", "Émile", None, None),
    (r"\'{E}mile Zola", "Zola", "Émile", None, None),
    (r"{\L}ukasiewicz, Jan", "Łukasiewicz", "Jan", None, None),
    (r"{\relax Th}omas Mann", "Mann", "Thomas", None, None),
    (r"Stra{\ss}er, Otto", "Straßer", "Otto", None, None),
    (r"Jean de La~Fontaine", "La Fontaine", "Jean", "de", None),
    (r"Ho{\v{s}}ek, D.J.", "Hošek", "D. J.", None, None),
    (r"King, Jr., Martin Luther", "King", "Martin Luther", None, "Jr."),
    # What the BibTeX export writes for Greek: the capitals shaped like Latin ones by
    # textalpha's names, which split as their letters do ("Jean Ka Smith": no particle).
    (
        r"{{\textKappa}{\ensuremath{\alpha}}{\ensuremath{\rho}}{\ensuremath{\upsilon}}"
        r"{\ensuremath{\omega}}{\ensuremath{\tau}}{\ensuremath{\acute\alpha}}{\ensuremath{\kappa}}"
        r"{\ensuremath{\eta}}{\ensuremath{\varsigma}}}, {\textKappa}{\ensuremath{\acute\omega}}"
        r"{\ensuremath{\sigma}}{\ensuremath{\tau}}{\ensuremath{\alpha}}{\ensuremath{\varsigma}}",
        "Καρυωτάκης",
        "Κώστας",
        None,
        None,
    ),
    (r"Jean {\textKappa}{\ensuremath{\alpha}} Smith", "Smith", "Jean Κα", None, None),
    (
        r"{\'{\textOmicron}}{\ensuremath{\mu}}{\ensuremath{\eta}}{\ensuremath{\rho}}{\textomicron}"
        r"{\ensuremath{\varsigma}}",
        "Όμηρος",
        None,
        None,
        None,
    ),
]


def _parts(name: Name) -> tuple[str, str | None, str | None, str | None]:
    return (name.family, name.given, name.prefix, name.suffix)


@BOTH
@pytest.mark.parametrize(("text", "family", "given", "prefix", "suffix"), PLAIN_CASES)
def test_plain_names_split_into_parts(
    parse: Parser,
    text: str,
    family: str,
    given: str | None,
    prefix: str | None,
    suffix: str | None,
) -> None:
    assert _parts(parse(text)) == (family, given, prefix, suffix)


@pytest.mark.parametrize(("raw", "family", "given", "prefix", "suffix"), LATEX_CASES)
def test_bib_names_are_split_then_decoded(
    raw: str, family: str, given: str | None, prefix: str | None, suffix: str | None
) -> None:
    name = parse_bib_name(raw)
    assert _parts(name) == (family, given, prefix, suffix)
    for part in _parts(name):
        assert part is None or unicodedata.is_normalized("NFC", part)


@pytest.mark.parametrize(
    ("text", "display", "inverted", "sort_name"),
    [
        ("Greeman, Richard", "Richard Greeman", "Greeman, Richard", "Greeman, Richard"),
        ("van Gennep, Arnold", "Arnold van Gennep", "van Gennep, Arnold", "Gennep, Arnold van"),
        (
            "de la Fontaine, Jean",
            "Jean de la Fontaine",
            "de la Fontaine, Jean",
            "Fontaine, Jean de la",
        ),
        (
            "{Ortega y Gasset}, José",
            "José Ortega y Gasset",
            "Ortega y Gasset, José",
            "Ortega y Gasset, José",
        ),
        (
            "King, Jr., Martin Luther",
            "Martin Luther King, Jr.",
            "King, Jr., Martin Luther",
            "King, Jr., Martin Luther",
        ),
        ("D.J. Cotterill", "D. J. Cotterill", "Cotterill, D. J.", "Cotterill, D. J."),
        ("Виктор Серж", "Виктор Серж", "Серж, Виктор", "Серж, Виктор"),
        ("Νίκος Καζαντζάκης", "Νίκος Καζαντζάκης", "Καζαντζάκης, Νίκος", "Καζαντζάκης, Νίκος"),
        ("魯迅", "魯迅", "魯迅", "魯迅"),
    ],
)
def test_printed_forms(text: str, display: str, inverted: str, sort_name: str) -> None:
    name = parse_name(text)
    assert (name.display, name.inverted, name.sort_name) == (display, inverted, sort_name)


@BOTH
@pytest.mark.parametrize(
    "text",
    # A braced family name keeps its words together only while it is braced: the printed
    # "Barnes and Noble" reads back as Barnes (given) and Noble (family), so it is left out.
    [case[0] for case in PLAIN_CASES if case[0] != "{Barnes and Noble}"],
)
def test_inverted_form_reads_back_as_the_same_name(parse: Parser, text: str) -> None:
    name = parse(text)
    assert parse_name(name.inverted).authority_key == name.authority_key
    assert parse_name(name.inverted).match_key == name.match_key


# Pairs of (parser, written form) naming one person: both keys must meet.
SAME_PERSON = [
    ((parse_name, "Greeman, Richard"), (parse_name, "Richard Greeman")),
    ((parse_name, "GREEMAN, richard"), (parse_bib_name, "Richard Greeman")),
    ((parse_name, "D.J. Cotterill"), (parse_name, "D. J. Cotterill")),
    ((parse_name, "Cotterill, D.J"), (parse_bib_name, "D J Cotterill")),
    ((parse_bib_name, r"Luk{\'a}cs, Gy{\"o}rgy"), (parse_name, "Lukács, György")),
    ((parse_bib_name, r"Luk\'acs, Gy\"orgy"), (parse_name, "LUKACS, Gyorgy")),
    ((parse_name, "van Gennep, Arnold"), (parse_name, "Arnold van Gennep")),
    ((parse_name, "van Gennep, Arnold"), (parse_bib_name, "{van Gennep}, Arnold")),
    ((parse_name, "de la Fontaine, Jean"), (parse_name, "Jean de la Fontaine")),
    ((parse_bib_name, r"{Ortega y Gasset}, Jos{\'e}"), (parse_name, "José {Ortega y Gasset}")),
    ((parse_name, "King, Jr., Martin Luther"), (parse_name, "King, Jr, Martin Luther")),
    ((parse_name, "Серж, Виктор"), (parse_name, "Виктор Серж")),
    ((parse_name, "ΚΑΖΑΝΤΖΑΚΗΣ, ΝΙΚΟΣ"), (parse_name, "Νίκος Καζαντζάκης")),
    ((parse_name, "魯迅"), (parse_bib_name, "{魯迅}")),
]


@pytest.mark.parametrize(("one", "other"), SAME_PERSON)
def test_one_person_written_two_ways_meets(
    one: tuple[Parser, str], other: tuple[Parser, str]
) -> None:
    first, second = one[0](one[1]), other[0](other[1])
    assert first.match_key == second.match_key
    assert first.authority_key == second.authority_key


def test_initials_give_the_same_tokens_and_stored_form() -> None:
    forms = ["D.J. Cotterill", "D. J. Cotterill", "D.J Cotterill", "Cotterill, D.J."]
    parsed = [parse_name(form) for form in forms] + [parse_bib_name(form) for form in forms]
    assert {name.given for name in parsed} == {"D. J."}
    assert {name.match_key for name in parsed} == {"cotterill d j"}
    assert {name.authority_key for name in parsed} == {"cotterill|d j"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sedova, Natalia", "Sedov, Leon"),
        ("Sedova, Natalia", "Sedov, Natalia"),
        ("King, Jr., Martin Luther", "King, Sr., Martin Luther"),
        ("King, Jr., Martin Luther", "King, Martin Luther"),
        ("D. J. Cotterill", "D. Cotterill"),
        ("Serge, Victor", "Serge, Victoria"),
        ("van Gennep, Arnold", "Gennep, Arnold"),
        ("魯迅", "魯 迅"),
    ],
)
def test_different_people_stay_apart(one: str, other: str) -> None:
    first, second = parse_name(one), parse_name(other)
    assert first.match_key != second.match_key
    assert first.authority_key != second.authority_key


def test_word_order_of_given_names_is_kept_in_the_authority_key() -> None:
    # match_key sorts tokens, so only the authority key tells these two apart.
    one, other = parse_name("Cotterill, D. J."), parse_name("Cotterill, J. D.")
    assert one.match_key == other.match_key
    assert one.authority_key != other.authority_key


def test_keys_are_folded() -> None:
    name = parse_bib_name(r"{Ortega y Gasset}, Jos{\'e}")
    assert name.match_key == "gasset jose ortega y"
    assert name.family_key == "ortega y gasset"
    assert name.authority_key == "ortega y gasset|jose"
    assert parse_name("King, Jr., Martin Luther").authority_key == "king|martin luther|jr"


def test_query_keys_find_a_family_name_with_or_without_its_particle() -> None:
    match_keys, family_keys = query_keys("van Gennep")
    assert match_keys == {"gennep van"}
    assert family_keys == {"van gennep", "gennep"}
    assert parse_name("Arnold van Gennep").family_key in family_keys


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [
        (r"Foo\Bar", r"Foo\Bar", None),
        ("Foo\\", "Foo\\", None),
        (r"Luk{\'a}cs, György", r"Luk\'acs", "György"),
        ("{Ortega} y {Gasset}, José", "Gasset", "José"),
        ("Smith%, Jean--Paul", "Smith%", "Jean--Paul"),
    ],
)
def test_plain_names_are_taken_literally(text: str, family: str, given: str | None) -> None:
    name = parse_name(text)
    assert (name.family, name.given) == (family, given)


def test_a_bib_name_without_markup_never_reaches_the_latex_decoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(latex: str) -> str:
        raise AssertionError(f"decoded {latex!r}")

    monkeypatch.setattr(names, "_decode", refuse)
    assert parse_bib_name("Sedova, Natalia").family == "Sedova"
    with pytest.raises(InvalidValue, match="decoded"):
        parse_bib_name(r"Luk{\'a}cs, Gy{\"o}rgy")


BAD_NAMES = [
    "",
    "   ",
    ",",
    " , ",
    ", José",
    "Serge,",
    "Serge, Jr., Victor, Lvovich",
    "{Ortega y Gasset, José",
    "Ortega y Gasset}, José",
    "{}",
    "{} {}",
    "Ser\x00ge, Victor",
]


@BOTH
@pytest.mark.parametrize("text", BAD_NAMES)
def test_bad_names_raise_invalid_value(parse: Parser, text: str) -> None:
    with pytest.raises(InvalidValue):
        parse(text)


@BOTH
def test_no_input_raises_anything_but_invalid_value(parse: Parser) -> None:
    rng = random.Random(20240611)
    alphabet = "aZé Жλ魯{}{}\\\\,,. ~'\"`^%$&#_-"
    for _ in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        try:
            name = parse(text)
        except InvalidValue:
            continue
        assert name.family
        assert name.match_key == " ".join(name.match_key.split())


@pytest.mark.parametrize(
    ("field", "people", "others"),
    [
        ("", [], False),
        ("Serge, Victor", [Name("Serge", "Victor")], False),
        (
            "Serge, Victor and Richard Greeman",
            [Name("Serge", "Victor"), Name("Greeman", "Richard")],
            False,
        ),
        ("{Barnes and Noble}", [Name("Barnes and Noble")], False),
        ("{Barnes and Noble} and others", [Name("Barnes and Noble")], True),
        (
            r"{Ortega y Gasset}, Jos{\'e} and D.J. Cotterill and others",
            [Name("Ortega y Gasset", "José"), Name("Cotterill", "D. J.")],
            True,
        ),
        ("{others}", [Name("others")], False),
        ("Sanders and Anderson", [Name("Sanders"), Name("Anderson")], False),
    ],
)
def test_split_bib_names(field: str, people: list[Name], others: bool) -> None:
    assert split_bib_names(field) == (people, others)


@pytest.mark.parametrize(
    "field",
    [
        "Serge, Victor and and Richard Greeman",
        "Serge, Victor and",
        "and Richard Greeman",
        "others and Serge, Victor",
        "Serge, Victor and , ",
        "{Ortega y Gasset, José and Serge, Victor",
    ],
)
def test_split_bib_names_refuses_broken_lists(field: str) -> None:
    with pytest.raises(InvalidValue):
        split_bib_names(field)


# The middleware-order trap, on bibtexparser's own parse stack.

TRAP_BIB = r"""
@book{ortega,
  author = {{Ortega y Gasset}, Jos{\'e} and Luk{\'a}cs, Gy{\"o}rgy},
  title = {La rebeli{\'o}n de las masas},
}
"""


def _authors(*middlewares: object) -> list[NameParts]:
    library = bibtexparser.parse_string(TRAP_BIB, append_middleware=middlewares)
    assert library.failed_blocks == []  # neither failure is reported
    (entry,) = library.entries
    authors = entry["author"]
    assert isinstance(authors, list)
    return authors


def test_trap_decoding_before_splitting_mis_splits_a_braced_family_name() -> None:
    ortega, lukacs = _authors(LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts())
    # The braces went with the decoding, so "Ortega y" became a particle.
    assert (ortega.von, ortega.last, ortega.first) == (["Ortega", "y"], ["Gasset"], ["José"])
    assert (lukacs.last, lukacs.first) == (["Lukács"], ["György"])


def test_trap_decoding_after_splitting_leaves_names_undecoded() -> None:
    ortega, lukacs = _authors(SeparateCoAuthors(), SplitNameParts(), LatexDecodingMiddleware())
    assert (ortega.last, ortega.first) == (["{Ortega y Gasset}"], [r"Jos{\'e}"])
    assert (lukacs.last, lukacs.first) == ([r"Luk{\'a}cs"], [r"Gy{\"o}rgy"])


def test_split_bib_names_gets_both_cases_right() -> None:
    (entry,) = bibtexparser.parse_string(TRAP_BIB).entries
    raw_field = entry["author"]
    assert raw_field == r"{Ortega y Gasset}, Jos{\'e} and Luk{\'a}cs, Gy{\"o}rgy"
    people, others = split_bib_names(raw_field)
    assert people == [Name("Ortega y Gasset", "José"), Name("Lukács", "György")]
    assert not others
    assert people[1].authority_key == parse_name("Lukács, György").authority_key


# biblatex's extended name format (biblatex manual, 3.4), as Better BibLaTeX writes a name
# with a particle, and as biber's own tests (t/names.t, parsename_x) give it.
@pytest.mark.parametrize(
    "field, expected",
    [
        ("family=Heuvel, given=Charles, prefix=van den, useprefix=false",
         [Name("Heuvel", "Charles", "van den")]),
        ("Roorda, Dirk and {family=Heuvel, given=Charles, prefix=van den, useprefix=false}",
         [Name("Roorda", "Dirk"), Name("Heuvel", "Charles", "van den")]),
        ("given=John,family=Doe", [Name("Doe", "John")]),
        ("family=Doe, suffix=Jr, given=John, given-i=J", [Name("Doe", "John", None, "Jr")]),
        ("prefix=von, family=Berlichingen zu Hornberg, given=Johann Gottfried",
         [Name("Berlichingen zu Hornberg", "Johann Gottfried", "von")]),
        ('"family={Robert and Sons, Inc.}"', [Name("Robert and Sons, Inc.")]),
        ("given={Jean Charles Gabriel}, prefix=de la, family=Vall{\\'e}e Poussin",
         [Name("Vallée Poussin", "Jean Charles Gabriel", "de la")]),
        ("useprefix=true, given=Richard, prefix=von, family=Rabble",
         [Name("Rabble", "Richard", "von")]),
        # a list's option is not a name; any other "a=b" is
        ("useprefix=false and Simon Smith", [Name("Smith", "Simon")]),
        ("{A=B Associates} and Simon Smith", [Name("A=B Associates"), Name("Smith", "Simon")]),
        ("Q=R and Simon Smith", [Name("Q=R"), Name("Smith", "Simon")]),
    ],
)  # fmt: skip
def test_extended_names_are_read_by_their_parts(field: str, expected: list[Name]) -> None:
    assert split_bib_names(field) == (expected, False)


def test_an_extended_name_without_a_family_is_refused() -> None:
    with pytest.raises(InvalidValue, match="no family name"):
        split_bib_names("given=John, prefix=von")
