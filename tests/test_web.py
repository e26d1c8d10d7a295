"""The readers' web pages and JSON API (biblio.web), through Flask's test client on both
backends, and `biblio serve` as a real gunicorn on 127.0.0.1."""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from biblio.config import resolve
from biblio.web import create_app

from .conftest import invoke


@pytest.fixture
def client(seeded: str) -> Any:
    app = create_app(resolve(seeded))
    app.testing = True
    return app.test_client()


def test_the_api_gives_the_fields_of_list_json(seeded: str, client: Any) -> None:
    listed = json.loads(invoke(seeded, "list", "--translator", "Greeman", "--format",
                               "json").stdout)  # fmt: skip
    response = client.get("/api/editions?translator=Greeman")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == listed
    one = client.get("/api/editions/serge1967birth").get_json()
    shown = next(e for e in listed if e["key"] == "serge1967birth")
    assert one == shown
    missing = client.get("/api/editions/nosuchkey")
    assert missing.status_code == 404 and "nosuchkey" in missing.get_json()["error"]


def test_search_and_filters_on_the_page(client: Any) -> None:
    page = client.get("/?q=naissance").get_data(as_text=True)
    assert '<a href="/editions/serge1967birth">Birth of our Power</a>' in page
    assert "1 edition<" in page
    page = client.get("/?q=&translator=Greeman").get_data(as_text=True)
    assert "5 editions" in page
    page = client.get("/?q=memoires&translator=Sedgwick").get_data(as_text=True)
    assert "1 edition<" in page and "serge1963memoirs" in page
    assert client.get("/?page=x").status_code == 400


def test_an_edition_page_links_its_original_and_other_translations(
    seeded: str, client: Any, tmp_path: Path
) -> None:
    bib = tmp_path / "geburt.bib"
    bib.write_text(
        "@book{serge1969geburt, author = {Serge, Victor}, title = {Geburt unserer Macht},"
        ' date = {1969}, translator = {M{\\"u}ller, Hans}, origtitle = {Naissance de notre'
        " force}, origdate = {1931}, origlanguage = {french}, langid = {german}}\n"
    )
    assert invoke(seeded, "import", str(bib)).exit_code == 0
    page = client.get("/editions/serge1967birth").get_data(as_text=True)
    assert (
        'Translation of <a href="/works/serge1931naissance"><cite>Naissance de notre force'
        "</cite></a> (1931)"
    ) in page
    assert '<a href="/editions/serge1969geburt">Geburt unserer Macht</a> (1969)' in page
    assert "translated by Hans Müller" in page
    assert client.get("/editions/nosuchkey").status_code == 404
    work = client.get("/works/serge1931naissance").get_data(as_text=True)
    # Translations by language, then year, each with its translators, linked.
    assert work.index("<h3>English</h3>") < work.index("<h3>German</h3>") < work.index("Geburt")
    assert '<a href="/people?name=M%C3%BCller%2C+Hans">Hans Müller</a>' in work or (
        '<a href="/people?name=M%C3%BCller%2C%20Hans">Hans Müller</a>' in work
    )
    assert client.get("/works/nosuchwork").status_code == 404


def test_person_and_publisher_pages(client: Any) -> None:
    page = client.get("/editions/serge1967birth").get_data(as_text=True)
    link = page.split('<dt>Translators</dt><dd><a href="')[1].split('"')[0]
    person = client.get(link).get_data(as_text=True)
    assert "<h1>Richard Greeman</h1>" in person and "Catalogued as Greeman, Richard" in person
    assert '<a href="/editions/serge1967birth">Birth of our Power</a> (1967)' in person
    by_partial = client.get("/people?name=R.%20Greeman").get_data(as_text=True)
    assert "<h1>Richard Greeman</h1>" in by_partial
    assert client.get("/people?name=Nobody%20Atall").status_code == 404
    assert client.get("/people").status_code == 400
    publisher = client.get("/publishers?name=doubleday").get_data(as_text=True)
    assert "<h1>Doubleday</h1>" in publisher and "Birth of our Power" in publisher
    assert client.get("/publishers?name=nope").status_code == 404


def test_every_value_is_escaped_and_no_script_runs(seeded: str, client: Any) -> None:
    result = invoke(seeded, "edit", "serge1967birth", "--set",
                    "annotation=<script>alert(1)</script> & more")  # fmt: skip
    assert result.exit_code == 0
    page = client.get("/editions/serge1967birth")
    text = page.get_data(as_text=True)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert page.headers["Content-Security-Policy"] == "default-src 'self'"
    search = client.get("/?q=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in search and 'value="&lt;script&gt;"' in search


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_biblio_serve_runs_a_real_gunicorn(seeded_sqlite: str) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "biblio", "--db", seeded_sqlite, "serve", "--port", str(port),
         "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/editions?translator=Greeman"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    body = json.load(response)
                    headers = dict(response.headers)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(server.stderr.read1().decode() if server.stderr else "no server")
        assert len(body) == 5
        assert headers["Content-Security-Policy"] == "default-src 'self'"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_without_a_catalogue_is_one_line(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "none.db"), "serve")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex", "csl-json", "ris", "annotated"])
def test_a_result_set_downloads_as_the_cli_exports_it(seeded: str, client: Any, fmt: str) -> None:
    """Filters give exactly `biblio export`'s file; a search's result set, its editions."""
    response = client.get(f"/export/{fmt}?translator=Greeman")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="biblio.')
    args = ["--to", "html"] if fmt == "annotated" else []
    expected = invoke(seeded, "export", "--translator", "Greeman", "--format", fmt, *args).stdout
    assert response.get_data(as_text=True) == expected
    searched = client.get(f"/export/{fmt}?q=naissance").get_data(as_text=True)
    assert "Birth of our Power" in searched and "Men in Prison" not in searched
    assert client.get("/export/pdf").status_code == 404


def test_pages_of_a_large_catalogue(seeded: str, client: Any, tmp_path: Path) -> None:
    """The index builds one page of views: filters alone ask for a page and the count, a
    search alone for the results up to the page; both agree with list and search."""
    from sqlalchemy.orm import Session

    from biblio.db import open_catalogue
    from biblio.queries import Filters, list_editions, page_of_editions
    from biblio.queries import search as search_editions

    bib = tmp_path / "many.bib"
    bib.write_text("".join(
        f"@book{{many{i:03}, author = {{Nombre, Autor}}, title = {{Volumen {i}}},"
        f" date = {{{1900 + i % 90}}}, translator = {{Greeman, Richard}}}}\n"
        for i in range(130)
    ))  # fmt: skip
    assert invoke(seeded, "import", str(bib)).exit_code == 0
    engine = open_catalogue(resolve(seeded), read_only=True)
    with Session(engine) as session:
        everything = [v.key for v in list_editions(session, Filters())]
        for page in (1, 2, 4):
            total, shown = page_of_editions(session, Filters(), page, 50)
            assert total == len(everything) == 153
            assert [v.key for v in shown] == everything[(page - 1) * 50 : page * 50]
        greeman = [v.key for v in list_editions(session, Filters(translator="Greeman"))]
        total, shown = page_of_editions(session, Filters(translator="Greeman"), 3, 50)
        assert total == len(greeman) == 135 and [v.key for v in shown] == greeman[100:]
        best = [v.key for v in search_editions(session, "volumen")]
    engine.dispose()
    page = client.get("/?translator=Greeman&page=3").get_data(as_text=True)
    assert "135 editions" in page and "page 3 of 3" in page
    first = client.get("/?q=volumen").get_data(as_text=True)
    assert "more than 50 editions, best first" in first and 'rel="next"' in first
    listed = re.findall(r'<a href="/editions/([^"]+)">', first)
    assert listed == best[:50]
    third = client.get("/?q=volumen&page=3").get_data(as_text=True)
    assert re.findall(r'<a href="/editions/([^"]+)">', third) == best[100:130]
    assert "130 editions" in third and 'rel="next"' not in third


def test_a_person_whose_name_holds_commas_is_reached_from_an_edition(
    seeded: str, client: Any, tmp_path: Path
) -> None:
    """A CSL name whose parts hold commas (a real citeproc-js test item): the edition page's
    link names the person by their catalogue name, which the people page read as a typed
    name and answered 400 ("Too many commas")."""
    path = tmp_path / "commas.json"
    path.write_text(json.dumps([{
        "id": "odd", "type": "article-journal", "title": "Concessions",
        "author": [{"family": "Dwyer, Polack and So", "given": "Christophe",
                    "suffix": "Golay, Messerli"}],
        "issued": {"date-parts": [[2016]]},
    }]), encoding="utf-8")  # fmt: skip
    assert invoke(seeded, "import", str(path)).exit_code == 0
    page = client.get("/editions/odd").get_data(as_text=True)
    (link,) = re.findall(r'href="(/people\?name=[^"]+)"', page)
    response = client.get(html.unescape(link))
    assert response.status_code == 200 and "Concessions" in response.get_data(as_text=True)
