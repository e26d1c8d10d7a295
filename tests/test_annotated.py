"""Formatted references and annotated bibliographies (citeproc-py, CSL styles), checked on the
seed and, for Markdown, through pandoc, the program a scholar would read them with."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from biblio.catalogue import import_records
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.records import EditionRecord, OriginalRecord, load_seed

from .conftest import invoke, need

STYLES = [
    "chicago-notes-bibliography-annotated",
    "apa-annotated-bibliography",
    "modern-language-association-annotated-bibliography",
]
HEADINGS = {
    "novel": "Novels",
    "poetry": "Poetry",
    "non-fiction": "Non-fiction",
    "collection": "Collections",
    "pamphlet": "Pamphlets",
}


def seed_annotations() -> dict[tuple[str, str | None], str]:
    """The annotation each seed entry must show (its work's, else its own), from the seed,
    by (title, date)."""
    _people, entries = load_seed()
    return {
        (entry.title, entry.date): (
            entry.original.annotation if entry.original else entry.annotation
        )
        or ""
        for entry in entries
    }


class Sections(HTMLParser):
    """Collects, per <h2> group, the entries' reference and annotation texts."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, list[dict[str, str]]] = {}
        self.current: str | None = None
        self.field: str | None = None
        self.heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "h2":
            self.heading = True
        elif tag == "div" and "entry" in classes:
            assert self.current is not None
            entry = {"key": dict(attrs).get("id") or "", "reference": "", "annotation": ""}
            self.groups[self.current].append(entry)
        elif tag == "p" and classes in ("reference", "annotation"):
            self.field = classes

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.heading = False
        if tag == "p":
            self.field = None

    def handle_data(self, data: str) -> None:
        if self.heading:
            self.current = data
            self.groups[data] = []
        elif self.field:
            self.groups[self.current][-1][self.field] += data  # type: ignore[index]


@pytest.mark.parametrize("style", STYLES)
def test_annotated_html_has_every_edition_with_its_annotation_under_its_group(
    seeded_sqlite: str, style: str
) -> None:
    result = invoke(seeded_sqlite, "export", "--format", "annotated", "--style", style,
                    "--to", "html")  # fmt: skip
    assert result.exit_code == 0, result.output
    parser = Sections()
    parser.feed(result.stdout)
    rows = json.loads(invoke(seeded_sqlite, "list", "--format", "json").stdout)
    expected_groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        expected_groups.setdefault(HEADINGS.get(row["form"], "Other"), []).append(row)
    assert list(parser.groups) == [h for h in HEADINGS.values() if h in expected_groups] + [
        h for h in expected_groups if h not in HEADINGS.values()
    ]
    annotations = seed_annotations()
    for heading, members in expected_groups.items():
        entries = {e["key"]: e for e in parser.groups[heading]}
        assert set(entries) == {row["key"] for row in members}
        for row in members:
            entry = entries[row["key"]]
            # Styles may title-case English titles: compare without case.
            assert row["title"].casefold() in entry["reference"].casefold()
            assert (
                entry["annotation"] == annotations[(row["title"], row["year"] and str(row["year"]))]
            )


def test_annotated_markdown_through_pandoc(seeded_sqlite: str, tmp_path: Path) -> None:
    pandoc = need("pandoc", "pandoc")
    result = invoke(seeded_sqlite, "export", "--format", "annotated", "--to", "markdown")
    (tmp_path / "bib.md").write_text(result.stdout, encoding="utf-8")
    html = subprocess.run([pandoc, "bib.md", "-t", "html", "--wrap=none"], cwd=tmp_path,
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    entries = len(load_seed()[1])
    assert html.count("<h2") == len({e.form for e in load_seed()[1]})
    assert html.count("<blockquote>") == entries
    for annotation in seed_annotations().values():
        first_words = annotation.split(".")[0]
        assert first_words.replace("'", "’") in html or first_words in html


def test_the_three_citeproc_flaws_are_fixed(seeded_sqlite: str) -> None:
    result = invoke(seeded_sqlite, "cite", "serge1967birth",
                    "--style", "chicago-notes-bibliography-annotated")  # fmt: skip
    (line,) = result.stdout.splitlines()
    assert line.startswith("Serge, Victor.")  # not "Serge, V."
    assert "Naissance de notre force" in line  # not "Naissance De Notre Force"
    assert "Translated by Richard Greeman" in line
    assert "expulsion" not in line  # the annotation is not run on after the reference
    result = invoke(seeded_sqlite, "export", "--format", "annotated", "--to", "text",
                    "--translator", "Greeman")  # fmt: skip
    blocks = result.stdout.split("\n\n")
    reference = next(i for i, b in enumerate(blocks) if b.startswith("Serge, Victor. Birth"))
    assert blocks[reference + 1].strip().startswith("One of two novels")


def test_cite_refuses_unknown_keys_and_styles(seeded_sqlite: str) -> None:
    result = invoke(seeded_sqlite, "cite", "nokey1999")
    assert result.exit_code == 1 and "no edition with key 'nokey1999'" in result.stderr
    result = invoke(seeded_sqlite, "cite", "serge1967birth", "--style", "chicago-nope")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "unknown citation style 'chicago-nope'" in line


ODD = r"Odd *title* with [link](x) <b>bold</b> & \input{/etc/passwd} $x$ @key ~sub~ ^sup^ 1. #"


def test_odd_values_print_literally_in_every_target(sqlite_db: str, tmp_path: Path) -> None:
    pandoc = need("pandoc", "pandoc")
    engine = open_catalogue(resolve(sqlite_db), create=True)
    record = EditionRecord(
        title=ODD,
        date="2001",
        publisher="Readers & Writers <Press>",
        place="Paris",
        language="en",
        authors=["Серж, Виктор"],
        translators=["Greeman, Richard"],
        form="novel",
        original=OriginalRecord(
            title="Révolte 中文 😀", date="1931", language="fr", annotation="Note: *not* <i>x</i>"
        ),
    )
    try:
        with session_scope(engine) as session:
            import_records(session, [], [record])
    finally:
        engine.dispose()
    text = invoke(sqlite_db, "export", "--format", "annotated", "--to", "text").stdout
    assert ODD in " ".join(text.split()) and "Note: *not* <i>x</i>" in text
    html = invoke(sqlite_db, "export", "--format", "annotated", "--to", "html").stdout
    parser = Sections()
    parser.feed(html)
    (entry,) = parser.groups["Novels"]
    assert ODD in entry["reference"] and "Readers & Writers <Press>" in entry["reference"]
    assert entry["annotation"] == "Note: *not* <i>x</i>"
    markdown = invoke(sqlite_db, "export", "--format", "annotated", "--to", "markdown").stdout
    (tmp_path / "bib.md").write_text(markdown, encoding="utf-8")
    plain = subprocess.run([pandoc, "bib.md", "-t", "plain", "--wrap=none"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert ODD in plain, plain
    assert "Révolte 中文 😀" in plain and "Серж" in plain
    assert "Note: *not* <i>x</i>" in plain


def test_an_item_citeproc_prints_nothing_for_stands_as_its_key(
    sqlite_db: str, tmp_path: Path
) -> None:
    """citeproc-py prints nothing for a CSL "entry" with no title (a real Manubot file's
    ``raw:blank``): the annotated export prints its key instead, in every target, where it
    stopped with a traceback (and the web catalogue's annotated page answered 500)."""
    path = tmp_path / "blank.json"
    path.write_text(
        json.dumps([{"id": "raw:blank", "type": "entry"},
                    {"id": "k2", "type": "book", "title": "A Book", "note": "Kept."}]),
        encoding="utf-8",
    )  # fmt: skip
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    for target, printed in (("text", "[raw:blank]"), ("html", "[raw:blank]"),
                            ("markdown", r"\[raw:blank\]")):  # fmt: skip
        result = invoke(sqlite_db, "export", "--format", "annotated", "--to", target)
        assert result.exit_code == 0, result.output
        assert printed in result.stdout and "A Book" in result.stdout


def test_items_citeproc_fails_on_are_printed_with_what_it_reads(
    sqlite_db: str, tmp_path: Path
) -> None:
    """citeproc-py fails on a name variable it does not know (a .bib ``narrator``, 3 real
    files) and on a null date part (a Manubot file): the reference is printed with the
    variables it reads well, where the annotated export stopped with a traceback and the web
    catalogue's annotated pages answered 500."""
    (tmp_path / "narrator.bib").write_text(
        "@book{narr, author = {S. Cain}, narrator = {K. Mazur}, title = {Quiet}, date = {2012}}\n",
        encoding="utf-8",
    )
    (tmp_path / "null.json").write_text(
        json.dumps([{"id": "nd", "type": "book", "title": "Null date",
                     "issued": {"date-parts": [[None]]}}]),
        encoding="utf-8",
    )  # fmt: skip
    result = invoke(
        sqlite_db, "import", str(tmp_path / "narrator.bib"), str(tmp_path / "null.json")
    )
    assert result.exit_code == 0, result.output
    for target in ("text", "html", "markdown"):
        result = invoke(sqlite_db, "export", "--format", "annotated", "--to", target)
        assert result.exit_code == 0, result.output
        printed = re.sub(r"</?i>|\*", "", result.stdout)  # the title's italics aside
        assert "Cain, S. Quiet. 2012" in printed
        assert "Null" in result.stdout
