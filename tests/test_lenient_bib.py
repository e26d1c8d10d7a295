"""The .bib cases real files hold, each read as BibTeX and biber read it and written back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest

from biblio.bibtex import read_bib
from biblio.languages import english_name, marc_code, read_language

from .conftest import invoke, need


def _import(db: str, tmp_path: Path, text: str, *options: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "in.bib"
    path.write_bytes(text.encode(encoding))
    result = invoke(db, "import", *options, str(path))
    assert result.exit_code == 0, result.output
    return result.stderr


def _show(db: str, key: str) -> dict:  # type: ignore[type-arg]
    return json.loads(invoke(db, "show", key, "--format", "json").stdout)


def _exported(db: str, key: str, fmt: str = "biblatex") -> str:
    text = invoke(db, "export", "--format", fmt).stdout
    start = text.index(f"{{{key},")
    return text[start : text.index("\n}", start)]


@pytest.mark.parametrize(
    "year, sortable",
    [
        ("{{\\noopsort{1973c}}1981}", 1981),
        ("{20000}", 20000),
        ("{-44}", -44),
        ("{19xx}", None),
        ("{198?}", None),
        ("{submitted for publication}", None),
    ],
)
def test_years_are_kept_as_written_with_a_sortable_year_where_one_is(
    sqlite_db: str, tmp_path: Path, year: str, sortable: int | None
) -> None:
    _import(sqlite_db, tmp_path, f"@book{{y, title = {{T}}, year = {year}}}\n")
    assert _show(sqlite_db, "y")["year"] == sortable
    assert f"year = {year}" in " ".join(_exported(sqlite_db, "y").split())


@pytest.mark.parametrize(
    "date, sortable",
    [
        ("1999-uu", 1999),
        ("1723?~", 1723),
        ("1931/1933", 1931),
        ("../2004-01-01", 2004),
        ("2016-07-18T20:26:06", 2016),
        ("19uu", None),
        ("199X", 1990),  # EDTF: the 1990s (biber's t/tdata/dateformats.bib), from 1990
        ("19XX", 1900),
        ("Y17000002", 17000002),  # EDTF's long year
    ],
)
def test_biblatex_extended_dates_are_kept(
    sqlite_db: str, tmp_path: Path, date: str, sortable: int | None
) -> None:
    _import(sqlite_db, tmp_path, f"@book{{d, title = {{T}}, date = {{{date}}}}}\n")
    assert _show(sqlite_db, "d")["year"] == sortable
    assert f"date = {{{date}}}" in " ".join(_exported(sqlite_db, "d").split())


def test_a_date_and_a_year_are_both_kept(sqlite_db: str, tmp_path: Path) -> None:
    _import(sqlite_db, tmp_path, "@book{b, title = {T}, date = {1931-05}, year = {1931}}\n")
    out = " ".join(_exported(sqlite_db, "b").split())
    assert "date = {1931-05}" in out and "year = {1931}" in out


def test_a_month_concatenation_is_kept_as_written(sqlite_db: str, tmp_path: Path) -> None:
    _import(sqlite_db, tmp_path, '@book{m, title = {T}, year = 1990, month = aug # "~13"}\n')
    assert 'month = aug # "~13"' in " ".join(_exported(sqlite_db, "m").split())
    assert _show(sqlite_db, "m")["date"] == "1990-08"


def test_a_fraction_command_reads_as_its_fraction(
    sqlite_db: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``\\textfrac{1}{3}``: pylatexenc's decoder formats it as "1/3", but its parser does not
    know the command's two arguments ("%s/%s13", with a logged warning): biblio tells it. The
    value is written back as it came."""
    title = "Volume \\textfrac{1}{3} and \\textfrac12 of the Memoirs"
    _import(sqlite_db, tmp_path, f"@book{{f, title = {{{title}}}, year = 1931}}\n")
    assert _show(sqlite_db, "f")["title"] == "Volume 1/3 and 1/2 of the Memoirs"
    assert f"title = {{{title}}}" in _exported(sqlite_db, "f")
    assert not [r for r in caplog.records if r.name.startswith("pylatexenc")]


def test_and_in_a_publisher_is_one_publisher_in_classic_bibtex(
    sqlite_db: str, tmp_path: Path
) -> None:
    _import(sqlite_db, tmp_path, "@book{h, title = {T}, year = 1967, publisher = {Harper and Row}}")
    assert _show(sqlite_db, "h")["publisher"] == "Harper and Row"
    listed = json.loads(invoke(sqlite_db, "list", "--publisher", "Row", "--format", "json").stdout)
    assert [row["key"] for row in listed] == ["h"]
    csl = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    assert csl[0]["publisher"] == "Harper and Row"


def test_and_in_a_biblatex_publisher_is_a_list(sqlite_db: str, tmp_path: Path) -> None:
    _import(
        sqlite_db, tmp_path, "@book{l, title = {T}, date = {1967}, publisher = {Harper and Row}}"
    )
    # The catalogue holds the list as biblatex's styles print it (it held "Harper" alone,
    # which list --publisher Row did not find); the .bib export writes the list as it came.
    assert _show(sqlite_db, "l")["publisher"] == "Harper and Row"
    listed = invoke(sqlite_db, "list", "--publisher", "Row", "--format", "json").stdout
    assert [e["key"] for e in json.loads(listed)] == ["l"]
    assert "publisher = {Harper and Row}" in " ".join(_exported(sqlite_db, "l").split())
    # CSL-JSON has one string: the list as biber prints it (the export wrote "Harper").
    csl = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    assert csl[0]["publisher"] == "Harper and Row"


def test_keys_with_apostrophes_are_accepted(sqlite_db: str, tmp_path: Path) -> None:
    _import(sqlite_db, tmp_path, "@book{o'brien1990, title = {T}, year = 1990}\n")
    assert _show(sqlite_db, "o'brien1990")["title"] == "T"


def test_an_entry_spells_its_names_as_it_gave_them(sqlite_db: str, tmp_path: Path) -> None:
    text = (
        '@book{a, title = {A}, year = 1990, author = {Jo{\\"e}lle Dupont}}\n'
        "@book{b, title = {B}, year = 1991, author = {Joelle Dupont}}\n"
        "@book{c, title = {C}, year = 1992, author = {{Van de Walle}, Pierre}}\n"
    )
    _import(sqlite_db, tmp_path, text)
    assert "author = {Joelle Dupont}" in " ".join(_exported(sqlite_db, "b").split())
    assert "author = {{Van de Walle}, Pierre}" in " ".join(_exported(sqlite_db, "c").split())


def test_a_latin_1_file_is_read_with_its_encoding(sqlite_db: str, tmp_path: Path) -> None:
    text = "@book{k, title = {Caf\xe9 cr\xe8me}, year = 1990}\n"
    _import(sqlite_db, tmp_path, text, "--encoding", "latin-1", encoding="latin-1")
    assert _show(sqlite_db, "k")["title"] == "Caf\xe9 cr\xe8me"


def test_an_unknown_encoding_is_one_line(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "in.bib"
    path.write_text("@book{k, title = {T}}\n")
    result = invoke(sqlite_db, "import", "--encoding", "klingon-8", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: unknown encoding 'klingon-8' (a Python codec name)"


def test_a_bom_and_utf_16_are_read(sqlite_db: str, tmp_path: Path) -> None:
    """With or without a BOM; without one also where the text holds characters beyond Latin-1
    (“quotes”, Cyrillic), which made it "binary"."""
    title = "Caf\xe9 \u201cQuoted\u201d \u041f\u043e\u043b\u043d\u043e\u0447\u044c"
    for i, encoding in enumerate(("utf-8-sig", "utf-16", "utf-16-be", "utf-16-le")):
        _import(sqlite_db, tmp_path, f"@book{{k{i}, title = {{{title}}}}}\n", encoding=encoding)
        assert _show(sqlite_db, f"k{i}")["title"] == title


@pytest.mark.parametrize(
    "given, code, english, marc",
    [
        ("ar", "ar", "Arabic", "ara"),
        ("Hebrew", "he", "Hebrew", "heb"),
        ("jpn", "ja", "Japanese", "jpn"),
        ("chi", "zh", "Chinese", "chi"),
        ("grc", "grc", "Ancient Greek", "grc"),
        ("ger", "de", "German", "ger"),
        ("ngerman", "de", "German", "ger"),
    ],
)
def test_every_iso_639_language_is_read(given: str, code: str, english: str, marc: str) -> None:
    assert read_language(given) == code
    assert english_name(code) == english
    assert marc_code(code) == marc


def test_a_translation_from_arabic_exports_its_language(sqlite_db: str, tmp_path: Path) -> None:
    _import(
        sqlite_db, tmp_path,
        "@book{t, title = {The Days}, date = {1997}, langid = {english}, "
        "origtitle = {al-Ayyam}, origlanguage = {Arabic}, translator = {Paxton, E. H.}}\n",
    )  # fmt: skip
    assert _show(sqlite_db, "t")["original"]["language"] == "ar"
    listed = invoke(sqlite_db, "list", "--original-language", "arabic", "--format", "json")
    assert [row["key"] for row in json.loads(listed.stdout)] == ["t"]


def test_a_value_cut_short_by_the_parser_is_an_error_naming_entry_and_field() -> None:
    """A quoted value whose "{" is not closed: BibTeX cannot read it either (a '"' inside
    braces is no longer a cause: such values are read, below)."""
    entries, problems = read_bib('@book{cut, title = "a {b", year = 1990}\n', "f.bib")
    (error,) = [p for p in problems if p.is_error]
    assert str(error).startswith("f.bib:1: entry 'cut', field 'title': the value's braces")
    assert entries == []


@pytest.mark.parametrize(
    "latex, text",
    [
        ("Blah \\mkbibemph{emph} and \\enquote{quoted}.", "Blah emph and “quoted”."),
        ("\\mkbibquote{A} and \\enquote*{B}", "“A” and “B”"),
        ("The {\\sc Conniver} Manual", "The Conniver Manual"),
        ("\\texttt{code} in {\\tt mono}", "code in mono"),
        ("The \\TeX{}book and \\LaTeX", "The TeXbook and LaTeX"),
        ("19\\textsuperscript{th}-century", "19th-century"),
        ("and\\slash or, well\\hyphen known", "and/or, well-known"),
        ("first\\par second", "first second"),
        ("{\\it Italic\\/} text", "Italic text"),
        ("\\MF{} and \\MP, in \\TUB", "METAFONT and MetaPost, in TUGboat"),
    ],
)
def test_latex_and_biblatex_text_commands_read_as_their_text(latex: str, text: str) -> None:
    """Commands real files hold (TeX Live's biblatex-examples.bib, Better BibTeX's test
    libraries) that print text: read as it, with no warning."""
    from biblio.latex import decode_latex, unknown_commands

    assert decode_latex(latex) == text
    assert unknown_commands(latex) == ()


def test_a_command_with_no_text_is_a_warning_naming_it(sqlite_db: str, tmp_path: Path) -> None:
    """A command biblio cannot print (a macro of the file's own) is left out of the
    catalogue's text, with a warning naming the field and the command; the biblatex export
    writes the field as it came. A citation is read as its keys in brackets."""
    stderr = _import(
        sqlite_db, tmp_path,
        "@book{c, title = {As \\textcite{k} and \\mine{} say}, year = 1931}\n",
        "--report", str(tmp_path / "report.json"),
    )  # fmt: skip
    assert "1 × LaTeX command with no text, left out of the catalogue's text" in stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    (problem,) = report["problems"]
    assert (problem["key"], problem["field"], problem["line"]) == ("c", "title", 1)
    assert problem["message"].startswith("\\mine has no text")
    assert _show(sqlite_db, "c")["title"] == "As [k] and say"
    assert "title = {As \\textcite{k} and \\mine{} say}" in _exported(sqlite_db, "c")


def test_a_name_that_is_only_a_command_keeps_its_spelling(sqlite_db: str, tmp_path: Path) -> None:
    """TeX Live's tugboat.bib credits "\\Thanh", a command its @preamble's file defines: BibTeX
    reads it as a name; so does biblio, spelt as written (the decoder has no text for it), and
    "\\Thanh{}" of another entry is the same person."""
    stderr = _import(
        sqlite_db, tmp_path,
        '@article{t1, author = "\\Thanh", title = "Improving Layout", year = 1998}\n'
        '@article{t2, author = "\\Thanh{} and Sebastian Rahtz", title = "Manual", year = 1997}\n',
    )  # fmt: skip
    assert "2 × LaTeX command with no text in a name" in stderr
    assert _show(sqlite_db, "t1")["authors"] == ["\\Thanh"]
    assert _show(sqlite_db, "t2")["authors"][1] == "Sebastian Rahtz"
    people = json.loads(invoke(sqlite_db, "people", "--format", "json").stdout)
    assert len([p for p in people if "Thanh" in json.dumps(p)]) == 1
    for fmt in ("biblatex", "bibtex"):  # as spelt: not "\\textbackslash{}Thanh"
        assert "author = {\\Thanh}" in " ".join(_exported(sqlite_db, "t1", fmt).split())


def test_lines_are_counted_where_bibtexparser_loses_count(sqlite_db: str, tmp_path: Path) -> None:
    """bibtexparser's line numbers fall behind after a quoted value whose lines end in ``\\\\``
    (TeX Live's texbook2.bib: 902 lines by its end): problems name the line the text is on."""
    text = (
        '@book{a, title = "A",\n  contents = "One \\\\\n    Two \\\\\n    Three"}\n\n'
        "@book{b, title = {B}, year = {19xx}}\n\n"
        "@book{c, title = {C}, year = 1990, year = 1991}\n"
    )
    report = tmp_path / "report.json"
    _import(sqlite_db, tmp_path, text, "--report", str(report))
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    lines = {(p["key"], p["field"]): p["line"] for p in problems}
    assert lines == {("b", "year"): 6, ("c", "year"): 8}, problems


def test_a_brace_after_a_backslash_counts_as_bibtex_counts_it(
    sqlite_db: str, tmp_path: Path
) -> None:
    """BibTeX and biber count every brace, one after a backslash too: ``{Path C:\\temp\\}``
    ends at its last brace. bibtexparser read on to the file's end, and the whole file was
    refused ("Unexpectedly reached end of file"). Balanced escaped braces stay as they are."""
    _import(
        sqlite_db, tmp_path,
        "@Book{bs2001,\n  author = {Smith, John},\n  title = {Path C:\\temp\\},\n"
        "  year = {2001},\n}\n@book{b2, title = {Set \\{x\\} of \\{y\\}}, year = 2002}\n",
    )  # fmt: skip
    assert _show(sqlite_db, "bs2001")["year"] == 2001
    assert "title  = {Path C:\\temp\\}" in _exported(sqlite_db, "bs2001")
    assert _show(sqlite_db, "b2")["title"] == "Set {x} of {y}"
    assert "{Set \\{x\\} of \\{y\\}}" in _exported(sqlite_db, "b2")


def test_latex_quotes_are_read_in_a_value_without_other_markup(
    sqlite_db: str, tmp_path: Path
) -> None:
    """``A'' prints as “A” (LaTeX, pylatexenc, Better BibTeX): a value with no backslash,
    brace, tie or dash was taken for plain text, and its quotes stayed `` and ''."""
    _import(sqlite_db, tmp_path, "@article{q, title = {Comment on ``A quantum'' bracket}}\n")
    assert _show(sqlite_db, "q")["title"] == "Comment on \u201cA quantum\u201d bracket"
    assert "{Comment on ``A quantum'' bracket}" in _exported(sqlite_db, "q")


def test_fields_after_an_entry_ended_early_are_reported(sqlite_db: str, tmp_path: Path) -> None:
    """A '}' too many ends an entry early: biber and BibTeX read the fields after it as junk
    between entries and leave them out (biber warns); the import warns at their line, where
    it lost the year without a word."""
    text = (
        "@Book{ec2001,\n  author = {Smith, John},\n  title = {Extra close}},\n"
        "  year = {2001},\n}\n@Book{ec2002,\n  title = {Next},\n  year = {2002},\n}\n"
    )
    report = tmp_path / "report.json"
    stderr = _import(sqlite_db, tmp_path, text, "--report", str(report))
    assert "1 × fields between entries, not read" in stderr, stderr
    (problem,) = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert (problem["line"], problem["severity"]) == (4, "warning")
    assert "year = {2001}" in problem["message"]
    assert _show(sqlite_db, "ec2001").get("year") is None  # as biber reads it: no year
    assert _show(sqlite_db, "ec2002")["year"] == 2002


def test_an_entry_type_that_begins_like_comment_is_an_entry(sqlite_db: str, tmp_path: Path) -> None:
    """jurabib's ``@COMMENTED{erm, ...}`` (TeX Live's jbtest.bib): BibTeX reads an entry of type
    "commented"; bibtexparser took it for a @comment, and four entries were lost without a
    word. A real @comment stays a comment."""
    _import(
        sqlite_db, tmp_path,
        "@comment{a note}\n"
        "@COMMENTED{erm, author = {Walther Erman}, title = {Handkommentar}, year = 1993}\n"
        "@Stringent{s1, title = {Not a string}, year = 2001}\n",
    )  # fmt: skip
    listed = json.loads(invoke(sqlite_db, "list", "--format", "json").stdout)
    assert sorted(e["key"] for e in listed) == ["erm", "s1"]
    exported = invoke(sqlite_db, "export", "--format", "biblatex").stdout
    assert "@commented{erm," in exported and "@comment{a note}" in exported


def test_space_between_an_entry_type_and_its_brace_is_read(sqlite_db: str, tmp_path: Path) -> None:
    """bibtopic's example file shows "what's allowed by BibTeX syntax": the type, then "(" on
    the next line, the key on a line of its own. bibtexparser read all of it as text between
    entries, and the entry was lost without a word."""
    report = tmp_path / "report.json"
    _import(
        sqlite_db, tmp_path,
        '@incollection\n(\n    RouxSmart:95\n    ,\n    author = "M. Roux and J. Smart",\n'
        '    title = "A Model", booktitle = "Methods", year = 1995x\n)\n\n'
        "@article{Schwind:96, author = {Camilla B. Schwind}, title = {Tutoring}, year = 1996}\n",
        "--report", str(report),
    )  # fmt: skip
    assert _show(sqlite_db, "RouxSmart:95")["authors"] == ["M. Roux", "J. Smart"]
    assert _show(sqlite_db, "Schwind:96")["year"] == 1996
    (problem,) = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert (problem["key"], problem["field"], problem["line"]) == ("RouxSmart:95", "year", 6)


def test_entry_types_bibtex_reads_are_entries(sqlite_db: str, tmp_path: Path) -> None:
    """BibTeX's own btxdoc.bib has ``@FAKE-ENTRY`` with its brace on the next line: a type
    with a hyphen (or a dot), which bibtexparser does not read as one, is read and kept."""
    _import(
        sqlite_db, tmp_path,
        "@FAKE-ENTRY\n        {fake-key, title = {Fake}, year = 1988}\n"
        "@my.type{b, title = {B}, year = 1989}\n",
    )  # fmt: skip
    exported = invoke(sqlite_db, "export", "--format", "biblatex").stdout
    assert "@fake-entry{fake-key," in exported and "@my.type{b," in exported


def test_an_entry_whose_at_ends_a_line_of_prose_is_read(sqlite_db: str, tmp_path: Path) -> None:
    """An entry whose "@" ends a line of text between entries (BibTeX's own btxdoc.bib: "...
    may use.@", a blank line, then ``MaNuAl  (scribe,``): BibTeX reads the entry there;
    bibtexparser read it as text between entries, and biblio refused the file. It is read,
    with its fields' lines where they are; an e-mail address in text stays text."""
    report = tmp_path / "report.json"
    _import(
        sqlite_db, tmp_path,
        "@book{a, title = {A}}\n\nSome legal syntax.@\n\nMaNuAl  (scribe, title = {B},\n"
        "  year = {19xx})\n\nWrite to jdoe@example.org (John) with corrections.\n"
        "@book{c, title = {C}, year = 1990}\n",
        "--report", str(report),
    )  # fmt: skip
    listed = json.loads(invoke(sqlite_db, "list", "--format", "json").stdout)
    assert sorted(e["key"] for e in listed) == ["a", "c", "scribe"]
    assert _show(sqlite_db, "scribe")["title"] == "B"
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    lines = {(p["key"], p["field"]): p["line"] for p in problems}
    assert lines[("scribe", "year")] == 6, problems
    assert any("address between entries" in p["kind"] for p in problems), problems


@pytest.mark.parametrize(
    "value, field_text",
    [
        ('"Ein f{\\"u}r zeitgem{"a}{\\ss} Leser"', 'Ein f{\\"u}r zeitgem{"a}{\\ss} Leser'),
        (  # bibtexparser fails on the rest of the entry (texbook2.bib)
            '"{Zum Teil "optionalen" Kapitel aus "the Art, Band 3". Themen}."',
            '{Zum Teil "optionalen" Kapitel aus "the Art, Band 3". Themen}.',
        ),
        ('"Comments on {"}Filenames and Fonts{"}"', 'Comments on {"}Filenames and Fonts{"}'),
    ],
)
def test_a_quote_inside_braces_in_a_quoted_value_is_read(
    sqlite_db: str, tmp_path: Path, value: str, field_text: str
) -> None:
    """A '"' inside braces in a "..." value is text to BibTeX ("Tame the BeaST" tells to
    write a quote so). bibtexparser ends the value there and drops the rest of the entry
    without a word (TeX Live's texbook1.bib and texbook2.bib were refused for it): the whole
    value is read, and every field after it, on their lines."""
    report = tmp_path / "report.json"
    _import(
        sqlite_db, tmp_path,
        f"@book{{k,\n  title = {{T}},\n  subtitle = {value},\n  address = {{Mainz}},\n"
        "  year = {19xx}}\n@book{next, title = {N}, year = 2000}\n",
        "--report", str(report),
    )  # fmt: skip
    shown = _show(sqlite_db, "k")
    assert shown["place"] == "Mainz" and shown["extra_fields"]["year"] == "{19xx}"
    assert field_text in shown["extra_fields"]["subtitle"]
    assert _show(sqlite_db, "next")["year"] == 2000
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert [(p["key"], p["field"], p["line"]) for p in problems] == [("k", "year", 5)]
    assert f"subtitle = {{{field_text}}}" in " ".join(_exported(sqlite_db, "k").split())


def test_an_update_from_another_format_drops_the_kept_bib_spelling(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A field kept as the .bib file spelt it stands for its value only while the value is
    the same: an update from CSL-JSON that changes the publisher and pages drops them, so
    both .bib exports write the new values (they wrote "Addison-{W}esley" and "1--483")."""
    _import(
        sqlite_db, tmp_path,
        "@book{k1, author = {Donald E. Knuth}, title = {The {B}ook},\n"
        "  publisher = {Addison-{W}esley}, year = 1984, pages = {1--483}}\n",
    )  # fmt: skip
    update = tmp_path / "update.json"
    update.write_text(
        json.dumps(
            [
                {
                    "id": "k1",
                    "type": "book",
                    "title": "The Book",
                    "publisher": "Springer",
                    "page": "1-500",
                    "author": [{"family": "Knuth", "given": "Donald E."}],
                    "issued": {"date-parts": [[1984]]},
                }
            ]
        ),  # fmt: skip
        encoding="utf-8",
    )
    result = invoke(sqlite_db, "import", "--on-duplicate", "update", str(update))
    assert result.exit_code == 0, result.output
    for fmt in ("biblatex", "bibtex"):
        written = " ".join(_exported(sqlite_db, "k1", fmt).split())
        assert "Springer" in written and "1-500" in written, (fmt, written)
        assert "Addison" not in written and "483" not in written, (fmt, written)
        assert "The {B}ook" in written  # the title did not change: still as spelt


def test_a_value_line_that_begins_like_an_entry_is_left_alone(
    sqlite_db: str, tmp_path: Path
) -> None:
    """When a file has a head bibtexparser misses (``@FAKE-ENTRY``), only that head is
    rewritten for the second parse: a line of a value that begins "@see-also {" stays text."""
    _import(
        sqlite_db, tmp_path,
        "@FAKE-ENTRY{fake1, title = {Fake one}, year = 1999}\n\n"
        "@book{b1, title = {Real Book}, year = 2000, note = {Line two\n@see-also {below}}}\n",
    )  # fmt: skip
    assert " ".join(_show(sqlite_db, "b1")["note"].split()) == "Line two @see-also below"


def test_the_classic_export_writes_what_bibtex_can_read(sqlite_db: str, tmp_path: Path) -> None:
    """A kept value is written as spelt only where a BibTeX document can read it: not a
    concatenation cut at its quotes, not a biblatex or csquotes command."""
    _import(
        sqlite_db, tmp_path,
        '@book{t3, title = "The " # {Tex} # "book", year = 1986}\n'
        "@book{q, title = {On \\mkbibquote{Quoted} Words}, year = 1990}\n",
    )  # fmt: skip
    bibtex = " ".join(invoke(sqlite_db, "export", "--format", "bibtex").stdout.split())
    assert "title = {{The Texbook}}" in bibtex, bibtex
    assert "title = {{On {\\textquotedblleft}Quoted{\\textquotedblright} Words}}" in bibtex


def test_the_classic_exports_note_keeps_its_latex_beside_the_translation_note(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A note kept as spelt (``\\url``, a macro, protective braces) stays so in the classic
    export when the translation note (what BibTeX has no fields for) is added after it: it
    was written from the catalogue's text, which reads "<https://...>" and "NOTES"; read
    back and written again, the note does not gain the translation note twice."""
    _import(
        sqlite_db, tmp_path,
        "@book{tr, author = {Serge, Victor}, translator = {Greeman, Richard},\n"
        "  title = {Birth of our Power}, date = {1967}, publisher = {Doubleday},\n"
        "  origtitle = {Naissance de notre force}, origdate = {1931}, origlanguage = {french},\n"
        "  note = {See \\url{https://example.org/serge} and {\\TeX}nical {NOTES}}}\n",
    )  # fmt: skip
    first = invoke(sqlite_db, "export", "--format", "bibtex").stdout
    assert (
        "note = {See \\url{https://example.org/serge} and {\\TeX}nical {NOTES}. Translated "
        "from the French by Richard Greeman; originally published as Naissance de notre force "
        "(1931)}"
    ) in " ".join(first.split()), first
    again = tmp_path / "again.db"
    path = tmp_path / "first.bib"
    path.write_text(first, encoding="utf-8")
    assert invoke(str(again), "import", str(path)).exit_code == 0
    assert invoke(str(again), "export", "--format", "bibtex").stdout == first


def test_odd_text_between_entries(sqlite_db: str, tmp_path: Path) -> None:
    """An e-mail address in text between entries reads as an entry's head to BibTeX: a
    warning, not a refusal (on a line starting with "%" it is a comment, as biber reads it).
    An entry of a type bibtexparser cannot read, with a brace left open, is named by its key
    and field (never by the mark the second parse gives its type). A repeated key after a
    line bibtexparser miscounts is named at its own line. pylatexenc's ``\\href`` no longer
    crashes the import."""
    report = tmp_path / "report.json"
    stderr = _import(
        sqlite_db, tmp_path,
        "Maintained by jdoe@example.org (John Doe)\n"
        "@book{a, title = {Foo}, note = {one\\\\\ntwo}, year = 2000}\n\n"
        "@book{b, title = {Bar}, year = 2001}\n\n@book{b, title = {Bar}, year = 2001}\n"
        "@book{h, title = {See \\href{http://x.org}{this}}, year = 2002}\n",
        "--report", str(report),
    )  # fmt: skip
    assert "1 × an address between entries, not read" in stderr
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    lines = sorted((p["kind"], p["line"]) for p in problems)
    assert lines == [("an address between entries, not read", 1),
                     ("entry with a repeated key, left out", 7)], problems  # fmt: skip
    assert _show(sqlite_db, "h")["title"] == "See this <http://x.org>"
    path = tmp_path / "fake.bib"
    path.write_text("@FAKE-ENTRY{f1,\n  title = {Fake,\n  year = 1999,\n}\n", encoding="utf-8")
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1 and "entry 'f1', field 'title'" in result.stderr, result.stderr
    assert "biblioentry" not in result.stderr  # the mark the second parse gives such types


def test_what_an_audit_found_lost_or_misplaced(sqlite_db: str, tmp_path: Path) -> None:
    """Each of these was lost or changed without a word:

    - a keyword braced because it holds a comma (``{Smith, John}``) was split in two, and one
      written back from RIS ("Smith, John, 1950-") was written unbraced: three keywords read
      back;
    - a concatenation with an undefined @string was said to be "kept as written", and was not;
    - a repeated field was named at its entry's line, not its own;
    - the classic export left out an article's volume and number (and any series);
    - the CSL-JSON export put an empty markup span into an ISBN with " ;" in it."""
    report = tmp_path / "report.json"
    _import(
        sqlite_db, tmp_path,
        "@article{art, author = {Doe, Jane}, title = {On Things}, journal = {J. of Stuff},\n"
        "  volume = {12}, number = {3}, series = {New Series}, pages = {45--67},\n"
        "  year = {1999}, keywords = {alpha, {Smith, John}, beta},\n"
        "  isbn = {978-0-306-40615-7 (hbk) ; 0-306-40615-2 (pbk)}}\n"
        "@book{undef, title = {Undef } # undefinedmacro # { here}, year = 2000}\n"
        "@book{rep, title = {Rep},\n  year = {2001},\n  year = {2002},\n"
        "  note = {one},\n  note = {two}}\n",
        "--report", str(report),
    )  # fmt: skip
    assert _show(sqlite_db, "art")["keywords"] == ["alpha", "Smith, John", "beta"]
    ris = tmp_path / "kw.ris"
    ris.write_text(
        "TY  - BOOK\nID  - kw\nTI  - Subjects\nPY  - 2001\nKW  - Smith, John, 1950-\n"
        "KW  - Paris; France\nKW  - plain\nER  - \n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(ris)).exit_code == 0
    for fmt in ("biblatex", "bibtex"):
        written = " ".join(_exported(sqlite_db, "kw", fmt).split())
        assert "keywords = {{Smith, John, 1950-}, {Paris; France}, plain}" in written, written
        again = tmp_path / f"again-{fmt}.db"
        path = tmp_path / f"kw.{fmt}.bib"
        path.write_text(invoke(sqlite_db, "export", "--format", fmt).stdout, encoding="utf-8")
        assert invoke(str(again), "import", str(path)).exit_code == 0
        keywords = ["Smith, John, 1950-", "Paris; France", "plain"]
        assert _show(str(again), "kw")["keywords"] == keywords
    undef = " ".join(_exported(sqlite_db, "undef").split())
    assert "title = {Undef } # undefinedmacro # { here}" in undef
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    lines = {(p["key"], p["field"]): p["line"] for p in problems if "repeated" in p["kind"]}
    assert lines == {("rep", "year"): 8, ("rep", "note"): 10}  # the second of each
    classic = " ".join(_exported(sqlite_db, "art", "bibtex").split())
    for field in ("volume = {12}", "number = {3}", "series = {New Series}"):
        assert field in classic, classic
    csl = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    (article,) = [item for item in csl if item["id"] == "art"]
    assert article["ISBN"] == "978-0-306-40615-7 (hbk) ; 0-306-40615-2 (pbk)"


def test_the_classic_export_keeps_crossref_readable_by_bibtex(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A crossref child without a title of its own gets none written (it wrote ``title =
    {{}}``, which kept BibTeX from inheriting the parent's), and the parent comes after its
    children, where BibTeX looks for it (it came first: the child inherited nothing)."""
    import subprocess

    bibtex = need("bibtex", "texlive-binaries (via texlive-latex-recommended)")
    _import(
        sqlite_db, tmp_path,
        "@book{parent, title = {Parent Title}, author = {Doe, Jane},\n"
        "  publisher = {Parent Press}, address = {Paris}, year = {1980}}\n"
        "@inbook{kid, crossref = {parent}, note = {volume two}, pages = {10--20}}\n",
    )  # fmt: skip
    out = tmp_path / "tex"
    out.mkdir()
    exported = invoke(sqlite_db, "export", "--format", "bibtex").stdout
    assert "title = {{}}" not in " ".join(exported.split())
    (out / "refs.bib").write_text(exported, encoding="ascii")
    (out / "doc.aux").write_text(
        "\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n", encoding="ascii"
    )
    subprocess.run([bibtex, "doc"], cwd=out, capture_output=True, check=False)
    bbl = (out / "doc.bbl").read_text(encoding="ascii")
    kid = bbl.split("\\bibitem{kid}")[1].split("\\bibitem")[0]
    assert "Parent Title" in kid and "Jane Doe" in kid and "1980" in kid, bbl


def test_values_kept_as_another_format_wrote_them_are_said_lost_where_dropped(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A CSL date range, a literal date or a title in rich text is kept as CSL-JSON wrote it
    (the catalogue's columns hold its start, nothing, the plain text); the .bib and RIS
    exports cannot write it as such, and said nothing (``--strict`` let it pass): they now
    count it ("csl-as-written"). The CSL-JSON export writes it back, and loses nothing."""
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "r1",
                    "type": "book",
                    "title": "Range",
                    "publisher": "P",
                    "issued": {"date-parts": [[1988, 3], [1992, 7]]},
                },
                {
                    "id": "p1",
                    "type": "book",
                    "title": "Plain",
                    "publisher": "P",
                    "issued": {"date-parts": [[1990]]},
                },
            ]
        ),  # fmt: skip
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    for fmt in ("bibtex", "ris"):
        result = invoke(sqlite_db, "export", "--format", fmt, "--strict")
        assert result.exit_code == 1, (fmt, result.output)
        assert "1 of 2 entries" in result.stderr and "csl-as-written (1)" in result.stderr
    # biblatex writes the range as its EDTF date: nothing lost
    result = invoke(sqlite_db, "export", "--format", "biblatex", "--strict")
    assert result.exit_code == 0 and "date      = {1988-03/1992-07}" in result.stdout
    result = invoke(sqlite_db, "export", "--format", "csl-json", "--strict")
    assert result.exit_code == 0, result.output
    (item,) = [i for i in json.loads(result.stdout) if i["id"] == "r1"]
    assert item["issued"] == {"date-parts": [[1988, 3], [1992, 7]]}


def test_a_name_given_twice_in_one_role_is_kept_twice(db: str, tmp_path: Path) -> None:
    """A name given twice in one list (``{Smith, John and Smith, John}``, two ``AU`` tags,
    two equal CSL authors) is what the source says: the catalogue credits the person twice,
    at both places, and every format's export names them twice (it used to credit them once,
    so the other formats lost one). Counts of the person's credits count each entry once."""
    bib = tmp_path / "in.bib"
    bib.write_text(
        "@book{rep, author = {Smith, John and Doe, Jane and Smith, John}, title = {T},"
        " year = 2000}\n",
        encoding="utf-8",
    )
    ris = tmp_path / "in.ris"
    ris.write_text(
        "TY  - BOOK\nID  - r\nAU  - Smith, John\nAU  - Smith, John\nTI  - T2\nPY  - 2001\nER  - \n",
        encoding="utf-8",
    )
    csl = tmp_path / "in.json"
    csl.write_text(
        json.dumps(
            [
                {
                    "id": "c",
                    "type": "book",
                    "title": "T3",
                    "issued": {"date-parts": [[2002]]},
                    "translator": [{"family": "Smith", "given": "John"}] * 2,
                }
            ]
        ),  # fmt: skip
        encoding="utf-8",
    )
    result = invoke(db, "import", str(bib), str(ris), str(csl))
    assert result.exit_code == 0, result.output
    assert "twice" not in result.output
    smith, doe = "Smith, John", "Doe, Jane"
    want = {"rep": ("author", [smith, doe, smith]), "r": ("author", [smith, smith]),
            "c": ("translator", [smith, smith])}  # fmt: skip
    for fmt in ("biblatex", "bibtex"):
        library = bibtexparser.parse_string(invoke(db, "export", "--format", fmt).stdout)
        for key, (role, people) in want.items():
            (entry,) = [e for e in library.entries if e.key == key]
            field = "translator" if role == "translator" and fmt == "biblatex" else role
            if fmt == "bibtex" and role == "translator":
                continue  # classic BibTeX has no translator field: said in the note
            assert [n.strip() for n in entry[field].split(" and ")] == people, (fmt, key)
    ris_text = invoke(db, "export", "--format", "ris").stdout
    by_id = {}
    for record in ris_text.split("ER  - "):
        tags = [(line[:2], line[6:]) for line in record.splitlines() if line[2:6] == "  - "]
        ids = [v for t, v in tags if t == "ID"]
        if ids:
            by_id[ids[0]] = tags
    for key, (role, people) in want.items():
        tag = "A4" if role == "translator" else "AU"
        assert [v for t, v in by_id[key] if t == tag] == people, key
    items = {i["id"]: i for i in json.loads(invoke(db, "export", "--format", "csl-json").stdout)}
    for key, (role, people) in want.items():
        written = [f"{n['family']}, {n['given']}" for n in items[key][role]]
        assert written == people, key
    listed = json.loads(invoke(db, "people", "--format", "json").stdout)
    (row,) = [p for p in listed if p["name"] == smith]
    assert row["credits"] == "2 as author, 1 as translator"
    shown = json.loads(invoke(db, "people", "show", smith, "--format", "json").stdout)
    assert sorted(c.get("edition") or c.get("work") for c in shown["credits"]) == ["c", "r", "rep"]


def test_an_unclosed_brace_is_named_at_its_field(sqlite_db: str, tmp_path: Path) -> None:
    """A value whose "{" is never closed runs on into the next entry, where bibtexparser
    stops: the error names the field and the line the value starts on (it named the entry's
    head and bibtexparser's own words only), and nothing is imported."""
    path = tmp_path / "in.bib"
    path.write_text(
        "@book{a, title = {A}, year = 2000}\n\n"
        "@book{bad,\n  author = {X},\n  title = {Bad {one},\n  year = {1999}\n}\n\n"
        "@book{c, title = {C}, year = 2002}\n",
        encoding="utf-8",
    )
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}:5: entry 'bad', field 'title': a '{{' in the value")
    assert "unbalanced braces" in line and line.endswith("nothing imported")
    assert not Path(sqlite_db).exists() or "bad" not in invoke(sqlite_db, "list").stdout


def test_the_csl_export_resolves_crossref_and_xdata(sqlite_db: str, tmp_path: Path) -> None:
    """CSL-JSON has no crossref: a child exported with its parent had only its own few
    fields (a chapter with its pages and nothing else). It takes what it lacks from its
    parent's item, as biber gives it: a part's parent title as its container-title, the
    people, publisher, place and date; its own values stay, and it gets no title."""
    _import(
        sqlite_db, tmp_path,
        "@book{parent, title = {Parent Title}, author = {Doe, Jane},\n"
        "  publisher = {Parent Press}, location = {Paris}, date = {1980}}\n"
        "@inbook{kid, crossref = {parent}, note = {volume two}, pages = {10--20}}\n"
        "@inbook{own, crossref = {parent}, title = {Own}, date = {1981}}\n"
        "@xdata{pubdata, publisher = {X Press}, location = {Berlin}}\n"
        "@book{xkid, title = {With XData}, xdata = {pubdata}, date = {1990}}\n",
    )  # fmt: skip
    csl = {
        i["id"]: i for i in json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    }
    kid = csl["kid"]
    assert kid["container-title"] == "Parent Title" and "title" not in kid
    assert kid["author"] == [{"family": "Doe", "given": "Jane"}]
    assert (kid["publisher"], kid["publisher-place"]) == ("Parent Press", "Paris")
    assert kid["issued"] == {"date-parts": [[1980]]} and kid["page"] == "10–20"
    assert csl["own"]["title"] == "Own" and csl["own"]["issued"] == {"date-parts": [[1981]]}
    assert (csl["xkid"]["publisher"], csl["xkid"]["publisher-place"]) == ("X Press", "Berlin")
    assert csl["xkid"]["title"] == "With XData"


def test_ris_pages_and_crossref_reach_the_other_formats(sqlite_db: str, tmp_path: Path) -> None:
    """RIS's SP and EP make the catalogue's range as a .bib "12--34" does (an en dash): the
    .bib exports wrote "123-{}-145" (two hyphens as text), and both .bib exports now write
    "123--145". The RIS export resolves a .bib crossref as the CSL-JSON export does: the
    chapter gets its book's title as T2, and its people, place, publisher and year."""
    ris = tmp_path / "pp.ris"
    ris.write_text(
        "TY  - JOUR\nID  - pp\nTI  - Pages\nT2  - J\nSP  - 123\nEP  - 145\nPY  - 2001\nER  - \n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(ris)).exit_code == 0
    for fmt in ("biblatex", "bibtex"):
        assert "pages = {123--145}" in " ".join(_exported(sqlite_db, "pp", fmt).split()), fmt
    exported = invoke(sqlite_db, "export", "--format", "ris").stdout
    assert "SP  - 123\nEP  - 145\n" in exported
    _import(
        sqlite_db, tmp_path,
        "@book{parent, title = {Parent Title}, author = {Doe, Jane},\n"
        "  publisher = {Parent Press}, location = {Paris}, date = {1980}}\n"
        "@inbook{kid, crossref = {parent}, pages = {10--20}}\n",
    )  # fmt: skip
    exported = invoke(sqlite_db, "export", "--format", "ris").stdout
    kid = exported[exported.index("ID  - kid") :].split("ER  - ")[0]
    for line in ("AU  - Doe, Jane", "T2  - Parent Title", "SP  - 10", "EP  - 20", "PY  - 1980",
                 "CY  - Paris", "PB  - Parent Press"):  # fmt: skip
        assert line + "\n" in kid, kid
    assert "TI  - " not in kid


@pytest.mark.parametrize(
    "declared, publisher",
    [("biblatex", "Harper, Row and Co."), ("bibtex", "Harper and Row and Co.")],
)
def test_a_file_jabref_saved_says_whether_it_is_biblatex(
    sqlite_db: str, tmp_path: Path, declared: str, publisher: str
) -> None:
    """JabRef writes its mode into the file: that word decides whether "and" in a publisher
    makes a list, over the evidence of the fields (none here, or a biblatex-only ``date``).
    The catalogue holds a biblatex list as its styles print it ("A, B and C"), a classic
    BibTeX value whole."""
    for key, year in (("a", "year = 1967"), ("b", "date = {1968}")):
        _import(
            sqlite_db, tmp_path,
            f"@book{{{key}, title = {{T}}, {year}, publisher = {{Harper and Row and Co.}}}}\n\n"
            f"@Comment{{jabref-meta: databaseType:{declared};}}\n",
        )  # fmt: skip
        assert _show(sqlite_db, key)["publisher"] == publisher, key


def test_an_annotations_paragraphs_are_kept(sqlite_db: str, tmp_path: Path) -> None:
    """A blank line or ``\\par`` between an annotation's or an abstract's paragraphs was
    folded into one space: the catalogue's text keeps one blank line there, CSL-JSON and RIS
    write it, and the biblatex export writes the value as it came."""
    _import(
        sqlite_db, tmp_path,
        "@book{p, title = {T}, year = 2000,\n"
        "  annotation = {First caf{\\'e} paragraph.\n\n  Second {paragraph}.},\n"
        "  abstract = {Abs one.\\par Abs {\\em two}.}}\n",
    )  # fmt: skip
    shown = _show(sqlite_db, "p")
    assert shown["annotation"] == "First café paragraph.\n\nSecond paragraph."
    assert shown["abstract"] == "Abs one.\n\nAbs two."
    (item,) = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    assert item["abstract"] == "Abs one.\n\nAbs two."
    ris = invoke(sqlite_db, "export", "--format", "ris").stdout
    assert "AB  - Abs one.\n \n Abs two.\n" in ris
    biblatex = _exported(sqlite_db, "p")
    assert "First caf{\\'e} paragraph.\n\n  Second {paragraph}.}" in biblatex
    assert "abstract   = {Abs one.\\par Abs {\\em two}.}" in biblatex


def test_the_classic_export_writes_the_month_and_says_the_day_is_lost(
    sqlite_db: str, tmp_path: Path
) -> None:
    """BibTeX has ``month`` (a macro the standard styles print) and no day: a date from
    CSL-JSON or RIS lost its month in the classic export without a word, and now gives
    ``month = may``, the day counted as dropped; read back, it is written the same."""
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps([{"id": "m1", "type": "article-journal", "title": "Monthly",
                     "container-title": "J", "issued": {"date-parts": [[2001, 5, 3]]}}]),
        encoding="utf-8",
    )  # fmt: skip
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    result = invoke(sqlite_db, "export", "--format", "bibtex")
    assert "month   = may\n" in result.stdout and "dropped: day (1)" in result.stderr
    again = tmp_path / "again.db"
    first = tmp_path / "first.bib"
    first.write_text(result.stdout, encoding="utf-8")
    assert invoke(str(again), "import", str(first)).exit_code == 0
    assert _show(str(again), "m1")["date"] == "2001-05"
    assert invoke(str(again), "export", "--format", "bibtex").stdout == result.stdout


def test_the_classic_export_says_what_its_types_and_years_cannot_keep(
    sqlite_db: str, tmp_path: Path
) -> None:
    """Classic BibTeX has no ``@thesis`` and asks a ``@book`` for a publisher, and its year
    is a number: a type written as BibTeX's nearest (``@phdthesis``, or ``@misc`` for a book
    without a publisher) and a biblatex date the year alone cannot say (``1723?~``,
    ``1999-uu``, a range) were written without a word; each is now counted as dropped, so
    ``--strict`` stops. A ``year`` kept as written, or a plain date, is not counted."""
    path = tmp_path / "in.bib"
    path.write_text(
        "@book{nopub, title = {No Publisher}, date = {1931}}\n"
        "@thesis{th, title = {A Thesis}, institution = {U}, type = {phdthesis}, date = {1990},"
        " publisher = {P}}\n"
        "@book{circa, title = {Circa}, date = {1723?~}, publisher = {P}}\n"
        "@book{unsure, title = {Unsure}, date = {1999-uu}, publisher = {P}}\n"
        "@book{range, title = {Range}, date = {1988/1992}, publisher = {P}}\n"
        "@book{plain, title = {Plain}, date = {1931-05}, publisher = {P}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    result = invoke(sqlite_db, "export", "--format", "bibtex")
    assert result.exit_code == 0, result.output
    library = bibtexparser.parse_string(result.stdout)
    written = {e.key: (e.entry_type, e.fields_dict["year"].value) for e in library.entries}
    assert written["nopub"] == ("misc", "1931") and written["th"][0] == "phdthesis"
    assert [written[k][1] for k in ("circa", "unsure", "range")] == ["1723", "1999", "1988"]
    assert "5 of 6 entries; dropped: date-as-written (3), entry-type (2)" in result.stderr
    assert invoke(sqlite_db, "export", "--format", "bibtex", "--strict").exit_code == 1
    kept = tmp_path / "kept.bib"
    kept.write_text("@book{y, title = {Y}, year = {{\\noopsort{1973c}}1981}, publisher = {P}}\n")
    other = str(tmp_path / "other.db")
    assert invoke(other, "import", str(kept)).exit_code == 0
    result = invoke(other, "export", "--format", "bibtex", "--strict")
    assert result.exit_code == 0, result.output


CROSSREF_FAMILY = r"""@inbook{chap,
  author    = {Doe, Jane},
  crossref  = {big},
  pages     = {10--20}
}

@misc{part,
  crossref  = {notes},
  xdata     = {shared}
}

@article{art,
  title     = {An Article},
  crossref  = {journal}
}

@misc{loop1,
  title     = {Loop One},
  crossref  = {loop2}
}

@book{big,
  title      = {The Big Book},
  date       = {1999},
  location   = {New York and London},
  publisher  = {Harper and Row},
  editor     = {Roe, Rick},
  translator = {Greeman, Richard},
  langid     = {french},
  doi        = {10.1/big}
}

@misc{notes,
  title     = {Notes},
  date      = {2003},
  publisher = {From Crossref}
}

@xdata{shared,
  publisher = {From Xdata},
  series    = {Shared Series}
}

@periodical{journal,
  title     = {Le Journal},
  date      = {1931}
}

@misc{loop2,
  title     = {Loop Two},
  crossref  = {loop1}
}
"""


def test_a_crossref_or_xdata_child_holds_what_it_inherits(db: str, tmp_path: Path) -> None:
    """A child takes from its ``crossref`` and ``xdata`` parents what it lacks, as biber
    resolves it (its catalogue record was blank: ``list`` showed no year, and ``--year``,
    ``--translator`` and ``--publisher`` did not find a chapter of a translated book). biber's
    rules: a book's title is an @inbook's booktitle, not its title; a periodical's title is
    an @article's journal; an @misc's title is an @misc's title; xdata goes before crossref;
    a DOI is the parent's own. The .bib exports leave it all to the parent, as it came."""
    path = tmp_path / "family.bib"
    path.write_text(CROSSREF_FAMILY, encoding="utf-8")
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    chap = _show(db, "chap")
    assert (chap["title"], chap["year"], chap["publisher"], chap["place"]) == (
        "",
        1999,
        "Harper and Row",
        "New York and London",
    )
    assert (chap["translators"], chap["editors"], chap["authors"]) == (
        ["Richard Greeman"],
        ["Rick Roe"],
        ["Jane Doe"],
    )
    assert (chap["language"], chap["doi"], chap["pages"]) == ("fr", None, "10–20")
    for option, value in (("--year", "1999"), ("--translator", "Greeman"),
                          ("--publisher", "Row"), ("--editor", "Roe")):  # fmt: skip
        listed = json.loads(invoke(db, "list", option, value, "--format", "json").stdout)
        assert sorted(e["key"] for e in listed) == ["big", "chap"], option
    part = _show(db, "part")
    assert (part["title"], part["year"], part["publisher"], part["series"]) == (
        "Notes",
        2003,
        "From Xdata",
        "Shared Series",
    )
    art = _show(db, "art")
    assert (art["title"], art["journal"], art["year"]) == ("An Article", "Le Journal", 1931)
    assert _show(db, "loop1")["title"] == "Loop One"  # a loop of parents gives nothing more
    # The .bib exports write each child's own fields only, and read back give the same file.
    source = {e.key: e for e in bibtexparser.parse_string(CROSSREF_FAMILY).entries}
    for fmt in ("biblatex", "bibtex"):
        text = invoke(db, "export", "--format", fmt).stdout
        written = {e.key: e for e in bibtexparser.parse_string(text).entries}
        for key in ("chap", "part", "art"):
            own = {f.key for f in source[key].fields}
            assert {f.key for f in written[key].fields} <= own | {"note"}, (fmt, key)
        again = tmp_path / f"again-{fmt}"
        again.mkdir()
        (again / "in.bib").write_text(text, encoding="utf-8")
        other = str(again / "c.db")
        assert invoke(other, "import", str(again / "in.bib")).exit_code == 0
        assert invoke(other, "export", "--format", fmt).stdout == text, fmt
    # CSL-JSON has no crossref: the child's item carries what it inherited.
    items = {i["id"]: i for i in json.loads(invoke(db, "export", "--format", "csl-json").stdout)}
    assert items["chap"]["issued"] == {"date-parts": [[1999]]}
    assert items["chap"]["translator"] == [{"family": "Greeman", "given": "Richard"}]


def test_an_edited_inherited_fact_becomes_the_entrys_own(sqlite_db: str, tmp_path: Path) -> None:
    """A librarian's edit of a fact the child inherited makes it the child's own: the .bib
    export writes it (it left it to the parent before)."""
    _import(sqlite_db, tmp_path, CROSSREF_FAMILY)
    assert "date" not in _exported(sqlite_db, "chap")
    result = invoke(sqlite_db, "edit", "chap", "--set", "year=2001")
    assert result.exit_code == 0, result.output
    assert "date       = {2001}" in _exported(sqlite_db, "chap")
    assert "publisher" not in _exported(sqlite_db, "chap")  # still the parent's
    assert _show(sqlite_db, "chap")["year"] == 2001
    # The parent edited: its child inherits the new publisher, and keeps its own year.
    result = invoke(sqlite_db, "edit", "big", "--set", "publisher=Gallimard", "--set", "year=2005")
    assert result.exit_code == 0, result.output
    chap = _show(sqlite_db, "chap")
    assert (chap["publisher"], chap["year"]) == ("Gallimard", 2001)
    # The parent removed: the child inherits nothing more, and keeps its own; said so (the
    # removal was silent about the child's crossref now naming nothing)
    result = invoke(sqlite_db, "remove", "big", "--yes")
    assert result.exit_code == 0
    assert "warning: chap still name big (crossref or xdata)" in result.stderr
    chap = _show(sqlite_db, "chap")
    assert (chap["publisher"], chap["translators"], chap["year"]) == (None, [], 2001)


def test_children_and_parents_imported_apart_inherit(db: str, tmp_path: Path) -> None:
    """A child imported before or after its parent, in another file, gets what it inherits
    once both are catalogued (the reader sees one import's entries only); the import says
    so, its undo takes it back, and the .bib export still leaves it to the parent."""
    kid = tmp_path / "kid.bib"
    kid.write_text(
        "@inbook{kid, crossref = {big}, pages = {1--2}, author = {Kid, Karl}}\n"
        "@inbook{grandkid, crossref = {kid}, pages = {1--1}}\n",
        encoding="utf-8",
    )
    big = tmp_path / "big.bib"
    big.write_text(
        "@book{big, title = {The Big Book}, date = {1999}, location = {Paris},"
        " publisher = {Gallimard}, translator = {Greeman, Richard}}\n",
        encoding="utf-8",
    )
    assert invoke(db, "import", str(kid)).exit_code == 0
    assert _show(db, "kid")["year"] is None
    result = invoke(db, "import", str(big))
    assert result.exit_code == 0, result.output
    assert "2 catalogued children given what they now inherit" in result.stderr
    for key in ("kid", "grandkid"):  # a child's child too, through its parent
        shown = _show(db, key)
        assert (shown["year"], shown["publisher"], shown["translators"]) == (
            1999,
            "Gallimard",
            ["Richard Greeman"],
        ), key
    assert _show(db, "grandkid")["authors"] == ["Karl Kid"]
    assert "date" not in _exported(db, "kid") and "crossref   = {big}" in _exported(db, "kid")
    change = json.loads(invoke(db, "history", "--format", "json").stdout)[0]["id"]
    assert invoke(db, "undo", str(change)).exit_code == 0
    assert _show(db, "kid")["year"] is None and _show(db, "grandkid")["translators"] == []
    # The other order: the parent first, then its children.
    other = str(tmp_path / "other.db") if db.endswith(".db") else db
    if other != db:
        assert invoke(other, "import", str(big)).exit_code == 0
        assert invoke(other, "import", str(kid)).exit_code == 0
        assert _show(other, "grandkid")["year"] == 1999


def test_a_renamed_parent_keeps_its_children(db: str, tmp_path: Path) -> None:
    """Renaming a parent's key renames its children's crossref, and they go on inheriting:
    an edit of the renamed parent reaches them (``list --year`` finds the chapter), and the
    undo of both edits gives back the old key, links and facts."""
    _import(db, tmp_path, CROSSREF_FAMILY)
    before = {key: _show(db, key) for key in ("big", "chap")}
    assert invoke(db, "edit", "big", "--set", "key=bigger").exit_code == 0
    assert "crossref   = {bigger}" in _exported(db, "chap")
    result = invoke(db, "edit", "bigger", "--set", "year=2005", "--set", "publisher=Gallimard")
    assert result.exit_code == 0, result.output
    chap = _show(db, "chap")
    assert (chap["year"], chap["publisher"]) == (2005, "Gallimard")
    listed = invoke(db, "list", "--year", "2005", "--format", "json")
    assert {e["key"] for e in json.loads(listed.stdout)} == {"bigger", "chap"}
    for change in json.loads(invoke(db, "history", "--format", "json").stdout)[:2]:
        assert invoke(db, "undo", str(change["id"])).exit_code == 0
    assert {key: _show(db, key) for key in ("big", "chap")} == before
    assert "crossref   = {big}" in _exported(db, "chap")
    assert invoke(db, "edit", "big", "--set", "year=2010").exit_code == 0
    assert _show(db, "chap")["year"] == 2010  # the link under the old key is back too


def test_an_inherited_title_goes_with_its_parent(sqlite_db: str, tmp_path: Path) -> None:
    """Where biber inherits the title as the title (an @misc of an @misc), the child holds
    it; with the parent removed, the child holds its own facts only (its title empty, as it
    came) and exports as it came."""
    _import(
        sqlite_db, tmp_path,
        "@misc{kid, crossref = {mom}, note = {N}}\n@misc{mom, title = {Mom Title}, date = 2000}\n",
    )  # fmt: skip
    assert (_show(sqlite_db, "kid")["title"], _show(sqlite_db, "kid")["year"]) == (
        "Mom Title",
        2000,
    )
    result = invoke(sqlite_db, "remove", "mom", "--yes")
    assert result.exit_code == 0, result.output
    assert (_show(sqlite_db, "kid")["title"], _show(sqlite_db, "kid")["year"]) == ("", None)
    written = " ".join(_exported(sqlite_db, "kid").split())
    assert written == "{kid, note = {N}, crossref = {mom}"


def test_a_name_list_with_an_empty_name_is_read_and_written_as_it_came(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A list that starts or ends with "and", or doubles it (BibTeX prints them as they are;
    biber warns of the last): the people are the names given, and the export writes the
    field as the file did."""
    fields = {
        "harvey": "William D. Harvey and",
        "mcd": " and Gerald J. Sussman",
        "veloso": "Manuela M. Veloso and  and Michael T. Cox",
    }
    entry = "@book{{{}, author = {{{}}}, title = {{T}}, date = 1990}}\n"
    _import(sqlite_db, tmp_path, "".join(entry.format(*item) for item in fields.items()))
    assert _show(sqlite_db, "harvey")["authors"] == ["William D. Harvey"]
    assert _show(sqlite_db, "mcd")["authors"] == ["Gerald J. Sussman"]
    assert _show(sqlite_db, "veloso")["authors"] == ["Manuela M. Veloso", "Michael T. Cox"]
    for key, value in fields.items():
        written = re.search(r"\n  author\s*= \{(.*)\},\n", _exported(sqlite_db, key))
        assert written is not None and written.group(1) == value, key


def test_extended_names_come_in_by_their_parts_and_go_out_as_written(
    db: str, tmp_path: Path
) -> None:
    """A Better BibLaTeX file writes a name with a particle in biblatex's extended format,
    which biber reads: the person is found by family name, the biblatex export writes the
    field as it came, classic BibTeX (which cannot read the format) the name's parts; a name
    biber takes from an @xdata entry is kept as written, with a warning."""
    field = "Roorda, Dirk and {family=Heuvel, given=Charles, prefix=van den, useprefix=false}"
    stderr = _import(
        db, tmp_path,
        f"@article{{roorda2014, author = {{{field}}}, title = {{Old texts}}, date = {{2014}}}}\n"
        "@book{gxd, author = {xdata=shared-author-1 and Smith, Simon}, title = {T}, date = 2000}\n",
    )  # fmt: skip
    assert "1 × name taken from an @xdata entry, kept as written" in stderr, stderr
    listed = invoke(db, "list", "--author", "Heuvel", "--format", "json")
    assert [e["key"] for e in json.loads(listed.stdout)] == ["roorda2014"]
    assert _show(db, "roorda2014")["authors"] == ["Dirk Roorda", "Charles van den Heuvel"]
    assert _show(db, "gxd")["authors"] == ["Simon Smith"]
    assert f"author = {{{field}}}" in _exported(db, "roorda2014")
    classic = _exported(db, "roorda2014", "bibtex")
    assert "author = {Roorda, Dirk and van den Heuvel, Charles}" in classic, classic


def test_a_periodical_keeps_its_title_beside_a_journaltitle(db: str, tmp_path: Path) -> None:
    """biblatex-apa's test file gives a @periodical a title and a journaltitle (which is no
    field of @periodical): both come back as written, and an issuetitle beside them; the
    journaltitle was taken for the periodical's title, and the file's title was lost or moved
    to issuetitle."""
    _import(
        db, tmp_path,
        "@periodical{p1, title = {Heterodox Issues}, journaltitle = {Archives}, date = 2018}\n"
        "@periodical{p2, title = {Heterodox Issues}, issuetitle = {Special section},"
        " journaltitle = {Archives}, date = 2018}\n",
    )  # fmt: skip
    for key in ("p1", "p2"):
        fields = dict(re.findall(r"\n  (\w+)\s*= \{(.*)\}", _exported(db, key)))
        assert (fields["title"], fields["journaltitle"]) == ("Heterodox Issues", "Archives"), key
        assert fields.get("issuetitle") == ("Special section" if key == "p2" else None), key
        assert _show(db, key)["title"] == "Heterodox Issues"


def test_an_edited_language_replaces_the_language_field_too(sqlite_db: str, tmp_path: Path) -> None:
    """An entry imported with biblatex's language field (not langid): an edit of the
    language leaves no stale language = {English} beside the new langid."""
    _import(sqlite_db, tmp_path, "@book{k, language = {English}, title = {T}, date = {2000}}\n")
    assert invoke(sqlite_db, "edit", "k", "--set", "language=fr").exit_code == 0
    written = _exported(sqlite_db, "k")
    assert "English" not in written and "langid = {french}" in written, written


def test_an_xdata_record_is_no_edition_in_a_listing_but_goes_with_exports(
    db: str, tmp_path: Path
) -> None:
    """An @xdata record is a data container (biber never prints one): listings and searches
    leave it out, as an untitled pseudo-edition that answered `list --publisher`; the .bib
    exports keep it, and `show` finds it by its key."""
    _import(
        db, tmp_path,
        "@xdata{shared, publisher = {From Xdata}, series = {Shared Series}}\n"
        "@book{kid, title = {Kid}, date = {2001}, xdata = {shared}}\n",
    )  # fmt: skip
    for args in ([], ["--publisher", "From Xdata"]):
        listed = json.loads(invoke(db, "list", *args, "--format", "json").stdout)
        assert [e["key"] for e in listed] == ["kid"], args
    found = json.loads(invoke(db, "search", "Xdata", "--format", "json").stdout)
    assert [e["key"] for e in found] == ["kid"]
    assert _show(db, "shared")["publisher"] == "From Xdata"
    assert "@xdata{shared," in invoke(db, "export", "--format", "biblatex").stdout
    assert (
        "@xdata{shared,"
        in invoke(db, "export", "--format", "biblatex", "--publisher", "Xdata").stdout
    )


def test_an_entry_commented_out_with_percent_signs_is_left_out(
    sqlite_db: str, tmp_path: Path
) -> None:
    """biber reads a line starting with "%" as a comment, inside an entry too: an entry
    commented out so no longer takes the key of the real one (which was left out as its
    repeat), nor a commented-out field its place; the import says what it left out."""
    stderr = _import(
        sqlite_db, tmp_path,
        "%@BOOK{k1,\n%  AUTHOR = {Old, Draft},\n%  TITLE  = {Draft}\n%}\n"
        "@BOOK{k1, AUTHOR = {Doe, Jane}, TITLE = {Real Title}, DATE = {2000},\n"
        "  % note = {an old note},\n  publisher = {P}}\n",
    )  # fmt: skip
    assert "1 × entry commented out with %, left out" in stderr, stderr
    shown = _show(sqlite_db, "k1")
    assert (shown["title"], shown["authors"], shown["publisher"], shown["note"]) == (
        "Real Title", ["Jane Doe"], "P", None
    )  # fmt: skip


@pytest.mark.parametrize("entry, field, value", [
    # braced and quoted values: biber reads the line as text (measured, biber 2.18 --tool)
    ("@article{p, title = {T}, year = {2020},\n  abstract = {We found that 50\n% of people"
     " like chocolate\nand others do not.}}\n", "abstract",
     "We found that 50 % of people like chocolate and others do not."),
    ("@book{p, author = {Smith, John}, title = {Half of\n% the value},\n year = {2001}}\n",
     "title", "Half of % the value"),
    ("@book{p, author = {Smith, John},\n% year = {1999},\n title = \"A quoted\n% line\",\n"
     "  year = {2001}}\n", "title", "A quoted % line"),
])  # fmt: skip
def test_a_percent_line_inside_a_value_is_text(
    sqlite_db: str, tmp_path: Path, entry: str, field: str, value: str
) -> None:
    """A line starting with "%" inside a braced or quoted value is text to biber and BibTeX:
    it stays in the value (it was cut out without a word, or, holding the value's closing
    brace, the file was refused as unbalanced); between fields it is still a comment."""
    stderr = _import(sqlite_db, tmp_path, entry)
    assert "commented out" not in stderr and "repeated" not in stderr, stderr
    shown = _show(sqlite_db, "p")
    assert shown[field] == value
    assert shown["year"] in (2001, 2020)
    written = _exported(sqlite_db, "p")
    assert "\n% " in written  # written back as it came


def test_the_classic_export_writes_the_address_an_entry_gave_beside_a_location(
    sqlite_db: str, tmp_path: Path
) -> None:
    """JabRef's files give a paper its venue as location and its publisher's place as
    address: BibTeX reads the address, so the classic export writes that one (it wrote the
    location under its name); the biblatex export writes both as they came."""
    _import(
        sqlite_db, tmp_path,
        "@inproceedings{a, author = {Jane Doe}, title = {A paper}, booktitle = {Proc.},"
        " location = {Shanghai, China}, publisher = {ACM}, address = {New York, NY, USA},"
        " year = {2006}}\n",
    )  # fmt: skip
    classic = _exported(sqlite_db, "a", "bibtex")
    assert "address   = {New York, NY, USA}" in classic and "Shanghai" not in classic, classic
    written = _exported(sqlite_db, "a")
    assert "{Shanghai, China}" in written and "{New York, NY, USA}" in written
