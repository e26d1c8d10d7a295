"""Readers' pages: search and filters, editions, works, people, publishers, the annotated
bibliography, the translation statistics and their pictures, downloads of a result set, and
the JSON API. The same library functions the command line calls (``queries.search``,
``queries.list_editions``, ``export.export_selection``, ``stats``, ``plots``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request
from markupsafe import Markup

from .. import plots, stats
from ..errors import NotFound
from ..queries import Filters, get_edition, list_editions, search
from .store import reading

FILTERS = ("translator", "author", "editor", "publisher", "year", "original",
           "original_language", "form", "keyword")  # fmt: skip
PAGE = 50
EXPORTS = {
    "biblatex": ("bib", "text/plain"), "bibtex": ("bib", "text/plain"),
    "csl-json": ("json", "application/json"), "ris": ("ris", "application/x-research-info-systems"),
    "annotated": ("html", "text/html"),
}  # fmt: skip
"""Downloadable formats: file suffix and media type (an annotated bibliography as HTML)."""
STATS_ROWS = 100
"""Rows of a statistics table shown on the page; all of them are at /api/stats/NAME."""
PICTURES = {
    "timeline": (stats.timeline_rows, plots.timeline_picture),
    "translators": (stats.translator_rows, plots.translator_picture),
}
"""The statistics' pictures: their rows and how they are drawn, as ``biblio stats`` does."""

pages = Blueprint("reader", __name__)


def chosen() -> tuple[Filters, str]:
    """The filters and the search of this request's query string."""
    values: dict[str, Any] = {
        name: (request.args.get(name) or "").strip() or None for name in FILTERS
    }
    return Filters(**values), (request.args.get("q") or "").strip()


def narrowed(filters: Filters, query: str) -> Filters:
    """``filters`` narrowed to the editions the search ``query`` (if any) finds among them."""
    if query:
        return replace(filters, keys=tuple(v.key for v in editions(filters, query)))
    return filters


def page_number() -> int:
    """The page this request asks for (1 by default); 400 for a page that is no number or
    past any catalogue (a million pages of 50)."""
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(400)
    if page > 1_000_000:
        abort(400)
    return page


def editions(filters: Filters, query: str) -> list[Any]:
    """The editions a search (if any) finds among those the filters allow."""
    if query:
        found = reading(lambda s: search(s, query))
        if any(getattr(filters, name) for name in FILTERS):
            allowed = {v.key for v in reading(lambda s: list_editions(s, filters))}
            found = [v for v in found if v.key in allowed]
        return found  # type: ignore[no-any-return]
    return reading(lambda s: list_editions(s, filters))  # type: ignore[no-any-return]


@pages.get("/")
def index() -> Any:
    """Search and filters, a page of results at a time: a search alone asks the library for
    the results up to this page (best first), filters alone for this page and the count, so
    that a page of a million editions builds 50 views, not a million."""
    from ..queries import page_of_editions

    filters, query = chosen()
    page = page_number()
    filtered = any(getattr(filters, name) for name in FILTERS)
    more = False
    if query and not filtered:
        found = reading(lambda s: search(s, query, limit=page * PAGE + 1))
        more = len(found) > page * PAGE
        shown = found[(page - 1) * PAGE : page * PAGE]
        total = min(len(found), page * PAGE)
    elif query:
        found = editions(filters, query)
        shown, total = found[(page - 1) * PAGE : page * PAGE], len(found)
    else:
        total, shown = reading(lambda s: page_of_editions(s, filters, page, PAGE))
    pages = max(1, -(-total // PAGE)) + (1 if more else 0)
    return render_template(
        "index.html", query=query, filters=filters, names=FILTERS, editions=shown,
        total=total, more=more, page=page, pages=pages, exports=EXPORTS,
    )  # fmt: skip


@pages.get("/editions/<path:key>")
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


@pages.get("/works/<path:key>")
def work(key: str) -> Any:
    from ..languages import english_name

    found = reading(lambda s: list_editions(s, Filters(original=key)))
    found = [v for v in found if v.original is not None and v.original.key == key]
    if not found:
        abort(404)
    by_language: dict[str, list[Any]] = {}
    for view in sorted(found, key=lambda v: (v.year is None, v.year or 0, v.key)):
        shown = english_name(view.language) if view.language else "language not recorded"
        by_language.setdefault(shown, []).append(view)
    by_language = dict(sorted(by_language.items()))
    return render_template("work.html", original=found[0].original,
                           authors=found[0].authors, by_language=by_language)  # fmt: skip


@pages.get("/people")
def person() -> Any:
    """A person by any of their names, or by #ID; a name two people bear lists them both."""
    from ..edits import person_named
    from ..errors import AmbiguousName
    from ..queries import person_record

    name = (request.args.get("name") or "").strip()
    if not name:
        abort(400)
    try:
        record = reading(lambda s: person_record(s, person_named(s, name)))
    except NotFound:
        abort(404)
    except AmbiguousName as exc:
        return render_template("namesakes.html", name=name, candidates=exc.candidates)
    return render_template("person.html", person=record)


@pages.get("/publishers")
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


@pages.get("/export/<fmt>")
def export(fmt: str) -> Any:
    """The result set of the same search and filters, as a file to download."""
    from ..export import export_selection

    if fmt not in EXPORTS:
        abort(404)
    filters = narrowed(*chosen())
    result = reading(lambda s: export_selection(s, filters, fmt, target="html"))
    suffix, mimetype = EXPORTS[fmt]
    return Response(
        result.text,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="biblio.{suffix}"'},
    )


@pages.get("/annotated")
def annotated() -> Any:
    """The annotated bibliography of the same search and filters, a page at a time: what
    ``biblio export --format annotated --to html`` writes, in its order and under its
    headings."""
    from ..export import annotated_keys, export_selection

    filters, query = chosen()
    selected = narrowed(filters, query)
    page = page_number()

    def read(session: Any) -> tuple[int, str]:
        keys = annotated_keys(session, selected)
        shown = tuple(keys[(page - 1) * PAGE : page * PAGE])
        if not shown:
            return len(keys), ""
        result = export_selection(session, Filters(keys=shown), "annotated", target="html",
                                  references=False)  # fmt: skip
        return len(keys), result.text

    total, text = reading(read)
    # The exporter escapes every value itself: its HTML is biblio export's, byte for byte.
    return render_template(
        "annotated.html", query=query, filters=filters, names=FILTERS, total=total,
        bibliography=Markup(text), page=page, pages=max(1, -(-total // PAGE)),
    )  # fmt: skip


@pages.get("/stats")
def statistics() -> Any:
    """The translation statistics of the same search and filters: the tables of ``biblio
    stats`` (the first STATS_ROWS rows of each) and its pictures."""
    from ..errors import InvalidValue
    from ..languages import english_name, language_code

    filters, query = chosen()
    selected = narrowed(filters, query)
    language = (request.args.get("untranslated") or "").strip()

    def read(session: Any) -> tuple[dict[str, list[dict[str, Any]]], Any, str | None]:
        tables = {name: table(session, selected) for name, table in stats.TABLES.items()}
        try:
            waiting = stats.untranslated(session, language, selected) if language else None
        except InvalidValue as exc:  # a language unknown: the rest of the page still shows
            return tables, None, str(exc)
        return tables, waiting, None

    tables, waiting, refused = reading(read)
    shown_language = english_name(language_code(language)) if waiting is not None else language
    return render_template(
        "stats.html", query=query, filters=filters, names=FILTERS, tables=tables,
        untranslated=waiting, language=language, language_name=shown_language, refused=refused,
        limit=STATS_ROWS, selection=_selection_args(),
        untranslated_json=_selection_args(language=language) if language else "",
        # What the pictures draw: the dated translations the decades count, the translators
        # with a dated edition.
        translations_drawn=sum(row["translations"] for row in tables["decades"]),
        translators_drawn=sum(row["first_year"] is not None for row in tables["translators"]),
    )  # fmt: skip


@pages.get("/stats/<name>.<fmt>")
def picture(name: str, fmt: str) -> Any:
    """A picture of ``biblio stats`` (``timeline``, ``translators``) as PNG or SVG, of the
    same search and filters: what ``--plot`` draws."""
    if name not in PICTURES or fmt not in plots.FORMATS:
        abort(404)
    rows_of, draw = PICTURES[name]
    filters = narrowed(*chosen())
    rows = reading(lambda s: rows_of(s, filters))
    image, _summary = draw(rows, fmt)
    return Response(image, mimetype=plots.MEDIA_TYPES[fmt])


@pages.get("/api/stats/<name>")
def api_stats(name: str) -> Any:
    """A whole statistics table with the rows of ``biblio stats NAME --format json``
    (``untranslated`` with ``?language=``)."""
    language = (request.args.get("language") or "").strip()
    if name != "untranslated" and name not in stats.TABLES:
        return jsonify({"error": f"no statistics table {name!r}"}), 404
    if name == "untranslated" and not language:
        return jsonify({"error": "untranslated needs ?language= (a code or a name)"}), 400
    filters = narrowed(*chosen())
    if name == "untranslated":
        return jsonify(reading(lambda s: stats.untranslated(s, language, filters)))
    return jsonify(reading(lambda s: stats.TABLES[name](s, filters)))


def _selection_args(**more: str) -> str:
    """This request's search and filters (and ``more``) as a query string with its "?" (or
    nothing), for links to the pictures and the tables as JSON."""
    from urllib.parse import urlencode

    given = {k: v for k, v in request.args.items() if k in (*FILTERS, "q") and v}
    return "?" + urlencode({**given, **more}) if given or more else ""


@pages.get("/api/editions")
def api_editions() -> Any:
    filters, query = chosen()
    return jsonify([v.as_dict() for v in editions(filters, query)])


@pages.get("/api/editions/<path:key>")
def api_edition(key: str) -> Any:
    try:
        return jsonify(reading(lambda s: get_edition(s, key)).as_dict())
    except NotFound:
        return jsonify({"error": f"no edition with key {key!r}"}), 404
