"""biblio.stats and biblio.plots: translation history as numbers and as pictures.

The numbers are checked on the seeded Serge bibliography on each backend, against values
worked out here from the source facts (Richard Greeman's five translations, the longest lags
read off ``seeds/serge.toml``) and, for whole tables, recomputed in plain Python from the seed's
records, never from biblio's own output. Small catalogues built through ``import_records``
cover what the seed lacks: reprints in the original's language, co-translators, several
translations of one work, undated originals. The pictures are rendered and read back: a PNG
must decode, an SVG must parse and carry one row title per work and every translator's label.
"""

from __future__ import annotations

import json
import statistics
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from biblio import plots, stats
from biblio.catalogue import import_records
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.errors import InvalidValue
from biblio.names import Name, parse_name
from biblio.queries import Filters
from biblio.records import EditionRecord, OriginalRecord, load_seed, year_of

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Richard Greeman's translations of Serge, as (edition year, original year), from the source:
#: Birth of our Power 1967 (Naissance de notre force, 1931), Men in Prison 1969 (1930),
#: Conquered City 1975 (1932), Midnight in the Century 1982 (1939), The Unforgiving Years 2008
#: (1971).
GREEMAN = [(1967, 1931), (1969, 1930), (1975, 1932), (1982, 1939), (2008, 1971)]


# ------------------------------------------------------------------------------------ helpers


@contextmanager
def session_on(db: str) -> Iterator[Session]:
    """A read-only session on the catalogue at ``db``."""
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine, commit=False) as session:
            yield session
    finally:
        engine.dispose()


def build(db: str, entries: Sequence[EditionRecord]) -> str:
    """Create the catalogue at ``db`` with ``entries``; return ``db``."""
    engine = open_catalogue(resolve(db), create=True)
    try:
        with session_scope(engine) as session:
            import_records(session, [], list(entries))
    finally:
        engine.dispose()
    return db


def edition(
    title: str,
    date: str | None,
    language: str,
    original: str,
    original_date: str | None,
    *,
    original_language: str = "fr",
    translators: Sequence[str] = (),
    publisher: str | None = None,
    author: str = "Autrice, Anne",
    translator_status: str | None = None,
) -> EditionRecord:
    """An edition of the original ``original`` (one work per original title and author)."""
    return EditionRecord(
        title=title,
        date=date,
        language=language,
        authors=[author],
        translators=list(translators),
        translator_status=translator_status,
        publisher=publisher,
        original=OriginalRecord(title=original, date=original_date, language=original_language),
    )


def seed_entries() -> list[EditionRecord]:
    """The seed's editions as records, read from the seed file without any database."""
    _people, entries = load_seed()
    return entries


def seed_years(entry: EditionRecord) -> tuple[int | None, int | None]:
    """(edition year, original year) of a seed record."""
    return year_of(entry.date), year_of(entry.original.date) if entry.original else None


def is_translation(entry: EditionRecord) -> bool:
    """The seed's translations: an original in another language than the edition's."""
    return entry.original is not None and entry.original.language != entry.language


# ------------------------------------------------------------------------------ short names


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Greeman, Richard", "R. Greeman"),
        ("Trask, Willard R.", "W. R. Trask"),
        ("Sartre, Jean-Paul", "J.-P. Sartre"),
        ("van Gennep, Arnold", "A. van Gennep"),
        ("Cotterill, D. J.", "D. J. Cotterill"),
    ],
)
def test_short_name_keeps_initials_and_family(name: str, short: str) -> None:
    assert stats.short_name(parse_name(name)) == short


def test_short_name_of_family_name_alone() -> None:
    assert stats.short_name(Name("Homer")) == "Homer"


# ---------------------------------------------------------------------- the Serge bibliography


def test_greeman_editions_years_and_median_lag(seeded: str) -> None:
    with session_on(seeded) as session:
        rows = stats.translator_stats(session, Filters())
    greeman = next(row for row in rows if row["translator"] == "Richard Greeman")
    assert greeman == {
        "translator": "Richard Greeman",
        "editions": len(GREEMAN),
        "first_year": min(year for year, _ in GREEMAN),
        "last_year": max(year for year, _ in GREEMAN),
        "median_lag_years": statistics.median(year - original for year, original in GREEMAN),
    }
    assert greeman["median_lag_years"] == 39  # median([36, 39, 43, 43, 37])
    assert rows[0] is greeman  # the most editions


def test_translator_table_matches_the_seed(seeded: str) -> None:
    """Every row, and the order (most editions, then family name), recomputed from the seed."""
    by_name: dict[str, list[EditionRecord]] = defaultdict(list)
    for entry in seed_entries():
        for translator in entry.translators:
            by_name[str(translator)].append(entry)
    expected = []
    for name, entries in by_name.items():
        years = [year_of(e.date) for e in entries if e.date]
        lags = [a - b for a, b in map(seed_years, entries) if a is not None and b is not None]
        expected.append(
            (
                -len(entries),
                parse_name(name).sort_name,
                {
                    "translator": parse_name(name).display,
                    "editions": len(entries),
                    "first_year": min(years, default=None),
                    "last_year": max(years, default=None),
                    "median_lag_years": statistics.median(lags) if lags else None,
                },
            )
        )
    expected.sort(key=lambda item: item[:2])
    with session_on(seeded) as session:
        assert stats.translator_stats(session, Filters()) == [row for *_, row in expected]


def test_longest_lags_first(seeded: str) -> None:
    """The top of the list, read off seeds/serge.toml by hand: State Repression 1979 of a 1926
    original (53), Resistance 1989 of 1938 (51), then Conquered City 1975 of 1932 and Midnight
    in the Century 1982 of 1939 (43 each, in key order), then Year One 1972 of 1930 (42)."""
    with session_on(seeded) as session:
        rows = stats.lags(session, Filters())
    top = [(r["title"], r["original_year"], r["year"], r["lag_years"]) for r in rows[:5]]
    assert top == [
        ("What Everyone Should Know About State Repression", 1926, 1979, 53),
        ("Resistance", 1938, 1989, 51),
        ("Conquered City", 1932, 1975, 43),
        ("Midnight in the Century", 1939, 1982, 43),
        ("Year One of the Russian Revolution", 1930, 1972, 42),
    ]
    assert rows[2]["key"] < rows[3]["key"]  # equal lags by key
    assert rows[0]["original_title"] == "Les Coulisses d'une Sûreté générale"


def test_lags_list_every_dated_edition_of_a_dated_original_and_nothing_else(seeded: str) -> None:
    expected = sorted(
        (entry.title, original, year, year - original)
        for entry in seed_entries()
        for year, original in [seed_years(entry)]
        if year is not None and original is not None
    )
    with session_on(seeded) as session:
        rows = stats.lags(session, Filters())
    found = [(r["title"], r["original_year"], r["year"], r["lag_years"]) for r in rows]
    assert sorted(found) == expected
    assert "Kronstadt '21" not in {r["title"] for r in rows}  # no original
    order = [(-r["lag_years"], r["key"]) for r in rows]
    assert order == sorted(order)


def test_filters_narrow_every_table(seeded: str) -> None:
    with session_on(seeded) as session:
        greeman = stats.lags(session, Filters(translator="Greeman"))
        sixties_seventies = stats.translator_stats(session, Filters(year="1960-1979"))
        doubleday = stats.publisher_stats(session, Filters(publisher="doubleday"))
        sedova = stats.translator_stats(session, Filters(author="Sedova"))
    assert sorted(r["lag_years"] for r in greeman) == sorted(y - o for y, o in GREEMAN)
    assert greeman[0]["title"] == "Conquered City"
    assert {r["translator"]: r["editions"] for r in sixties_seventies} == {
        "Richard Greeman": 3,  # 1967, 1969, 1975
        "Peter Sedgwick": 2,  # 1963, 1972
        "Arnold S. Pomerans": 1,  # 1973
        "Judith White": 1,  # 1979
    }
    # Doubleday: Birth of our Power, Men in Prison, Conquered City (Greeman) and the Trotsky
    # biography (Pomerans, 1973 of a 1951 original).
    assert doubleday == [
        {
            "publisher": "Doubleday",
            "editions": 4,
            "first_year": 1967,
            "last_year": 1975,
            "translators": 2,
            "median_lag_years": statistics.median([1967 - 1931, 1969 - 1930, 1975 - 1932, 22]),
        }
    ]
    assert [r["translator"] for r in sedova] == ["Arnold S. Pomerans"]


def test_publisher_table_matches_the_seed(seeded: str) -> None:
    by_publisher: dict[str, list[EditionRecord]] = defaultdict(list)
    for entry in seed_entries():
        if entry.publisher:
            by_publisher[entry.publisher].append(entry)
    expected = {}
    for publisher, entries in by_publisher.items():
        years = [year_of(e.date) for e in entries if e.date]
        lags = [a - b for a, b in map(seed_years, entries) if a is not None and b is not None]
        expected[publisher] = {
            "publisher": publisher,
            "editions": len(entries),
            "first_year": min(years, default=None),
            "last_year": max(years, default=None),
            "translators": len({str(t) for e in entries for t in e.translators}),
            "median_lag_years": statistics.median(lags) if lags else None,
        }
    with session_on(seeded) as session:
        rows = stats.publisher_stats(session, Filters())
    assert {row["publisher"]: row for row in rows} == expected
    assert [r["editions"] for r in rows] == sorted((r["editions"] for r in rows), reverse=True)


def test_decades_match_the_seed(seeded: str) -> None:
    editions: dict[int, int] = defaultdict(int)
    translations: dict[int, int] = defaultdict(int)
    originals: dict[int, set[str]] = defaultdict(set)
    for entry in seed_entries():
        year, original_year = seed_years(entry)
        if year is not None:
            editions[year // 10 * 10] += 1
            translations[year // 10 * 10] += is_translation(entry)
        if entry.original is not None and original_year is not None:
            originals[original_year // 10 * 10].add(entry.original.title)
    decades = range(min(*editions, *originals), max(*editions, *originals) + 10, 10)
    expected = [
        {
            "decade": decade,
            "editions": editions[decade],
            "translations": translations[decade],
            "originals_first_published": len(originals[decade]),
        }
        for decade in decades
    ]
    with session_on(seeded) as session:
        assert stats.decade_stats(session, Filters()) == expected
    # By hand: the 1930s saw eight of the originals and two translations (both 1937).
    assert next(r for r in expected if r["decade"] == 1930)["originals_first_published"] == 8


def test_untranslated_into_english_and_german(seeded: str) -> None:
    """Every work with a translation is in English; German has none at all, so every work is
    listed for German. Only a work whose original is not translated (the seed's one Spanish
    book, catalogued in its own language) lacks an English edition."""
    works: dict[str, dict[str, Any]] = {}
    for entry in seed_entries():
        if entry.original is not None:
            work = works.setdefault(
                entry.original.title, {"language": entry.original.language, "in": []}
            )
            work["in"].append(entry.language)
    lacking_english = {
        title
        for title, work in works.items()
        if "en" not in work["in"] and work["language"] != "en"
    }
    with session_on(seeded) as session:
        english = stats.untranslated(session, "en", Filters())
        german = stats.untranslated(session, "de", Filters())
        by_name = stats.untranslated(session, "German", Filters())
        novels = stats.untranslated(session, "de", Filters(form="novel"))
    assert {row["title"] for row in english} == lacking_english
    assert all(works[t]["language"] != "fr" for t in lacking_english)  # French works all are
    assert {row["title"] for row in german} == set(works)
    assert by_name == german
    assert {row["title"]: row["editions"] for row in german} == {
        title: len(work["in"]) for title, work in works.items()
    }
    assert [r["year"] for r in german if r["year"] is not None] == sorted(
        r["year"] for r in german if r["year"] is not None
    )
    assert len(novels) == 7  # The Long Dusk, Tulayev and Greeman's five


def test_untranslated_rejects_an_unknown_language(seeded: str) -> None:
    with session_on(seeded) as session, pytest.raises(InvalidValue, match="unknown language"):
        stats.untranslated(session, "Martian", Filters())


def test_timeline_rows_of_the_seed(seeded: str) -> None:
    expected = {
        entry.original.title: entry.title
        for entry in seed_entries()
        if entry.original is not None and is_translation(entry) and entry.date
    }
    with session_on(seeded) as session:
        rows = stats.timeline_rows(session, Filters())
    assert {row["title"]: row["translations"][0]["title"] for row in rows} == expected
    years = [row["year"] for row in rows]
    assert years == sorted(years)
    birth = next(r for r in rows if r["title"] == "Naissance de notre force")
    assert birth["year"] == 1931
    assert [(t["year"], t["translators_short"]) for t in birth["translations"]] == [
        (1967, ["R. Greeman"])
    ]


# ----------------------------------------------------------------- what the seed does not have


@pytest.fixture
def small(db: str) -> str:
    """One French novel in four editions (a French reprint, English and German translations,
    the English by two translators), a novel with an undated original, and an Italian book
    whose translator is not named and whose edition's language is not recorded."""
    return build(
        db,
        [
            edition("La Route", "1955", "fr", "La Route", "1950", publisher="Gallimard"),
            edition(
                "The Road",
                "1960",
                "en",
                "La Route",
                "1950",
                translators=["Black, Ann", "White, Bob"],
                publisher="Penguin",
            ),
            edition(
                "Die Straße",
                "1971",
                "de",
                "La Route",
                "1950",
                translators=["Black, Ann"],
                publisher="Penguin",
            ),
            edition(
                "The Sea",
                "1990",
                "en",
                "La Mer",
                None,
                translators=["Black, Ann"],
                publisher="Penguin",
            ),
            EditionRecord(
                title="The Lake",
                date="2001",
                authors=["Autore, Aldo"],
                translator_status="not-named",
                original=OriginalRecord(title="Il lago", date="1999", language="it"),
            ),
        ],
    )


def test_median_of_an_even_count_and_undated_originals(small: str) -> None:
    with session_on(small) as session:
        rows = stats.translator_stats(session, Filters())
    assert rows == [
        # Three editions; lags 10 and 21 (The Sea's original has no year).
        {
            "translator": "Ann Black",
            "editions": 3,
            "first_year": 1960,
            "last_year": 1990,
            "median_lag_years": statistics.median([1960 - 1950, 1971 - 1950]),
        },
        {
            "translator": "Bob White",
            "editions": 1,
            "first_year": 1960,
            "last_year": 1960,
            "median_lag_years": 10,
        },
    ]
    assert rows[0]["median_lag_years"] == 15.5


def test_translator_filter_lists_only_that_translator(small: str) -> None:
    with session_on(small) as session:
        rows = stats.translator_stats(session, Filters(translator="White"))
        plotted = stats.translator_rows(session, Filters(translator="White"))
    assert [r["translator"] for r in rows] == ["Bob White"]  # not the co-translator
    assert [r["translator"] for r in plotted] == ["Bob White"]


def test_reprints_are_not_translations(small: str) -> None:
    with session_on(small) as session:
        decades = {r["decade"]: r for r in stats.decade_stats(session, Filters())}
        timeline = stats.timeline_rows(session, Filters())
        lags = stats.lags(session, Filters())
    assert decades[1950] == {
        "decade": 1950,
        "editions": 1,  # the French reprint
        "translations": 0,
        "originals_first_published": 1,  # La Route
    }
    assert decades[1960]["translations"] == 1
    # The Lake: language not recorded, but a translator (not named) says it is a translation.
    assert decades[2000] == {
        "decade": 2000,
        "editions": 1,
        "translations": 1,
        "originals_first_published": 0,
    }
    assert decades[1990]["originals_first_published"] == 1  # Il lago, 1999
    route = next(row for row in timeline if row["title"] == "La Route")
    assert [t["title"] for t in route["translations"]] == ["The Road", "Die Straße"]
    assert [t["translators_short"] for t in route["translations"]] == [
        ["A. Black", "B. White"],
        ["A. Black"],
    ]
    assert [row["title"] for row in timeline] == ["La Route", "Il lago", "La Mer"]  # undated last
    # Lags still list the reprint: it is an edition of a dated original.
    assert ("La Route", 5) in {(r["title"], r["lag_years"]) for r in lags}


def test_publishers_count_distinct_translators(small: str) -> None:
    with session_on(small) as session:
        rows = stats.publisher_stats(session, Filters())
    assert rows == [
        {
            "publisher": "Penguin",
            "editions": 3,
            "first_year": 1960,
            "last_year": 1990,
            "translators": 2,  # Ann Black on all three, Bob White on one
            "median_lag_years": 15.5,
        },
        {
            "publisher": "Gallimard",
            "editions": 1,
            "first_year": 1955,
            "last_year": 1955,
            "translators": 0,
            "median_lag_years": 5,
        },
    ]


def test_untranslated_counts_editions_and_skips_works_in_that_language(small: str) -> None:
    with session_on(small) as session:
        italian = stats.untranslated(session, "it", Filters())
        french = stats.untranslated(session, "fr", Filters())
        english = stats.untranslated(session, "english", Filters())
    assert [(r["title"], r["editions"]) for r in italian] == [("La Route", 3), ("La Mer", 1)]
    assert [r["title"] for r in french] == ["Il lago"]  # La Route and La Mer are French works
    assert [r["title"] for r in english] == ["Il lago"]  # its one edition's language unknown


def test_an_empty_catalogue_gives_empty_tables(db: str) -> None:
    build(db, [])
    with session_on(db) as session:
        for function in (
            stats.translator_stats,
            stats.lags,
            stats.publisher_stats,
            stats.decade_stats,
            stats.timeline_rows,
            stats.translator_rows,
        ):
            assert function(session, Filters()) == []


# ---------------------------------------------------------------------------------- pictures


def svg_of(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def svg_texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def svg_ids(root: ET.Element, prefix: str) -> list[str]:
    return [i for e in root.iter() if (i := e.get("id") or "").startswith(prefix)]


def assert_png(path: Path) -> tuple[int, int]:
    """``path`` is a PNG that decodes; its (width, height) in pixels."""
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    pixels = imread(path)
    height, width = pixels.shape[:2]
    return width, height


@pytest.fixture
def serge_rows(seeded_sqlite: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with session_on(seeded_sqlite) as session:
        return stats.timeline_rows(session, Filters()), stats.translator_rows(session, Filters())


def test_timeline_png_and_svg(
    serge_rows: tuple[list[dict[str, Any]], list[dict[str, Any]]], tmp_path: Path
) -> None:
    rows, _ = serge_rows
    works = {
        entry.original.title
        for entry in seed_entries()
        if entry.original is not None and is_translation(entry) and entry.date
    }
    # The translators of those works, as the labels print them (by hand from the seed).
    translators = {
        "J. White", "R. Greeman", "P. Sedgwick", "M. Shachtman", "R. Manheim", "J. Brooks",
        "W. R. Trask", "A. S. Pomerans",
    }  # fmt: skip
    assert len(translators) == len(
        {
            name
            for entry in seed_entries()
            if entry.original is not None and is_translation(entry) and entry.date
            for name in entry.translators
        }
    )
    png = plots.timeline(rows, tmp_path / "serge.png")
    width, height = assert_png(tmp_path / "serge.png")
    assert width > 1000 and height > 600
    assert (png.rows, png.points, png.labels, png.labels_dropped) == (14, 14, 14, False)
    assert png.message == f"wrote {tmp_path / 'serge.png'}: 14 works, 14 translations"

    plots.timeline(rows, tmp_path / "serge.svg")
    root = svg_of(tmp_path / "serge.svg")
    texts = svg_texts(root)
    assert len(svg_ids(root, "ytick_")) == len(works)
    for title in works:
        assert any(text.startswith(f"{title} (") for text in texts), title
    labels = [t for t in texts if t.endswith(tuple(f", {y}" for y in range(1900, 2030)))]
    assert {label.rsplit(", ", 1)[0] for label in labels} == translators
    assert "R. Greeman, 1967" in texts and "W. R. Trask, 1951" in texts
    assert "year" in texts and "original" in texts and "translation into English" in texts
    assert any(t.startswith("Originals and their translations: 14 works") for t in texts)
    assert svg_ids(root, "caption") == []


def test_translator_plot_png_and_svg(
    serge_rows: tuple[list[dict[str, Any]], list[dict[str, Any]]], tmp_path: Path
) -> None:
    _, rows = serge_rows
    dated = [e for e in seed_entries() if e.translators and e.date]
    translators = {parse_name(str(name)).display for e in dated for name in e.translators}
    summary = plots.translator_plot(rows, tmp_path / "translators.png")
    assert_png(tmp_path / "translators.png")
    assert (summary.rows, summary.points) == (len(translators), len(dated))
    assert summary.message.endswith(f": {len(translators)} translators, {len(dated)} editions")

    plots.translator_plot(rows, tmp_path / "translators.svg")
    root = svg_of(tmp_path / "translators.svg")
    texts = svg_texts(root)
    assert len(svg_ids(root, "ytick_")) == len(translators)
    assert "Richard Greeman (5)" in texts
    for entry in dated:
        clipped = entry.title if len(entry.title) <= 36 else entry.title[:35]
        assert any(text.startswith(clipped.rstrip()) for text in texts), entry.title


def test_timeline_of_undated_originals_and_unnamed_translators(small: str, tmp_path: Path) -> None:
    with session_on(small) as session:
        rows = stats.timeline_rows(session, Filters())
    plots.timeline(rows, tmp_path / "small.svg")
    texts = svg_texts(svg_of(tmp_path / "small.svg"))
    assert "La Mer (year unknown)" in texts
    assert "translator not named, 2001" in texts
    assert "A. Black, B. White, 1960" in texts
    assert "translation into English" in texts and "translation into German" in texts
    assert "translation, language not recorded" in texts


@pytest.mark.parametrize("name", ["timeline.pdf", "timeline", "timeline.png.txt"])
def test_unknown_picture_format_is_refused(name: str, tmp_path: Path) -> None:
    rows = [{"title": "A", "year": 1900, "translations": []}]
    with pytest.raises(InvalidValue, match=r"\(use \.png or \.svg\)$") as caught:
        plots.timeline(rows, tmp_path / name)
    assert "\n" not in str(caught.value)
    with pytest.raises(InvalidValue, match=r"use \.png or \.svg"):
        plots.translator_plot([], tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_draw_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="no translations to draw"):
        plots.timeline([], tmp_path / "empty.svg")
    with pytest.raises(InvalidValue, match="no translators to draw"):
        plots.translator_plot([], tmp_path / "empty.png")
    assert list(tmp_path.iterdir()) == []


def test_uppercase_suffix_is_accepted(
    serge_rows: tuple[list[dict[str, Any]], list[dict[str, Any]]], tmp_path: Path
) -> None:
    plots.timeline(serge_rows[0], tmp_path / "serge.SVG")
    svg_of(tmp_path / "serge.SVG")


def test_drawing_leaves_matplotlib_settings_alone(
    serge_rows: tuple[list[dict[str, Any]], list[dict[str, Any]]], tmp_path: Path
) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    plots.timeline(serge_rows[0], tmp_path / "a.svg")
    plots.translator_plot(serge_rows[1], tmp_path / "b.png")
    assert dict(matplotlib.rcParams) == before
    # Drawn twice, a picture comes out the same: nothing carried over between calls.
    plots.timeline(serge_rows[0], tmp_path / "c.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "c.svg").read_bytes()


def synthetic_rows(works: int) -> list[dict[str, Any]]:
    """``works`` works, each with one to four translations into a cycle of languages."""
    rows = []
    for n in range(works):
        year = 1850 + (n * 7) % 160
        translations = [
            {
                "key": f"w{n}t{t}",
                "title": f"Translation {n}.{t}",
                "year": year + 3 + (n * 13 + t * 11) % 60,
                "language": ("en", "de", "it", "es")[(n + t) % 4],
                "translator_status": "named",
                "translators": [f"Given{t} Family{n % 50}"],
                "translators_short": [f"G. Family{n % 50}"],
            }
            for t in range(1 + n % 4)
        ]
        rows.append({"work_key": f"w{n}", "title": f"Original work number {n}", "year": year,
                     "language": "fr", "translations": translations})  # fmt: skip
    return rows


def test_a_hundred_and_fifty_works_drop_point_labels_and_say_so(tmp_path: Path) -> None:
    rows = synthetic_rows(150)
    summary = plots.timeline(rows, tmp_path / "many.svg")
    assert summary.labels_dropped and summary.labels == 0
    assert summary.points == sum(len(row["translations"]) for row in rows)
    assert (summary.rows_left_out, summary.points_left_out) == (0, 0)
    assert summary.message.endswith(
        f": 150 works, {summary.points} translations (translation labels left out: too many rows)"
    )
    root = svg_of(tmp_path / "many.svg")
    assert len(svg_ids(root, "ytick_")) == 150
    assert svg_ids(root, "point-label") == []
    assert (
        "Translator labels left out: 150 works, more than the 60 that are labelled in full."
        in svg_texts(root)
    )
    assert not any(text.startswith("Only the") for text in svg_texts(root))
    # Rows keep a readable height: the picture grows with them.
    height = float(root.get("height", "0").removesuffix("pt"))
    assert height > 150 * 9


def test_most_points_takes_the_fullest_rows_and_spreads_ties_over_the_years() -> None:
    rows = [{"n": n, "points": 3 if n in (7, 50, 93) else 2 if n % 2 else 1} for n in range(100)]
    chosen = plots.most_points(rows, lambda row: row["points"], limit=13)
    numbers = [row["n"] for row in chosen]
    assert numbers == sorted(numbers) and len(numbers) == 13  # in the given order
    assert {7, 50, 93} <= set(numbers)
    assert all(rows[n]["points"] >= 2 for n in numbers)
    # The ten rows of two points taken among the 47 others are spread from first to last.
    tied = [n for n in numbers if n not in (7, 50, 93)]
    assert tied[0] < 10 and tied[-1] > 90
    assert plots.most_points(rows, lambda row: row["points"], limit=100) == rows


def test_a_long_timeline_draws_the_works_with_most_translations(tmp_path: Path) -> None:
    """300 works, more than ROW_LIMIT: the picture keeps ROW_LIMIT rows, and its title,
    caption and the message say what was left out."""
    rows = synthetic_rows(300)  # 1 to 4 translations, by n % 4
    summary = plots.timeline(rows, tmp_path / "long.svg")
    texts = svg_texts(svg_of(tmp_path / "long.svg"))
    fullest = [row for row in rows if len(row["translations"]) >= 3]  # 150: 4 and 3 points
    assert summary.rows == plots.ROW_LIMIT == 200
    assert summary.rows_left_out == 100
    total = sum(len(row["translations"]) for row in rows)
    drawn = sum(len(row["translations"]) for row in fullest) + 50 * 2
    assert (summary.points, summary.points_left_out) == (drawn, total - drawn)
    titles = [t for t in texts if t.startswith("Original work number ")]
    assert len(titles) == 200
    assert {f"{row['title']} ({row['year']})" for row in fullest} <= set(titles)
    assert (
        f"Originals and their translations: 200 of 300 works, {drawn} of {total} translations"
        in texts
    )
    assert (
        f"Only the 200 works with the most translations are drawn: 100 works with "
        f"{total - drawn} translations are left out." in texts
    )
    assert summary.message == (
        f"wrote {tmp_path / 'long.svg'}: 200 of 300 works, {drawn} of {total} translations "
        "(only the works with the most translations drawn; translation labels left out: too "
        "many rows)"
    )


def test_labels_of_crowded_points_do_not_overlap() -> None:
    """Six translations within four years on one row: every label gets a place of its own,
    inside the axis."""
    points = [(1960.0 + i * 0.8, f"Translator number {i}, 1960") for i in range(6)]
    placed = plots._place(points, lambda text: 12.0, 1950.0, 1975.0)
    assert len(placed) == len(points)
    for label in placed:
        assert 1950.0 <= label.start and label.start + 12.0 <= 1975.0
    lines: dict[tuple[int, int], list[float]] = defaultdict(list)
    for label in placed:
        lines[label.side, label.tier].append(label.start)
    for starts in lines.values():
        starts.sort()
        assert all(b - a >= 12.0 for a, b in zip(starts, starts[1:], strict=False))


def test_dense_rows_stay_apart_in_the_picture(tmp_path: Path) -> None:
    """Twenty works with up to four translations each, labelled: rendered, and each label
    drawn once."""
    rows = synthetic_rows(20)
    summary = plots.timeline(rows, tmp_path / "twenty.svg")
    root = svg_of(tmp_path / "twenty.svg")
    assert summary.labels == summary.points == len(svg_ids(root, "point-label"))
    assert len(svg_ids(root, "ytick_")) == 20


# ------------------------------------------------------------------- the command line


def test_stats_commands_on_the_command_line(seeded_sqlite: str, tmp_path: Path) -> None:
    from .conftest import invoke

    result = invoke(seeded_sqlite, "stats", "translators", "--format", "json")
    assert result.exit_code == 0, result.output
    greeman = next(r for r in json.loads(result.stdout) if r["translator"] == "Richard Greeman")
    assert greeman["median_lag_years"] == statistics.median(
        [1967 - 1931, 1969 - 1930, 1975 - 1932, 1982 - 1939, 2008 - 1971]
    )
    result = invoke(seeded_sqlite, "stats", "lags", "--translator", "Greeman", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("serge1975conquered,")  # 1975 - 1932
    picture = tmp_path / "timeline.png"
    result = invoke(seeded_sqlite, "stats", "timeline", "--plot", str(picture))
    assert result.exit_code == 0 and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {picture}" in result.stderr
    result = invoke(seeded_sqlite, "stats", "translators", "--plot", str(tmp_path / "t.pdf"))
    assert result.exit_code == 1 and result.stdout == ""
    assert "use .png or .svg" in result.stderr
    result = invoke(seeded_sqlite, "stats", "untranslated", "--language", "martian")
    assert result.exit_code == 1 and "unknown language 'martian'" in result.stderr


# ------------------------------------------------------------------------- at 20,000 works


def generated_entries(works: int) -> list[EditionRecord]:
    """``works`` works (French, Japanese, Russian originals from 1800 to 1999), each with one
    translation into English; every 97th has three (English, German, Italian) and every
    1,000th five (and Spanish, Portuguese)."""
    languages = ("en", "de", "it", "es", "pt")
    entries = []
    for n in range(works):
        original_language, title = (
            ("fr", f"Roman {n}"),
            ("ja", f"真昼の暗黒 {n}"),
            ("ru", f"Роман {n}"),
        )[n % 3]
        year = 1800 + n % 200
        count = 5 if n % 1000 == 0 else 3 if n % 97 == 0 else 1
        for t in range(count):
            entries.append(
                EditionRecord(
                    key=f"work{n}t{t}",
                    title=f"Novel {n} in {languages[t]}",
                    date=str(year + 1 + (n + 7 * t) % 60),
                    language=languages[t],
                    authors=[f"Author{n % 500}, Anne"],
                    translators=[f"Translator{(n + t) % 2000}, Tom"],
                    original=OriginalRecord(
                        title=title, date=str(year), language=original_language
                    ),
                )
            )
    return entries


def test_pictures_of_twenty_thousand_works_are_bounded(tmp_path: Path) -> None:
    """Drawn at 20,000 works, the timeline keeps ROW_LIMIT rows (before: one row for each work,
    a 1634 × 525,652 px picture after 7 minutes): every work with five translations, and
    works with three spread over the years; none with one. The translator plot keeps the
    ROW_LIMIT translators with the most editions of 2,000."""
    from PIL import Image

    from .conftest import invoke

    works = 20_000
    twenty_thousand = build(str(tmp_path / "large.db"), generated_entries(works))
    five = {n for n in range(works) if n % 1000 == 0}
    three = {n for n in range(works) if n % 97 == 0} - five
    translations = works + 4 * len(five) + 2 * len(three)
    with session_on(twenty_thousand) as session:
        rows = stats.timeline_rows(session, Filters())
    assert len(rows) == works
    assert sum(len(row["translations"]) for row in rows) == translations

    drawn = plots.most_points(rows, lambda row: len(row["translations"]))
    chosen = {int(row["title"].rsplit(" ", 1)[1]) for row in drawn}  # "Roman 97" -> 97
    assert len(chosen) == plots.ROW_LIMIT
    assert five <= chosen and chosen <= five | three
    years = sorted(row["year"] for row in drawn)
    assert years[0] < 1820 and years[-1] > 1980  # the ties are taken across the years
    points = 5 * len(five) + 3 * (plots.ROW_LIMIT - len(five))

    picture = tmp_path / "timeline.png"
    result = invoke(twenty_thousand, "stats", "timeline", "--plot", str(picture))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"wrote {picture}: 200 of 20,000 works, {points:,} of {translations:,} translations "
        "(only the works with the most translations drawn; translation labels left out: too "
        "many rows)\n"
    )
    with Image.open(picture) as image:
        assert image.width <= 2000 and image.height <= 6000, image.size

    with session_on(twenty_thousand) as session:
        rows = stats.translator_rows(session, Filters())
    assert len(rows) == 2000
    summary = plots.translator_plot(rows, tmp_path / "translators.png")
    assert (summary.rows, summary.rows_left_out) == (plots.ROW_LIMIT, 2000 - plots.ROW_LIMIT)
    editions = sorted((len(row["editions"]) for row in rows), reverse=True)
    assert summary.points == sum(editions[: plots.ROW_LIMIT])
    assert summary.points + summary.points_left_out == sum(editions)
    with Image.open(tmp_path / "translators.png") as image:
        assert image.width <= 2000 and image.height <= 6000, image.size


def test_chinese_and_japanese_titles_and_emoji_are_drawn(tmp_path: Path) -> None:
    """Where a font with the glyphs is installed (CI installs fonts-wqy-microhei and
    fonts-symbola), titles in Chinese or Japanese and emoji are drawn, not empty boxes."""
    import warnings

    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not {"WenQuanYi Micro Hei", "Symbola"} <= installed:
        pytest.skip("fonts-wqy-microhei and fonts-symbola not installed")
    rows = synthetic_rows(3)
    rows[0]["title"], rows[1]["title"] = "真昼の暗黒", "红楼梦 📚"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s) DejaVu Sans"
        plots.timeline(rows, tmp_path / "cjk.png")
        plots.timeline(rows, tmp_path / "cjk.svg")
    assert "真昼の暗黒 (1850)" in svg_texts(svg_of(tmp_path / "cjk.svg"))
