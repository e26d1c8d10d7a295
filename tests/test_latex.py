"""The exports in their real clients: pdflatex + biber for biblatex, bibtex + plain for classic
BibTeX, the PDF read back with pdftotext. Skipped, saying why, where a client is missing;
CI installs them all (and fails instead of skipping)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from biblio.catalogue import import_records
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.latex import decode_latex, unknown_commands
from biblio.names import split_bib_names
from biblio.records import EditionRecord, OriginalRecord

from .conftest import REQUIRE, invoke, need

BIBLATEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[english]{babel}
\usepackage[style=%(style)s,backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""

BIBTEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
%(packages)s
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=300, errors="replace"
    )


def pdflatex(cwd: Path) -> None:
    result = run([need("pdflatex", "texlive-latex-recommended"), "-interaction=nonstopmode",
                  "-halt-on-error", "doc.tex"], cwd)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]


def pdf_text(cwd: Path) -> str:
    result = run([need("pdftotext", "poppler-utils"), "-enc", "UTF-8", "doc.pdf", "-"], cwd)
    assert result.returncode == 0, result.stderr
    text = result.stdout.replace("\u2019", "'").replace("\u2018", "`")
    text = re.sub(r"-\n(?=[a-z])", "", text)  # words hyphenated at line ends
    return " ".join(text.split())


def build_biblatex(bib: str, cwd: Path, style: str = "authoryear") -> tuple[str, str]:
    """Compile a biblatex document over ``bib``; return (biber's output, the PDF's text)."""
    need("biber", "biber")
    (cwd / "refs.bib").write_text(bib, encoding="utf-8")
    (cwd / "doc.tex").write_text(BIBLATEX_DOC % {"style": style}, encoding="utf-8")
    pdflatex(cwd)
    biber = run(["biber", "--validate-datamodel", "doc"], cwd)
    assert biber.returncode == 0, biber.stdout[-3000:]
    pdflatex(cwd)
    pdflatex(cwd)
    log = (cwd / "doc.log").read_text(errors="replace")
    assert "Please rerun LaTeX" not in log and "undefined references" not in log
    return biber.stdout, pdf_text(cwd)


def build_bibtex(bib: str, cwd: Path, packages: str = "") -> tuple[str, str]:
    """Compile a document (loading ``packages`` too) with bibtex and plain.bst; return
    (bibtex's output, the PDF's text)."""
    (cwd / "refs.bib").write_text(bib, encoding="ascii")
    (cwd / "doc.tex").write_text(BIBTEX_DOC % {"packages": packages}, encoding="utf-8")
    pdflatex(cwd)
    bibtex = run([need("bibtex", "texlive-binaries (via texlive-latex-recommended)"), "doc"], cwd)
    assert bibtex.returncode == 0, bibtex.stdout
    pdflatex(cwd)
    pdflatex(cwd)
    return bibtex.stdout, pdf_text(cwd)


def export(db: str, fmt: str, *filters: str) -> str:
    result = invoke(db, "export", "--format", fmt, *filters)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("style", ["authoryear", "numeric", "verbose"])
def test_biblatex_seed_compiles_cleanly_and_prints_every_translator(
    seeded_sqlite: str, tmp_path: Path, style: str
) -> None:
    biber_output, text = build_biblatex(export(seeded_sqlite, "biblatex"), tmp_path, style)
    # The only warnings: the two works from the article's body, which gives them no date
    # (biblio check reports them too). Every entry of the bibliography section is clean.
    rows = json.loads(invoke(seeded_sqlite, "list", "--format", "json").stdout)
    undated = sorted(row["key"] for row in rows if row["year"] is None)
    assert undated == ["fignermemoires", "sergeproblemas"]
    warnings = [line for line in biber_output.splitlines() if line.startswith("WARN")]
    assert warnings == [
        f"WARN - Datamodel: Entry '{key}' (refs.bib): Missing mandatory field - one of "
        "'date, year' must be defined"
        for key in undated
    ], biber_output
    assert "ERROR" not in biber_output, biber_output
    assert text.count("Trans. from the French by Richard Greeman") == 5
    for row in rows:
        for translator in row["translators"]:
            from_french = "from the French " if row["original"] else ""
            assert re.search(
                rf"[Tt]rans\. {from_french}by {re.escape(translator)}"
                rf"|[Tt]rans\. by [^.]*{re.escape(translator)}",
                text,
            ), (row["key"], translator)
    assert "Ed. by Al Richardson" in text or "Al Richardson, ed." in text or "Richardson" in text
    assert "Revolutionary History 5.3" in text
    assert "Also published as Destiny of a Revolution" in text


def test_bibtex_seed_compiles_with_plain(seeded_sqlite: str, tmp_path: Path) -> None:
    bibtex_output, text = build_bibtex(export(seeded_sqlite, "bibtex"), tmp_path)
    assert "Warning--" not in bibtex_output, bibtex_output
    assert "error" not in bibtex_output.lower(), bibtex_output
    assert (
        "Translated from the French by Richard Greeman; originally published as "
        "Naissance de notre force (Paris, 1931)" in text
    )
    assert text.count("Translated from the French by Richard Greeman") == 5
    assert "De Lénine à Staline" in text  # accents escaped in the file, printed in the PDF
    assert "Special issue of Revolutionary History, vol. 5, no. 3" in text


NASTY_TITLE = r"Odd {title % with $ & # _ ~ ^ \input{/etc/passwd} and \relax\def\x{}"


def _catalogue_with(db: str, record: EditionRecord) -> None:
    """A new catalogue at ``db`` holding ``record``, imported as the library imports."""
    engine = open_catalogue(resolve(db), create=True)
    try:
        with session_scope(engine) as session:
            import_records(session, [], [record])
    finally:
        engine.dispose()


def _nasty_catalogue(db: str) -> None:
    record = EditionRecord(
        title=NASTY_TITLE,
        subtitle="unbalanced } brace",
        date="2001",
        place="Garden City, NY",
        publisher="Readers and Writers & Co. 100%",
        authors=["{Ortega y Gasset}, José"],
        translators=["Łukasz Żółć"],
        language="en",
        annotation=r"Ends with a backslash \ and a brace {",
        original=OriginalRecord(title="Révolte & #1", date="1931", place="Paris", language="fr"),
    )
    _catalogue_with(db, record)


def _literal(text: str) -> str:
    # pdftotext reads T1's ASCII tilde and circumflex glyphs back as their spacing forms.
    return text.replace("\u02dc", "~").replace("\u02c6", "^")


def test_biblatex_prints_odd_values_literally(sqlite_db: str, tmp_path: Path) -> None:
    _nasty_catalogue(sqlite_db)
    biber_output, text = build_biblatex(export(sqlite_db, "biblatex"), tmp_path)
    assert "WARN" not in biber_output, biber_output
    text = _literal(text)
    assert " ".join(NASTY_TITLE.split()) in text
    assert "unbalanced } brace" in text
    assert "Readers and Writers & Co. 100%" in text
    assert "Ortega y Gasset" in text and "Łukasz Żółć" in text
    assert "root:" not in text  # \input was printed, not run


def test_biblatex_odd_names_stay_people(sqlite_db: str, tmp_path: Path) -> None:
    from biblio.names import Name

    odd = [
        Name("Barnes and Noble", "Jo and Al"),
        Name("others", "Quite"),
        Name("Smith, Jones", "Ann"),
        Name("Foo", "family=Bar"),
        Name("%Percent", "_Under"),
    ]
    record = EditionRecord(
        title="Odd Names", date="2001", publisher="P", authors=["Serge, Victor"], translators=odd
    )
    _catalogue_with(sqlite_db, record)
    biber_output, text = build_biblatex(
        export(sqlite_db, "biblatex"), tmp_path, "authoryear,maxnames=99"
    )
    assert "WARN" not in biber_output, biber_output
    text = text.replace("\ufeff", "")
    for expected in ["Jo and Al Barnes and Noble", "Quite others", "Ann Smith, Jones",
                     "family=Bar Foo", "_Under %Percent"]:  # fmt: skip
        assert expected in text, (expected, text)
    assert "et al" not in text


def test_bibtex_prints_odd_values_literally(sqlite_db: str, tmp_path: Path) -> None:
    _nasty_catalogue(sqlite_db)
    bib = export(sqlite_db, "bibtex")
    assert bib.isascii()
    bibtex_output, text = build_bibtex(bib, tmp_path)
    assert "Warning--" not in bibtex_output, bibtex_output
    text = _literal(text)
    assert " ".join(NASTY_TITLE.split()) in text
    assert "Readers and Writers & Co. 100%" in text
    assert "Łukasz Żółć" in text
    assert "root:" not in text


def _greek_catalogue(db: str) -> None:
    record = EditionRecord(
        title="Ελεγεία και σάτιρες",
        subtitle="Ποιήματα, Όλα τα πεζά",
        date="1927",
        place="Αθήνα",
        publisher="Εκδόσεις Ίκαρος",
        authors=["Καρυωτάκης, Κώστας"],
        language="el",
    )
    _catalogue_with(db, record)


def _letters(text: str) -> str:
    """The PDF's text without spaces, composed (NFC: ώ with oxia is ώ with tonos), μ for the
    micro sign: pdftotext puts spaces after math italic letters and reads cmmi's mu so."""
    import unicodedata

    letters = unicodedata.normalize("NFC", "".join(text.split()))
    return letters.replace("\N{MICRO SIGN}", "\N{GREEK SMALL LETTER MU}")


def test_bibtex_prints_greek_without_a_greek_package(sqlite_db: str, tmp_path: Path) -> None:
    """The Greek capitals shaped like Latin ones (\\textKappa...) compile in a document that
    loads no Greek package, printed as their Latin look-alikes by the export's @preamble,
    the other Greek letters in math (pdflatex's T1 fonts have no Greek)."""
    _greek_catalogue(sqlite_db)
    bib = export(sqlite_db, "bibtex")
    assert bib.isascii() and r"\providecommand{\textKappa}{K}" in bib
    output, text = build_bibtex(bib, tmp_path)
    assert "Warning--" not in output and "error" not in output.lower(), output
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "Undefined control sequence" not in log and "Missing character" not in log
    letters = _letters(text)
    assert "KώσταςKαρυωτάκης" in letters  # K: the Latin K
    assert "Eλεγεία" in letters and "Πoιήματα,Óλατα" in letters and "Íκαρoς" in letters
    assert not {"Κ", "Ε", "Ό", "ο"} & set(letters)  # no Greek font: their Latin look-alikes


def test_bibtex_compiles_every_greek_letter(tmp_path: Path) -> None:
    """Every Greek letter as the BibTeX export writes it compiles with pdflatex, no Greek
    package loaded (pylatexenc wrote ΐ's math accents outside math, ϒ as \\Upsilon outside
    math and ϰ as amssymb's \\varkappa)."""
    from biblio.export import export_text

    from .factories import greek_letters, view

    letters = greek_letters()
    views = [
        view(key=f"greek{start}", title=" ".join(letters[start : start + 20]))
        for start in range(0, len(letters), 20)
    ]
    output, _ = build_bibtex(export_text(views, "bibtex"), tmp_path)
    assert "Warning--" not in output and "error" not in output.lower(), output
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "Undefined control sequence" not in log and "Missing character" not in log


def test_bibtex_prints_greek_letters_with_textalpha(sqlite_db: str, tmp_path: Path) -> None:
    """With greek-fontenc's textalpha loaded, the export's \\providecommand leaves its Greek
    letters alone: every letter of the names and titles prints Greek, accents and all."""
    found = run([need("kpsewhich", "texlive-binaries"), "textalpha.sty"], tmp_path)
    if not found.stdout.strip():
        message = "textalpha.sty not installed (Debian package texlive-lang-greek)"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    _greek_catalogue(sqlite_db)
    output, text = build_bibtex(export(sqlite_db, "bibtex"), tmp_path, r"\usepackage{textalpha}")
    assert "Warning--" not in output and "error" not in output.lower(), output
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "Undefined control sequence" not in log and "Missing character" not in log
    letters = _letters(text)
    for greek in ("Κώστας Καρυωτάκης", "Ελεγεία και σάτιρες", "Ποιήματα, Όλα τα πεζά",
                  "Εκδόσεις Ίκαρος, Αθήνα"):  # fmt: skip
        assert "".join(greek.split()) in letters, (greek, text)


LUALATEX_DOC = r"""\documentclass{article}
\usepackage{fontspec}
\directlua{luaotfload.add_fallback("biblio",
  {"WenQuanYi Micro Hei:mode=harf;", "Symbola:mode=harf;"})}
\setmainfont{DejaVu Serif}[RawFeature={fallback=biblio}]
\usepackage[english]{babel}
\usepackage[style=authoryear,backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""

SCRIPTS_TITLE = r"Полночь в столетии 中文書名 😀 {unbalanced % $ & # _ ~ ^ \input{/etc/passwd}"


def test_lualatex_prints_any_script_literally(sqlite_db: str, tmp_path: Path) -> None:
    """Scripts pdflatex cannot set (Cyrillic, CJK, emoji) with lualatex and fontspec."""
    lualatex = need("lualatex", "texlive-luatex")
    need("biber", "biber")
    record = EditionRecord(
        title=SCRIPTS_TITLE,
        date="2001",
        place="東京",
        publisher="Éditions 😀",
        authors=["Серж, Виктор"],
        translators=["魯迅"],
        language="en",
        original=OriginalRecord(title="S'il est minuit", date="1939", language="ru"),
    )
    _catalogue_with(sqlite_db, record)
    (tmp_path / "refs.bib").write_text(export(sqlite_db, "biblatex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(LUALATEX_DOC, encoding="utf-8")
    for step in ([lualatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                 ["biber", "--validate-datamodel", "doc"],
                 [lualatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                 [lualatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]):  # fmt: skip
        result = run(step, tmp_path)
        assert result.returncode == 0, result.stdout[-3000:]
        assert "WARN" not in result.stdout or step[0] != "biber", result.stdout
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "Missing character" not in log
    text = _literal(pdf_text(tmp_path))
    assert " ".join(SCRIPTS_TITLE.split()) in text
    assert "Серж, Виктор" in text and "魯迅" in text and "東京" in text and "Éditions 😀" in text
    assert "Trans. from the Russian by" in text
    assert "root:" not in text


NOOPSORT = r"""@preamble{"\newcommand{\noopsort}[1]{}"}
@comment{jabref-meta: databaseType:bibtex;}

@book{later, author = {Ann Writer}, title = {Later Book}, publisher = {P}, address = {Paris},
  year = {{\noopsort{1973c}}1981}}
@book{earlier, author = {Ann Writer}, title = {Earlier Book}, publisher = {P},
  address = {Paris}, year = {1975}}
"""


def test_a_preamble_comes_back_and_bibtex_uses_it(sqlite_db: str, tmp_path: Path) -> None:
    """An entry calls \\noopsort, which the file's @preamble defines: the export starts with
    that preamble (and the file's @comment), and bibtex with plain.bst sorts the 1981 book as
    1973, before the 1975 one, and prints "1981"."""
    source = tmp_path / "in.bib"
    source.write_text(NOOPSORT, encoding="utf-8")
    for _ in range(2):  # imported twice: each block is kept once
        assert invoke(sqlite_db, "import", str(source)).exit_code == 0
    bib = export(sqlite_db, "bibtex")
    assert bib.startswith(
        '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n\n'
        "@comment{jabref-meta: databaseType:bibtex;}\n\n@"
    )
    assert export(sqlite_db, "biblatex").startswith('@preamble{"\\newcommand')
    (tmp_path / "tex").mkdir()
    output, text = build_bibtex(bib, tmp_path / "tex")
    assert "Warning" not in output, output
    flat = " ".join(text.split())
    assert flat.index("Later Book") < flat.index("Earlier Book"), flat  # 1973 sorts first
    assert "1981" in flat and "1973c" not in flat


def test_a_non_ascii_preamble_is_ascii_in_bibtex(sqlite_db: str, tmp_path: Path) -> None:
    """A kept @preamble or @comment with non-ASCII text (a ’ in the TeX Live file that had
    one): the biblatex export writes it as it came; the classic BibTeX export, pure ASCII,
    writes those characters as LaTeX commands, which bibtex and pdflatex print as they were,
    and which read back and written again give the same file."""
    source = tmp_path / "in.bib"
    source.write_text(
        '@preamble{"\\newcommand{\\noopsort}[1]{} \\def\\mark{Serge’s}"}\n'
        "@comment{Catalogue de Léon}\n\n"
        "@misc{later, author = {Ann Writer}, title = {Later Book}, howpublished = {\\mark},\n"
        "  year = {{\\noopsort{1973c}}1981}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(source)).exit_code == 0
    assert export(sqlite_db, "biblatex").startswith(
        '@preamble{"\\newcommand{\\noopsort}[1]{} \\def\\mark{Serge’s}"}\n\n'
        "@comment{Catalogue de Léon}\n\n"
    )
    bib = export(sqlite_db, "bibtex")
    assert bib.isascii()
    (tmp_path / "tex").mkdir()
    output, text = build_bibtex(bib, tmp_path / "tex")
    assert "Warning" not in output, output
    assert "Later Book. Serge’s, 1981" in " ".join(text.split()).replace("'", "’")
    again = tmp_path / "again.db"
    written = tmp_path / "out.bib"
    written.write_text(bib, encoding="ascii")
    assert invoke(str(again), "import", str(written)).exit_code == 0
    assert export(str(again), "bibtex") == bib


LATEX_AS_GIVEN = r"""@preamble{"\def\mark{Serge's}"}

@book{memoirs, author = {Ann Writer}, title = {Memoirs of {\mark} Circle},
  publisher = {P}, address = {Paris}, year = {1951}, pages = {12--45},
  isbn = {978-0-306-40615-7}, note = {Online at \url{https://example.org/a_b}},
  annote = {Typeset in \TeX{} by 19\textsuperscript{th}-century rules}}
"""


def test_bibtex_writes_the_latex_an_entry_gave(sqlite_db: str, tmp_path: Path) -> None:
    """A command the catalogue's text cannot hold (``\\mark``, defined in the file's
    @preamble) is left out of the text with a warning that names it; the classic BibTeX
    export writes the fields as the entry gave them (the command, ``\\url``, the ISBN's
    hyphens), so bibtex and pdflatex print what the file printed; a field a librarian edits
    is written from the catalogue again. ``\\TeX`` and ``\\textsuperscript`` read as text."""
    source = tmp_path / "in.bib"
    source.write_text(LATEX_AS_GIVEN, encoding="ascii")
    result = invoke(sqlite_db, "import", str(source))
    assert result.exit_code == 0, result.output
    assert "1 × LaTeX command with no text, left out of the catalogue's text" in result.stderr
    shown = json.loads(invoke(sqlite_db, "show", "memoirs", "--format", "json").stdout)
    assert shown["title"] == "Memoirs of Circle"
    assert shown["annotation"] == "Typeset in TeX by 19th-century rules"
    bib = export(sqlite_db, "bibtex")
    flat = " ".join(bib.split())
    for written in (
        r"title = {{Memoirs of {\mark} Circle}}",
        "isbn = {978-0-306-40615-7}",
        r"note = {Online at \url{https://example.org/a_b}}",
        r"annote = {Typeset in \TeX{} by 19\textsuperscript{th}-century rules}",
    ):
        assert written in flat, (written, bib)
    (tmp_path / "tex").mkdir()
    output, text = build_bibtex(bib, tmp_path / "tex", r"\usepackage{url}")
    assert "Warning" not in output, output
    printed = " ".join(text.split()).replace("’", "'")
    assert "Memoirs of Serge's Circle" in printed, printed
    assert "example.org/a_b" in printed, printed  # \url prints the underscore
    # Read back and written again: the same file.
    written_file = tmp_path / "out.bib"
    written_file.write_text(bib, encoding="ascii")
    again = str(tmp_path / "again.db")
    assert invoke(again, "import", str(written_file)).exit_code == 0
    assert export(again, "bibtex") == bib
    # Edited, the title is the catalogue's again.
    result = invoke(sqlite_db, "edit", "memoirs", "--set", "title=Memoirs of a Circle")
    assert result.exit_code == 0, result.output
    assert "title = {{Memoirs of a Circle}}" in " ".join(export(sqlite_db, "bibtex").split())


@pytest.mark.parametrize(
    "latex, text",
    [
        ('zeitgem{"a}{\\ss}', "zeitgemäß"),  # TeX Live's texbook1.bib
        ('M{"u}ller and {"O}l, Stra{"s}e', "Müller and Öl, Straße"),
        ('say "hi" {"}quoted{"}', 'say "hi" "quoted"'),  # a quote outside the shorthand: text
    ],
)
def test_babel_german_shorthand_in_braces_reads_as_its_letter(latex: str, text: str) -> None:
    """``{"a}`` is babel-german's ä (and ``{"s}`` its ß), which a document loading it prints
    so; it was read as a quote and the letter ("zeitgem"a" for zeitgemäß)."""
    assert decode_latex(latex) == text


def test_babel_german_shorthand_in_a_name_reads_as_its_letter() -> None:
    """A name is decoded apart from other values: the shorthand reads there too ("M"uller")."""
    people, _others = split_bib_names('M{"u}ller, Hans and Stra{"s}er, Anna')
    assert [person.family for person in people] == ["Müller", "Straßer"]


@pytest.mark.parametrize(
    "latex, text",
    [
        ("as shown in \\cite{knuth84}", "as shown in [knuth84]"),
        ("\\cite[p.~3]{knuth84}", "[knuth84, p. 3]"),
        ("\\citep{a, b} and \\cite*{c}", "[a, b] and [c]"),
        ("\\parencite[see][12]{kant}", "[see kant, 12]"),  # biblatex: prenote, postnote
        ("\\textcite{kant}", "[kant]"),
    ],
)
def test_a_citation_in_a_value_keeps_its_keys(latex: str, text: str) -> None:
    """A note or annotation that cites another work keeps which: pylatexenc's decoder read
    ``\\cite`` as "<cit.>" and biblatex's ``\\parencite`` as its key alone, unbracketed."""
    assert decode_latex(latex) == text
    assert unknown_commands(latex) == ()


def test_bibtex_prints_a_proceedings_editor_once(sqlite_db: str, tmp_path: Path) -> None:
    """A paper's editors (of its proceedings) are BibTeX's editor field, which plain.bst
    prints ("In John Smith, editor, Proc. of Things"), not also an "Edited by" note."""
    path = tmp_path / "in.bib"
    path.write_text(
        "@inproceedings{e, author = {Jane Doe}, title = {A paper}, booktitle = {Proc. of"
        " Things}, editor = {John Smith}, publisher = {IEEE}, year = {2011}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    result = invoke(sqlite_db, "export", "--format", "bibtex")
    assert "folded" not in result.stderr, result.stderr
    _output, text = build_bibtex(result.stdout, tmp_path)
    assert "In John Smith, editor, Proc. of Things" in text, text
    assert "Edited by" not in text, text
