"""The exporters are pure: EditionViews in, .bib text out. These tests read the output back
with bibtexparser and decode it with pylatexenc, so they check what a .bib reader sees."""

from __future__ import annotations

from typing import Any

import pytest
from bibtexparser import parse_string
from pylatexenc import latex2text

from biblio.export import export_text
from biblio.export.biblatex import lost_facts
from biblio.names import Name
from biblio.queries import EditionView

from .factories import greek_letters, view

NASTY = [
    "unbalanced { brace",
    "unbalanced } brace",
    r"\input{/etc/passwd}",
    r"\def\x{y}\x trailing backslash\\",
    "100% of $5 & #1 _under ~tilde ^caret",
    "quotes `` '' and dashes -- ---",
    "Lénine à Staline, Œuvres, Łódź, Ørsted",
    '@comment{ends = here}, "quoted"',
    "xdata=serge1931naissance-x, family=Foo",
]


_TEXT_MACROS = {
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textbackslash{}": "\\",
}


def decode(value: str) -> str:
    """What TeX prints for a field value: text macros to characters, accents decoded, the
    ligature-breaking {} removed (pylatexenc knows no \\textbraceleft, so those are replaced
    first; a backslash produced by that step is not re-read as a macro)."""
    parts = []
    rest = value
    while rest:
        hits = [(rest.find(m), m) for m in _TEXT_MACROS if rest.find(m) >= 0]
        if not hits:
            parts.append(latex2text.LatexNodes2Text().latex_to_text(rest))
            break
        index, macro = min(hits)
        parts.append(latex2text.LatexNodes2Text().latex_to_text(rest[:index]) if index else "")
        parts.append(_TEXT_MACROS[macro])
        rest = rest[index + len(macro) :]
    return "".join(parts)


def fields_of(text: str) -> dict[str, dict[str, str]]:
    library = parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {
        entry.key: {"ENTRYTYPE": entry.entry_type, **{f.key: f.value for f in entry.fields}}
        for entry in library.entries
    }


def test_biblatex_carries_the_translation_facts() -> None:
    entry = fields_of(export_text([view()], "biblatex"))["serge1967birth"]
    assert entry == {
        "ENTRYTYPE": "book",
        "author": "Serge, Victor",
        "translator": "Greeman, Richard",
        "title": "Birth of our Power",
        "location": "{New York}",
        "publisher": "{Doubleday}",
        "date": "1967",
        "langid": "english",
        "origlanguage": "french",
        "origtitle": "Naissance de notre force",
        "origdate": "1931",
        "origlocation": "{Paris}",
        "annotation": "A novel of 1917.",
    }


def special_issue(**changes: object) -> Any:
    """The seed's special issue of a journal, edited, with no translator."""
    values: dict[str, Any] = {
        "key": "serge1994century", "entry_type": "periodical",
        "title": "The Century of the Unexpected", "journal": "Revolutionary History",
        "volume": "5", "number": "3", "translators": [], "translator_status": "unknown",
        "editors": [Name("Richardson", "Al")], "original": None, "place": None,
        "publisher": None,
    }  # fmt: skip
    return view(**{**values, **changes})


def test_biblatex_special_issue_is_a_periodical() -> None:
    special = special_issue(subtitle="Essays on Revolution and Counter-Revolution")
    entry = fields_of(export_text([special], "biblatex"))["serge1994century"]
    assert entry["ENTRYTYPE"] == "periodical"
    assert entry["title"] == "Revolutionary History"
    assert entry["issuetitle"] == "The Century of the Unexpected"
    assert entry["issuesubtitle"] == "Essays on Revolution and Counter-Revolution"
    assert (entry["volume"], entry["number"], entry["editor"]) == ("5", "3", "Richardson, Al")
    assert "author" not in entry  # not in biblatex's data model for @periodical


def test_biblatex_periodical_without_a_journal_is_the_periodical_itself() -> None:
    """An imported ``@periodical{cornishman, title = {The Cornishman}}`` (TeX Live's
    texbook2.bib) is the periodical, not an issue of one: its title is not written again as
    an ``issuetitle`` (biber printed "The Cornishman. The Cornishman")."""
    periodical = special_issue(journal=None, title="The Cornishman", subtitle="Weekly")
    entry = fields_of(export_text([periodical], "biblatex"))["serge1994century"]
    assert (entry["title"], entry["subtitle"]) == ("The Cornishman", "Weekly")
    assert "issuetitle" not in entry and "issuesubtitle" not in entry


def test_a_periodicals_author_kept_as_written_is_not_reported_dropped() -> None:
    """biblatex's @periodical has no author: a generated one is dropped and said to be; one
    kept as the .bib file spelt it (TeX Live's texbook2.bib) is written back, and not said
    to be dropped."""
    author = Name("Birman", "M. S.")
    generated = lost_facts(special_issue(authors=[author]))
    kept = lost_facts(special_issue(authors=[author], extra_fields=[("author", "{M. S. Birman}")]))
    assert generated.get("author") == "dropped" and "author" not in kept
    text = export_text(
        [special_issue(authors=[author], extra_fields=[("author", "{M. S. Birman}")])], "biblatex"
    )
    assert fields_of(text)["serge1994century"]["author"] == "M. S. Birman"


def test_lists_keep_and_inside_one_item() -> None:
    text = export_text([view(publisher="Readers and Writers", place="Garden City, NY")], "biblatex")
    entry = fields_of(text)["serge1967birth"]
    assert entry["publisher"] == "{Readers and Writers}"
    assert entry["location"] == "{Garden City, NY}"


@pytest.mark.parametrize(
    "person, expected",
    [
        (Name("Ortega y Gasset", "José"), "{Ortega y Gasset}, José"),
        (Name("Gennep", "Arnold", prefix="van"), "van Gennep, Arnold"),
        (Name("Smith and Sons", "Jo"), "{Smith and Sons}, Jo"),
        (Name("Cotterill", "D. J."), "Cotterill, D. J."),
        (Name("King", "Martin Luther", suffix="Jr."), "King, Jr., Martin Luther"),
        (Name("Rétif", "Le"), "Rétif, Le"),
        (Name("Noble", "Barnes and"), "Noble, Barnes {and}"),
        (Name("others"), "o{}thers"),
        (Name("Smith, Jones"), r"{Smith\symbol{44} Jones}"),
        (Name("Foo", "family=Bar"), "Foo, family{=}Bar"),
    ],
)
def test_names_stay_one_person(person: Name, expected: str) -> None:
    entry = fields_of(export_text([view(translators=[person])], "biblatex"))["serge1967birth"]
    assert entry["translator"] == expected
    from bibtexparser.middlewares.names import split_multiple_persons_names

    assert len(split_multiple_persons_names(entry["translator"])) == 1


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
@pytest.mark.parametrize("value", NASTY)
def test_any_value_survives_as_itself(fmt: str, value: str) -> None:
    text = export_text([view(title=value, publisher=value, edition_annotation=value)], fmt)
    entry = fields_of(text)["serge1967birth"]
    folded = " ".join(value.split())
    assert decode(entry["title"]) == folded
    publisher = entry["publisher"]
    if fmt == "biblatex":
        assert publisher.startswith("{") and publisher.endswith("}")
        publisher = publisher[1:-1]
    assert decode(publisher) == folded
    annotation = entry["annotation" if fmt == "biblatex" else "annote"]
    assert decode(annotation).endswith(folded)
    # Braces in every value balance, so no value can close its field early.
    for raw in entry.values():
        depth = 0
        for ch in raw:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0
        assert depth == 0


def test_bibtex_is_ascii_and_folds_the_translation_into_note() -> None:
    text = export_text(
        [view(also_published_as=["Destiny of a Revolution"], place="Garden City, NY")], "bibtex"
    )
    assert text.isascii()
    entry = fields_of(text)["serge1967birth"]
    assert entry["ENTRYTYPE"] == "book"
    assert entry["address"] == "Garden City, NY"
    assert entry["year"] == "1967"
    assert decode(entry["note"]) == (
        "Translated from the French by Richard Greeman; originally published as "
        "Naissance de notre force (Paris, 1931). Also published as Destiny of a Revolution"
    )
    assert entry["annote"] == "A novel of 1917."


@pytest.mark.parametrize("own", ["First American edition.", "First American edition", "Why?"])
def test_bibtex_puts_one_stop_between_a_note_and_the_translation_note(own: str) -> None:
    """The entry's own note and the translation note are joined by one full stop: plain.bst
    printed "First American edition.. Translated from the French..."."""
    entry = fields_of(export_text([view(note=own)], "bibtex"))["serge1967birth"]
    stem = own.rstrip(".")
    assert decode(entry["note"]).startswith(f"{stem}{'' if own.endswith('?') else '.'} Translated")


def test_bibtex_escapes_accents_for_bibtex() -> None:
    entry = fields_of(export_text([view(title="De Lénine à Staline")], "bibtex"))["serge1967birth"]
    assert entry["title"] == r"{De L{\'e}nine {\`a} Staline}"  # braced: styles keep its case


def test_bibtex_writes_the_hungarian_double_acute_as_tex_prints_it() -> None:
    """pylatexenc writes Ű as \\'{U}, which TeX prints as Ú; the double acute is \\H."""
    entry = fields_of(export_text([view(title="Űrhajó és Ő")], "bibtex"))["serge1967birth"]
    assert entry["title"] == r"{{\H{U}}rhaj{\'o} {\'e}s {\H{O}}}"


def test_bibtex_unnamed_translator_and_editors_beside_authors() -> None:
    text = export_text(
        [
            view(translators=[], translator_status="not-named", original=None),
            view(
                key="serge2004collected",
                translators=[Name("Richardson", "Al")],
                editors=[Name("Richardson", "Al")],
                original=None,
            ),
        ],
        "bibtex",
    )
    entries = fields_of(text)
    assert decode(entries["serge1967birth"]["note"]) == "Translated; translator not named"
    collected = entries["serge2004collected"]
    assert "editor" not in collected  # plain.bst refuses author and editor together
    assert decode(collected["note"]) == "Translated by Al Richardson. Edited by Al Richardson"


def _bibtex_read_back(edition: EditionView) -> tuple[str, str, EditionView]:
    """(The BibTeX export of ``edition``, that export read back and exported again, the view
    read back), without a catalogue in between."""
    from biblio.bibtex import read_bib
    from biblio.queries import record_view

    first = export_text([edition], "bibtex")
    entries, problems = read_bib(first, "export.bib")
    assert not [p for p in problems if p.is_error], problems
    again = record_view(entries[0].record)
    return first, export_text([again], "bibtex"), again


def test_every_special_character_escaped_reads_back_as_itself() -> None:
    from biblio.export.tex import escape_ascii
    from biblio.latex import decode_latex

    value = " ".join(f"a{special}b" for special in "=\\{}%$&#_~^")
    assert decode_latex(escape_ascii(value)) == value


@pytest.mark.parametrize(
    "title",
    [
        "Nucleus $^{6}$He",  # \textbraceleft{} and \textbraceright{}: dropped by pylatexenc
        "K$^-$ over K$^+$",  # \textasciicircum{}: read by pylatexenc as U+02C6, not ^
        "Resummation in e+e\N{MINUS SIGN} annihilation",  # {\ensuremath{-}}: read as a hyphen
        "Col\N{MIDDLE DOT}lecci\N{LATIN SMALL LETTER O WITH ACUTE}",  # {\textperiodcentered}
    ],
)
def test_bibtex_special_characters_read_back_as_themselves(title: str) -> None:
    first, again, edition = _bibtex_read_back(view(title=title))
    assert first.isascii()
    assert edition.title == title
    assert again == first


def test_bibtex_a_name_with_a_middle_dot_reads_back_as_itself() -> None:
    person = Name("Domingo", "Marcel\N{MIDDLE DOT}l\N{LATIN SMALL LETTER I WITH ACUTE}")
    first, again, edition = _bibtex_read_back(view(translators=[person]))
    assert edition.translators == [person]
    assert again == first


def test_bibtex_every_greek_letter_reads_back_as_itself() -> None:
    """pylatexenc writes Kappa as K, Ό as \\'{}O, Ϊ as \\ddot{I}, ό as \\'{o}, έ as \\acute\\epsilon
    (which reads back as ϵ́): each of them, and every other Greek letter, is written so that
    it reads back as itself."""
    from biblio.export.tex import escape_ascii
    from biblio.latex import decode_latex

    written = {letter: escape_ascii(letter) for letter in greek_letters()}
    assert all(latex.isascii() for latex in written.values())
    wrong = {letter: latex for letter, latex in written.items() if decode_latex(latex) != letter}
    assert not wrong, wrong
    assert written["\N{GREEK CAPITAL LETTER KAPPA}"] == r"{\textKappa}"
    assert written["\N{GREEK SMALL LETTER OMICRON WITH TONOS}"] == r"{\'{\textomicron}}"


def test_bibtex_every_character_up_to_cjk_reads_back_as_itself() -> None:
    """Every character from U+00A0 to U+2FFF in normalisation form C (letters, signs, symbols;
    not the controls, spaces or combining marks on their own) is written in ASCII so that it
    reads back as itself: where pylatexenc's command would not (Ħ as H with a macron, Ѓ with a
    grave accent, Ѡ and the other historic Cyrillic letters as nothing, ⅓ as "1/3"), the
    character is written as its code point (``{\\ensuremath{\\langle}\\texttt{U+0126}...}``)."""
    import unicodedata

    from biblio.export.tex import escape_ascii
    from biblio.latex import decode_latex

    characters = [
        chr(code)
        for code in range(0xA0, 0x3000)
        if unicodedata.category(chr(code))[0] not in "CZ"
        and not unicodedata.combining(chr(code))
        and unicodedata.category(chr(code)) not in ("Mn", "Me")
        and unicodedata.normalize("NFC", chr(code)) == chr(code)
    ]
    assert len(characters) > 9_000
    written = {character: escape_ascii(character) for character in characters}
    assert all(latex.isascii() for latex in written.values())
    wrong = {c: latex for c, latex in written.items() if decode_latex(latex) != c}
    assert not wrong, dict(list(wrong.items())[:20])
    # Macedonian's Ѓ and Ќ take an acute; Ħ has no command.
    assert written["\N{CYRILLIC CAPITAL LETTER GJE}"] == r"{\'\CYRG}"
    assert written["\N{CYRILLIC SMALL LETTER KJE}"] == r"{\'\cyrk}"
    assert "U+0126" in written["\N{LATIN CAPITAL LETTER H WITH STROKE}"]


def test_bibtex_a_maltese_and_a_macedonian_title_read_back_as_themselves() -> None:
    title = "Ħajja f'Malta; Ѓорѓи и Ќирил; ⅓ Ѡ"
    first, again, edition = _bibtex_read_back(view(title=title))
    assert first.isascii()
    assert edition.title == title
    assert again == first


KARYOTAKIS = Name("Καρυωτάκης", "Κώστας")
LATIN_SHAPED_PREAMBLE = (
    r'@preamble{"\providecommand{\textKappa}{K}\providecommand{\textomicron}{o}"}'
)


def test_bibtex_a_greek_name_reads_back_as_itself() -> None:
    """Κώστας Καρυωτάκης comes back Greek (not as a Latin K, which would also leave the family
    name unbraced the second time), the export starting with the one @preamble that provides
    the Latin-shaped letters it uses; read back, that @preamble is the entry's, and the second
    export does not add it again."""
    first, again, edition = _bibtex_read_back(
        view(translators=[KARYOTAKIS], title="Ποιήματα και πρόζα")
    )
    assert first.isascii()
    assert first.startswith(LATIN_SHAPED_PREAMBLE + "\n\n@")
    assert first.count("@preamble") == 1
    assert r"translator = {{{\textKappa}{\ensuremath{\alpha}}" in first
    assert edition.translators == [KARYOTAKIS]
    assert edition.title == "Ποιήματα και πρόζα"
    assert again == first


def test_bibtex_provides_a_latin_shaped_letter_once() -> None:
    """The @preamble is written after the kept blocks, and only for the letters that no kept
    @preamble defines: none when they all are (an export read back into a catalogue), none for
    an entry without them, and never in biblatex, which writes Greek as it is."""
    from biblio.export import export

    greek = [view(translators=[KARYOTAKIS], title="Ο Καρυωτάκης")]
    kept = [("preamble", '"\\newcommand{\\noopsort}[1]{}"'), ("comment", "jabref-meta: x;")]
    text = export(greek, "bibtex", kept).text
    header = '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n\n@comment{jabref-meta: x;}\n\n'
    ours = r'"\providecommand{\textKappa}{K}\providecommand{\textOmicron}{O}"'
    assert text.startswith(f"{header}@preamble{{{ours}}}\n\n@")
    assert export(greek, "bibtex", [*kept, ("preamble", ours)]).text.count("@preamble") == 2
    defined = ("preamble", r'"\def\textOmicron{\=O}"')
    assert export(greek, "bibtex", [defined]).text.startswith(
        r'@preamble{"\def\textOmicron{\=O}"}'
        "\n\n"
        r'@preamble{"\providecommand{\textKappa}{K}"}'
    )
    assert "@preamble" not in export([view()], "bibtex").text
    biblatex = export(greek, "biblatex").text
    assert "@preamble" not in biblatex and "{Καρυωτάκης}, Κώστας" in biblatex


def test_bibtex_special_issue_reads_back_in_the_same_order() -> None:
    """A journal's special issue is a @misc with the journal in ``howpublished``; read back,
    that field is kept as written, not made again, and is written where it was."""
    special = special_issue()
    first, again, _ = _bibtex_read_back(special)
    assert "Special issue of Revolutionary History, vol. 5, no. 3" in first
    assert again == first


def test_the_command_line_offers_every_export_format() -> None:
    from biblio.cli import EXPORT_FORMATS
    from biblio.export import FORMATS

    # annotated and marc-authority are rendered from the selection, not edition by edition
    assert set(EXPORT_FORMATS) == set(FORMATS) | {"annotated", "marc-authority"}
