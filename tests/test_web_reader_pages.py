"""The readers' annotated-bibliography and statistics pages (biblio.web.reader), through
Flask's test client on both backends, checked against what the command line prints for the
same catalogue and filters: ``biblio export --format annotated --to html``, ``biblio stats
NAME --format json`` and ``biblio stats ... --plot``; never against copies of the pages' own
output."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from biblio.config import resolve
from biblio.web import create_app, reader

from .conftest import invoke

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CSP = "default-src 'self'"
ENTRY = re.compile(r'<div class="entry" id="([^"]+)">')
ANNOTATION = re.compile(r'<p class="annotation">(.*?)</p>', re.S)


@pytest.fixture
def client(seeded: str) -> Any:
    app = create_app(resolve(seeded))
    app.testing = True
    return app.test_client()


def cli_json(db: str, *args: str) -> Any:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cli_annotated(db: str, *filters: str) -> str:
    result = invoke(db, "export", *filters, "--format", "annotated", "--to", "html")
    assert result.exit_code == 0, result.output
    return result.stdout


def page_text(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Security-Policy"] == CSP
    return str(response.get_data(as_text=True))


def table(page: str, section: str) -> list[list[str]]:
    """The body rows of the table in ``<section id=section>``, as the cells' text."""
    body = page.split(f'<section class="stats" id="{section}">')[1].split("</section>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
         for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]  # fmt: skip


def shown(value: Any) -> str:
    """A value of the CLI's JSON as the page writes it: unknown as a dash."""
    return "—" if value is None else str(value)


# ---------------------------------------------------------------------- annotated bibliography


def test_the_annotated_page_is_the_cli_annotated_bibliography(seeded: str, client: Any) -> None:
    expected = cli_annotated(seeded)
    keys = ENTRY.findall(expected)
    listed = cli_json(seeded, "list")
    # The CLI's bibliography holds every seeded edition, each with its annotation.
    assert sorted(keys) == sorted(e["key"] for e in listed) and len(keys) == 23
    page = page_text(client, "/annotated")
    assert expected.strip() in page  # references, headings and order, as the CLI writes them
    assert ENTRY.findall(page) == keys
    assert "23 entries" in page
    annotated = [e for e in listed if e["annotation"]]
    assert annotated
    for edition in annotated:
        assert f'<p class="annotation">{html.escape(edition["annotation"])}</p>' in page
    assert ANNOTATION.findall(page) == ANNOTATION.findall(expected)
    # Inside the site's page, with its navigation.
    assert page.startswith("<!doctype html>") and '<a href="/stats">Statistics</a>' in page
    assert page.count("<html") == 1 and page.count("<body") == 1


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("translator=Greeman", ["--translator", "Greeman"]),
        ("form=non-fiction&year=1930-1980", ["--form", "non-fiction", "--year", "1930-1980"]),
        ("original_language=french&publisher=doubleday",
         ["--original-language", "french", "--publisher", "doubleday"]),
    ],
)  # fmt: skip
def test_filters_narrow_the_annotated_page(
    seeded: str, client: Any, query: str, options: list[str]
) -> None:
    expected = cli_annotated(seeded, *options)
    wanted = {e["key"] for e in cli_json(seeded, "list", *options)}
    assert 0 < len(wanted) < 23
    page = page_text(client, f"/annotated?{query}")
    assert set(ENTRY.findall(page)) == set(ENTRY.findall(expected)) == wanted
    assert expected.strip() in page
    assert f"{len(wanted)} entr" in page


def test_a_search_narrows_the_annotated_page(client: Any) -> None:
    page = page_text(client, "/annotated?q=naissance")
    assert ENTRY.findall(page) == ["serge1967birth"] and "1 entry<" in page
    page = page_text(client, "/annotated?q=memoires&translator=Sedgwick")
    assert ENTRY.findall(page) == ["serge1963memoirs"]
    page = page_text(client, "/annotated?q=nosuchwordanywhere")
    assert ENTRY.findall(page) == [] and "0 entries" in page


def test_the_annotated_page_comes_a_page_at_a_time(
    seeded: str, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "PAGE", 5)
    keys = ENTRY.findall(cli_annotated(seeded))
    seen: list[str] = []
    for number in range(1, 6):
        page = page_text(client, f"/annotated?page={number}")
        assert f"page {number} of 5" in page
        assert ('rel="next"' in page) == (number < 5) and ('rel="prev"' in page) == (number > 1)
        seen += ENTRY.findall(page)
    assert seen == keys  # the CLI's order, cut into pages
    assert ENTRY.findall(page_text(client, "/annotated?page=6")) == []
    assert client.get("/annotated?page=x").status_code == 400


def test_markup_in_an_annotation_or_a_title_shows_as_text(seeded: str, client: Any) -> None:
    payload = "<script>alert(1)</script> & <b>more</b>"
    for field in ("annotation", "title"):
        result = invoke(seeded, "edit", "serge1967birth", "--set", f"{field}={payload}")
        assert result.exit_code == 0, result.output
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;"
    for url in ("/annotated", "/annotated?translator=Greeman", "/stats"):
        page = page_text(client, url)
        assert "<script>" not in page and "<b>more" not in page, url
        assert escaped in page, url
    annotated = page_text(client, "/annotated")
    assert any(note.endswith(escaped) for note in ANNOTATION.findall(annotated))
    assert f"<i>{escaped}</i>. Translated by Richard Greeman" in annotated  # the title
    assert cli_annotated(seeded).strip() in annotated


# ------------------------------------------------------------------------------ statistics


COLUMNS = {
    "translators": ["translator", "editions", "first_year", "last_year", "median_lag_years"],
    "publishers": ["publisher", "editions", "first_year", "last_year", "translators",
                   "median_lag_years"],
    "lags": ["title", "original_title", "original_year", "year", "lag_years"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("query", "options"),
    [("", []), ("translator=Greeman", ["--translator", "Greeman"]),
     ("year=1960-1999", ["--year", "1960-1999"]), ("q=naissance", None)],
)  # fmt: skip
def test_the_stats_page_shows_the_cli_numbers(
    seeded: str, client: Any, query: str, options: list[str] | None
) -> None:
    if options is None:  # a search: the CLI's filters on the editions it finds
        options = ["--original", "Naissance de notre force"]
    page = page_text(client, f"/stats?{query}")
    for name, columns in COLUMNS.items():
        rows = cli_json(seeded, "stats", name, *options)
        assert rows, name
        assert table(page, name) == [[shown(row[c]) for c in columns] for row in rows], name
        api = client.get(f"/api/stats/{name}?{query}")
        assert api.headers["Content-Security-Policy"] == CSP
        assert api.get_json() == rows
    decades = cli_json(seeded, "stats", "decades", *options)
    assert table(page, "decades") == [
        [f"{row['decade']}s", str(row["editions"]), str(row["translations"]),
         str(row["originals_first_published"])]
        for row in decades
    ]  # fmt: skip
    assert client.get(f"/api/stats/decades?{query}").get_json() == decades


def test_the_whole_seed_has_the_known_numbers(client: Any) -> None:
    """A fixed point from the source (see test_stats): Richard Greeman's five translations, a
    median lag of 39 years; the CLI comparisons above could not notice both being wrong."""
    rows = table(page_text(client, "/stats"), "translators")
    assert ["Richard Greeman", "5", "1967", "2008", "39"] in rows


def test_untranslated_works_on_the_stats_page(seeded: str, client: Any) -> None:
    rows = cli_json(seeded, "stats", "untranslated", "--language", "de")
    assert rows
    page = page_text(client, "/stats?untranslated=de")
    assert "Not yet translated into German" in page
    assert table(page, "untranslated") == [
        [row["title"], shown(row["year"]), shown(row["language"]), str(row["editions"])]
        for row in rows
    ]
    assert client.get("/api/stats/untranslated?language=de").get_json() == rows
    assert client.get("/api/stats/untranslated").status_code == 400
    assert client.get("/api/stats/nosuchtable").status_code == 404
    # An unknown language is said on the page; the rest of the statistics still show.
    page = page_text(client, "/stats?untranslated=klingonish")
    assert '<p class="error">' in page and "klingonish" in page
    assert table(page, "translators")
    assert '<section class="stats" id="untranslated">' not in page_text(client, "/stats")


@pytest.mark.parametrize(
    ("name", "command", "query", "options"),
    [("timeline", ["stats", "timeline"], "", []),
     ("timeline", ["stats", "timeline"], "translator=Greeman", ["--translator", "Greeman"]),
     ("translators", ["stats", "translators"], "year=1960-2010", ["--year", "1960-2010"])],
)  # fmt: skip
def test_the_pictures_are_what_the_cli_draws(
    seeded: str, client: Any, tmp_path: Path, name: str, command: list[str], query: str,
    options: list[str],
) -> None:  # fmt: skip
    for fmt in ("png", "svg"):
        path = tmp_path / f"{name}.{fmt}"
        result = invoke(seeded, *command, *options, "--plot", str(path))
        assert result.exit_code == 0, result.output
        response = client.get(f"/stats/{name}.{fmt}?{query}")
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == CSP
        picture = response.data
        assert len(picture) > 1000 and picture == path.read_bytes()
        if fmt == "png":
            assert response.mimetype == "image/png" and picture.startswith(PNG_SIGNATURE)
        else:
            assert response.mimetype == "image/svg+xml"
            assert ET.fromstring(picture).tag == "{http://www.w3.org/2000/svg}svg"


def test_the_stats_page_shows_its_pictures(client: Any) -> None:
    page = page_text(client, "/stats?translator=Greeman")
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources == [
        "/stats/timeline.png?translator=Greeman",
        "/stats/translators.png?translator=Greeman",
    ]
    for source in sources:
        response = client.get(html.unescape(source))
        assert response.status_code == 200 and response.data.startswith(PNG_SIGNATURE)
    # Nothing to draw: no picture on the page, and the picture's address says why.
    page = page_text(client, "/stats?year=1700-1800")
    assert "<img" not in page and "No dated translations to draw." in page
    refused = client.get("/stats/timeline.png?year=1700-1800")
    assert refused.status_code == 400 and b"no translations to draw" in refused.data
    assert client.get("/stats/nosuchpicture.png").status_code == 404
    assert client.get("/stats/timeline.pdf").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/annotated", "/annotated?translator=Greeman&page=1", "/stats", "/stats?untranslated=en",
     "/stats?q=naissance"],
)  # fmt: skip
def test_the_pages_keep_to_the_content_security_policy(client: Any, url: str) -> None:
    """``default-src 'self'``: no inline script or style, nothing from elsewhere or data:."""
    page = page_text(client, url)
    assert re.search(r"<script(?![^>]*\ssrc=\"/static/)", page) is None
    assert "<style" not in page and not re.search(r"\sstyle=", page)
    assert not re.search(r"""(src|href)=["'](data:|https?:|//)""", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers


@pytest.mark.parametrize(
    "url", ["/annotated?year=abc", "/stats?year=abc", "/stats/timeline.png?year=abc"]
)
def test_a_malformed_filter_is_refused_with_its_reason(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "invalid year &#39;abc&#39;" in response.get_data(as_text=True)
