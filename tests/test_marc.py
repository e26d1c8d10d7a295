"""MARC 21 export: the records of translations as LC and the PCC code them, read back with
pymarc, and the seed's export validated by the real tools: yaz-marcdump (Debian's yaz) reads
every record and converts ISO 2709 to MARCXML and back byte for byte; marclint
(libmarc-lint-perl) finds no error. The seed's translations are checked against the
catalogue's own data, read through the library."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import pycountry
import pytest
from pymarc import MARCReader, Record, parse_xml_to_array

from biblio.export import export
from biblio.languages import english_name
from biblio.marc.writer import nonfiling, records, uniform_title
from biblio.names import Name
from biblio.queries import EditionView, OriginalView

from .conftest import invoke, need
from .factories import catalogue_views, view


def read_iso(data: bytes) -> list[Record]:
    records = [r for r in MARCReader(data, to_unicode=True, force_utf8=True)]
    assert all(r is not None for r in records)
    return records  # type: ignore[return-value]


def one(record: Record, tag: str) -> tuple[str, list[tuple[str, str]]]:
    """A field's indicators ("10") and its subfields as (code, value) pairs."""
    fields = record.get_fields(tag)
    assert len(fields) == 1, (tag, fields)
    field = fields[0]
    return "".join(field.indicators), [(s.code, s.value) for s in field.subfields]


def test_birth_of_our_power_as_lc_codes_a_translation() -> None:
    result = export([view(edition_annotation="Greeman's first Serge.")], "marc")
    record = read_iso(result.data or b"")[0]
    assert record.leader[9] == "a" and record.leader[17] in " 7" and record.leader[6:8] == "am"
    assert record["001"].data == "serge1967birth"
    fixed = record["008"].data
    assert len(fixed) == 40 and fixed[6:15] == "s1967    " and fixed[15:18] == "nyu"
    assert fixed[33] == "f" and fixed[35:38] == "eng"
    assert one(record, "041") == ("1 ", [("a", "eng"), ("h", "fre")])
    assert one(record, "100") == (
        "1 ",
        [("a", "Serge, Victor,"), ("e", "author."), ("4", "aut")],
    )
    assert one(record, "240") == ("10", [("a", "Naissance de notre force."), ("l", "English")])
    assert one(record, "245") == (
        "10",
        [
            ("a", "Birth of our Power /"),
            ("c", "Victor Serge ; translated from the French by Richard Greeman."),
        ],
    )
    assert one(record, "264") == (
        " 1",
        [("a", "New York :"), ("b", "Doubleday,"), ("c", "1967.")],
    )
    notes = [f["a"] for f in record.get_fields("500")]
    assert notes == ["Translation of: Naissance de notre force (Paris, 1931)."]
    assert one(record, "520") == (
        "  ",
        [("a", "A novel of 1917. Greeman's first Serge."), ("c", "biblio annotated bibliography")],
    )
    assert one(record, "700") == (
        "1 ",
        [("a", "Greeman, Richard,"), ("e", "translator."), ("4", "trl")],
    )
    assert not record.get_fields("765", "130", "490", "773")


def test_identifiers_series_variants_and_articles() -> None:
    marc = view(
        key="serge2008unforgiving",
        title="The Unforgiving Years",
        subtitle="A Novel",
        isbn="978-1-59017-276-6",
        doi="10.1000/xyz123",
        series="New York Review Books Classics",
        number="12",
        edition_statement="First edition",
        also_published_as=["Les Années sans pardon"],
        editors=[Name("Greeman", "Richard"), Name("Cotterill", "D. J.")],
        original=OriginalView(
            key="serge1971annees",
            title="Les Années sans pardon",
            subtitle=None,
            year=1971,
            date="1971",
            place="Paris",
            publisher="Maspero",
            language="fr",
            form="novel",
            annotation=None,
            notes=None,
        ),  # fmt: skip
    )
    record = records([marc])[0]
    assert [f.value() for f in record.get_fields("020")] == ["9781590172766"]
    assert one(record, "024") == ("7 ", [("a", "10.1000/xyz123"), ("2", "doi")])
    assert one(record, "240")[1][0] == ("a", "Années sans pardon.")
    indicators, title = one(record, "245")
    assert indicators == "14"
    assert title == [
        ("a", "The Unforgiving Years :"),
        ("b", "A Novel /"),
        (
            "c",
            "Victor Serge ; translated from the French by Richard Greeman ; "
            "edited by Richard Greeman and D.J. Cotterill.",
        ),
    ]
    assert one(record, "246") == (
        "1 ",
        [("i", "Also published as:"), ("a", "Les Années sans pardon")],
    )
    assert one(record, "250") == ("  ", [("a", "First edition.")])
    assert one(record, "490") == (
        "1 ",
        [("a", "New York Review Books Classics ;"), ("v", "12")],
    )
    assert one(record, "830") == (
        " 0",
        [("a", "New York Review Books Classics ;"), ("v", "12.")],
    )
    assert record.get_fields("500")[0]["a"] == (
        "Translation of: Les Années sans pardon (Paris : Maspero, 1971)."
    )
    # Greeman translated and edited: one 700, both relators
    contributors = [[(s.code, s.value) for s in f.subfields] for f in record.get_fields("700")]
    assert contributors == [
        [
            ("a", "Greeman, Richard,"),
            ("e", "translator,"),
            ("e", "editor."),
            ("4", "trl"),
            ("4", "edt"),
        ],  # fmt: skip
        [("a", "Cotterill, D. J.,"), ("e", "editor."), ("4", "edt")],
    ]


def test_an_invalid_isbn_is_kept_in_subfield_z() -> None:
    record = records([view(isbn="978-1-59017-276-0")])[0]
    assert one(record, "020") == ("  ", [("z", "978-1-59017-276-0")])


@pytest.mark.parametrize(
    ("title", "language", "count", "uniform"),
    [
        ("The Long Dusk", "en", 4, "Long Dusk"),
        ("L'Affaire Toulaev", "fr", 2, "Affaire Toulaev"),
        ("Les Derniers Temps", "fr", 4, "Derniers Temps"),
        ("Los problemas del socialismo", "es", 4, "Problemas del socialismo"),
        ("Le Rétif", "en", 0, "Le Rétif"),
        ("Kronstadt '21", "en", 0, "Kronstadt '21"),
    ],
)
def test_initial_articles(title: str, language: str, count: int, uniform: str) -> None:
    assert nonfiling(title, language) == count
    assert uniform_title(title, language) == uniform


def test_the_catalogued_original_is_linked_both_ways() -> None:
    french = view(
        key="serge1931naissance-ed",
        title="Naissance de notre force",
        place="Paris",
        publisher="Rieder",
        year=1931,
        date="1931",
        language="fr",
        translators=[],
        translator_status="none",
    )
    english, original = records([view(), french])
    assert one(english, "765") == (
        "0 ",
        [
            ("a", "Serge, Victor."),
            ("t", "Naissance de notre force"),
            ("d", "Paris : Rieder, 1931"),
            ("w", "serge1931naissance-ed"),
        ],
    )
    assert one(original, "767")[1][-1] == ("w", "serge1967birth")
    assert not original.get_fields("041", "240", "500", "765")
    # the original's edition need not be exported itself to be linked to
    assert one(records([view()], linked=[french])[0], "765")[1][-1][1] == french.key


def test_a_journal_special_issue_is_in_773_and_no_author_means_130() -> None:
    issue = view(
        entry_type="periodical",
        authors=[],
        journal="Revolutionary History",
        volume="5",
        number="3",
        issn="0953-2382",
        place=None,
        publisher=None,
    )
    record = records([issue])[0]
    assert one(record, "773") == (
        "0 ",
        [("t", "Revolutionary History"), ("g", "Vol. 5, no. 3 (1967)"), ("x", "0953-2382")],
    )
    assert one(record, "130") == ("0 ", [("a", "Naissance de notre force."), ("l", "English")])
    assert one(record, "245")[0] == "00"
    assert one(record, "264")[1][:2] == [
        ("a", "[Place of publication not identified] :"),
        ("b", "[publisher not identified],"),
    ]


def test_what_marc_cannot_carry_is_reported() -> None:
    unnamed = view(key="k2", translators=[], translator_status="not-named")
    result = export([view(), unnamed], "marc")
    assert result.folded == {"original-date": 2, "original-place": 2, "translator-not-named": 1}
    assert not result.dropped
    assert "Translator not named." in [f["a"] for f in records([unnamed])[0].get_fields("500")]


@pytest.fixture
def seed_export(seeded_sqlite: str, tmp_path: Path) -> tuple[Path, list[EditionView]]:
    """The seed exported as ISO 2709 by the command line, and the catalogue's editions."""
    target = tmp_path / "serge.mrc"
    result = invoke(seeded_sqlite, "export", "--format", "marc", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target, catalogue_views(seeded_sqlite)


def marc_language(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    return getattr(language, "bibliographic", None) or language.alpha_3


def test_every_seeded_translation_matches_the_catalogue(
    seed_export: tuple[Path, list[EditionView]],
) -> None:
    path, views = seed_export
    by_key = {record["001"].data: record for record in read_iso(path.read_bytes())}
    assert sorted(by_key) == sorted(v.key for v in views)
    translations = [v for v in views if v.translators or v.translator_status == "not-named"]
    assert len(translations) >= 15
    for edition in translations:
        record = by_key[edition.key]
        assert record["008"].data[35:38] == marc_language(edition.language)
        languages = record["041"]
        assert languages.indicator1 == "1"
        assert languages.get_subfields("a") == [marc_language(edition.language)]
        original = edition.original
        if original is not None and original.language:
            assert languages.get_subfields("h") == [marc_language(original.language)]
            uniform = record["240"] if edition.authors else record["130"]
            title = uniform["a"].rstrip(".")
            assert original.title.endswith(title), (original.title, title)
            assert uniform["l"] == english_name(edition.language)
        statement = record["245"]["c"]
        if edition.translators:
            source = f" from the {english_name(original.language)}" if original else ""
            assert f"translated{source}" in statement, statement
            for name in edition.translators:
                assert name.display.replace("D. J.", "D.J.") in statement
        translators = [
            f["a"].rstrip(",") for f in record.get_fields("700") if "trl" in f.get_subfields("4")
        ]
        assert translators == [f"{n.family}, {n.given}" for n in edition.translators]
        editors = [
            f["a"].rstrip(",") for f in record.get_fields("700") if "edt" in f.get_subfields("4")
        ]
        assert editors == [f"{n.family}, {n.given}" for n in edition.editors]


def test_yaz_marcdump_reads_every_record_and_round_trips_through_marcxml(
    seed_export: tuple[Path, list[EditionView]], tmp_path: Path
) -> None:
    marcdump = need("yaz-marcdump", "yaz")
    path, views = seed_export
    dumped = subprocess.run([marcdump, str(path)], capture_output=True, text=True, check=True)
    assert not dumped.stderr
    assert sorted(
        line.split(" ", 1)[1] for line in dumped.stdout.splitlines() if line.startswith("001 ")
    ) == sorted(v.key for v in views)
    xml = subprocess.run(
        [marcdump, "-i", "marc", "-o", "marcxml", str(path)], capture_output=True, check=True
    )
    assert not xml.stderr
    (tmp_path / "serge.xml").write_bytes(xml.stdout)
    back = subprocess.run(
        [marcdump, "-i", "marcxml", "-o", "marc", str(tmp_path / "serge.xml")],
        capture_output=True,
        check=True,
    )
    assert back.stdout == path.read_bytes()


def test_marclint_finds_no_error_in_the_seed(
    seed_export: tuple[Path, list[EditionView]],
) -> None:
    marclint = need("marclint", "libmarc-lint-perl")
    path, views = seed_export
    linted = subprocess.run([marclint, str(path)], capture_output=True, text=True)
    summary = linted.stdout.strip().splitlines()[-1].split()
    assert summary == [str(len(views)), "0", str(path)], linted.stdout + linted.stderr


def test_marcxml_carries_the_same_records(seeded: str) -> None:
    """On each backend: the MARCXML export holds the ISO 2709 export's records."""
    iso = invoke(seeded, "export", "--format", "marc")
    xml = invoke(seeded, "export", "--format", "marcxml")
    assert iso.exit_code == 0 and xml.exit_code == 0
    from_iso = read_iso(iso.stdout_bytes)
    from_xml = parse_xml_to_array(io.BytesIO(xml.stdout_bytes))
    assert len(from_iso) == 23
    assert [r.as_marc() for r in from_xml] == [r.as_marc() for r in from_iso]
    assert "marc cannot carry every fact as such" in iso.stderr


def test_people_as_authority_records(seeded_sqlite: str) -> None:
    result = invoke(seeded_sqlite, "export", "--format", "marc-authority", "--author", "Serge")
    assert result.exit_code == 0, result.stderr
    people = {r["100"]["a"]: r for r in read_iso(result.stdout_bytes)}
    serge = people["Serge, Victor"]
    assert serge.leader[6] == "z" and serge.leader[9] == "a"
    variants = [f["a"] for f in serge.get_fields("400")]
    # the catalogue splits the pen name as given "Le", family "Rétif"
    assert variants == ["Kibalchich, Victor Lvovich", "Rétif, Le"]
    sources = [(f["a"], f["b"]) for f in serge.get_fields("670")]
    assert sources[0][0] == "biblio annotated bibliography"
    assert sources[0][1].startswith("Russian revolutionary and writer")
    assert ("Birth of our Power, 1967:", "(author: Victor Serge)") in sources
    greeman = people["Greeman, Richard"]
    assert not greeman.get_fields("400")
    assert ("Birth of our Power, 1967:", "(translator: Richard Greeman)") in [
        (f["a"], f["b"]) for f in greeman.get_fields("670")
    ]
    assert "Sedova, Natalia" in people and "Richardson, Al" in people


REAL = Path(__file__).parent / "data" / "marc" / "pymarc-tournier-escape-from-loneliness.mrc"


def translation_coding(record: Record) -> dict[str, object]:
    """How a record codes a translation, apart from its words: 041's first indicator and
    codes, the uniform title's indicators and closing punctuation before $l, 245's
    punctuation before $c and the translator's phrase, the note's opening words."""
    uniform = record["240"]
    title = record["245"]
    return {
        "041": (record["041"].indicator1, [s.code for s in record["041"].subfields][:1]),
        "100": record["100"].indicator1,
        "240": ("".join(uniform.indicators), [s.code for s in uniform.subfields]),
        "240 $a ends": uniform["a"][-1],
        "245": (title.indicator1, [s.code for s in title.subfields]),
        "245 $a ends": title["a"][-2:],
        "245 $c": "; translated" in title["c"] and title["c"].endswith("."),
        "500": record["500"]["a"].startswith("Translation of"),
    }


def test_the_coding_follows_a_real_lc_record_of_a_translation() -> None:
    """The real record (LC, 1962; see tests/data/marc/SOURCES.md) and ours code a
    translation alike."""
    real = read_iso(REAL.read_bytes())[0]
    assert real["245"]["c"] == "by Paul Tournier ; translated by John S. Gilmour."
    ours = records([view()])[0]
    assert translation_coding(ours) == translation_coding(real)


def test_yaz_marcdump_reads_the_real_record_as_pymarc_does() -> None:
    marcdump = need("yaz-marcdump", "yaz")
    dumped = subprocess.run([marcdump, str(REAL)], capture_output=True, text=True, check=True)
    # the record's accents are combining characters (NFD), as MARC-8 conversions leave them
    text = unicodedata.normalize("NFC", dumped.stdout)
    assert "240 10 $a De la solitude à la communauté. $l English." in text


def test_a_series_with_its_issn() -> None:
    record = records([view(series="The Socialist Classics", number="3", issn="0000-0019")])[0]
    assert one(record, "490") == (
        "1 ",
        [("a", "The Socialist Classics,"), ("x", "0000-0019 ;"), ("v", "3")],
    )
    assert one(record, "830") == (" 0", [("a", "Socialist Classics ;"), ("v", "3.")])


def test_marclint_finds_no_error_in_the_fields_the_seed_lacks(tmp_path: Path) -> None:
    """ISBN (valid, and invalid in $z), DOI, series with ISSN, edition, alternate title,
    URL, keywords, abstract, a special issue, an article, 765/767."""
    marclint = need("marclint", "libmarc-lint-perl")
    rich = [
        view(
            key="rich",
            title="The Unforgiving Years",
            subtitle="A Novel",
            isbn="978-1-59017-276-6",
            doi="10.1000/xyz123",
            series="The Socialist Classics",
            number="12",
            issn="0000-0019",
            edition_statement="First edition",
            also_published_as=["Les Années sans pardon"],
            editors=[Name("Greeman", "Richard"), Name("Cotterill", "D. J.")],
            url="https://example.org/unforgiving",
            keywords=["Russia"],
            abstract="An abstract.",
        ),
        view(key="issue", entry_type="periodical", authors=[], journal="Revolutionary History",
             volume="5", number="3", issn="0953-2382", place=None, publisher=None),
        view(key="invalid", isbn="978-1-59017-276-0"),
        view(key="french", title="Naissance de notre force", place="Paris", publisher="Rieder",
             language="fr", translators=[], translator_status="none"),
        view(key="article", entry_type="article", journal="Critique", volume="28",
             pages="12--34", authors=[Name("Weissman", "Susan")]),
    ]  # fmt: skip
    path = tmp_path / "rich.mrc"
    path.write_bytes(export(rich, "marc").data or b"")
    linted = subprocess.run([marclint, str(path)], capture_output=True, text=True)
    summary = linted.stdout.strip().splitlines()[-1].split()
    assert summary == ["5", "0", str(path)], linted.stdout + linted.stderr


def test_links_reach_editions_outside_the_selection(seeded_sqlite: str) -> None:
    """The original's French edition, catalogued with `biblio add`, is linked from the
    translations a --translator export selects (765), and links back to all of them (767)
    when it is exported alone; a French reprint is no translation and links to nothing."""
    for year, publisher in (("1931", "Rieder"), ("1967", "Gallimard")):
        added = invoke(
            seeded_sqlite, "add", "--title", "Naissance de notre force", "--year", year,
            "--author", "Victor Serge", "--place", "Paris", "--publisher", publisher,
            "--language", "fr", "--orig-title", "Naissance de notre force",
            "--orig-year", "1931", "--orig-language", "fr",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    greeman = read_iso(invoke(seeded_sqlite, "export", "--format", "marc", "--translator",
                              "Greeman").stdout_bytes)  # fmt: skip
    links = {r["001"].data: [f["w"] for f in r.get_fields("765")] for r in greeman}
    french = links.pop("serge1967birth")
    assert len(french) == 1 and all(not w for w in links.values())
    alone = read_iso(invoke(seeded_sqlite, "export", "--format", "marc", "--year", "1931-1931",
                            "--publisher", "Rieder").stdout_bytes)  # fmt: skip
    assert [r["001"].data for r in alone] == french
    assert [f["w"] for f in alone[0].get_fields("767")] == ["serge1967birth"]
    reprint = read_iso(invoke(seeded_sqlite, "export", "--format", "marc", "--publisher",
                              "Gallimard").stdout_bytes)[0]  # fmt: skip
    assert not reprint.get_fields("765", "767", "041", "240")
