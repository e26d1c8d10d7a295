"""The catalogue in a browser, for readers: a thin Flask layer over the library.

Pages: search and filters (the same ``queries.search`` and ``queries.list_editions`` the
command line calls), an edition with its original and the original's other translations, and
a JSON API (``/api/editions?translator=...``, ``/api/editions/KEY``) with the fields of
``biblio list --format json``. Every value is escaped by Jinja2's autoescape; every response
carries a Content-Security-Policy of ``default-src 'self'`` (no inline script). Reading only:
each request runs in a read transaction, which never waits for a writer. Librarians' pages
(login, editing, history) are still to come (issue 12).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, g, render_template

from ..config import Target
from ..errors import BiblioError


def create_app(target: Target) -> Flask:
    """The web application for the catalogue at ``target``."""
    from .reader import pages
    from .store import Store

    app = Flask(__name__)
    app.jinja_env.filters["urlencode_page"] = _with_page
    app.extensions["biblio"] = Store(target)
    app.register_blueprint(pages)

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def secure(response: Any) -> Any:
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.errorhandler(BiblioError)
    def refused(exc: BiblioError) -> Any:
        return render_template("error.html", message=str(exc)), 400

    return app


def _with_page(args: Any, page: int) -> str:
    from urllib.parse import urlencode

    return urlencode({**args.to_dict(), "page": page})


def serve(target: Target, host: str, port: int, workers: int) -> None:
    """Run the application under gunicorn (``workers`` processes, each with its own
    connections, opened after the fork) until interrupted."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")

        def load(self) -> Flask:
            return create_app(target)

    Server().run()


def wsgi() -> Flask:
    """For a WSGI server: the catalogue named by ``BIBLIO_DB`` (or the default)."""
    from ..config import resolve

    return create_app(resolve(None))
