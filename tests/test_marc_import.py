"""MARC 21 import: real records of translations (tests/data/marc, provenance in SOURCES.md)
imported and checked against pymarc's own reading of their fields; MARC -> biblio -> MARC
keeps every field; the seed -> MARC -> a new catalogue -> biblatex gives the seed's biblatex
back but for what MARC cannot carry; malformed records are refused by file and record
number, with pymarc's reason, or skipped with --skip-invalid."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pycountry
import pytest
from pymarc import Field, Indicators, MARCReader, Record, Subfield, parse_xml_to_array

from biblio.formats import read_file
from biblio.marc.reader import read_iso2709
from biblio.names import fold
from biblio.queries import EditionView
from biblio.records import EditionRecord

from .conftest import invoke
from .factories import catalogue_views

DATA = Path(__file__).parent / "data" / "marc"
TRANSLATIONS = sorted(
    p.name for p in DATA.iterdir() if p.suffix in (".mrc", ".xml") and "bad-records" not in p.name
)
"""Every real file but pymarc's malformed records: one record each, all of translations."""

STATEMENT_ONLY = {
    "openlibrary-homer-iliad.xml": "Buckley",
    "pymarc-tournier-escape-from-loneliness.mrc": "Gilmour",
    "pymarc-tournier-marc8.mrc": "Gilmour",
    "pymarc-tournier-utf8-blank-leader.mrc": "Gilmour",
}
"""Records that name their translator in 245 $c only (a 700 without relator heads the
name): the family name, as read off the record."""

FIELDS = 392
"""The fields of the 13 distinct real records (the three Tourniers are one)."""


def pymarc_records(path: Path) -> list[Record]:
    """The file's records as pymarc reads them, text precomposed (NFC)."""
    if path.suffix == ".xml":
        found = parse_xml_to_array(str(path))
    else:
        utf8 = "blank-leader" in path.name  # UTF-8 behind a blank Leader/09
        found = list(MARCReader(path.read_bytes(), to_unicode=True, force_utf8=utf8))
    for record in found:
        for field in record.fields:
            if field.is_control_field():
                field.data = unicodedata.normalize("NFC", field.data)
            else:
                field.subfields = [
                    Subfield(s.code, unicodedata.normalize("NFC", s.value)) for s in field.subfields
                ]
    return found


def our_language(marc: str | None) -> str | None:
    """Our code for a MARC language code, through pycountry (not biblio's tables)."""
    if not marc or not marc.strip():
        return None
    found = pycountry.languages.get(bibliographic=marc[:3]) or pycountry.languages.get(
        alpha_3=marc[:3]
    )
    return getattr(found, "alpha_2", None) or found.alpha_3 if found else None


def bare(title: str) -> str:
    return fold(title.strip().rstrip(" ./:;,"))


def expected_original(record: Record) -> str | None:
    """The original's title as the record gives it: 240/130 $a, else 765 $t, else the
    "Translation of" note."""
    for tag, code in (("240", "a"), ("130", "a"), ("765", "t")):
        if record.get_fields(tag):
            return record[tag][code]
    for note in record.get_fields("500"):
        if note["a"].startswith("Translation of"):
            return re.sub(r"^Translation of:? ", "", note["a"])
    return None


def expected_translators(record: Record, name: str) -> list[str]:
    """The family names of the 700/710s that a relator calls translator."""
    found = []
    for field in record.get_fields("700", "710"):
        relators = " ".join(field.get_subfields("4", "e")).lower()
        if re.search(r"\btrl\b|\btr\b|\btrans|\btranslator", relators):
            found.append(field["a"].split(",")[0])
    if not found and name in STATEMENT_ONLY:
        found = [STATEMENT_ONLY[name]]
    return found


def imported(db: str, *paths: Path | str) -> list[EditionView]:
    result = invoke(db, "import", *map(str, paths))
    assert result.exit_code == 0, result.output
    return catalogue_views(db)


@pytest.mark.parametrize("name", TRANSLATIONS)
def test_a_real_translation_comes_in_with_its_original_languages_and_translators(
    name: str, sqlite_db: str
) -> None:
    (record,) = pymarc_records(DATA / name)
    (edition,) = imported(sqlite_db, DATA / name)
    assert fold(edition.title).startswith(bare(record["245"]["a"]))
    languages = record.get_fields("041")
    marc_language = languages[0]["a"] if languages else record["008"].data[35:38]
    assert edition.language == our_language(marc_language)
    original = expected_original(record)
    if original is None:  # Fouché: 041 $h, but no title of the original anywhere
        assert edition.original is None
        assert languages[0].get("h") == "fre"
    else:
        assert edition.original is not None
        assert fold(edition.original.title) == bare(original)
        original_language = languages[0].get("h") if languages else None
        assert edition.original.language == our_language(original_language)
    assert [t.family for t in edition.translators] == expected_translators(record, name)
    author = record.get_fields("100")
    assert [a.family for a in edition.authors[:1]] == [
        author[0]["a"].split(",")[0].rstrip(".") for _ in author
    ]


def test_the_translator_named_only_in_245c_is_reported(sqlite_db: str) -> None:
    result = invoke(sqlite_db, "import", str(DATA / "openlibrary-homer-iliad.xml"))
    assert result.exit_code == 0, result.output
    assert "1 × MARC translator read from 245 $c" in result.output
    entries, problems = read_file(str(DATA / "openlibrary-homer-iliad.xml"))
    (found,) = [p for p in problems if p.kind == "MARC translator read from 245 $c"]
    assert str(found).endswith(
        "record 1: translator read from 245 $c (Theodore William Aldis Buckley), as no "
        "700/710 has the relator trl or translator"
    )


def test_marc8_and_utf8_records_read_alike() -> None:
    """The LC record of Tournier's book in MARC-8, in UTF-8, and in UTF-8 behind a blank
    Leader/09 (read as UTF-8, with a warning) give the same edition, accents precomposed."""
    read = {}
    for name in (
        "pymarc-tournier-marc8.mrc",
        "pymarc-tournier-escape-from-loneliness.mrc",
        "pymarc-tournier-utf8-blank-leader.mrc",
    ):
        (entry,), problems = read_file(str(DATA / name))
        read[name] = (entry.record.title, entry.record.original, entry.record.translators)
        forced = [p for p in problems if "but the record is UTF-8: read as UTF-8" in str(p)]
        assert len(forced) == ("blank" in name)
    assert len(set(map(repr, read.values()))) == 1
    original = read["pymarc-tournier-marc8.mrc"][1]
    assert original is not None and original.title == "De la solitude à la communauté"
    assert unicodedata.is_normalized("NFC", original.title)


def fields_by_tag(record: Record) -> dict[str, list[object]]:
    """Every field of a record, by tag, in its order: control fields' data (008 without its
    date entered on file), data fields' indicators and subfields."""
    found: dict[str, list[object]] = {}
    for field in record.fields:
        if field.is_control_field():
            data = field.data[6:] if field.tag == "008" else field.data
            found.setdefault(field.tag, []).append(data)
        else:
            subfields = [(s.code, s.value) for s in field.subfields]
            found.setdefault(field.tag, []).append(("".join(field.indicators), subfields))
    return found


def test_marc_to_biblio_to_marc_keeps_every_field(db: str, tmp_path: Path) -> None:
    """Every real record, imported into one catalogue and exported again: every field comes
    back, with its indicators and subfields, tag by tag (008 but for its date entered on
    file); the Leader's status, type, level and coding too (09 is ``a``: the export is
    UTF-8)."""
    paths = [DATA / name for name in TRANSLATIONS if "tournier" not in name]
    paths.append(DATA / "pymarc-tournier-marc8.mrc")  # the three Tourniers are one record
    imported(db, *paths)
    target = tmp_path / "back.mrc"
    result = invoke(db, "export", "--format", "marc", "-o", str(target))
    assert result.exit_code == 0, result.output
    back = {r["001"].data.strip(): r for r in MARCReader(target.read_bytes(), to_unicode=True)}
    compared = fields = 0
    for path in paths:
        for record in pymarc_records(path):
            exported = back.pop(record["001"].data.strip())
            assert fields_by_tag(exported) == fields_by_tag(record), path.name
            for position in (5, 6, 7, 8, 17, 18, 19):
                assert exported.leader[position] == record.leader[position]
            assert exported.leader[9] == "a"
            compared += 1
            fields += len(record.fields)
    assert not back
    assert compared == len(paths) == 13 and fields == FIELDS


def test_the_seed_through_marc_gives_the_same_biblatex(seeded_sqlite: str, tmp_path: Path) -> None:
    """seed -> MARC -> a new catalogue -> biblatex: the same file, but for the one edition in
    its original's language (the original itself), whose work MARC does not code (no 240
    for a book that is no translation); and MARC again gives the same records."""
    marc = tmp_path / "serge.mrc"
    seed_bib = tmp_path / "seed.bib"
    for args in (
        ["--format", "marc", "-o", str(marc)],
        ["--format", "biblatex", "-o", str(seed_bib)],
    ):
        assert invoke(seeded_sqlite, "export", *args).exit_code == 0
    again = str(tmp_path / "again.db")
    result = invoke(again, "import", str(marc))
    assert result.exit_code == 0, result.output
    assert "imported 23 entries: 23 created" in result.output
    back_bib = tmp_path / "back.bib"
    assert invoke(again, "export", "--format", "biblatex", "-o", str(back_bib)).exit_code == 0
    seed_lines, back_lines = seed_bib.read_text().splitlines(), back_bib.read_text().splitlines()
    lost = [line for line in seed_lines if line not in back_lines]
    assert [line for line in back_lines if line not in seed_lines] == []
    assert lost == [
        "  origlanguage  = {spanish},",
        "  origtitle     = {Los problemas del socialismo en nuestro tiempo},",
    ]
    marc_again = tmp_path / "again.mrc"
    assert invoke(again, "export", "--format", "marc", "-o", str(marc_again)).exit_code == 0
    first = [fields_by_tag(r) for r in MARCReader(marc.read_bytes(), to_unicode=True)]
    second = [fields_by_tag(r) for r in MARCReader(marc_again.read_bytes(), to_unicode=True)]
    assert first == second and len(first) == 23


def test_marcxml_and_iso2709_import_alike(seeded_sqlite: str, tmp_path: Path) -> None:
    views = {}
    for fmt, suffix in (("marc", ".mrc"), ("marcxml", ".xml")):
        target = tmp_path / f"serge{suffix}"
        assert invoke(seeded_sqlite, "export", "--format", fmt, "-o", str(target)).exit_code == 0
        views[fmt] = [v.as_dict() for v in imported(str(tmp_path / f"{fmt}.db"), target)]
    assert views["marc"] == views["marcxml"]


def test_the_format_by_name_for_any_suffix(sqlite_db: str, tmp_path: Path) -> None:
    dat = tmp_path / "records.dat"
    dat.write_bytes((DATA / "nkp-favilli-pribehy.mrc").read_bytes())
    result = invoke(sqlite_db, "import", "--format", "marc", str(dat))
    assert result.exit_code == 0, result.output
    assert [v.title for v in catalogue_views(sqlite_db)] == [
        "Příběhy na dobrou noc pro malé rebelky"
    ]


def test_a_malformed_record_refuses_the_import_by_file_and_record(sqlite_db: str) -> None:
    path = DATA / "pymarc-bad-records.mrc"
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    assert (
        f"Error: {path}:2: record 2 cannot be read: BaseAddressInvalid: Base address exceeds "
        "size of record (6 errors in all); nothing imported"
    ) in result.output
    assert f"error: {path}:4: record 4 cannot be read: RecordDirectoryInvalid" in result.output
    assert invoke(sqlite_db, "list").exit_code != 0 or not catalogue_views(sqlite_db)


def test_skip_invalid_imports_the_records_that_can_be_read(sqlite_db: str) -> None:
    path = DATA / "pymarc-bad-records.mrc"
    result = invoke(sqlite_db, "import", "--skip-invalid", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.count("skipped: ") == 6
    # the two readable records have the same title and nothing else (no year, no one
    # credited, no original, no key): told apart by nothing, each is its own edition (the
    # second rewrote the first before, as any entry without a key rewrote one of its title)
    assert "imported 2 entries: 2 created, 0 updated, 0 unchanged" in result.output
    assert [v.title for v in catalogue_views(sqlite_db)] == ["The pragmatic programmer"] * 2


def test_malformed_marcxml(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<collection xmlns="http://www.loc.gov/MARC21/slim">\n<record>\n')
    entries, problems = read_file(str(broken))
    assert not entries and str(problems[0]).startswith(f"{broken}:3: not MARCXML: ")
    leaderless = tmp_path / "leaderless.xml"
    leaderless.write_text(
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record>'
        '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">A</subfield></datafield>'
        "</record></collection>"
    )
    entries, problems = read_file(str(leaderless))
    assert [str(p) for p in problems] == [f"{leaderless}:1: record 1 cannot be read: no leader"]


def test_an_edit_replaces_the_kept_fields_it_concerns(sqlite_db: str, tmp_path: Path) -> None:
    """An edit of the title drops the 245 the import kept, so the export writes the new title
    from the column; the fields the edit does not concern still come back as they came."""
    path = DATA / "nkp-canetti-masa-a-moc.xml"
    (record,) = pymarc_records(path)
    (edition,) = imported(sqlite_db, path)
    result = invoke(sqlite_db, "edit", edition.key, "--set", "title=Masa a moc (opr.)")
    assert result.exit_code == 0, result.output
    target = tmp_path / "edited.mrc"
    assert invoke(sqlite_db, "export", "--format", "marc", "-o", str(target)).exit_code == 0
    (exported,) = MARCReader(target.read_bytes(), to_unicode=True)
    assert exported["245"]["a"] == "Masa a moc (opr.) /"
    before, after = fields_by_tag(record), fields_by_tag(exported)
    assert {tag for tag in before if before[tag] != after.get(tag)} == {"245"}


def test_records_between_line_breaks_and_a_latin1_export(sqlite_db: str, tmp_path: Path) -> None:
    """Line breaks between records (some exports write one after each) are skipped; a file
    of records in Latin-1 behind a blank Leader/09 is read with --encoding latin-1."""
    joined = tmp_path / "joined.mrc"
    names = ("nkp-favilli-pribehy.mrc", "openlibrary-voltaire-candide-lc.mrc")
    joined.write_bytes(b"\r\n".join((DATA / name).read_bytes() for name in names) + b"\r\n")
    entries, problems = read_file(str(joined))
    assert len(entries) == 2 and not [p for p in problems if p.is_error]
    field = b"00\x1fa" + "Élégies.".encode("latin-1") + b"\x1e"
    directory = b"245" + b"%04d" % len(field) + b"00000\x1e"
    base = 24 + len(directory)
    leader = b"%05dnam  22%05d   4500" % (base + len(field) + 1, base)  # Leader/09 blank
    latin1 = tmp_path / "latin1.mrc"
    latin1.write_bytes(leader + directory + field + b"\x1d")
    result = invoke(sqlite_db, "import", "--encoding", "latin-1", str(latin1))
    assert result.exit_code == 0, result.output
    assert [v.title for v in catalogue_views(sqlite_db)] == ["Élégies"]


def one_record(*fields: Field) -> EditionRecord:
    """The record ``read_iso2709`` makes of a UTF-8 record with ``fields`` (and a 245)."""
    record = Record(force_utf8=True, leader="00000nam a2200000 i 4500")
    if not any(field.tag == "245" for field in fields):
        record.add_field(Field("245", Indicators("1", "0"), [Subfield("a", "A book /")]))
    for field in fields:
        record.add_field(field)
    (entry,), problems = read_iso2709(record.as_marc(), "one.mrc")
    assert not [p for p in problems if p.is_error]
    return entry.record


def person(tag: str, name: str, *relators: tuple[str, str]) -> Field:
    subfields = [Subfield("a", name), *(Subfield(code, value) for code, value in relators)]
    return Field(tag, Indicators("1" if tag == "700" else "2", " "), subfields)


@pytest.mark.parametrize(
    "relators",
    [
        [("4", "trl")],
        [("e", "translator.")],
        [("e", "tr.")],
        [("e", "trans.")],
        [("e", "Translator")],
        [("4", "http://id.loc.gov/vocabulary/relators/trl")],
        [("e", "traducteur")],
    ],
)
def test_the_relators_real_records_write(relators: list[tuple[str, str]]) -> None:
    read = one_record(person("700", "Greeman, Richard,", *relators))
    assert [n.display for n in read.translators] == ["Richard Greeman"]


def test_a_translator_and_editor_a_body_and_other_roles() -> None:
    read = one_record(
        person(
            "700", "Kirchner, Carl Christian Jacob,", ("d", "1787-1855,"), ("e", "tr. [and] ed.")
        ),
        person("710", "Collectif Smolny,", ("e", "translator.")),
        person("700", "Teuffel, Wilhelm Sigmund,", ("4", "com")),
    )
    assert [n.display for n in read.translators] == [
        "Carl Christian Jacob Kirchner",
        "Collectif Smolny",
    ]
    assert [n.display for n in read.editors] == ["Carl Christian Jacob Kirchner"]
    assert read.authors == []


def test_the_statement_names_translators_where_no_relator_does() -> None:
    statement = "Victor Serge ; translated from the French by Peter Sedgwick and George Paizis."
    read = one_record(
        Field("245", Indicators("1", "0"), [Subfield("a", "Memoirs /"), Subfield("c", statement)]),
        person("700", "Sedgwick, Peter,", ("d", "1934-1983.")),
    )
    assert [n.display for n in read.translators] == ["Peter Sedgwick", "George Paizis"]


def test_the_translation_note_gives_the_original() -> None:
    read = one_record(
        Field("041", Indicators("1", " "), [Subfield("a", "eng"), Subfield("h", "fre")]),
        Field(
            "240",
            Indicators("1", "0"),
            [Subfield("a", "Ville conquise."), Subfield("l", "English")],
        ),
        Field(
            "500",
            Indicators(" ", " "),
            [Subfield("a", "Translation of: La Ville conquise : roman (Paris : Rieder, 1932).")],
        ),
    )
    original = read.original
    assert original is not None
    assert (original.title, original.subtitle, original.place, original.publisher) == (
        "La Ville conquise",
        "roman",
        "Paris",
        "Rieder",
    )
    assert (original.date, original.language, read.language) == ("1932", "fr", "en")


def test_values_too_long_for_their_columns_stay_in_marc(db: str, tmp_path: Path) -> None:
    """A place longer than the catalogue's column, an invalid ISSN and a very long suffix come
    in with a warning and no error on either backend (PostgreSQL refuses what does not fit),
    and go back out as they came."""
    record = Record(force_utf8=True, leader="00000nam a2200000 i 4500")
    place = "Printed for the author and sold by " + "the booksellers of London, " * 10
    record.add_field(
        Field("001", data="long1"),
        Field("022", Indicators(" ", " "), [Subfield("a", "1234-5678 (not one)")]),
        Field(
            "100", Indicators("1", " "), [Subfield("a", "Someone, A.,"), Subfield("c", "x" * 60)]
        ),
        Field("245", Indicators("1", "0"), [Subfield("a", "A book.")]),
        Field("260", Indicators(" ", " "), [Subfield("a", place + ":"), Subfield("c", "1790.")]),
    )
    path = tmp_path / "long.mrc"
    path.write_bytes(record.as_marc())
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "2 × MARC value too long for its column, kept in MARC" in result.output
    (edition,) = catalogue_views(db)
    assert (edition.place, edition.issn, edition.authors, edition.year) == (None, None, [], 1790)
    back = tmp_path / "back.mrc"
    assert invoke(db, "export", "--format", "marc", "-o", str(back)).exit_code == 0
    (exported,) = MARCReader(back.read_bytes(), to_unicode=True)
    (original,) = MARCReader(path.read_bytes(), to_unicode=True)
    assert fields_by_tag(exported) == fields_by_tag(original)


def test_an_update_from_a_newer_record_takes_its_fields(sqlite_db: str, tmp_path: Path) -> None:
    """--on-duplicate update with the library's corrected record (same 001, another publisher,
    no 300): the export is the new record's fields, not the first import's."""
    path = DATA / "nkp-favilli-pribehy.mrc"
    imported(sqlite_db, path)
    (record,) = pymarc_records(path)
    record["264"].subfields = [
        Subfield(s.code, s.value.replace("Albatros", "Albatros Media"))
        for s in record["264"].subfields
    ]
    record.remove_fields("300")
    newer = tmp_path / "newer.mrc"
    newer.write_bytes(record.as_marc())
    result = invoke(sqlite_db, "import", "--on-duplicate", "update", str(newer))
    assert result.exit_code == 0, result.output
    (edition,) = catalogue_views(sqlite_db)
    assert edition.publisher == "Albatros Media"
    assert "0 created, 1 updated" in result.output
    back = tmp_path / "back.mrc"
    assert invoke(sqlite_db, "export", "--format", "marc", "-o", str(back)).exit_code == 0
    (exported,) = MARCReader(back.read_bytes(), to_unicode=True)
    assert fields_by_tag(exported) == fields_by_tag(record)
