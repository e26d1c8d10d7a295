"""What the browser tests and docs/screenshots.py share: Debian's chromium launched by
Playwright (``playwright install`` cannot download here), and `biblio serve` run as a real
gunicorn on 127.0.0.1 over a catalogue file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's chromium (package ``chromium``), which ``.ci/run`` installs."""

IN_CI = os.environ.get("BIBLIO_REQUIRE_CLIENTS") == "1" or os.environ.get("CI") == "true"


def launch_options() -> dict[str, Any]:
    """Playwright's ``chromium.launch`` arguments for Debian's chromium, headless. As root (CI)
    chromium needs ``--no-sandbox``; nothing is fetched in the background."""
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": ["--no-sandbox", "--disable-background-networking"],
    }


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return f"{CHROMIUM} not installed (Debian package chromium; .ci/run installs it)"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: str, log: Path, *, workers: int = 2, attempts: int = 3) -> Iterator[str]:
    """Run ``biblio --db DB serve`` (gunicorn, ``workers`` processes) on a free port of
    127.0.0.1 until the block ends; yield its base URL once it answers. Its output goes to
    ``log`` (a pipe nobody reads would fill up and stall it). Another process may take the
    port between choosing and binding it: then it is tried again on another."""
    for _ in range(attempts):
        port = free_port()
        with log.open("ab") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "biblio", "--db", db, "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", str(workers)],
                stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            if _answers(url, server):
                yield url
                return
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    raise RuntimeError(f"biblio serve did not start; its log:\n{log.read_text()[-3000:]}")


def _answers(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> bool:
    """Whether the server at ``url`` answers a request for its index page before ``timeout``
    seconds (False as soon as it has exited: it could not bind the port, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/", timeout=5):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True  # it answers; the tests say what is wrong with the page
        except OSError:
            time.sleep(0.1)
    return False
