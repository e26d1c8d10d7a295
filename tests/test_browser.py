"""End to end in a real headless browser: Playwright (with pytest-playwright's ``page``)
driving Debian's chromium against `biblio serve`, a real gunicorn on 127.0.0.1 over a seeded
SQLite catalogue. A reader's journey (search, the work page, a biblatex download that
compiles), strings meant for XSS rendered literally, and no Content-Security-Policy violation
on any reader page. Skipped, saying why, where chromium is missing outside CI; CI installs it
(``.ci/run``) and fails without it.

One server and one browser per test process (pytest-xdist runs several): both are
session-scoped fixtures, so each test costs a browser context and its page loads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

from .browser_support import serving
from .conftest import invoke

# Each payload would set window.__xss (or open a dialog) if it ever became markup. They sit
# in every kind of place a page shows: titles, subtitle, annotation, the original's title, a
# person's name, a publisher, a place; and in a search box's value attribute.
SCRIPT = "<script>window.__xss=1</script>"
IMG = "<img src=x onerror=\"window.__xss=1;alert('xss')\">"
SVG = '"><svg onload="window.__xss=1">'
XSS_BIB = f"""
@book{{probe2024xss,
  author = {{Probe, Ada}},
  title = {{Probe {SCRIPT} and {IMG}}},
  subtitle = {{{SVG}}},
  date = {{2024}},
  langid = {{english}},
  translator = {{Tester, Tom}},
  origtitle = {{Sonde {SCRIPT}}},
  origdate = {{2020}},
  origlanguage = {{french}},
  annotation = {{Annotated {SCRIPT} {IMG} {SVG}}},
}}
@book{{probe2023xss,
  author = {{Probe, Ada}},
  title = {{Second probe}},
  date = {{2023}},
  translator = {{Mallory{SVG}, Eve}},
  publisher = {{{IMG} Press}},
  location = {{{SCRIPT}ville}},
}}
"""

# Reports every Content-Security-Policy violation to the test, whatever the console says.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite catalogue with the seed and two editions full of XSS payloads."""
    folder = tmp_path_factory.mktemp("browser")
    db = str(folder / "catalogue.db")
    assert invoke(db, "seed").exit_code == 0
    (folder / "xss.bib").write_text(XSS_BIB, encoding="utf-8")
    result = invoke(db, "import", str(folder / "xss.bib"))
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="session")
def server(catalogue: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`biblio serve --workers 2` over the catalogue: its base URL."""
    with serving(catalogue, tmp_path_factory.mktemp("gunicorn") / "serve.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser_context_args(server: str) -> dict[str, Any]:
    """Every page of this module opens paths on our server (``page.goto("/")``). Not
    pytest-playwright's own fixture extended, nor its ``base_url`` overridden: those are
    session-wide, computed once per test process, so another module's server (the
    librarian's journey) would take this module's pages, or this one take its."""
    return {"base_url": server}


class Watched:
    """What a page did that it should not have: errors in its console, CSP violations,
    dialogs."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        page.on("dialog", self._dialog)
        page.add_init_script(WATCH_CSP)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.type}: {message.text}")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> None:
        """Load ``path`` (a 200) and wait until htmx has run, so that whatever it does is seen."""
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        self.page.wait_for_function("window.htmx !== undefined")

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__cspViolations")
        return found + [line for line in self.console if "Content Security Policy" in line]


def test_a_reader_finds_greeman_opens_the_work_and_downloads_biblatex_that_compiles(
    page: Page, server: str, catalogue: str, tmp_path: Path
) -> None:
    from .test_latex import build_biblatex

    page.goto("/")
    page.get_by_role("searchbox", name="Search").fill("greeman")
    page.get_by_role("button", name="Find").click()
    expect(page).to_have_url(re.compile(r"[?&]q=greeman(&|$)"))
    # The page lists what `biblio search` finds, best first.
    cli = json.loads(invoke(catalogue, "search", "greeman", "--format", "json").stdout)
    expect(page.locator("p.count")).to_have_text(f"{len(cli)} editions")
    links = page.locator("ol.editions > li > a").evaluate_all("a => a.map(e => e.pathname)")
    assert links == [f"/editions/{e['key']}" for e in cli]

    with page.expect_download() as downloading:
        page.get_by_role("link", name="biblatex", exact=True).click()
    download = downloading.value
    assert download.suggested_filename == "biblio.bib"
    assert "/export/biblatex?" in download.url and "q=greeman" in download.url
    bib = tmp_path / "greeman.bib"
    download.save_as(bib)

    page.get_by_role("link", name="Birth of our Power").click()
    expect(page).to_have_url(server + "/editions/serge1967birth")
    original = page.get_by_role("heading", name="Translation of Naissance de notre force")
    original.get_by_role("link", name="Naissance de notre force").click()
    expect(page).to_have_url(server + "/works/serge1931naissance")
    expect(page.get_by_role("heading", level=1)).to_have_text("Naissance de notre force (1931)")
    english = page.locator("section.language", has=page.get_by_role("heading", name="English"))
    expect(english).to_contain_text("1967: Birth of our Power, translated by Richard Greeman")
    expect(english.get_by_role("link", name="Richard Greeman")).to_have_attribute(
        "href", re.compile(r"^/people\?name=Greeman")
    )

    text = bib.read_text(encoding="utf-8")
    assert sorted(re.findall(r"^@\w+\{([^,]+),", text, re.MULTILINE)) == sorted(
        e["key"] for e in cli
    )
    (tmp_path / "latex").mkdir()
    biber_output, pdf = build_biblatex(text, tmp_path / "latex")
    assert "WARN" not in biber_output and "ERROR" not in biber_output, biber_output
    assert pdf.count("Trans. from the French by Richard Greeman") == len(cli)
    assert "Serge, Victor (1967). Birth of our Power." in pdf, pdf


@pytest.mark.parametrize(
    "path, shown",
    [
        ("/editions/probe2024xss", [SCRIPT, IMG, SVG, f"Sonde {SCRIPT}", f"Annotated {SCRIPT}"]),
        ("/editions/probe2023xss", [f"Eve Mallory{SVG}", f"{IMG} Press", f"{SCRIPT}ville"]),
        ("/works/probe2020sonde", [f"Sonde {SCRIPT}", f"Probe {SCRIPT} and {IMG}"]),
        ("/?q=probe", [f"Probe {SCRIPT} and {IMG}", f"Sonde {SCRIPT}", f"Eve Mallory{SVG}"]),
        # (The annotated bibliography sets English titles in headline style.)
        ("/annotated?q=probe", [f"Annotated {SCRIPT} {IMG} {SVG}", f"Sonde {SCRIPT}",
                                f"Eve Mallory{SVG}", f"{IMG} Press"]),
        ("/stats", [f"Sonde {SCRIPT}", f"{IMG} Press", f"Eve Mallory{SVG}"]),
    ],
    ids=["edition", "edition-credits", "work", "search", "annotated", "stats"],
)  # fmt: skip
def test_strings_meant_for_xss_render_literally(page: Page, path: str, shown: list[str]) -> None:
    watched = Watched(page)
    watched.open(path)
    text = page.evaluate("document.body.textContent")
    for payload in shown:
        assert payload in text, payload
    _nothing_ran(page, watched)


@pytest.mark.parametrize(
    "role, shown",
    [("Translators", f"Eve Mallory{SVG}"), ("Publisher", f"{IMG} Press")],
    ids=["person", "publisher"],
)
def test_payload_names_link_to_their_person_and_publisher_pages(
    page: Page, role: str, shown: str
) -> None:
    watched = Watched(page)
    watched.open("/editions/probe2023xss")
    page.locator(f"dt:text-is('{role}') + dd a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shown)
    _nothing_ran(page, watched)


def test_a_search_for_a_payload_keeps_it_in_the_search_box(page: Page) -> None:
    watched = Watched(page)
    watched.open("/")
    page.get_by_role("searchbox", name="Search").fill(SVG)
    page.get_by_role("button", name="Find").click()
    # The payload's words find the annotated probe; the box shows the payload as typed.
    expect(page.get_by_role("searchbox", name="Search")).to_have_value(SVG)
    expect(page.locator("ol.editions")).to_contain_text(f"Probe {SCRIPT} and {IMG}")
    _nothing_ran(page, watched)


def _nothing_ran(page: Page, watched: Watched) -> None:
    """No payload ran or became an element: no window.__xss, no dialog, no image, SVG or
    event-handler attribute, no script but htmx; and the CSP was never needed to stop one."""
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watched.dialogs == []
    # The statistics page's charts are the only pictures.
    assert page.locator("img:not([src^='/stats/']), svg, iframe, object, embed").count() == 0
    scripts = page.evaluate("[...document.scripts].map(s => s.getAttribute('src'))")
    assert scripts == ["/static/htmx.min.js"]
    handlers = page.evaluate(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    assert watched.violations() == []


READER_PAGES = [
    "/",
    "/?q=greeman",
    "/?q=&translator=Greeman&page=1",
    "/editions/serge1967birth",
    "/works/serge1931naissance",
    "/people?name=Greeman",
    "/publishers?name=doubleday",
    "/annotated",
    "/annotated?translator=Greeman",
    "/stats",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_reader_pages_load_htmx_without_a_csp_violation(page: Page, path: str) -> None:
    watched = Watched(page)
    watched.open(path)
    assert watched.violations() == []
    assert watched.console == []
    # htmx runs as the page configures it: no eval, no inline indicator styles.
    config = page.evaluate(
        "({eval: htmx.config.allowEval, styles: htmx.config.includeIndicatorStyles})"
    )
    assert config == {"eval": False, "styles": False}
