"""The readers' annotated-bibliography page (biblio.web.reader), through Flask's test client
on both backends, checked against what the command line prints for the same catalogue and
filters (``biblio export --format annotated --to html``), never against copies of the page's
own output."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from biblio.config import resolve
from biblio.web import create_app, reader

from .conftest import invoke

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
    for url in ("/annotated", "/annotated?translator=Greeman"):
        page = page_text(client, url)
        assert "<script>" not in page and "<b>more" not in page, url
        assert escaped in page, url
    annotated = page_text(client, "/annotated")
    assert any(note.endswith(escaped) for note in ANNOTATION.findall(annotated))
    assert f"<i>{escaped}</i>. Translated by Richard Greeman" in annotated  # the title
    assert cli_annotated(seeded).strip() in annotated


@pytest.mark.parametrize(
    "url",
    ["/annotated", "/annotated?translator=Greeman&page=1", "/annotated?q=naissance"],
)  # fmt: skip
def test_the_pages_keep_to_the_content_security_policy(client: Any, url: str) -> None:
    """``default-src 'self'``: no inline script or style, nothing from elsewhere or data:."""
    page = page_text(client, url)
    assert re.search(r"<script(?![^>]*\ssrc=\"/static/)", page) is None
    assert "<style" not in page and not re.search(r"\sstyle=", page)
    assert not re.search(r"""(src|href)=["'](data:|https?:|//)""", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers


@pytest.mark.parametrize("url", ["/annotated?year=abc"])
def test_a_malformed_filter_is_refused_with_its_reason(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "invalid year &#39;abc&#39;" in response.get_data(as_text=True)
