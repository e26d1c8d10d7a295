"""Screenshots of the catalogue's main pages, for the README: run by hand after a change to
the pages, then look at them.

    .venv/bin/python docs/screenshots.py

It seeds a catalogue in a temporary folder, serves it with `biblio serve` (a real gunicorn on
127.0.0.1, as the browser tests do) and writes ``docs/screenshot-NAME.png`` for each page
below: 1280 pixels wide, the full page, taken by Debian's chromium through Playwright, then
stored with a palette of 256 colours (a third of the size, no visible difference for text
and charts). A page that does not answer 200 is named and left out; the exit status is then 1.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import chromium_missing, launch_options, serving  # noqa: E402

PAGES = [
    ("search", "/?q=greeman"),
    ("edition", "/editions/serge1967birth"),
    ("work", "/works/serge1931naissance"),
    ("person", "/people?name=Greeman"),
    ("annotated", "/annotated"),
    ("stats", "/stats"),
]
"""(name, path): docs/screenshot-NAME.png shows the page at PATH of the seeded catalogue."""

LIBRARIAN = ("ada", "a password for screenshots")
"""The librarian the script creates to show the librarians' pages."""

WIDTH = 1280


def main() -> int:
    missing = chromium_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 1
    failed = []
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "catalogue.db")
        subprocess.run([sys.executable, "-m", "biblio", "--db", db, "seed"], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([sys.executable, "-m", "biblio", "--db", db, "user", "add", LIBRARIAN[0],
                        "--role", "librarian"], input=LIBRARIAN[1] + "\n", text=True,
                       check=True, stderr=subprocess.DEVNULL)  # fmt: skip
        with serving(db, Path(folder) / "serve.log") as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            # A low window: a full-page picture is then as tall as the page, no blank below.
            page = browser.new_page(viewport={"width": WIDTH, "height": 200})
            for name, path in PAGES:
                response = page.goto(url + path)
                status = response.status if response else None
                if status != 200:
                    print(f"{path}: HTTP {status}, no screenshot", file=sys.stderr)
                    failed.append(path)
                    continue
                page.wait_for_load_state("networkidle")
                picture = DOCS / f"screenshot-{name}.png"
                page.screenshot(path=picture, full_page=True)
                shrink(picture)
                print(f"{picture.relative_to(ROOT)}: {picture.stat().st_size // 1024} KB")
            librarian_pages(page, url)
            browser.close()
    return 1 if failed else 0


def librarian_pages(page: object, url: str) -> None:
    """The librarian's add form after its duplicate warning, and an edition's history."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(url + "/login")
    page.get_by_label("Name").fill(LIBRARIAN[0])
    page.get_by_label("Password").fill(LIBRARIAN[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(url + "/editions/new")
    page.locator('input[name="title"]').fill("Birth of Our Power")
    page.locator('input[name="year"]').fill("1977")
    page.locator("#authors-0").fill("Serge, Victor")
    page.locator("#translators-0").press_sequentially("greem", delay=40)
    page.locator("#suggest-translators-0 button").first.wait_for()
    take(page, "suggestions")
    page.locator("#suggest-translators-0 button").first.click()
    page.locator('input[name="orig-title"]').fill("Naissance de notre force")
    page.locator('input[name="language"]').fill("en")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Save anyway").wait_for()
    take(page, "duplicate-warning")
    page.get_by_role("button", name="Save anyway").click()
    page.goto(url + "/editions/serge1967birth/edit")
    page.locator('input[name="place"]').fill("Garden City, NY")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(url + "/history")
    take(page, "history")


def take(page: object, name: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.wait_for_load_state("networkidle")
    picture = DOCS / f"screenshot-{name}.png"
    page.screenshot(path=picture, full_page=True)
    shrink(picture)
    print(f"{picture.relative_to(ROOT)}: {picture.stat().st_size // 1024} KB")


def shrink(picture: Path) -> None:
    """Store ``picture`` with a palette of at most 256 colours, without dithering (which
    would speckle flat backgrounds), when that makes it smaller."""
    before = picture.stat().st_size
    with Image.open(picture) as image:
        palette = image.convert("RGB").quantize(
            256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    smaller = picture.with_suffix(".tmp.png")
    palette.save(smaller, optimize=True)
    if smaller.stat().st_size < before:
        smaller.replace(picture)
    else:
        smaller.unlink()


if __name__ == "__main__":
    sys.exit(main())
