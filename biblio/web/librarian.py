"""Librarians' pages: add and edit an edition (people and publishers picked from their
records as one types, a duplicate warning with "save anyway"), remove, merge with a preview,
import a file, and the history with undo. Every change goes through ``auth.change``: one
transaction, recorded under the librarian's name. The rules are the library's (``edits``,
``catalogue``, ``history``), as the command line's are."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..edits import EDITABLE, editable_values, save_edition
from ..errors import BiblioError, NeedsConfirmation, NotFound
from ..queries import edition_record
from .auth import change, librarian_only
from .store import reading

pages = Blueprint("librarian", __name__)

PEOPLE = ("authors", "translators", "editors")
TEXTAREAS = ("annotation", "work-annotation", "notes", "abstract")
FORM: list[tuple[str, tuple[str, ...]]] = [
    ("The edition", (
        "title", "subtitle", "authors", "translators", "translator-status", "editors", "year",
        "publisher", "place", "language", "edition", "series", "journal", "volume", "number",
        "pages", "isbn", "issn", "doi", "url", "form", "also-published-as", "keywords",
        "annotation", "note", "abstract", "notes", "type", "key",
    )),
    ("The original", (
        "orig-title", "orig-year", "orig-place", "orig-publisher", "orig-language",
        "work-annotation",
    )),
]  # fmt: skip
"""The form's fields, in groups, named as ``edit --set`` names them."""
FIELDS = [field for _group, fields in FORM for field in fields]
HINTS = {field: EDITABLE[field].help for field in FIELDS if field in EDITABLE}
HINTS["key"] = "citation key (left empty: made from author, year and title)"


def _posted() -> dict[str, str]:
    """The form's values: people as several inputs, joined with ";" as ``edit --set`` takes
    them."""
    values: dict[str, str] = {}
    for field in FIELDS:
        if field in PEOPLE:
            values[field] = "; ".join(v.strip() for v in request.form.getlist(field) if v.strip())
        else:
            values[field] = request.form.get(field, "").strip()
    return values


def _form(values: dict[str, str], key: str | None, **extra: Any) -> str:
    people = {f: [n.strip() for n in values.get(f, "").split(";") if n.strip()] for f in PEOPLE}
    return render_template(
        "edition_form.html", values=values, key=key, form=FORM, hints=HINTS,
        people=people, textareas=TEXTAREAS, **extra,
    )  # fmt: skip


@pages.route("/editions/new", methods=["GET", "POST"])
@librarian_only
def add() -> Any:
    if request.method == "GET":
        return _form({}, None)
    return _save(None)


@pages.route("/editions/<path:key>/edit", methods=["GET", "POST"])
@librarian_only
def edit(key: str) -> Any:
    if request.method == "GET":
        try:
            values = reading(lambda s: editable_values(s, edition_record(s, key), keep_lines=True))
        except NotFound:
            abort(404)
        return _form(values, key)
    return _save(key)


def _save(key: str | None) -> Any:
    values = _posted()
    confirmed = request.form.get("confirmed") == "yes"
    all_editions = request.form.get("all_editions") == "yes"
    what = f"add {values.get('title', '')!r}" if key is None else f"edit {key}"
    try:
        saved = change(
            lambda s: save_edition(s, values, key, all_editions=all_editions, confirmed=confirmed),
            what,
        )
    except NeedsConfirmation as exc:
        return _form(values, key, confirm=exc, all_editions=all_editions), 409
    except BiblioError as exc:
        return _form(values, key, error=str(exc), all_editions=all_editions), 400
    flash(f"Saved {saved}." if key is None else f"Saved the changes to {saved}.")
    return redirect(url_for("reader.edition", key=saved), code=303)


@pages.get("/suggest/people")
@librarian_only
def suggest_people() -> Any:
    """Search-as-you-type: the people whose names (any variant) hold what is typed, to pick
    into the input ``target``."""
    from ..queries import people_rows

    target = request.args.get("target", "")
    typed = next((v for f in PEOPLE for v in request.args.getlist(f) if v.strip()), "")
    rows = reading(lambda s: people_rows(s, typed.strip(), 10)) if len(typed.strip()) >= 2 else []
    return render_template("suggestions.html", rows=rows, target=target, kind="person")


@pages.get("/suggest/publishers")
@librarian_only
def suggest_publishers() -> Any:
    from ..queries import publisher_rows

    typed = request.args.get("publisher", "").strip()
    rows = reading(lambda s: publisher_rows(s, typed, 10)) if len(typed) >= 2 else []
    return render_template("suggestions.html", rows=rows, target="publisher",
                           kind="publisher")  # fmt: skip


@pages.get("/suggest/pick")
@librarian_only
def pick() -> Any:
    """The input ``target`` holding the name picked from the suggestions (htmx swaps it in)."""
    target, name = request.args.get("target", ""), request.args.get("name", "")
    field, _, index = target.rpartition("-")
    if target == "publisher":
        field = "publisher"
    elif field not in PEOPLE or not index.isdigit():
        abort(400)
    return render_template("picked.html", target=target, field=field, name=name)


@pages.route("/editions/<path:key>/remove", methods=["GET", "POST"])
@librarian_only
def remove(key: str) -> Any:
    from ..edits import remove_edition
    from ..queries import get_edition

    try:
        view = reading(lambda s: get_edition(s, key))
    except NotFound:
        abort(404)
    if request.method == "GET":
        return render_template("remove.html", edition=view)
    removed = change(lambda s: remove_edition(s, key), f"remove {key}")
    flash(f"Removed {', '.join(removed)}.")
    return redirect("/", code=303)


@pages.route("/merge", methods=["GET", "POST"])
@librarian_only
def merge() -> Any:
    """Merge people, publishers or works: a preview of what moves, then the merge."""
    from ..edits import merge_people, merge_publishers, merge_works
    from ..history import pending_updates

    kind = request.values.get("kind", "person")
    keep = request.values.get("keep", "").strip()
    drop = request.values.get("drop", "").strip()
    if kind not in ("person", "publisher", "work"):
        abort(400)
    shown = {"kind": kind, "keep": keep, "drop": drop}
    if request.method == "GET" or not (keep and drop):
        return render_template("merge.html", **shown)
    merge_one = {"person": merge_people, "publisher": merge_publishers, "work": merge_works}[kind]

    def preview(session: Any) -> tuple[str, list[tuple[str, str, dict[str, Any], dict[str, Any]]]]:
        return merge_one(session, keep, drop), pending_updates(session)

    try:
        if request.form.get("confirmed") != "yes":
            kept, updates = change(preview, "preview", commit=False)
            return render_template("merge.html", preview=updates, kept=kept, **shown)
        kept = change(lambda s: merge_one(s, keep, drop), f"merge {kind} {keep!r} {drop!r}")
    except BiblioError as exc:
        return render_template("merge.html", error=str(exc), **shown), 400
    flash(f"Merged {drop} into {kept}.")
    return redirect(url_for("librarian.merge"), code=303)


@pages.get("/history")
@librarian_only
def history_page() -> Any:
    from .. import history

    key = request.args.get("key", "").strip() or None
    user = request.args.get("user", "").strip() or None
    since = request.args.get("since", "").strip() or None

    def read(session: Any) -> tuple[list[Any], dict[int, list[str]]]:
        found = history.changes(session, key, None, since, user, 50)
        return found, history.describe(session, found)

    try:
        changes, lines = reading(read)
    except NotFound as exc:
        return render_template("history.html", changes=[], lines={}, error=str(exc),
                               key=key, user=user, since=since), 404  # fmt: skip
    return render_template("history.html", changes=changes, lines=lines, key=key, user=user,
                           since=since)  # fmt: skip


@pages.post("/history/<int:change_id>/undo")
@librarian_only
def undo(change_id: int) -> Any:
    from .. import history

    try:
        restored = change(lambda s: history.undo(s, change_id),
                          f"undo {change_id}")  # fmt: skip
    except BiblioError as exc:
        flash(f"Not undone: {exc}")
        return redirect(url_for("librarian.history_page"), code=303)
    flash(f"Undid change #{change_id} ({restored} rows put back).")
    back = request.form.get("key")
    return redirect(url_for("librarian.history_page", key=back) if back else
                    url_for("librarian.history_page"), code=303)  # fmt: skip


@pages.route("/import", methods=["GET", "POST"])
@librarian_only
def import_file() -> Any:
    """Import an uploaded file (.bib, RIS, CSL-JSON, MARC 21) as ``biblio import`` does: all or
    nothing (unless "skip what cannot be read"), then the import's report."""
    from ..catalogue import import_records
    from ..formats import read_upload
    from ..problems import errors

    if request.method == "GET":
        return render_template("import.html")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("import.html", error="Choose a file to import."), 400
    fmt = request.form.get("format") or None
    if fmt not in (None, "bibtex", "csl-json", "ris", "marc", "marcxml"):
        abort(400)
    on_duplicate = request.form.get("on_duplicate", "skip")
    if on_duplicate not in ("skip", "update", "error"):
        abort(400)
    encoding = request.form.get("encoding", "").strip() or None
    skip_invalid = request.form.get("skip_invalid") == "yes"
    dry_run = request.form.get("dry_run") == "yes"
    name = upload.filename
    try:
        entries, problems = read_upload(name, upload.read(), fmt, encoding)
        refused = errors(problems)
        if refused and not skip_invalid:
            return render_template("import.html", refused=refused), 400
        records = [entry.record for entry in entries]

        def work(session: Any) -> Any:
            return import_records(session, [], records, on_duplicate)

        report = change(work, f"import {name}", commit=not dry_run)
    except BiblioError as exc:
        return render_template("import.html", error=str(exc)), 400
    return render_template(
        "import.html", report=report, dry_run=dry_run, entries=len(records), refused=refused,
        warnings=[p for p in problems if not p.is_error], name=name,
    )  # fmt: skip
