#!/usr/bin/env python
"""A load test of ``biblio serve``: concurrent readers search while librarians edit, on
SQLite and PostgreSQL, against gunicorn on 127.0.0.1. Zero errors, and every edit present
afterwards.

    python benchmarks/web_load.py [--backends sqlite,postgresql] [--postgres-url URL]
        [--seconds 60] [--readers 50] [--librarians 4] [--workers 4] [--entries 3000]
        [--workdir DIR] [--keep]

The catalogue: the seed (``biblio seed``) plus a generated ``bench-N.bib`` of ``--entries``
editions (``benchmarks/run.py``'s generator: LaTeX accents, braces, escaped ``\\%``...)
imported with ``biblio import``; on SQLite a file in the work directory, on PostgreSQL a
database ``biblio_load_...`` created on the ``--postgres-url`` server and dropped at the end
(unless ``--keep``). Librarians are created with ``biblio user add NAME --role librarian``,
the password on standard input.

For ``--seconds``, with one thread per user and a new connection per request:

* each reader asks, one request after another, ``GET /?q=WORDS`` (seven times in ten; the
  words drawn from the catalogue's titles and names as ``search_1m.py`` draws them) or
  ``GET /api/editions?translator=NAME`` (a translator of the catalogue);
* each librarian logs in (``GET /login``, then ``POST /login`` with the form's
  ``csrf_token``), then edits editions one after another, each one an edition no other
  librarian touches: ``GET /editions/KEY/edit``, then ``POST`` of the form's fields as the
  form gave them, with a new ``annotation`` (the edition's own; the API shows the original's
  annotation, when there is one, before it).

An error is any answer that is not 2xx or 3xx (a read) or not the 303 to ``/editions/KEY``
(a save), and any exception (refused or reset connection, timeout). Afterwards every edited
edition is read back through ``GET /api/editions/KEY`` and its annotation compared with the
last one its librarian saved. Reported: p50 and p95 of the client's latency (and of the
server's own ``Server-Timing``) for reads, the edit form and saves, per backend.

Markdown goes to stdout, progress to stderr; nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))

from run import machine, prepare_bib, progress  # noqa: E402
from search_1m import (  # noqa: E402
    Response,
    percentile,
    reading,
    realistic_queries,
    request,
    server,
)

PASSWORD = "secret-password"


# ----------------------------------------------------------------------------- forms


class FormFields(HTMLParser):
    """The named fields of an HTML page's forms as a browser would submit them: inputs (a
    checkbox or radio button only when checked; no buttons), textareas and selects (the
    selected option, else the first), in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: list[str] | None = None
        self._option_selected = False
        self._option_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option, self._option_selected = [], "selected" in a
            self._option_value = a.get("value") if "value" in a else None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value = self._option_value
            self._options.append(("".join(self._option).strip() if value is None else value,
                                  self._option_selected))  # fmt: skip
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.fields.extend((self._select, v) for v in chosen)
            self._select = None


def form_fields(page: bytes) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would post from ``page``'s forms."""
    parser = FormFields()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.fields


# ----------------------------------------------------------------------------- a user


class Browser:
    """One user's cookies over ``search_1m.request``: every Set-Cookie is kept and sent."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> Response:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = request(self.port, method, path, body=body, headers=headers, timeout=60)
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def log_in(self, name: str) -> None:
        """GET /login, POST /login with the form's CSRF token; a 303 or an error."""
        page = self.send("GET", "/login")
        token = dict(form_fields(page.body)).get("csrf_token")
        if page.status != 200 or not token:
            raise RuntimeError(f"GET /login: HTTP {page.status}, csrf_token {token!r}")
        answer = self.send(
            "POST", "/login", [("name", name), ("password", PASSWORD), ("csrf_token", token)]
        )
        if answer.status != 303:
            raise RuntimeError(f"POST /login as {name}: HTTP {answer.status}")


# ----------------------------------------------------------------------------- the run


@dataclass
class Tally:
    """What one kind of request gave over the run."""

    ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, answer: Response) -> None:
        self.ms.append(answer.ms)
        if answer.server_ms is not None:
            self.server_ms.append(answer.server_ms)


@dataclass
class Load:
    """The tallies of a run and the edits to check afterwards (key -> annotation)."""

    reads: Tally = field(default_factory=Tally)
    forms: Tally = field(default_factory=Tally)
    saves: Tally = field(default_factory=Tally)
    edited: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0


def reader(port: int, paths: list[str], seed: int, deadline: float, tally: Tally) -> None:
    """Read ``paths`` in a random order, one after another, until the deadline."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        try:
            answer = request(port, "GET", path, timeout=60)
        except OSError as exc:
            tally.errors.append(f"GET {path}: {type(exc).__name__}: {exc}")
            continue
        tally.add(answer)
        if not 200 <= answer.status < 400:
            tally.errors.append(f"GET {path}: HTTP {answer.status}")


def librarian(
    port: int, name: str, keys: list[str], deadline: float, load: Load, run_id: str
) -> None:
    """Log in as ``name``, then edit ``keys``' annotations one after another until the
    deadline; each saved annotation is recorded for the check afterwards."""
    browser = Browser(port)
    try:
        browser.log_in(name)
    except (OSError, RuntimeError) as exc:
        load.saves.errors.append(f"{name} logging in: {exc}")
        return
    for n, key in enumerate(keys):
        if time.monotonic() >= deadline:
            return
        path = f"/editions/{key}/edit"
        try:
            form = browser.send("GET", path)
            load.forms.add(form)
            if form.status != 200:
                load.forms.errors.append(f"GET {path}: HTTP {form.status}")
                continue
            annotation = f"Load test {run_id}: {name}, edit {n} (café, 50 % & more)."
            fields = [
                (k, annotation if k == "annotation" else v) for k, v in form_fields(form.body)
            ]
            if not any(k == "annotation" for k, _ in fields):
                load.forms.errors.append(f"GET {path}: no annotation field in the form")
                continue
            saved = browser.send("POST", path, fields)
            load.saves.add(saved)
            location = saved.headers.get("Location", "")
            if saved.status != 303 or not location.endswith(f"/editions/{key}"):
                why = re.search(rb'class="error"[^>]*>([^<]*)', saved.body)
                load.saves.errors.append(f"POST {path}: HTTP {saved.status} {location} "
                                         f"{why.group(1).decode() if why else ''}")  # fmt: skip
                continue
            # The API's annotation is the work's (the original's), then the edition's own.
            shown = [v for k, v in fields if k == "work-annotation" and v.strip()]
            load.edited[key] = " ".join([*shown[:1], annotation])
        except OSError as exc:
            load.saves.errors.append(f"{path}: {type(exc).__name__}: {exc}")


def verify(port: int, load: Load) -> None:
    """Read every edited edition back through the API and compare its annotation (the
    original's annotation, if any, then the one the librarian saved)."""
    for key, annotation in load.edited.items():
        answer = request(port, "GET", f"/api/editions/{key}")
        found = json.loads(answer.body).get("annotation") if answer.status == 200 else None
        if found != annotation:
            load.missing.append(f"{key}: HTTP {answer.status}, annotation {found!r}")


def run_load(
    db: str, args: argparse.Namespace, paths: list[str], keys: list[str], log: Path
) -> Load:
    """Start gunicorn on ``db``, run readers and librarians for ``--seconds``, check."""
    load = Load()
    run_id = uuid.uuid4().hex[:6]
    with server(db, args.workers, log) as port:
        for path in paths[:5]:  # warm the workers up
            request(port, "GET", path)
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [
            threading.Thread(target=reader, args=(port, paths, i, deadline, load.reads))
            for i in range(args.readers)
        ]
        threads += [
            threading.Thread(
                target=librarian,
                args=(port, f"librarian{i}", keys[i :: args.librarians], deadline, load, run_id),
            )
            for i in range(args.librarians)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load.seconds = time.monotonic() - start
        verify(port, load)
    return load


# ----------------------------------------------------------------------------- catalogues


def biblio(db: str, *args: str, stdin: str | None = None) -> None:
    """``python -m biblio --db DB ARGS``; a failure stops the run."""
    done = subprocess.run(
        [sys.executable, "-m", "biblio", "--db", db, *args],
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"biblio {' '.join(args)} failed: {done.stderr[-1000:]}")


def build(db: str, bib: Path, librarians: int) -> None:
    """The seed, the generated file, and the librarians."""
    biblio(db, "seed")
    biblio(db, "import", str(bib))
    for i in range(librarians):
        biblio(db, "user", "add", f"librarian{i}", "--role", "librarian", stdin=PASSWORD + "\n")


def workload(db: str, count: int) -> tuple[list[str], list[str]]:
    """The readers' paths (searches and translator lists) and the editions' keys."""
    from sqlalchemy import select

    from biblio.models import Contribution, Edition, Person

    with reading(db) as read:
        queries = realistic_queries(read, count)

        def translators_and_keys(session):  # type: ignore[no-untyped-def]
            names = session.execute(
                select(Person.sort_name)
                .join(Contribution, Contribution.person_id == Person.id)
                .where(Contribution.role == "translator")
                .distinct()
            ).scalars()
            return sorted(names), sorted(session.execute(select(Edition.key)).scalars())

        translators, keys = read(translators_and_keys)  # type: ignore[misc]
    rng = random.Random(11)
    searches = ["/?" + urlencode({"q": q.text}) for q in queries]
    lists = ["/api/editions?" + urlencode({"translator": t})
             for t in rng.sample(translators, min(len(translators), count))]  # fmt: skip
    paths = searches + lists[: max(1, len(searches) * 3 // 7)]
    rng.shuffle(paths)
    rng.shuffle(keys)
    return paths, keys


# ----------------------------------------------------------------------------- report


def ms(values: list[float]) -> str:
    """'p50 / p95' in ms."""
    if not values:
        return "—"
    return f"{statistics.median(values):.0f} / {percentile(values, 0.95):.0f}"


def report(args: argparse.Namespace, runs: list[tuple[str, Load]]) -> str:
    """The figures as Markdown."""
    lines = [
        machine(),
        "",
        f"{args.readers} readers and {args.librarians} librarians for {args.seconds:.0f} s "
        f"against gunicorn ({args.workers} workers) on 127.0.0.1; catalogue: the seed plus "
        f"{args.entries:,} generated editions. Latencies in ms, p50 / p95, client side "
        "(server side: the Server-Timing header).",
        "",
        "| backend | reads (req/s) | read ms | read ms, server | edit form ms | save ms "
        "| edits (verified) | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, load in runs:
        errors = len(load.reads.errors) + len(load.forms.errors) + len(load.saves.errors)
        rate = len(load.reads.ms) / load.seconds if load.seconds else 0
        verified = len(load.edited) - len(load.missing)
        lines.append(
            f"| {backend} | {len(load.reads.ms)} ({rate:.0f}/s) | {ms(load.reads.ms)} | "
            f"{ms(load.reads.server_ms)} | {ms(load.forms.ms)} | {ms(load.saves.ms)} | "
            f"{len(load.edited)} ({verified}) | {errors} |"
        )
    for backend, load in runs:
        for what, tally in (("read", load.reads), ("form", load.forms), ("save", load.saves)):
            for error in tally.errors[:5]:
                lines.append(f"\n{backend}, {what} error: {error}")
        for missing in load.missing[:5]:
            lines.append(f"\n{backend}, edit not found afterwards: {missing}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the catalogues, run the load on each backend, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="sqlite, postgresql or both (default both)"
    )
    parser.add_argument("--postgres-url", help="a server on which a database is created")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (60)")
    parser.add_argument("--readers", type=int, default=50, help="concurrent readers (50)")
    parser.add_argument("--librarians", type=int, default=4, help="concurrent librarians (4)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--entries", type=int, default=3000, help="generated editions beside the seed (3000)"
    )
    parser.add_argument("--workdir", help="for the .bib, the SQLite catalogue and the logs")
    parser.add_argument("--keep", action="store_true", help="keep the catalogues afterwards")
    parser.add_argument("--json", metavar="FILE", help="also write every timing to FILE")
    args = parser.parse_args(argv)  # fmt: skip
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if set(backends) - {"sqlite", "postgresql"}:
        parser.error(f"unknown backend in {args.backends!r}")
    if "postgresql" in backends and not args.postgres_url:
        parser.error("postgresql needs --postgres-url")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-load-")).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    bib = prepare_bib(args.entries, workdir, reuse=True).path
    runs: list[tuple[str, Load]] = []
    try:
        for backend in backends:
            if backend == "sqlite":
                db = str(workdir / f"load-{uuid.uuid4().hex[:8]}.db")
                cleanup = _sqlite_cleanup(db)
                label = "SQLite"
            else:
                db, cleanup = _postgres_database(args.postgres_url)
                label = "PostgreSQL"
            try:
                progress(f"{label}: seeding, importing {args.entries} entries, librarians …")
                build(db, bib, args.librarians)
                paths, keys = workload(db, 200)
                progress(f"{label}: {args.readers} readers, {args.librarians} librarians, "
                         f"{args.seconds:.0f} s …")  # fmt: skip
                load = run_load(db, args, paths, keys, workdir / f"serve-{backend}.log")
                runs.append((label, load))
                progress(f"{label}: {len(load.reads.ms)} reads, {len(load.edited)} edits")
            finally:
                if not args.keep:
                    cleanup()
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        raw = {
            label: {name: {"ms": t.ms, "server_ms": t.server_ms, "errors": t.errors}
                    for name, t in (("reads", load.reads), ("forms", load.forms),
                                    ("saves", load.saves))}
            | {"edited": len(load.edited), "missing": load.missing}
            for label, load in runs
        }  # fmt: skip
        Path(args.json).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    print(report(args, runs))
    failed = any(
        load.reads.errors or load.forms.errors or load.saves.errors or load.missing
        for _, load in runs
    )
    return 1 if failed else 0


def _sqlite_cleanup(db: str):  # type: ignore[no-untyped-def]
    def cleanup() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)

    return cleanup


def _postgres_database(server_url: str):  # type: ignore[no-untyped-def]
    """A new database on the server, and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"biblio_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def cleanup() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, cleanup


if __name__ == "__main__":
    sys.exit(main())
