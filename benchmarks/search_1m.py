#!/usr/bin/env python
"""Full-text search over a large catalogue: ``queries.search`` in the library and ``GET /?q=``
through gunicorn, on SQLite and PostgreSQL, with p50/p95/max in milliseconds.

    python benchmarks/search_1m.py [--size 1M] [--workdir DIR [--reuse]] [--postgres-url URL]
        [--parts 1] [--queries 300] [--limit 50] [--web] [--workers 2] [--max-seconds 900]

The catalogue is the one ``benchmarks/run.py`` generates (``bench-N.bib``: LaTeX accents,
protective braces, escaped ``\\%``...), built by a real ``biblio import`` into a SQLite file in
the work directory and, with ``--postgres-url`` (a server's URL; its user may create
databases), into a database ``biblio_search_N`` created on that server. With ``--reuse`` the
.bib, the SQLite catalogue and the PostgreSQL database of an earlier finished run are kept
(a ``.done`` file beside the .bib records each), and the PostgreSQL database is left in place
for the next run; without it the database is dropped at the end.

The queries are drawn (seeded) from the catalogue's own titles and people's names, as a
reader types them: one title word, one family name, two words of one edition (two from its
title, or a name and a title word), a prefix of a word, a name typed without its accents,
and words that are nowhere in the catalogue (no hits). Each query is timed around
``queries.search(session, query, limit=LIMIT)`` in its own read transaction, after a few
warm-up queries; ``--max-seconds`` bounds each backend's run (the queries not reached are
counted and said). With ``--web``, ``biblio --db DB serve --workers W`` is started on a free
port of 127.0.0.1 and each query is asked as ``GET /?q=...``, one at a time: the server's
own time (``Server-Timing: app;dur=``) and the client's are reported.

Markdown goes to stdout, progress to stderr; nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))

from run import BibFile, biblio_import, machine, prepare_bib, progress, sizes_arg  # noqa: E402

# Words that are in no generated title, name or annotation (checked against the catalogue:
# a query built from them that finds something is dropped and said).
ABSENT_WORDS = [
    "Dostoevsky", "Zanzibar", "kaleidoscope", "Tolstoï", "Borges", "Ngũgĩ", "Xylophone",
    "Quetzal", "Akhmatova", "Wittgenstein", "Pessoa", "Kafkaesque", "Ōsaka", "Yggdrasil",
    "Mandelstam", "Hrabal", "Šklovskij", "Brodsky", "Cortázar", "Lispector",
]  # fmt: skip
STOPWORDS = {"the", "of", "and", "in", "from", "a", "an", "to"}
WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


# ----------------------------------------------------------------------------- measuring


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (0-1) of ``values``, nearest rank (no interpolation)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> str:
    """'p50 / p95 / max' in ms."""
    if not values:
        return "—"
    return " / ".join(
        f"{v:.1f}" for v in (statistics.median(values), percentile(values, 0.95), max(values))
    )


# ----------------------------------------------------------------------------- catalogues


@dataclass
class Catalogue:
    """A built catalogue: its ``--db`` value, backend name and how it came to be."""

    db: str
    backend: str
    built: str  # "import 612 s, 7.1 GiB" or "reused"
    editions: int = 0  # counted before the searches


def split_bib(bib: BibFile, parts: int) -> list[BibFile]:
    """``bib`` as ``parts`` files of consecutive entries, each opening with the file's
    preamble (its comments and ``@string`` macros), written beside it: imported one after
    another they make the same catalogue as the whole file, with a fraction of the memory
    (the import reads a whole file before writing it)."""
    if parts <= 1:
        return [bib]
    per_part = -(-bib.n // parts)
    preamble: list[str] = []
    files: list[BibFile] = []
    entries = 0
    out = None
    with open(bib.path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("@") and not line.startswith(("@string", "@comment")):
                if entries % per_part == 0:  # the first entry of a part
                    if out is not None:
                        out.close()
                    path = bib.path.with_suffix(f".part{len(files) + 1}.bib")
                    files.append(BibFile(path, min(per_part, bib.n - entries), bib.queries, False))
                    out = open(path, "w", encoding="utf-8", newline="\n")
                    out.writelines(preamble)
                entries += 1
            if out is None:
                preamble.append(line)
            else:
                out.write(line)
    if out is not None:
        out.close()
    if entries != bib.n:
        raise RuntimeError(f"{bib.path} has {entries} entries, not {bib.n}")
    return files


def import_parts(db: str, bib: BibFile, parts: int) -> str:
    """``biblio import`` of the .bib (in ``parts`` consecutive parts, one process each):
    "import 612 s, 7.1 GiB" (the sum of the times, the largest peak)."""
    files = split_bib(bib, parts)
    wall = peak = 0.0
    try:
        for part in files:
            run = biblio_import(db, part)
            wall, peak = wall + run.wall, max(peak, run.rss_mib)
    finally:
        for part in files:
            if part.path != bib.path:
                part.path.unlink(missing_ok=True)
    how = f" in {parts} parts" if parts > 1 else ""
    return f"import{how} {wall:.0f} s, peak {peak / 1024:.1f} GiB"


def sqlite_catalogue(bib: BibFile, workdir: Path, reuse: bool, parts: int = 1) -> Catalogue:
    """``bench-N.db`` in the work directory: reused when an earlier run finished importing
    this very .bib, otherwise imported afresh."""
    path = workdir / f"bench-{bib.n}.db"
    done = workdir / f"bench-{bib.n}.db.done"
    stamp = bib.path.with_suffix(".json").read_text(encoding="utf-8")
    if reuse and done.exists() and done.read_text(encoding="utf-8") == stamp:
        progress(f"size {bib.n}: reusing the catalogue {path}")
        return Catalogue(str(path), "SQLite", "reused")
    done.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    built = import_parts(str(path), bib, parts)
    done.write_text(stamp, encoding="utf-8")
    return Catalogue(str(path), "SQLite", built)


def postgres_catalogue(
    bib: BibFile, workdir: Path, server_url: str, reuse: bool, parts: int = 1
) -> Catalogue:
    """Database ``biblio_search_N`` on the server: reused when an earlier run finished
    importing this .bib into it (``bench-N.pg.done`` names the database), otherwise created
    (dropped first if it exists) and imported."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"biblio_search_{bib.n}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    done = workdir / f"bench-{bib.n}.pg.done"
    stamp = json.dumps({"bib": bib.path.with_suffix(".json").read_text(encoding="utf-8"),
                        "database": name, "server": make_url(server_url).host})  # fmt: skip
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if reuse and exists and done.exists() and done.read_text(encoding="utf-8") == stamp:
                progress(f"size {bib.n}: reusing the PostgreSQL database {name}")
                return Catalogue(url, "PostgreSQL", "reused")
            done.unlink(missing_ok=True)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    built = import_parts(url, bib, parts)
    done.write_text(stamp, encoding="utf-8")
    return Catalogue(url, "PostgreSQL", built)


def drop_postgres(server_url: str, n: int, workdir: Path) -> None:
    """Drop ``biblio_search_N`` (and forget it was built)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "biblio_search_{n}" WITH (FORCE)'))
    finally:
        admin.dispose()
    (workdir / f"bench-{n}.pg.done").unlink(missing_ok=True)


@contextmanager
def reading(db: str) -> Iterator[Callable[[Callable[..., object]], object]]:
    """A function running ``work(session)`` in a read transaction on the catalogue, as the
    web's Store does (one read-only engine, a transaction per call)."""
    from biblio.config import resolve
    from biblio.db import open_catalogue, session_scope

    engine = open_catalogue(resolve(db), read_only=True)

    def read(work: Callable[..., object]) -> object:
        with session_scope(engine, commit=False) as session:
            return work(session)

    try:
        yield read
    finally:
        engine.dispose()


def count_editions(session) -> int:  # type: ignore[no-untyped-def]
    """How many editions the catalogue holds."""
    from sqlalchemy import func, select

    from biblio.models import Edition

    return int(session.execute(select(func.count()).select_from(Edition)).scalar_one())


# ----------------------------------------------------------------------------- queries


@dataclass
class Query:
    """A search as a reader types it, and what kind of search it is."""

    text: str
    kind: str


def title_words(title: str) -> list[str]:
    """The words of a title a reader would type: no stop words, no numbers."""
    return [w for w in WORD.findall(title) if w.lower() not in STOPWORDS and len(w) > 1]


def unaccented(text: str) -> str:
    """``text`` typed without its accents (Łódź -> Lodz, Sørensen -> Sorensen)."""
    text = text.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"}))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sample_editions(read: Callable[..., object], count: int, rng: random.Random) -> list[dict]:
    """``count`` random editions (title, and the family names of its people)."""
    from sqlalchemy import func, select

    from biblio.models import Contribution, Edition, Person

    def work(session):  # type: ignore[no-untyped-def]
        top = session.execute(select(func.max(Edition.id))).scalar_one()
        ids = sorted({rng.randint(1, top) for _ in range(count * 2)})
        rows = session.execute(select(Edition.id, Edition.title).where(Edition.id.in_(ids)))
        found = {edition_id: {"title": title, "people": []} for edition_id, title in rows}
        people = session.execute(
            select(Contribution.edition_id, Person.family)
            .join(Person, Person.id == Contribution.person_id)
            .where(Contribution.edition_id.in_(list(found)))
        )
        for edition_id, family in people:
            found[edition_id]["people"].append(family)
        return list(found.values())

    editions = read(work)
    assert isinstance(editions, list)
    rng.shuffle(editions)
    return editions[:count]


MIX = [  # kind, share
    ("one title word", 0.30),
    ("one family name", 0.15),
    ("two title words", 0.15),
    ("name + title word", 0.15),
    ("prefix", 0.05),
    ("name without accents", 0.05),
    ("no hits", 0.15),
]


def realistic_queries(read: Callable[..., object], count: int, seed: int = 7) -> list[Query]:
    """``count`` queries drawn (seeded) from the catalogue's titles and names, in the shares
    of ``MIX``; the kinds are interleaved so that a bounded run meets all of them."""
    rng = random.Random(seed)
    editions = sample_editions(read, count * 2, rng)
    queries: list[Query] = []
    kinds = [kind for kind, share in MIX for _ in range(round(share * count))]
    rng.shuffle(kinds)
    for i, kind in enumerate(kinds):
        edition = editions[i % len(editions)]
        words = title_words(edition["title"]) or [edition["title"]]
        family = rng.choice(edition["people"]) if edition["people"] else rng.choice(words)
        family = family.split()[-1]  # "van der Gałczyński" -> "Gałczyński"
        if kind == "one title word":
            text = rng.choice(words)
        elif kind == "one family name":
            text = family
        elif kind == "two title words" and len(words) > 1:
            text = " ".join(rng.sample(words, 2))
        elif kind == "name + title word":
            text = f"{family} {rng.choice(words)}"
        elif kind == "prefix":
            word = rng.choice([w for w in [*words, family] if len(w) > 4] or [family])
            text = word[: max(3, len(word) // 2 + 1)]
        elif kind == "name without accents":
            text = unaccented(family)
        elif kind == "no hits":
            absent = rng.choice(ABSENT_WORDS)
            text = absent if rng.random() < 0.6 else f"{rng.choice(words)} {absent}"
        else:
            kind, text = "one title word", rng.choice(words)
        queries.append(Query(text, kind))
    return queries


# ----------------------------------------------------------------------------- in the library


@dataclass
class Timings:
    """Per-query milliseconds of one backend and one path (library or web)."""

    label: str
    ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this thread's CPU (library path)
    hits: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    skipped: int = 0
    slowest: list[tuple[float, str]] = field(default_factory=list)


def time_library(db: str, queries: list[Query], limit: int, max_seconds: float) -> Timings:
    """``queries.search(session, q, limit=limit)`` for each query, each in its own read
    transaction, after five warm-up queries; stops after ``max_seconds``."""
    from biblio.queries import search

    timings = Timings("library")
    with reading(db) as read:
        for query in queries[:5]:
            read(lambda s, q=query.text: search(s, q, limit=limit))
        deadline = time.perf_counter() + max_seconds
        for i, query in enumerate(queries):
            if time.perf_counter() > deadline:
                timings.skipped = len(queries) - i
                break

            def timed(session, q=query.text):  # type: ignore[no-untyped-def]
                start, cpu = time.perf_counter(), time.thread_time()
                found = search(session, q, limit=limit)
                wall = (time.perf_counter() - start) * 1000
                return wall, (time.thread_time() - cpu) * 1000, len(found)

            ms, cpu_ms, hits = read(timed)  # type: ignore[misc]
            timings.ms.append(ms)
            timings.cpu_ms.append(cpu_ms)
            timings.hits.append(hits)
            timings.kinds.append(query.kind)
            timings.slowest.append((ms, f"{query.text!r} ({query.kind})"))
    timings.slowest = sorted(timings.slowest, reverse=True)[:5]
    return timings


# ----------------------------------------------------------------------------- on the web


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Response:
    """What one HTTP request gave: status, headers, body and the client's milliseconds."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float

    @property
    def server_ms(self) -> float | None:
        """The ``app;dur=`` of the Server-Timing header, if any."""
        match = re.search(r"app;dur=([\d.]+)", self.headers.get("Server-Timing", ""))
        return float(match.group(1)) if match else None


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 120,
) -> Response:
    """One HTTP request to 127.0.0.1:port on a new connection (gunicorn's sync workers close
    each connection after its response); redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        data = answer.read()
        return Response(answer.status, answer.headers, data, (time.perf_counter() - start) * 1000)
    finally:
        connection.close()


@contextmanager
def server(db: str, workers: int, log: Path) -> Iterator[int]:
    """``biblio --db DB serve --host 127.0.0.1 --port P --workers W`` (gunicorn) on a free
    port, until the block ends; yields the port once the server answers."""
    port = free_port()
    args = [sys.executable, "-m", "biblio", "--db", db, "serve", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers)]  # fmt: skip
    with open(log, "ab") as out:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"biblio serve exited ({process.returncode}); see {log}")
            try:
                if request(port, "GET", "/api/editions/-no-such-key-", timeout=10).status == 404:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"biblio serve did not answer within 120 s; see {log}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def time_web(db: str, queries: list[Query], workers: int, log: Path, max_seconds: float) -> Timings:
    """``GET /?q=...`` for each query, one at a time, after five warm-up requests: the
    server's Server-Timing and the client's latency; stops after ``max_seconds``."""
    timings = Timings("web")
    with server(db, workers, log) as port:
        for query in queries[:5]:
            request(port, "GET", "/?" + urlencode({"q": query.text}))
        deadline = time.perf_counter() + max_seconds
        for i, query in enumerate(queries):
            if time.perf_counter() > deadline:
                timings.skipped = len(queries) - i
                break
            try:
                answer = request(port, "GET", "/?" + urlencode({"q": query.text}))
            except OSError as exc:
                timings.errors.append(f"{query.text!r}: {type(exc).__name__}: {exc}")
                continue
            if answer.status != 200 or answer.server_ms is None:
                timings.errors.append(f"{query.text!r}: HTTP {answer.status}")
                continue
            timings.ms.append(answer.server_ms)
            timings.client_ms.append(answer.ms)
            timings.kinds.append(query.kind)
            timings.slowest.append((answer.server_ms, f"{query.text!r} ({query.kind})"))
    timings.slowest = sorted(timings.slowest, reverse=True)[:5]
    return timings


# ----------------------------------------------------------------------------- report


def report(n: int, catalogues: list[Catalogue], rows: list[tuple[Catalogue, Timings]],
           queries: list[Query], limit: int, workers: int) -> str:  # fmt: skip
    """The figures as Markdown."""
    kinds = ", ".join(f"{kind} {sum(q.kind == kind for q in queries)}" for kind, _ in MIX)
    accented = sum(not q.text.isascii() for q in queries)
    lines = [
        machine(),
        "",
        f"{n:,} editions generated; {len(queries)} queries ({kinds}; {accented} with accents); "
        f"library calls `search(session, q, limit={limit})`, the web `GET /?q=` "
        f"(gunicorn, {workers} workers, one request at a time). Target: p95 ≤ 50 ms on the "
        "server. CPU: the benchmark thread's own CPU time around the library call (on SQLite "
        "all of the search's work, on PostgreSQL the client's share), which other processes "
        "on the machine do not inflate as they do wall time.",
        "",
        "| backend | path | queries | server ms p50 / p95 / max | client ms p50 / p95 / max "
        "| CPU ms p50 / p95 / max | errors | p95 ≤ 50 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for catalogue, timings in rows:
        measured = f"{len(timings.ms)}" + (
            f" ({timings.skipped} not reached)" if timings.skipped else ""
        )
        p95 = percentile(timings.ms, 0.95) if timings.ms else float("inf")
        lines.append(
            f"| {catalogue.backend} | {timings.label} | {measured} | {summary(timings.ms)} | "
            f"{summary(timings.client_ms)} | {summary(timings.cpu_ms)} | "
            f"{len(timings.errors)} | {'✅' if p95 <= 50 else '❌'} |"
        )
    lines.append("")
    for catalogue in catalogues:
        lines.append(
            f"{catalogue.backend} catalogue: {catalogue.editions:,} editions, {catalogue.built}."
        )
    for catalogue, timings in rows:
        if timings.hits:
            no_hits = sum(h == 0 for h in timings.hits)
            full = sum(h >= limit for h in timings.hits)
            lines.append(
                f"{catalogue.backend} {timings.label}: {no_hits} queries found nothing, "
                f"{full} found {limit} or more."
            )
        by_kind = []
        for kind, _ in MIX:
            ms = [m for m, k in zip(timings.ms, timings.kinds, strict=True) if k == kind]
            cpu = [m for m, k in zip(timings.cpu_ms, timings.kinds, strict=False) if k == kind]
            if ms:
                shown = f"{kind} {statistics.median(ms):.0f} / {percentile(ms, 0.95):.0f}"
                if cpu:
                    shown += f" (CPU {statistics.median(cpu):.0f} / {percentile(cpu, 0.95):.0f})"
                by_kind.append(shown)
        lines.append(
            f"{catalogue.backend} {timings.label}, p50 / p95 ms by kind: {'; '.join(by_kind)}."
        )
        slowest = "; ".join(f"{ms:.0f} ms {what}" for ms, what in timings.slowest)
        lines.append(f"{catalogue.backend} {timings.label}, slowest: {slowest}.")
        for error in timings.errors[:5]:
            lines.append(f"{catalogue.backend} {timings.label}, error: {error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the catalogues, time the searches, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--size",
        type=sizes_arg,
        default=[1_000_000],
        help="editions in the catalogue (default 1M; accepts k and M)",
    )
    parser.add_argument(
        "--workdir",
        help="where the .bib and the SQLite catalogue go "
        "(default: a temporary directory, removed afterwards)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --workdir: keep the .bib and catalogues an earlier run built",
    )
    parser.add_argument(
        "--postgres-url",
        help="also on PostgreSQL: a database biblio_search_N is created on this server",
    )
    parser.add_argument(
        "--postgres-db",
        metavar="URL",
        help="measure this existing PostgreSQL catalogue as it is (say one that a --parts "
        "import had built part of) instead of building one",
    )
    parser.add_argument(
        "--sqlite",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure SQLite (default: yes)",
    )
    parser.add_argument(
        "--parts",
        type=int,
        default=1,
        help="import the .bib in this many consecutive parts, one process each (bounds the "
        "import's memory: a whole 1M file takes about 10 GiB)",
    )
    parser.add_argument("--queries", type=int, default=300, help="how many (default 300)")
    parser.add_argument(
        "--limit", type=int, default=50, help="search's limit (default 50, a web page of results)"
    )
    parser.add_argument(
        "--library",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time queries.search in this process (default: yes)",
    )
    parser.add_argument("--web", action="store_true", help="also GET /?q= through gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=900,
        help="bound on each backend's and path's run (default 900)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write every timing to FILE")
    args = parser.parse_args(argv)  # fmt: skip
    if args.reuse and not args.workdir:
        parser.error("--reuse needs --workdir")
    if len(args.size) != 1:
        parser.error("--size takes one size")
    n = args.size[0]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-search-")).absolute()
    workdir.mkdir(parents=True, exist_ok=True)

    bib = prepare_bib(n, workdir, args.reuse)
    catalogues = []
    if args.sqlite:
        catalogues.append(sqlite_catalogue(bib, workdir, args.reuse, args.parts))
    if args.postgres_db:
        catalogues.append(Catalogue(args.postgres_db, "PostgreSQL", "given (--postgres-db)"))
    elif args.postgres_url:
        catalogues.append(
            postgres_catalogue(bib, workdir, args.postgres_url, args.reuse, args.parts)
        )
    if not catalogues:
        parser.error("nothing to measure: --no-sqlite and no --postgres-url")
    rows: list[tuple[Catalogue, Timings]] = []
    raw: dict[str, object] = {}
    try:
        for catalogue in catalogues:
            with reading(catalogue.db) as read:
                catalogue.editions = read(count_editions)  # type: ignore[assignment]
        with reading(catalogues[0].db) as read:
            queries = realistic_queries(read, args.queries)
        for catalogue in catalogues:
            if args.library:
                progress(f"{catalogue.backend}: {len(queries)} searches in the library …")
                timings = time_library(catalogue.db, queries, args.limit, args.max_seconds)
                rows.append((catalogue, timings))
                progress(f"{catalogue.backend} library: {summary(timings.ms)} ms")
            if args.web:
                progress(f"{catalogue.backend}: {len(queries)} searches through gunicorn …")
                log = workdir / f"serve-{catalogue.backend.lower()}.log"
                web = time_web(catalogue.db, queries, args.workers, log, args.max_seconds)
                rows.append((catalogue, web))
                progress(f"{catalogue.backend} web: server {summary(web.ms)} ms, "
                         f"client {summary(web.client_ms)} ms")  # fmt: skip
        for catalogue, timings in rows:
            raw[f"{catalogue.backend} {timings.label}"] = {
                "ms": timings.ms, "client_ms": timings.client_ms, "cpu_ms": timings.cpu_ms,
                "hits": timings.hits,
                "kinds": timings.kinds, "errors": timings.errors,
            }  # fmt: skip
        raw["queries"] = [[q.text, q.kind] for q in queries]
    finally:
        if args.postgres_url and not args.reuse:
            drop_postgres(args.postgres_url, n, workdir)
        if args.workdir is None:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    print(report(n, catalogues, rows, queries, args.limit, args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
