"""Importing .bib files: lossless, all or nothing, and safe with two importers at once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bibtexparser import parse_string
from bibtexparser.middlewares import ResolveStringReferencesMiddleware

from biblio.bibtex import resolve_value
from biblio.export.tex import canonical
from biblio.latex import decode_latex
from biblio.names import split_bib_names

from .conftest import invoke, need

DATA = Path(__file__).parent / "data"
HANDMADE = DATA / "translations.bib"
NAME_FIELDS = {"author", "editor", "translator", "bookauthor", "editora", "commentator",
               "annotator", "introduction", "afterword", "holder"}  # fmt: skip


def biblatex_examples() -> Path:
    """biblatex's own example database: ~90 real entries of 16 types (texlive-bibtex-extra)."""
    kpsewhich = need("kpsewhich", "texlive-binaries (via texlive-latex-recommended)")
    found = subprocess.run([kpsewhich, "biblatex-examples.bib"], capture_output=True, text=True)
    path = found.stdout.strip()
    if not path:
        pytest.skip("biblatex-examples.bib not found (Debian package texlive-bibtex-extra)")
    return Path(path)


def entries_of(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """key -> (entry type, {field: its meaning}), @string macros resolved, LaTeX decoded,
    name lists as parsed parts, field names canonical (address = location...)."""
    library = parse_string(text, parse_stack=[ResolveStringReferencesMiddleware(True)])
    assert not library.failed_blocks
    strings = {s.key.lower(): s.value.strip()[1:-1] for s in library.strings}
    result = {}
    for entry in library.entries:
        fields = {}
        for field in entry.fields:
            _raw, inner = resolve_value(field.value, strings)
            name = field.key.lower()
            if name in NAME_FIELDS:
                people, others = split_bib_names(inner)
                value = repr(([(p.family, p.given, p.prefix, p.suffix) for p in people], others))
            elif name in ("location", "publisher", "origlocation", "origpublisher"):
                value = decode_latex(inner.replace("{", "").replace("}", ""))
            else:
                value = decode_latex(inner)
            fields[canonical(name)] = value
        result[entry.key] = (entry.entry_type.lower(), fields)
    return result


def assert_nothing_lost(source: str, exported: str) -> int:
    """Every entry and every field of ``source`` is in ``exported`` with the same meaning;
    returns the number of fields compared."""
    before, after = entries_of(source), entries_of(exported)
    assert set(before) <= set(after), set(before) - set(after)
    compared = 0
    for key, (entry_type, fields) in before.items():
        assert after[key][0] == entry_type, key
        for name, value in fields.items():
            assert after[key][1].get(name) == value, (key, name, value, after[key][1].get(name))
            compared += 1
    return compared


def test_real_world_biblatex_file_survives_import_and_export(db: str) -> None:
    source = biblatex_examples().read_text(encoding="utf-8")
    result = invoke(db, "import", str(biblatex_examples()))
    assert result.exit_code == 0, result.output
    exported = invoke(db, "export", "--format", "biblatex").stdout
    compared = assert_nothing_lost(source, exported)
    assert len(entries_of(source)) == 92 and compared > 1000


def test_handmade_features_survive_import_and_export(db: str) -> None:
    result = invoke(db, "import", str(HANDMADE))
    assert result.exit_code == 0, result.output
    assert "7 created" in result.stderr
    exported = invoke(db, "export", "--format", "biblatex").stdout
    assert_nothing_lost(HANDMADE.read_text(encoding="utf-8"), exported)
    # Translations are linked to their originals: by orig* fields and by related/relatedtype.
    rows = json.loads(invoke(db, "list", "--translator", "Greeman", "--format", "json").stdout)
    originals = {r["key"]: r["original"] for r in rows}
    assert originals["greeman:birth"]["title"] == "Naissance de notre force"
    assert originals["greeman:birth"]["place"] == "Paris"
    assert originals["greeman:men"]["title"] == "Les Hommes dans la prison"
    assert originals["greeman:men"]["language"] == "fr"
    # The work's author comes from the original entry; people are records with roles.
    assert rows[0]["authors"] == ["Victor Serge"]
    # The essay's crossref gives it the collection's editors and translator, as biber does.
    assert keys(db, "--editor", "Cotterill, D. J.") == ["lukacs:essay", "ortega:coll"]
    assert keys(db, "--author", "Lukacs") == ["lukacs:essay"]
    assert keys(db, "--editor", "Gennep") == ["lukacs:essay", "ortega:coll"]
    assert keys(db, "--translator", "Виктор Серж") == ["lukacs:essay", "ortega:coll"]


def keys(db: str, *args: str) -> list[str]:
    result = invoke(db, "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [row["key"] for row in json.loads(result.stdout)]


def test_the_same_people_are_one_person_across_entries(db: str) -> None:
    invoke(db, "import", str(HANDMADE))
    rows = json.loads(invoke(db, "translators", "--format", "json").stdout)
    greeman = [r for r in rows if "Greeman" in r["translator"]]
    assert greeman == [
        {
            "translator": "Richard Greeman",
            "sort_name": "Greeman, Richard",
            "editions": 2,
            "first_year": 1967,
            "last_year": 1969,
        }  # fmt: skip
    ]


# ------------------------------------------------------------------- malformed input

VALID_BEFORE = "@book{first, title = {First}, date = {1990}}\n\n"
VALID_AFTER = "\n\n@book{last, title = {Last}, date = {1991}}\n"
MALFORMED = {
    "unbalanced braces": ("@book{broken, title = {Unbalanced {brace}, date = {1990}}", 3),
    # a "{" in a "..." value never closed: bibtexparser reads the value to the entry's end
    "value cut short": ('@book{cut, title = "a {b", date = {1990}}', 3),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_entry_means_nothing_is_imported(db: str, tmp_path: Path, kind: str) -> None:
    assert invoke(db, "seed").exit_code == 0
    before = invoke(db, "export").stdout
    bad, line = MALFORMED[kind]
    path = tmp_path / "mixed.bib"
    path.write_text(VALID_BEFORE + bad + VALID_AFTER, encoding="utf-8")

    result = invoke(db, "import", str(path))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (message,) = result.stderr.strip().splitlines()
    assert message.startswith(f"Error: {path}:{line}"), message
    assert "nothing imported" in message
    assert invoke(db, "export").stdout == before

    result = invoke(db, "import", "--skip-invalid", str(path))
    assert result.exit_code == 0, result.output
    assert f"skipped: {path}:{line}" in result.stderr
    assert {"first", "last"} <= set(keys(db))


# What BibTeX and biber read with a warning comes in whole, with a warning of its kind.
LENIENT = {
    "no key": ("@book{title = {No key}, date = {1990}}", 3, "entry with no key, key generated"),
    "empty key": ("@book{, title = {Empty key}, date = {1990}}", 3, "entry with no key"),
    # BibTeX prints these as they are, biber warns of the doubled "and" ("Name ... is empty")
    "name list ending in and": (
        "@book{harvey, author = {William D. Harvey and}, title = {T}, date = {1995}}",
        3,
        "empty name, kept as written",
    ),
    "name list starting with and": (
        "@book{mcd, author = { AND Gerald J. Sussman}, title = {T}, date = {1972}}",
        3,
        "empty name, kept as written",
    ),
    "doubled and": (
        "@book{veloso,\n  author = {Manuela M. Veloso and  and Michael T. Cox},\n"
        "  title = {T}, date = {1998}}",
        4,
        "empty name, kept as written",
    ),
    "key repeated": (
        "@book{first, title = {Again}, date = {1992}}",
        3,
        "entry with a repeated key, left out",
    ),
    "date with no year": (
        "@book{baddate,\n  title = {Bad date},\n  date = {19uu}}",
        5,
        "date with no year",
    ),
    "year with no number": (
        "@book{badyear,\n  title = {Bad year},\n  year = {submitted}}",
        5,
        "year with no number",
    ),
    "no title": ("@book{untitled, date = {1990}}", 3, "entry with no title, kept"),
    "unusable key": ("@book{smith(2000), title = {T}}", 3, "key biber cannot read back"),
    "stray comma in a name": (
        "@book{badname, title = {T}, author = {May, Keith,}}",
        3,
        "name with a stray comma",
    ),
    "repeated field": (  # a biblatex file (its date fields): the last, as biber
        "@book{twice, title = {One}, title = {Two}, date = {1990}}",
        3,
        "repeated field, last kept",
    ),
    "undefined string": (
        '@book{macro, title = {T}, note = nosuchmacro # " more"}',
        3,
        "undefined @string",
    ),
}


@pytest.mark.parametrize("kind", LENIENT)
def test_what_bibtex_accepts_comes_in_with_a_warning(db: str, tmp_path: Path, kind: str) -> None:
    text, line, summary = LENIENT[kind]
    path = tmp_path / "lenient.bib"
    path.write_text(VALID_BEFORE + text + VALID_AFTER, encoding="utf-8")
    report = tmp_path / "report.json"
    result = invoke(db, "import", "--report", str(report), str(path))
    assert result.exit_code == 0, result.output
    assert "warnings: 1 × " + summary in result.stderr, result.stderr
    listed = json.loads(report.read_text(encoding="utf-8"))
    (problem,) = listed["problems"]
    assert problem["severity"] == "warning" and problem["line"] == line, problem
    assert problem["file"] == str(path) and problem["kind"].startswith(summary)
    imported = keys(db)
    assert {"first", "last"} <= set(imported)
    assert len(imported) == (2 if kind == "key repeated" else 3), imported


def test_keys_that_differ_only_in_case_come_in_with_a_warning(
    sqlite_db: str, tmp_path: Path
) -> None:
    """biber warns of keys that differ only in case (a typo?): both come in, with the same
    warning, at the second's line."""
    path = tmp_path / "case.bib"
    path.write_text(
        "@book{Smith2000, title = {A}, year = 2000}\n\n"
        "@book{smith2000, title = {B}, year = 2001}\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = invoke(sqlite_db, "import", "--report", str(report), str(path))
    assert result.exit_code == 0 and "1 × keys that differ only in case" in result.stderr
    (problem,) = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert (problem["line"], problem["key"]) == (3, "smith2000")
    assert sorted(keys(sqlite_db)) == ["Smith2000", "smith2000"]


def test_every_entry_without_a_key_comes_in(sqlite_db: str, tmp_path: Path) -> None:
    """Citavi and Mendeley write many entries with an empty key: each is given one, with a
    warning each (not taken for a repeat of the first, which left out all but one), and an
    unreadable one is quoted as the file wrote it."""
    path = tmp_path / "keyless.bib"
    path.write_text(
        "@book{, author = {Bosancic, Sasa}, title = {Arbeiter}, year = {2014}}\n"
        "@article{, author = {Desmond, Matthew}, title = {Relational}, year = {2014}}\n"
        "@misc{ title = {Third}, year = {2015}}\n",
        encoding="utf-8",
    )
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "warnings: 3 × entry with no key, key generated" in result.stderr, result.stderr
    assert len(keys(sqlite_db)) == 3
    report = tmp_path / "report.json"
    path.write_text("@book{, title = {A}, title = {B}, year = {2000}}\n", encoding="utf-8")
    assert invoke(sqlite_db, "import", "--report", str(report), str(path)).exit_code == 0
    assert "no-key" not in report.read_text(encoding="utf-8")
    path.write_text("@book{, title = {Open, year = {2014}}\n", encoding="utf-8")
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1 and "no-key" not in result.output, result.output


@pytest.mark.parametrize(
    "year, kept",
    [("year = 1990", "One"), ("date = {1990}", "Two")],  # classic BibTeX; biblatex
)
def test_a_repeated_field_keeps_the_value_its_dialect_reads(
    sqlite_db: str, tmp_path: Path, year: str, kept: str
) -> None:
    """BibTeX keeps the first value of a field given twice, biber the last: a classic file
    keeps the first, a biblatex file (a date field says it is one) the last."""
    path = tmp_path / "twice.bib"
    path.write_text(f"@book{{twice, title = {{One}}, title = {{Two}}, {year}}}\n")
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    shown = json.loads(invoke(sqlite_db, "show", "twice", "--format", "json").stdout)
    assert shown["title"] == kept


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01binary\x00", "binary file"),
        ("@book{k, title = {Caf\xe9}}".encode("latin-1"), "give its encoding, e.g. --encoding"),
    ],
    ids=["binary", "latin-1"],
)
def test_unreadable_files_are_refused(
    sqlite_db: str, tmp_path: Path, content: bytes, message: str
) -> None:
    invoke(sqlite_db, "seed")
    path = tmp_path / "odd.bib"
    path.write_bytes(content)
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert str(path) in line and message in line


def test_missing_files_and_directories_are_refused(sqlite_db: str, tmp_path: Path) -> None:
    for path, message in ((tmp_path / "absent.bib", "no such file"), (tmp_path, "directory")):
        result = invoke(sqlite_db, "import", str(path))
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert message in line
    assert not Path(sqlite_db).exists()


def test_dry_run_writes_nothing(db: str) -> None:
    invoke(db, "init")
    result = invoke(db, "import", "--dry-run", str(HANDMADE))
    assert result.exit_code == 0
    assert "would import 7 entries: 7 created" in result.stderr
    assert keys(db) == []


def test_on_duplicate(db: str, tmp_path: Path) -> None:
    invoke(db, "import", str(HANDMADE))
    changed = tmp_path / "changed.bib"
    changed.write_text(
        "@book{greeman:men, title = {Men in Prison}, date = {1969}, pagetotal = {253}}\n"
    )
    before = invoke(db, "export").stdout

    result = invoke(db, "import", str(changed))  # default: skip, keep the catalogue's version
    assert "1 skipped as duplicates" in result.stderr
    assert invoke(db, "export").stdout == before

    result = invoke(db, "import", "--on-duplicate", "error", str(changed))
    assert result.exit_code == 1 and "already in the catalogue" in result.stderr
    assert invoke(db, "export").stdout == before

    result = invoke(db, "import", "--on-duplicate", "update", str(changed))
    assert result.exit_code == 0 and "1 updated" in result.stderr
    shown = json.loads(invoke(db, "show", "greeman:men", "--format", "json").stdout)
    # The field the entry gives comes in; what it does not give stays (never erased).
    assert shown["extra_fields"]["pagetotal"] == "{253}"
    assert (shown["translators"], shown["original"]["title"]) == (
        ["Richard Greeman"],
        "Les Hommes dans la prison",
    )


def test_update_fills_in_and_lists_what_it_changed(seeded: str, tmp_path: Path) -> None:
    """A short entry for a catalogued edition updates the fields it gives and erases none."""
    before = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    short = tmp_path / "short.bib"
    short.write_text(
        "@book{serge1967birth, author = {Serge, Victor}, title = {Birth of our Power},\n"
        "  year = {1967}, publisher = {Penguin}, pages = {xii, 300}}\n"
    )
    dry = invoke(seeded, "import", "--on-duplicate", "update", "--dry-run", str(short))
    assert dry.exit_code == 0
    assert "would change: serge1967birth: pages: None -> 'xii, 300'" in dry.stderr
    assert json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout) == before
    result = invoke(seeded, "import", "--on-duplicate", "update", str(short))
    assert result.exit_code == 0 and "1 updated" in result.stderr
    assert "changed: serge1967birth: publisher: 'Doubleday' -> 'Penguin'" in result.stderr
    after = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert (after["publisher"], after["pages"]) == ("Penguin", "xii, 300")
    for name in ("translators", "original", "annotation", "place", "language", "form"):
        assert after[name] == before[name], name


@pytest.mark.parametrize("on_duplicate", ["skip", "update", "error"])
def test_a_key_clash_with_another_work_never_overwrites(
    seeded: str, tmp_path: Path, on_duplicate: str
) -> None:
    before = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    other = tmp_path / "other.bib"
    other.write_text("@book{serge1967birth, author = {Smith, Jane}, title = {Gardens},"
                     " year = {2001}}\n")  # fmt: skip
    result = invoke(seeded, "import", "--on-duplicate", on_duplicate, str(other))
    assert result.exit_code == 0, result.output
    assert "1 created" in result.stderr
    assert "new key: serge1967birth -> serge1967birtha: the catalogue's serge1967birth is " \
        "another work (title 'Birth of our Power' in the catalogue, 'Gardens' here; year 1967" \
        " in the catalogue, 2001 here; no author in common)" in result.stderr  # fmt: skip
    assert json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout) == before
    gardens = json.loads(invoke(seeded, "show", "serge1967birtha", "--format", "json").stdout)
    assert (gardens["title"], gardens["authors"]) == ("Gardens", ["Jane Smith"])


def test_importing_the_same_file_twice_changes_nothing(db: str) -> None:
    invoke(db, "import", str(HANDMADE))
    before = invoke(db, "export").stdout
    result = invoke(db, "import", "--on-duplicate", "update", str(HANDMADE))
    assert "0 created, 0 updated, 7 unchanged" in result.stderr
    assert invoke(db, "export").stdout == before


# ------------------------------------------------------------------- two importers at once


def _bib_with_shared_people(prefix: str, count: int) -> str:
    entries = []
    for i in range(count):
        entries.append(
            f"@book{{{prefix}{i},\n  author = {{Serge, Victor}},\n"
            f"  translator = {{Greeman, Richard and Translator{prefix}, Number{i % 5}}},\n"
            f"  title = {{Book {prefix} {i}}},\n  date = {{{1950 + i % 50}}},\n"
            f"  publisher = {{Doubleday}},\n  location = {{New York}},\n}}\n"
        )
    return "\n".join(entries)


def _imports_at_once(
    db: str, tmp_path: Path, prefixes: tuple[str, ...], count: int
) -> list[tuple[str, int]]:
    """Start one ``biblio import`` process per prefix at once, each with ``count`` entries
    sharing people; wait for all; return each one's (stderr, exit code)."""
    env = {**os.environ, "BIBLIO_DB": db}
    processes = []
    for prefix in prefixes:
        path = tmp_path / f"{prefix}.bib"
        path.write_text(_bib_with_shared_people(prefix, count), encoding="utf-8")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "biblio", "import", str(path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    return [(p.communicate(timeout=600)[1], p.returncode) for p in processes]


def test_two_imports_at_once_on_one_sqlite_catalogue(sqlite_db: str, tmp_path: Path) -> None:
    assert invoke(sqlite_db, "init").exit_code == 0
    for err, code in _imports_at_once(sqlite_db, tmp_path, ("a", "b"), 150):
        assert code == 0, err
        assert "150 created" in err
    assert len(keys(sqlite_db)) == 300
    rows = json.loads(invoke(sqlite_db, "translators", "--format", "json").stdout)
    greeman = [r for r in rows if r["translator"] == "Richard Greeman"]
    assert len(greeman) == 1 and greeman[0]["editions"] == 300
    assert len(rows) == 1 + 10  # Greeman and five translators per file


def test_imported_translations_print_in_biblatex(sqlite_db: str, tmp_path: Path) -> None:
    from .test_latex import build_biblatex

    invoke(sqlite_db, "import", str(HANDMADE))
    # Greeman's two: one linked by orig* fields, one by related/relatedtype (pdflatex cannot
    # set the Cyrillic of another entry; lualatex is for that).
    bib = invoke(sqlite_db, "export", "--translator", "Greeman").stdout
    biber_output, text = build_biblatex(bib, tmp_path)
    assert "WARN" not in biber_output and "ERROR" not in biber_output, biber_output
    assert text.count("Trans. from the French by Richard Greeman") == 2


@pytest.mark.parametrize("fmt, suffix", [("csl-json", ".json"), ("ris", ".ris")])
def test_exports_come_back_through_import(
    seeded_sqlite: str, tmp_path: Path, fmt: str, suffix: str
) -> None:
    """What Zotero users bring: the seed exported as CSL-JSON or RIS and imported (format
    told by the suffix) into an empty catalogue gives back every edition, key and people."""
    path = tmp_path / f"serge{suffix}"
    result = invoke(seeded_sqlite, "export", "--format", fmt, "-o", str(path))
    assert result.exit_code == 0, result.output
    fresh = str(tmp_path / "fresh.db")
    result = invoke(fresh, "import", str(path))
    assert result.exit_code == 0, result.output
    before = json.loads(invoke(seeded_sqlite, "list", "--format", "json").stdout)
    after = json.loads(invoke(fresh, "list", "--format", "json").stdout)
    assert [r["key"] for r in after] == [r["key"] for r in before]
    for old, new in zip(before, after, strict=True):
        for field in ("title", "year", "authors", "translators", "editors", "publisher", "place"):
            assert new[field] == old[field], (old["key"], field)
    bad = tmp_path / f"bad{suffix}"
    text = path.read_text(encoding="utf-8")
    if fmt == "ris":  # not RIS at all
        text = "Provider: nobody\nThis is a list of books, not a RIS export.\n"
    else:
        items = json.loads(text)
        items.append(42)  # not an item
        text = json.dumps(items, ensure_ascii=False, indent=2)
    bad.write_text(text, encoding="utf-8")
    result = invoke(fresh, "import", "--on-duplicate", "update", str(bad))
    assert result.exit_code == 1 and "nothing imported" in result.stderr
    assert json.loads(invoke(fresh, "list", "--format", "json").stdout) == after


def test_export_reports_losses_and_strict_refuses(seeded_sqlite: str, tmp_path: Path) -> None:
    result = invoke(seeded_sqlite, "export", "--format", "bibtex")
    assert result.exit_code == 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("bibtex cannot carry every fact as such: 23 of 23 entries; folded: ")
    assert "original-title (15)" in line and "translator (" in line
    target = tmp_path / "strict.bib"
    result = invoke(seeded_sqlite, "export", "--format", "ris", "--strict", "-o", str(target))
    assert result.exit_code == 1 and "nothing written" in result.stderr
    assert not target.exists()
    result = invoke(seeded_sqlite, "export", "--format", "biblatex", "--translator", "Greeman",
                    "--strict")  # fmt: skip
    assert result.exit_code == 0 and result.stderr == ""


def test_four_imports_at_once_on_each_backend(db: str, tmp_path: Path) -> None:
    """Four librarians import 100 entries each at the same time; the people and publishers
    they share are created once, and no process fails."""
    assert invoke(db, "init").exit_code == 0
    for err, code in _imports_at_once(db, tmp_path, ("a", "b", "c", "d"), 100):
        assert code == 0, err
        assert "100 created" in err and "locked" not in err
    assert len(keys(db)) == 400
    rows = json.loads(invoke(db, "translators", "--format", "json").stdout)
    greeman = [r for r in rows if r["translator"] == "Richard Greeman"]
    assert len(greeman) == 1 and greeman[0]["editions"] == 400
    assert len(rows) == 1 + 4 * 5
    authors = json.loads(invoke(db, "list", "--author", "Serge", "--format", "json").stdout)
    assert len(authors) == 400
    publishers = {
        row["publisher"] for row in json.loads(invoke(db, "list", "--format", "json").stdout)
    }
    assert publishers == {"Doubleday"}


def test_export_then_import_reproduces_the_catalogue(seeded: str, tmp_path: Path) -> None:
    """The biblatex export of a catalogue, imported into an empty one, exports the same
    text byte for byte (the PostgreSQL catalogue's export into a SQLite one as well)."""
    first = tmp_path / "first.bib"
    assert invoke(seeded, "export", "-o", str(first)).exit_code == 0
    copy = str(tmp_path / "copy.db")
    result = invoke(copy, "import", str(first))
    assert result.exit_code == 0, result.output
    assert invoke(copy, "export").stdout == first.read_text(encoding="utf-8")


def test_a_big_import_refreshes_postgresql_statistics(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    """After 1000 new editions the planner's statistics are fresh (ANALYZE), so queries use
    the indexes at once instead of scanning what the planner still takes for empty tables."""
    from sqlalchemy import create_engine, text

    from .conftest import _fresh_postgres_database

    databases = _fresh_postgres_database(postgres_admin_url)
    url = next(databases)
    try:
        bib = tmp_path / "many.bib"
        bib.write_text(
            "".join(
                f"@book{{e{i}, author = {{Author{i % 50}, Ann}}, title = {{Book {i}}},"
                f" date = {{{1900 + i % 100}}}, translator = {{Tr{i % 20}, Tom}}}}\n"
                for i in range(1000)
            ),
            encoding="utf-8",
        )
        assert invoke(url, "import", str(bib)).exit_code == 0
        engine = create_engine(url)
        with engine.connect() as connection:
            analysed = connection.execute(
                text(
                    "SELECT last_analyze, n_live_tup FROM pg_stat_user_tables"
                    " WHERE relname = 'edition'"
                )
            ).one()
            estimate = connection.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'edition'")
            ).scalar()
        engine.dispose()
        assert analysed[0] is not None
        assert estimate == 1000
    finally:
        databases.close()


@pytest.mark.parametrize("suffix", [".bib", ".ris", ".json"])
def test_each_entry_keeps_its_spelling_of_a_shared_person(
    db: str, tmp_path: Path, suffix: str
) -> None:
    """Two entries name one person, spelt two ways: both link to one person record, and each
    lists and exports the name as it gave it (in every format it came from)."""
    texts = {
        ".bib": (
            '@book{a, title = {A}, date = {1990}, author = {Dupont, Jo{\\"e}lle}}\n'
            "@book{b, title = {B}, date = {1991}, author = {Dupont, Joelle}}\n"
        ),
        ".ris": (
            "TY  - BOOK\nID  - a\nTI  - A\nPY  - 1990\nAU  - Dupont, Joëlle\nER  - \n"
            "TY  - BOOK\nID  - b\nTI  - B\nPY  - 1991\nAU  - Dupont, Joelle\nER  - \n"
        ),
        ".json": json.dumps(
            [
                {
                    "id": "a",
                    "type": "book",
                    "title": "A",
                    "issued": {"date-parts": [[1990]]},
                    "author": [{"family": "Dupont", "given": "Joëlle"}],
                },
                {
                    "id": "b",
                    "type": "book",
                    "title": "B",
                    "issued": {"date-parts": [[1991]]},
                    "author": [{"family": "Dupont", "given": "Joelle"}],
                },
            ]
        ),  # fmt: skip
    }
    path = tmp_path / f"in{suffix}"
    path.write_text(texts[suffix], encoding="utf-8")
    assert invoke(db, "import", str(path)).exit_code == 0
    rows = json.loads(invoke(db, "list", "--format", "json").stdout)
    assert {r["key"]: r["authors"] for r in rows} == {
        "a": ["Joëlle Dupont"],
        "b": ["Joelle Dupont"],
    }
    found = json.loads(invoke(db, "list", "--author", "Joelle Dupont", "--format", "json").stdout)
    assert sorted(r["key"] for r in found) == ["a", "b"]  # one person, both spellings
    for fmt, spelt in (("csl-json", '"given": "Joelle"'), ("ris", "AU  - Dupont, Joelle")):
        assert spelt in invoke(db, "export", "--format", fmt).stdout, fmt


def test_each_entry_keeps_its_spelling_of_a_shared_publisher(db: str, tmp_path: Path) -> None:
    path = tmp_path / "in.ris"
    path.write_text(
        "TY  - BOOK\nID  - a\nTI  - A\nPY  - 1990\nPB  - Éditions Gallimard\nER  - \n"
        "TY  - BOOK\nID  - b\nTI  - B\nPY  - 1991\nPB  - Editions  Gallimard\nER  - \n",
        encoding="utf-8",
    )
    assert invoke(db, "import", str(path)).exit_code == 0
    rows = json.loads(invoke(db, "list", "--format", "json").stdout)
    assert {r["key"]: r["publisher"] for r in rows} == {
        "a": "Éditions Gallimard",
        "b": "Editions Gallimard",
    }
    found = json.loads(invoke(db, "list", "--publisher", "gallimard", "--format", "json").stdout)
    assert sorted(r["key"] for r in found) == ["a", "b"]  # one publisher record
    csl = {
        i["id"]: i["publisher"]
        for i in json.loads(invoke(db, "export", "--format", "csl-json").stdout)
    }
    assert csl == {"a": "Éditions Gallimard", "b": "Editions Gallimard"}


def test_update_keeps_the_edition_on_its_original(seeded: str, tmp_path: Path) -> None:
    """Authors in another order find the same original; a corrected original title keeps
    what the entry does not say of it, and leaves no work without an edition."""
    before = json.loads(invoke(seeded, "show", "serge1973life", "--format", "json").stdout)
    works = before["original"]["key"]
    reordered = tmp_path / "reordered.bib"
    reordered.write_text(
        "@book{serge1973life, author = {Sedova, Natalia and Serge, Victor},\n"
        "  title = {The Life and Death of Leon Trotsky}, year = {1973},\n"
        "  origtitle = {Vie et mort de L{\\'e}on Trotsky}}\n"
    )
    result = invoke(seeded, "import", "--on-duplicate", "update", str(reordered))
    assert result.exit_code == 0, result.output
    after = json.loads(invoke(seeded, "show", "serge1973life", "--format", "json").stdout)
    assert after["original"]["key"] == works
    assert after["authors"] == ["Natalia Sedova", "Victor Serge"]
    retitled = tmp_path / "retitled.bib"
    retitled.write_text(
        "@book{serge1967birth, author = {Serge, Victor}, title = {Birth of our Power},\n"
        "  year = {1967}, origtitle = {Naissance de notre force (roman)}}\n"
    )
    old = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    result = invoke(seeded, "import", "--on-duplicate", "update", str(retitled))
    assert result.exit_code == 0, result.output
    assert "changed: serge1967birth: original:" in result.stderr
    new = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert new["original"]["title"] == "Naissance de notre force (roman)"
    for name in ("date", "place", "language", "annotation"):
        assert new["original"][name] == old["original"][name], name
    from sqlalchemy import select

    from biblio.config import resolve
    from biblio.db import open_catalogue, session_scope
    from biblio.models import Work

    engine = open_catalogue(resolve(seeded))
    with session_scope(engine, commit=False) as session:
        keys = set(session.scalars(select(Work.key)))
    engine.dispose()
    assert old["original"]["key"] not in keys  # no work left without an edition
    assert new["original"]["key"] in keys


# ----------------------------------------------------------------------------- unknown suffixes


def test_a_file_with_an_unknown_suffix_is_read_in_the_format_it_begins_with(
    seeded: str, tmp_path: Path
) -> None:
    ris = "TY  - BOOK\nTI  - Sniffed Century\nAU  - Serge, Victor\nPY  - 1982\nER  - \n"
    csl = '[{"id": "sniffed-csl", "type": "book", "title": "Sniffed Items", "issued": '
    csl += '{"date-parts": [[2001]]}}]'
    bib = "% a hand-kept file\n@book{sniffedbib, title = {Sniffed Bib}, date = {1999}}\n"
    one_space = "TY - JOUR\nTI - Sniffed Datacite\nAU - Doe, Jane\nPY - 2001\nER - \n"
    for name, text in [
        ("scopus.txt", ris),
        ("datacite.txt", one_space),  # one space before the dash, as DataCite writes
        ("items.csljson", "\ufeff" + csl),
        ("mine.bibtex", bib),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = invoke(seeded, "import", str(path))
        assert result.exit_code == 0, result.output
        assert "imported 1 entries" in result.stderr, name
        assert "no entries" not in result.stderr
    listed = invoke(seeded, "search", "sniffed", "--format", "json")
    titles = sorted(view["title"] for view in json.loads(listed.stdout))
    assert titles == ["Sniffed Bib", "Sniffed Century", "Sniffed Datacite", "Sniffed Items"]


def test_a_file_from_which_nothing_is_read_says_so_and_how_it_was_read(
    seeded: str, tmp_path: Path
) -> None:
    before = invoke(seeded, "list", "--format", "json").stdout
    medline = tmp_path / "pubmed.nbib"  # MEDLINE's own format, which biblio does not read
    medline.write_text("PMID- 12345\nTI  - A title\nAU  - Serge V\n", encoding="utf-8")
    result = invoke(seeded, "import", str(medline))
    assert result.exit_code == 0
    assert "imported 0 entries" in result.stderr
    assert (
        f"warning: {medline}:1: no entries found: read as bibtex (by its first lines); if it "
        "is in another format, say which with --format" in result.stderr
    )
    empty = tmp_path / "empty.bib"
    empty.write_text("\n  \n", encoding="utf-8")
    said = invoke(seeded, "import", str(empty)).stderr  # nothing to read, said as such
    assert "no entries found" not in said and f"{empty}:1: the file is empty" in said
    assert invoke(seeded, "list", "--format", "json").stdout == before


def test_marc_files_with_an_unknown_suffix_are_told_apart(tmp_path: Path) -> None:
    from biblio.formats import format_of, read_file

    data = Path(__file__).parent / "data" / "marc"
    for source, expected in [
        ("nkp-favilli-pribehy.mrc", "marc"),
        ("openlibrary-homer-iliad.xml", "marcxml"),
    ]:
        copy = tmp_path / (source + ".dat")
        copy.write_bytes((data / source).read_bytes())
        assert format_of(str(copy)) == expected
        assert format_of(str(copy), "bibtex") == "bibtex"  # as given
        entries, problems = read_file(str(copy))
        reference, _ = read_file(str(data / source))
        assert [e.record.title for e in entries] == [e.record.title for e in reference] != []


def test_a_file_with_nothing_to_import_makes_no_catalogue_and_no_change(
    sqlite_db: str, tmp_path: Path
) -> None:
    """Nothing read writes nothing: a file of prose created an empty catalogue file (exit 0,
    a warning), and in a catalogue an empty change in its history."""
    prose = tmp_path / "notes.bib"
    prose.write_text("Some notes about books, and no entry.\n", encoding="utf-8")
    result = invoke(sqlite_db, "import", str(prose))
    assert result.exit_code == 0 and "no entries found" in result.stderr
    assert not Path(sqlite_db).exists()
    book = tmp_path / "one.bib"
    book.write_text("@book{one, title = {One}, year = 2000}\n", encoding="utf-8")
    assert invoke(sqlite_db, "import", str(book)).exit_code == 0
    changes = invoke(sqlite_db, "history", "--format", "json").stdout
    assert invoke(sqlite_db, "import", str(prose)).exit_code == 0
    assert invoke(sqlite_db, "history", "--format", "json").stdout == changes


EDITORIALS = """TY  - JOUR
TI  - Editorial
AU  - Smith, Jane
JO  - Lancet
PY  - 2020
ER  -

TY  - JOUR
TI  - Editorial
AU  - Doe, John
JO  - BMJ
PY  - 2020
ER  -

TY  - BOOK
TI  - Untitled
AU  - Roe, Rick
ER  -
""".replace("ER  -\n", "ER  - \n")


def test_entries_without_a_key_of_one_title_by_other_people_are_other_editions(
    db: str, tmp_path: Path
) -> None:
    """RIS exports (PubMed, Scopus, Web of Science) give no ID: two editorials of one title
    and year, by other authors in other journals, are two editions (the second rewrote the
    first's). Imported again, each is a duplicate of itself; with --on-duplicate update each
    updates its own."""
    path = tmp_path / "editorials.ris"
    path.write_text(EDITORIALS, encoding="utf-8")
    result = invoke(db, "import", str(path))
    assert "imported 3 entries: 3 created" in result.stderr, result.output
    other = tmp_path / "other.ris"
    other.write_text(EDITORIALS.split("TY  - BOOK")[0].replace("Doe, John", "Poe, Ann"), "utf-8")
    other.write_text(other.read_text("utf-8") + "TY  - BOOK\nTI  - Untitled\nER  - \n", "utf-8")
    # Smith's again; Poe's new; an undated "Untitled" crediting no one is its own (a title
    # alone tells nothing apart)
    result = invoke(db, "import", str(other))
    assert "imported 3 entries: 2 created, 0 updated, 0 unchanged, 1 skipped" in result.stderr
    shown = [
        json.loads(invoke(db, "show", e["key"], "--format", "json").stdout)
        for e in json.loads(invoke(db, "list", "--format", "json").stdout)
    ]
    journals = {e["authors"][0] if e["authors"] else None: e["journal"] for e in shown}
    assert journals == {
        "Jane Smith": "Lancet",
        "John Doe": "BMJ",
        "Ann Poe": "BMJ",
        "Rick Roe": None,
        None: None,
    }
    path.write_text(EDITORIALS.replace("PY  - 2020", "PY  - 2020\nVL  - 7"), encoding="utf-8")
    result = invoke(db, "import", "--on-duplicate", "update", str(path))
    assert "imported 3 entries: 0 created, 2 updated, 1 unchanged" in result.stderr, result.stderr
    shown = [
        json.loads(invoke(db, "show", e["key"], "--format", "json").stdout)
        for e in json.loads(invoke(db, "list", "--format", "json").stdout)
    ]
    assert sorted(e["volume"] or "" for e in shown) == ["", "", "", "7", "7"]


def test_the_report_counts_what_was_written(sqlite_db: str, tmp_path: Path) -> None:
    """``--report``'s "imported" counts the entries written: none where an error stopped the
    import (it said 14 for a file nothing of which was written), those a dry run would
    write, marked so, and all of them after an import."""
    path = tmp_path / "mixed.bib"
    path.write_text(
        "@book{good, title = {Good}, year = 2001}\n@book{bad, title = {Bad, year = 2002}\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    assert invoke(sqlite_db, "init").exit_code == 0

    def reported(*options: str) -> dict:  # type: ignore[type-arg]
        invoke(sqlite_db, "import", *options, "--report", str(report), str(path))
        return json.loads(report.read_text(encoding="utf-8"))

    stopped = reported()
    assert (stopped["imported"], stopped["refused"], stopped["dry_run"]) == (0, 1, False)
    assert keys(sqlite_db) == []
    dry = reported("--skip-invalid", "--dry-run")
    assert (dry["imported"], dry["dry_run"]) == (1, True) and keys(sqlite_db) == []
    done = reported("--skip-invalid")
    assert (done["imported"], done["refused"], done["dry_run"]) == (1, 1, False)
    assert keys(sqlite_db) == ["good"]


def test_values_of_any_length_come_in_on_both_backends(db: str, tmp_path: Path) -> None:
    """BibTeX, biber and Zotero limit no key's or field's length, and real files hold
    112-character JabRef keys, an affiliation read as a 390-character name suffix, a
    513-character DOI: each comes in and goes out whole on PostgreSQL as on SQLite (migration
    0019). PostgreSQL refused the whole file ("value too long for type character varying"),
    naming no entry, and ``edit`` failed the same way."""
    long_key = "Wikipedia_Contributors_2024_The_Free_Encyclopedia_Article_On_" + "x" * 50
    values = {
        "volume": "Supplementary volume to the second series, part three of the collected works",
        "number": "Department of Psychology, University of Somewhere, " * 5,
        "pages": "i-xxiv, 1-310, plates " + ", ".join(str(n) for n in range(1, 40)),
        "address": "Paris, " * 40,
        "doi": "10.1000/" + "a" * 505,
        "edition": "Second edition, revised and enlarged, with a new introduction " * 4,
        "keywords": "a keyword that is a whole sentence about translation studies " * 6,
        "language": "Old Church Slavonic and Middle High German",
    }
    person = "Doe, " + "Jane Mary " * 30
    suffix = "{\\'E}quipe du Centre virtuel de la connaissance sur l'Europe (CVCE, Luxembourg)"
    fields = "".join(f"  {name} = {{{value}}},\n" for name, value in values.items())
    path = tmp_path / "long.bib"
    path.write_text(
        f"@book{{{long_key},\n  title = {{T}},\n  author = {{{person}}},\n"
        f"  translator = {{van der Berg, {{Jr. {suffix}}}, Ann}},\n"
        f"  publisher = {{{'The Press of a Very Long Name ' * 12}}},\n{fields}"
        "  year = {2001}\n}\n",
        encoding="utf-8",
    )
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    written = invoke(db, "export", "--format", "biblatex").stdout
    assert written.startswith(f"@book{{{long_key},")
    read_back = parse_string(written).entries[0]
    for name, value in values.items():
        assert " ".join(read_back.fields_dict[name].value.split()) == " ".join(value.split())
    assert suffix in read_back.fields_dict["translator"].value
    edited = invoke(db, "edit", long_key, "--set", f"volume={values['volume']} and more")
    assert edited.exit_code == 0, edited.output


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json", "ris"])
def test_the_catalogues_own_export_with_subtitles_comes_back_as_the_same_editions(
    sqlite_db: str, tmp_path: Path, fmt: str
) -> None:
    """The classic BibTeX and CSL-JSON exports join a title and its subtitle; read back under
    the same key, that is the same title: the entry is skipped as the edition it is, where
    it was taken for another work's key and catalogued again (159 entries of 13 real files)."""
    path = tmp_path / "sub.bib"
    path.write_text(
        "@book{eysenck1981, author = {Eysenck, H. J.}, title = {Brain and Intelligence},"
        " subtitle = {The Ecology of Child Development}, date = {1981}, publisher = {P}}\n"
        "@book{why1990, author = {Roe, Rick}, title = {Why?}, subtitle = {An Answer},"
        " date = {1990}, publisher = {Q}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    exported = tmp_path / f"own.{ {'bibtex': 'bib', 'csl-json': 'json'}.get(fmt, fmt) }"
    assert invoke(sqlite_db, "export", "--format", fmt, "-o", str(exported)).exit_code == 0
    result = invoke(sqlite_db, "import", str(exported))
    assert result.exit_code == 0, result.output
    assert "0 created" in result.stderr and "new key" not in result.stderr, result.stderr
    assert sorted(keys(sqlite_db)) == ["eysenck1981", "why1990"]


def test_an_update_from_the_catalogues_own_export_changes_nothing(db: str, tmp_path: Path) -> None:
    """The biblatex export writes an entry's fields in one order, its kept field names as the
    writer spells them: read back with ``--on-duplicate update``, the entry is unchanged, no
    change is recorded, and an earlier change can still be undone. It was "1 updated", with
    a change in the history that only reordered the kept fields (3,045 entries of 204 real
    files), and ``undo`` of the import refused."""
    path = tmp_path / "noop.bib"
    path.write_text(
        "@book{serge1967,\n  author = {Serge, Victor},\n  title = {Birth of Our Power},\n"
        "  translator = {Greeman, Richard},\n  publisher = {Doubleday},\n  address = {New York},\n"
        "  PMID = {12345},\n  year = {1967}\n}\n",
        encoding="utf-8",
    )
    assert invoke(db, "import", str(path)).exit_code == 0
    exported = tmp_path / "own.bib"
    assert invoke(db, "export", "-o", str(exported)).exit_code == 0
    assert exported.read_text(encoding="utf-8") != path.read_text(encoding="utf-8")  # reordered
    history = invoke(db, "history").stdout
    result = invoke(db, "import", "--on-duplicate", "update", str(exported))
    assert "0 updated, 1 unchanged" in result.stderr, result.stderr
    assert invoke(db, "history").stdout == history
    assert invoke(db, "export").stdout == exported.read_text(encoding="utf-8")
    assert invoke(db, "undo", "1").exit_code == 0


FINER_THAN_OTHER_FORMATS = r"""@inproceedings{Winograd1986,
  title = {A Language/Action Perspective on the Design of Cooperative Work},
  booktitle = {Proceedings of the 1986 {ACM} Conference on {Computer-Supported} Cooperative Work},
  author = {Winograd, Terry},
  date = {1986-12-03/1986-12-05},
  pages = {203--220},
  publisher = {ACM},
  location = {Austin, TX}
}
@phdthesis{doe2003, author = {Doe, Jane}, title = {A Study of {DNA}}, school = {MIT},
  year = {2003}}
@techreport{roe2001, author = {Roe, Rick}, title = {A Report}, institution = {MIT},
  year = {2001}}
@patent{bell1876, author = {Bell, Alexander Graham}, title = {Improvement in Telegraphy},
  date = {1876-03-07}, number = {174465}}
@book{benz1886, author = {Benz, Carl}, title = {Fahrzeug mit Gasmotorenbetrieb},
  date = {1886-02-09}, publisher = {Reichspatentamt}}
"""


@pytest.mark.parametrize("fmt", ["ris", "csl-json", "bibtex"])
def test_an_update_from_a_coarser_format_keeps_what_it_cannot_say(
    sqlite_db: str, tmp_path: Path, fmt: str
) -> None:
    """The catalogue's own RIS, CSL-JSON or classic BibTeX export, read back with
    ``--on-duplicate update``, says less than the catalogue holds: a date range's start, a
    date's month without its day, a thesis for a phdthesis, misc for a patent, a booktitle
    without its protective braces, a report's institution as its publisher. What it says
    less is no change: the biblatex export stays the same byte for byte (the classic
    export's titles come back in the double braces it gives them, as that file spells them).
    Each was replaced (246 entry types of 52 real files from RIS alone), the braces without a
    word."""
    path = tmp_path / "fine.bib"
    path.write_text(FINER_THAN_OTHER_FORMATS, encoding="utf-8")
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    before = invoke(sqlite_db, "export").stdout
    own = tmp_path / f"own.{ {'bibtex': 'bib', 'csl-json': 'json'}.get(fmt, fmt) }"
    assert invoke(sqlite_db, "export", "--format", fmt, "-o", str(own)).exit_code == 0
    result = invoke(sqlite_db, "import", "--on-duplicate", "update", str(own))
    assert result.exit_code == 0, result.output
    assert "changed:" not in result.stderr, result.stderr
    after = invoke(sqlite_db, "export").stdout
    if fmt == "bibtex":
        after = re.sub(r"(title +)= \{\{(.*)\}\},", r"\1= {\2},", after)
    assert after == before


@pytest.mark.parametrize("suffix", ["bib", "ris", "json", "txt"])
def test_an_empty_file_is_said_alike_in_every_format(
    sqlite_db: str, tmp_path: Path, suffix: str
) -> None:
    """An empty file (white space, a byte-order mark) holds nothing to read, whatever its
    format: a warning, exit 0, nothing written, beside a file that does come in. An empty .ris
    or .json was an error (exit 1) and stopped the import of the other files."""
    empty = tmp_path / f"empty.{suffix}"
    empty.write_bytes(b"\xef\xbb\xbf\n  \n")
    book = tmp_path / "one.bib"
    book.write_text("@book{one, title = {One}, year = 2000}\n", encoding="utf-8")
    result = invoke(sqlite_db, "import", str(empty), str(book))
    assert result.exit_code == 0, result.output
    assert f"warning: {empty}:1: the file is empty" in result.stderr
    assert keys(sqlite_db) == ["one"]


def test_an_entry_without_a_key_is_the_edition_of_its_doi(db: str, tmp_path: Path) -> None:
    """A RIS record with no ID and no title (a real one holds only a DOI) is the edition of
    its DOI when the file is imported again, and with ``--on-duplicate update`` it is
    updated: it was catalogued again at every import (101 entries of 18 real files)."""
    path = tmp_path / "doi.ris"
    path.write_text("TY  - JOUR\nDO  - 10.1186/s40981-020-0316-0\nER  - \n", encoding="utf-8")
    for _ in range(2):
        assert invoke(db, "import", str(path)).exit_code == 0
    assert len(keys(db)) == 1
    path.write_text(
        "TY  - JOUR\nDO  - 10.1186/S40981-020-0316-0\nTI  - Now titled\nER  - \n",
        encoding="utf-8",
    )
    result = invoke(db, "import", "--on-duplicate", "update", str(path))
    assert "1 updated" in result.stderr, result.stderr
    (key,) = keys(db)
    shown = json.loads(invoke(db, "show", key, "--format", "json").stdout)
    assert shown["title"] == "Now titled"


def test_a_year_too_long_to_sort_by_is_kept_as_written(db: str, tmp_path: Path) -> None:
    """A year beyond what the year column holds on both backends (PostgreSQL's INTEGER) is
    kept in the date as written, with no year to sort by: a 20-digit year stopped the
    import with an OverflowError traceback (and the web import with a 500)."""
    huge = "99999999999999999999"
    (tmp_path / "huge.bib").write_text(f"@book{{huge, title = {{H}}, year = {{{huge}}}}}\n")
    (tmp_path / "huge.json").write_text(
        json.dumps([{"id": "hj", "type": "book", "title": "HJ", "issued": {"raw": huge}}])
    )
    (tmp_path / "huge.ris").write_text(f"TY  - BOOK\nID  - hr\nTI  - HR\nPY  - {huge}\nER  - \n")
    for name in ("huge.bib", "huge.json", "huge.ris"):
        result = invoke(db, "import", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    listed = {e["key"]: e for e in json.loads(invoke(db, "list", "--format", "json").stdout)}
    assert {key: listed[key]["year"] for key in ("huge", "hj", "hr")} == dict.fromkeys(
        ("huge", "hj", "hr")
    )
    written = " ".join(invoke(db, "export").stdout.split())
    assert f"year = {{{huge}}}" in written and f"date = {{{huge}}}" in written
    edited = invoke(db, "edit", "huge", "--set", f"year={huge}1")
    assert edited.exit_code == 0, edited.output
