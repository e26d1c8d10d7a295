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

from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request

from ..config import Target
from ..db import open_catalogue, session_scope
from ..errors import BiblioError, NotFound
from ..queries import Filters, get_edition, list_editions, search

FILTERS = ("translator", "author", "editor", "publisher", "year", "original",
           "original_language", "form", "keyword")  # fmt: skip
PAGE = 50
EXPORTS = {
    "biblatex": ("bib", "text/plain"), "bibtex": ("bib", "text/plain"),
    "csl-json": ("json", "application/json"), "ris": ("ris", "application/x-research-info-systems"),
    "annotated": ("html", "text/html"),
}  # fmt: skip
"""Downloadable formats: file suffix and media type (an annotated bibliography as HTML)."""


def create_app(target: Target) -> Flask:
    """The web application for the catalogue at ``target`` (opened for reading)."""
    app = Flask(__name__)
    app.jinja_env.filters["urlencode_page"] = _with_page
    engine = open_catalogue(target, read_only=True)

    def reading(work: Any) -> Any:
        with session_scope(engine, commit=False) as session:
            return work(session)

    def chosen() -> tuple[Filters, str]:
        values: dict[str, Any] = {
            name: (request.args.get(name) or "").strip() or None for name in FILTERS
        }
        return Filters(**values), (request.args.get("q") or "").strip()

    def editions(filters: Filters, query: str) -> list[Any]:
        if query:
            found = reading(lambda s: search(s, query))
            if any(getattr(filters, name) for name in FILTERS):
                allowed = {v.key for v in reading(lambda s: list_editions(s, filters))}
                found = [v for v in found if v.key in allowed]
            return found  # type: ignore[no-any-return]
        return reading(lambda s: list_editions(s, filters))  # type: ignore[no-any-return]

    @app.after_request
    def secure(response: Any) -> Any:
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.errorhandler(BiblioError)
    def refused(exc: BiblioError) -> Any:
        return render_template("error.html", message=str(exc)), 400

    @app.get("/")
    def index() -> Any:
        filters, query = chosen()
        try:
            page = max(1, int(request.args.get("page", "1")))
        except ValueError:
            abort(400)
        found = editions(filters, query)
        shown = found[(page - 1) * PAGE : page * PAGE]
        return render_template(
            "index.html", query=query, filters=filters, names=FILTERS, editions=shown,
            total=len(found), page=page, pages=max(1, -(-len(found) // PAGE)), exports=EXPORTS,
        )  # fmt: skip

    @app.get("/editions/<key>")
    def edition(key: str) -> Any:
        try:
            view = reading(lambda s: get_edition(s, key))
        except NotFound:
            abort(404)
        others = []
        if view.original is not None:
            others = [
                v
                for v in reading(lambda s: list_editions(s, Filters(original=view.original.key)))
                if v.key != key
            ]
        return render_template("edition.html", edition=view, others=others)

    @app.get("/works/<key>")
    def work(key: str) -> Any:
        found = reading(lambda s: list_editions(s, Filters(original=key)))
        found = [v for v in found if v.original is not None and v.original.key == key]
        if not found:
            abort(404)
        from ..languages import english_name

        by_language: dict[str, list[Any]] = {}
        for view in sorted(found, key=lambda v: (v.year is None, v.year or 0, v.key)):
            shown = english_name(view.language) if view.language else "language not recorded"
            by_language.setdefault(shown, []).append(view)
        by_language = dict(sorted(by_language.items()))
        return render_template("work.html", original=found[0].original,
                               authors=found[0].authors, by_language=by_language)  # fmt: skip

    @app.get("/people")
    def person() -> Any:
        from ..edits import person_named
        from ..queries import person_record

        name = (request.args.get("name") or "").strip()
        if not name:
            abort(400)
        try:
            record = reading(lambda s: person_record(s, person_named(s, name)))
        except NotFound:
            abort(404)
        return render_template("person.html", person=record)

    @app.get("/publishers")
    def publisher() -> Any:
        from ..edits import publisher_named
        from ..queries import editions_published_by

        name = (request.args.get("name") or "").strip()
        if not name:
            abort(400)

        def read(session: Any) -> tuple[str, list[Any]]:
            found = publisher_named(session, name)
            return found.name, editions_published_by(session, found.id)

        try:
            shown, published = reading(read)
        except NotFound:
            abort(404)
        return render_template("publisher.html", name=shown, editions=published)

    @app.get("/export/<fmt>")
    def export(fmt: str) -> Any:
        """The result set of the same search and filters, as a file to download."""
        from dataclasses import replace

        from ..export import export_selection

        if fmt not in EXPORTS:
            abort(404)
        filters, query = chosen()
        if query:
            filters = replace(filters, keys=tuple(v.key for v in editions(filters, query)))
        result = reading(lambda s: export_selection(s, filters, fmt, target="html"))
        suffix, mimetype = EXPORTS[fmt]
        return Response(
            result.text,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="biblio.{suffix}"'},
        )

    @app.get("/api/editions")
    def api_editions() -> Any:
        filters, query = chosen()
        return jsonify([v.as_dict() for v in editions(filters, query)])

    @app.get("/api/editions/<key>")
    def api_edition(key: str) -> Any:
        try:
            return jsonify(reading(lambda s: get_edition(s, key)).as_dict())
        except NotFound:
            return jsonify({"error": f"no edition with key {key!r}"}), 404

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
