"""The catalogue's history: every change recorded in the catalogue itself, and undone.

Every row a write inserts, updates or deletes is recorded (``ChangeRow``) under one ``Change``
per transaction: when, by whom, by which command, and for each row the fields before and
after. Rows written through the ORM are recorded by mapper events; the few statements that
write past the ORM (the bulk import's INSERTs, a key renamed, credits moved by a merge) go
through ``record_inserts`` and ``update_rows`` here. A command names its change with
``start`` inside its transaction; a write that names none is recorded as a "change" with the
process's command line. The change is written when its transaction commits, and only if it
changed something: an import that finds everything as it was leaves no trace.

``undo`` reverts one change as a new change (recorded too), and refuses while a later change,
not itself undone, touched one of its rows: undo that one first.

Who: ``BIBLIO_USER`` if set (the web layer sets its user), else the operating system's user.
"""

from __future__ import annotations

import getpass
import os
import shlex
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import event, insert, inspect, select, text, update
from sqlalchemy.orm import Mapper, Session

from . import search_names
from .errors import InvalidValue, NotFound
from .models import (
    CHANGE_KINDS,
    Base,
    Change,
    ChangeRow,
    Edition,
    LoginFailure,
    Person,
    Publisher,
    User,
    Work,
)

INFO_KEY = "biblio.history"
CHUNK = 500

PARENTS = {
    "contribution": None,  # its edition's or its work's
    "alternate_title": "edition",
    "keyword": "edition",
    "edition_parent": "edition",
    "person_name": "person",
    "publisher_name": "publisher",
}
LABELS = {"edition": "key", "work": "key", "person": "sort_name", "publisher": "name"}


def current_user() -> str:
    """Who is changing the catalogue: ``BIBLIO_USER``, else the operating system's user."""
    user = os.environ.get("BIBLIO_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def command_line() -> str:
    """This process's command line, as a user would type it."""
    name = os.path.basename(sys.argv[0]) if sys.argv else "biblio"
    if name in ("__main__.py", "cli.py"):
        name = "biblio"
    return shlex.join([name, *sys.argv[1:]])


@dataclass
class _Pending:
    kind: str
    command: str
    user: str
    undoes: int | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    inserted: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    largest: dict[str, int] = field(default_factory=dict)  # row ids recorded, by table
    # Name texts written exact by a bulk import (``names_written``): its rows' span, editions.
    names_written: tuple[int, int, set[int]] | None = None
    in_bulk: bool = False


def start(session: Session, kind: str, command: str | None = None, user: str | None = None) -> None:
    """Record what this transaction of ``session`` writes as one change of ``kind`` (see
    ``models.CHANGE_KINDS``), made by ``command`` (default: this process's command line)."""
    if kind not in CHANGE_KINDS:
        raise ValueError(f"unknown kind of change {kind!r}")
    session.info[INFO_KEY] = _Pending(kind, command or command_line(), user or current_user())


def name(session: Session, kind: str) -> None:
    """Name this transaction's change ``kind``, unless its caller named it with ``start``."""
    pending = _pending(session)
    if pending.kind == "change":
        pending.kind = kind


def _pending(session: Session) -> _Pending:
    pending = session.info.get(INFO_KEY)
    if pending is None:
        pending = _Pending("change", command_line(), current_user())
        session.info[INFO_KEY] = pending
    return pending


def pending_updates(session: Session) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """The fields this transaction has changed so far, row by row: (record, its key or name
    where known, before, after). An import's dry run shows them before it rolls back."""
    session.flush()
    pending = session.info.get(INFO_KEY)
    if pending is None or not any(r["action"] == "u" for r in pending.rows):
        return []
    return [
        (r["record"], str(r["label"] or r["record"]), r["before"], r["after"])
        for r in pending.rows
        if r["action"] == "u" and r["row_id"] not in pending.inserted.get(r["table_name"], ())
    ]


def inserted(session: Session, table: str) -> set[int]:
    """The ids of the rows of ``table`` this transaction's change has inserted so far."""
    session.flush()
    pending = session.info.get(INFO_KEY)
    return set(pending.inserted.get(table, ())) if pending is not None else set()


def record_of(table: str, values: dict[str, Any]) -> tuple[str, str | None]:
    """("edition:12", "serge1967birth"): the record a row of ``table`` belongs to, and its
    key or name where the row is the record's own."""
    if table in PARENTS:
        parent = PARENTS[table]
        if parent is None:
            parent = "edition" if values.get("edition_id") is not None else "work"
        return f"{parent}:{values.get(parent + '_id')}", None
    label = values.get(LABELS[table]) if table in LABELS else None
    return f"{table}:{values.get('id')}", label


_SUSPENDED: list[bool] = []


@contextmanager
def names_written(session: Session) -> Iterator[set[int]]:
    """A bulk import's writes, inside which it writes each new edition's name text (what the
    names search finds it by: ``search_names``) as the catalogue's names give it by then, and
    adds the edition's id to the set yielded. The commit then does not check those texts
    again, nor follow the records created inside to them (they reach no other edition):
    it checks only what the rest of the change reaches. Anything written after the block
    (or the block ending in an error) has every text checked, as ever. At 100,000 new
    editions the check took 3.3 s of a 48 s import."""
    pending = _pending(session)
    first = len(pending.rows)
    editions: set[int] = set()
    pending.in_bulk = True
    try:
        yield editions
    finally:
        pending.in_bulk = False
    pending.names_written = (first, len(pending.rows), editions)
    session.flush()  # what the ORM still held was written after: everything is checked


@contextmanager
def suspended() -> Iterator[None]:
    """Record nothing inside this block: only for measuring what recording costs
    (``benchmarks/history.py``); no command of biblio's uses it. Nothing recorded, the
    names search finds editions by (``search_names``) are not kept up either."""
    _SUSPENDED.append(True)
    try:
        yield
    finally:
        _SUSPENDED.pop()


def _add(session: Session, table: str, action: str, values: dict[str, Any], **rest: Any) -> None:
    if _SUSPENDED:
        return
    pending = _pending(session)
    if not pending.in_bulk:
        pending.names_written = None  # written after a bulk import: its name texts checked
    if table in PARENTS:
        record, label = record_of(table, values)
        parent, _, parent_id = record.partition(":")
        if parent_id.isdigit() and int(parent_id) in pending.inserted.get(parent, ()):
            return  # part of a record this change creates: it comes and goes with it
    else:
        record, label = record_of(table, values)
    if action == "i":
        pending.inserted[table].add(values["id"])
    if values["id"] > pending.largest.get(table, 0):
        pending.largest[table] = values["id"]
    pending.rows.append(
        {
            "seq": len(pending.rows),
            "table_name": table,
            "row_id": values["id"],
            "action": action,
            "record": record,
            "label": label,
            "before": rest.get("before"),
            "after": rest.get("after"),
        }
    )


def _json(value: Any) -> Any:
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _columns(table: Any) -> list[str]:
    return [c.name for c in table.columns]


# ----------------------------------------------------------------------------- recording


def record_inserts(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Record rows about to be INSERTed past the ORM (each with its ``id``): the bulk import's
    many rows, so without a call per row."""
    table = model.__table__.name
    if table in ("change", "change_row") or _SUSPENDED:
        return
    pending = _pending(session)
    if not pending.in_bulk:
        pending.names_written = None
    if table in PARENTS:
        for row in rows:
            parent = PARENTS[table] or ("edition" if row.get("edition_id") is not None else "work")
            if row.get(parent + "_id") not in pending.inserted.get(parent, ()):
                _add(session, table, "i", row)
        return
    ids = pending.inserted[table]
    label = LABELS.get(table)
    append = pending.rows.append
    if rows:
        pending.largest[table] = max(pending.largest.get(table, 0), max(r["id"] for r in rows))
    for row in rows:
        ids.add(row["id"])
        append({
            "seq": 0, "table_name": table, "row_id": row["id"], "action": "i",
            "record": f"{table}:{row['id']}", "label": row.get(label) if label else None,
            "before": None, "after": None,
        })  # fmt: skip


def update_rows(session: Session, model: type[Any], where: Any, values: dict[str, Any]) -> int:
    """UPDATE ``model``'s rows matching ``where`` to ``values`` past the ORM, recording each
    row's changed fields; the number of rows changed."""
    table = model.__table__
    names = sorted({"id", *values, *_context_columns(table.name)} & set(_columns(table)))
    found = session.execute(select(*[table.c[n] for n in names]).where(where)).mappings().all()
    changed = 0
    for row in found:
        before = {k: _json(row[k]) for k in values if row[k] != values[k]}
        if before:
            after = {k: _json(values[k]) for k in before}
            _add(session, table.name, "u", dict(row), before=before, after=after)
            changed += 1
    if found:
        session.execute(update(model).where(where).values(**values))
    return changed


def _context_columns(table: str) -> tuple[str, ...]:
    if table in PARENTS:
        parent = PARENTS[table]
        return ("edition_id", "work_id") if parent is None else (parent + "_id",)
    return (LABELS[table],) if table in LABELS else ()


def _values(target: Any, table: Any) -> dict[str, Any]:
    state = inspect(target)
    return {name: _json(state.dict.get(name)) for name in _columns(table) if name in state.dict}


def _after_insert(_mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    session = Session.object_session(target)
    if session is not None:
        table = target.__table__
        _add(session, table.name, "i", _values(target, table))


def _before_update(_mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    session = Session.object_session(target)
    if session is None:
        return
    table = target.__table__
    state = inspect(target)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        name = prop.key
        history = state.attrs[name].history
        if history.added or history.deleted:
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                before[name], after[name] = _json(old), _json(new)
    if before:
        values = _values(target, table)
        values["id"] = target.id
        _add(session, table.name, "u", values, before=before, after=after)


def _before_delete(_mapper: Mapper[Any], connection: Any, target: Any) -> None:
    session = Session.object_session(target)
    if session is None:
        return
    table = target.__table__
    row = connection.execute(select(table).where(table.c.id == target.id)).mappings().first()
    values = {k: _json(v) for k, v in (row or _values(target, table)).items()}
    _add(session, table.name, "d", values, before=values)


def _write(session: Session) -> None:
    pending = session.info.get(INFO_KEY)
    if pending is None:
        return
    session.flush()  # what the ORM still holds is recorded by the mapper events
    session.info.pop(INFO_KEY, None)
    rows = pending.rows  # every step, in order: undo takes them back in reverse
    if not rows:
        return
    connection = session.connection()
    # Each edition's name text (the names search finds it by) follows what this change
    # wrote; derived from the rows recorded, it is not recorded itself.
    records = list(_records(rows))
    written = pending.names_written
    if written is None:
        search_names.refresh(connection, search_names.reached(connection, records))
    else:  # a bulk import wrote them exact: the rest of the change is followed
        first, end, editions = written
        created = {
            row["record"] for row in rows[first:end]
            if row["action"] == "i" and row["record"] == f"{row['table_name']}:{row['row_id']}"
        }  # fmt: skip
        records = [(kind, i) for kind, i in records if f"{kind}:{i}" not in created]
        search_names.refresh(connection, search_names.reached(connection, records) - editions)
    change_id = connection.execute(
        insert(Change)
        .values(
            at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            user_name=pending.user[:200],
            kind=pending.kind,
            command=pending.command,
            undoes_id=pending.undoes,
        )
        .returning(Change.id)
    ).scalar_one()
    for seq, row in enumerate(rows):
        row["change_id"], row["seq"] = change_id, seq
        if row["label"] is not None:
            row["label"] = str(row["label"])[:400]
    # Inserts carry no fields (no JSON to encode): written apart, their before and after NULL.
    bare = [{k: v for k, v in r.items() if k not in ("before", "after")} for r in rows
            if r["before"] is None and r["after"] is None]  # fmt: skip
    full = [r for r in rows if r["before"] is not None or r["after"] is not None]
    for group in (bare, full):
        statement = insert(ChangeRow)
        for start_at in range(0, len(group), CHUNK):
            connection.execute(statement, group[start_at : start_at + CHUNK])
    if pending.undoes is not None:
        connection.execute(
            update(Change).where(Change.id == pending.undoes).values(undone_by_id=change_id)
        )


def _records(rows: list[dict[str, Any]]) -> Iterator[tuple[str, int]]:
    """("person", 12)...: the records the rows of a change belong to."""
    for record in {row["record"] for row in rows}:
        kind, _, record_id = record.partition(":")
        if record_id.isdigit():
            yield kind, int(record_id)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(INFO_KEY, None)


def _watched(cls: type[Any]) -> bool:
    return cls not in (Change, ChangeRow, User, LoginFailure)


def largest_id(connection: Any, table: str, session: Session | None = None) -> int:
    """The largest id ``table`` has given on SQLite: of its rows, of the rows the history
    names, and of the rows this transaction's change has recorded so far. A new row takes one
    above, so that a removed record's id is never given to another (the history names
    records by id)."""
    largest = max(
        connection.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0,  # noqa: S608
        connection.execute(
            text("SELECT max(row_id) FROM change_row WHERE table_name = :t"), {"t": table}
        ).scalar()
        or 0,
    )
    pending = session.info.get(INFO_KEY) if session is not None else None
    if pending is not None:
        largest = max(largest, pending.largest.get(table, 0))
    return int(largest)


def _assign_id(_mapper: Mapper[Any], connection: Any, target: Any) -> None:
    if target.id is None and connection.dialect.name == "sqlite":
        # One flush asks for all its rows' ids before it inserts any: count them as given.
        session = Session.object_session(target)
        table = target.__table__.name
        target.id = largest_id(connection, table, session) + 1
        if session is not None:
            _pending(session).largest[table] = target.id


def install() -> None:
    """Listen to every catalogue table's writes and to every session's commit (once)."""
    if getattr(install, "done", False):
        return
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if _watched(cls):
            event.listen(cls, "before_insert", _assign_id)
            event.listen(cls, "after_insert", _after_insert)
            event.listen(cls, "before_update", _before_update)
            event.listen(cls, "before_delete", _before_delete)
    event.listen(Session, "before_commit", _write)
    event.listen(Session, "after_rollback", _forget)
    install.done = True  # type: ignore[attr-defined]


install()


# ----------------------------------------------------------------------------- reading


@dataclass
class RowView:
    """One row of a change, as ``biblio history`` shows it."""

    table: str
    row_id: int
    action: str
    record: str
    label: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class ChangeView:
    """One change, with its rows (those of the records asked about, or all)."""

    id: int
    at: str
    user: str
    kind: str
    command: str
    undoes: int | None
    undone_by: int | None
    rows: list[RowView]
    total_rows: int


def _records_for_key(session: Session, key: str) -> set[str]:
    found = set(
        session.scalars(
            select(ChangeRow.record).where(
                ChangeRow.label == key, ChangeRow.table_name.in_(("edition", "work"))
            )
        )
    )
    for model, prefix in ((Edition, "edition"), (Work, "work")):
        row_id = session.scalar(select(model.id).where(model.key == key))
        if row_id is not None:
            found.add(f"{prefix}:{row_id}")
    return found


def changes(
    session: Session,
    key: str | None = None,
    person: int | None = None,
    since: str | None = None,
    user: str | None = None,
    limit: int | None = None,
    rows_per_change: int | None = 50,
) -> list[ChangeView]:
    """The catalogue's changes, newest first: all, or those touching the edition or work
    ``key`` (under any key it had), the person with id ``person``, made on or after ``since``
    (YYYY, YYYY-MM or YYYY-MM-DD, UTC) or by ``user``. NotFound if ``key`` names nothing the
    catalogue holds or held; InvalidValue for a malformed ``since``."""
    if since is not None:
        from .records import year_of

        year_of(since)
    records: set[str] | None = None
    if key is not None:
        records = _records_for_key(session, key)
        if not records:
            raise NotFound(f"no edition or work with key {key!r}, now or in the history")
    if person is not None:
        records = (records or set()) | {f"person:{person}"}
    query = select(Change).order_by(Change.id.desc())
    if records is not None:
        ids = select(ChangeRow.change_id).where(ChangeRow.record.in_(sorted(records)))
        if person is not None:
            credits = select(ChangeRow.change_id).where(
                ChangeRow.table_name == "contribution",
                ChangeRow.row_id.in_(_credit_rows(session, person)),
            )
            ids = ids.union(credits)  # type: ignore[assignment]
        query = query.where(Change.id.in_(ids))
    if since is not None:
        query = query.where(Change.at >= since)
    if user is not None:
        query = query.where(Change.user_name == user)
    if limit is not None:
        query = query.limit(limit)
    found = list(session.scalars(query))
    out = []
    for change in found:
        rows_query = select(ChangeRow).where(ChangeRow.change_id == change.id)
        if records is not None and person is None:
            rows_query = rows_query.where(ChangeRow.record.in_(sorted(records)))
        total = len(session.scalars(rows_query.with_only_columns(ChangeRow.id)).all())
        rows_query = rows_query.order_by(ChangeRow.seq)
        if rows_per_change is not None:
            rows_query = rows_query.limit(rows_per_change)
        rows = [
            RowView(r.table_name, r.row_id, r.action, r.record, r.label, r.before, r.after)
            for r in session.scalars(rows_query)
        ]
        out.append(
            ChangeView(
                change.id,
                change.at,
                change.user_name,
                change.kind,
                change.command,
                change.undoes_id,
                change.undone_by_id,
                rows,
                total,
            )  # fmt: skip
        )
    return out


def _credit_rows(session: Session, person: int) -> list[int]:
    from .models import Contribution

    live = session.scalars(select(Contribution.id).where(Contribution.person_id == person))
    return list(live)


def counts(session: Session, change_id: int) -> dict[tuple[str, str], int]:
    """How many rows of each (table, action) one change wrote."""
    from sqlalchemy import func

    rows = session.execute(
        select(ChangeRow.table_name, ChangeRow.action, func.count())
        .where(ChangeRow.change_id == change_id)
        .group_by(ChangeRow.table_name, ChangeRow.action)
    )
    return {(table, action): n for table, action, n in rows}


@dataclass
class OthersWork:
    """What changes of other kinds than one (the librarian's, for the seed) did: the fields
    they changed by record ("edition:12" -> {"title", "credits"}), and the records they
    removed, by the key or name they had."""

    fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    removed: dict[str, str] = field(default_factory=dict)


CHILD_FIELDS = {
    "contribution": "credits",
    "keyword": "keywords",
    "edition_parent": "parents",
    "alternate_title": "also_published_as",
    "person_name": "variants",
    "publisher_name": "variants",
}


def others_work(session: Session, kind: str) -> OthersWork:
    """What changes not of ``kind``, and neither undone nor undos, did to the catalogue."""
    found = OthersWork()
    undone = select(Change.id).where(Change.undone_by_id.is_not(None))
    rows = session.execute(
        select(ChangeRow.table_name, ChangeRow.action, ChangeRow.record, ChangeRow.label,
               ChangeRow.before)
        .join(Change, Change.id == ChangeRow.change_id)
        .where(Change.kind != kind, Change.undoes_id.is_(None), Change.id.not_in(undone))
    )  # fmt: skip
    for table, action, record, label, before in rows:
        if table in CHILD_FIELDS:
            found.fields[record].add(CHILD_FIELDS[table])
        elif action == "u" and before:
            found.fields[record].update(before)
        elif action == "d" and label is not None:
            found.removed[str(label)] = record
    return found


def records_labelled(session: Session, table: str, label: str) -> list[str]:
    """The records of ``table`` the history knew under ``label`` (a key), oldest first."""
    return list(
        dict.fromkeys(
            session.scalars(
                select(ChangeRow.record)
                .where(ChangeRow.table_name == table, ChangeRow.label == label)
                .order_by(ChangeRow.id)
            )
        )
    )


# ----------------------------------------------------------------------------- undo


def blockers(session: Session, change: Change) -> list[Change]:
    """Later changes, not undone, that touched a record ``change`` touched (an edition with
    its credits and keywords, a work, a person with their names, a publisher); an undo of a
    later change cancels that change out and blocks nothing."""
    records = sorted(
        set(session.scalars(select(ChangeRow.record).where(ChangeRow.change_id == change.id)))
    )
    later: set[int] = set()
    for start_at in range(0, len(records), CHUNK):
        later.update(
            session.scalars(
                select(ChangeRow.change_id)
                .where(
                    ChangeRow.change_id > change.id,
                    ChangeRow.record.in_(records[start_at : start_at + CHUNK]),
                )
                .distinct()
            )
        )
    if not later:
        return []
    found = list(session.scalars(select(Change).where(Change.id.in_(later))))
    return sorted((c for c in found if _stands(session, c, change.id)), key=lambda c: c.id)


def _stands(session: Session, later: Change, since: int) -> bool:
    """Whether ``later``'s effect is in the catalogue now: it ends its chain of undos (nothing
    undid it), and the chain, if it began after change ``since``, has an odd length (a change,
    or a change redone), not an even one (a change and its undo, which cancel out)."""
    if later.undone_by_id is not None:
        return False
    length, root = 1, later
    while root.undoes_id is not None:
        previous = session.get(Change, root.undoes_id)
        if previous is None:
            break
        length, root = length + 1, previous
    return root.id <= since or length % 2 == 1


def live_after(session: Session, change_id: int) -> list[Change]:
    """The changes after ``change_id`` whose effect stands (see ``_stands``)."""
    later = session.scalars(select(Change).where(Change.id > change_id).order_by(Change.id))
    return [c for c in later if _stands(session, c, change_id)]


def undo(session: Session, change_id: int, command: str | None = None) -> int:
    """Revert change ``change_id`` as a new change, recorded with the history; how many rows
    it put back.

    NotFound if there is no such change; InvalidValue if it is already undone, or if a later
    change (not undone) touched the same rows, naming those changes."""
    # Locked (PostgreSQL; a SQLite writer holds the whole catalogue): two undos of one
    # change at once take turns, and the second finds it undone.
    change = session.get(Change, change_id, with_for_update=True)
    if change is None:
        raise NotFound(f"no change #{change_id}")
    if change.undone_by_id is not None:
        raise InvalidValue(f"change #{change_id} is already undone (by #{change.undone_by_id})")
    later = blockers(session, change)
    if later:
        listed = ", ".join(f"#{c.id} ({c.kind} by {c.user_name})" for c in later[:10])
        more = f" and {len(later) - 10} more" if len(later) > 10 else ""
        raise InvalidValue(
            f"change #{change_id} cannot be undone: later changes touched the same records: "
            f"{listed}{more}; undo those first"
        )
    started = session.info.get(INFO_KEY)
    start(session, "undo", command or (started.command if started else None),
          user=started.user if started else None)  # fmt: skip
    session.info[INFO_KEY].undoes = change_id
    rows = list(
        session.scalars(
            select(ChangeRow).where(ChangeRow.change_id == change_id).order_by(ChangeRow.seq)
        )
    )
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    session.flush()
    session.expunge_all()
    connection = session.connection()
    try:
        # Each row's step is taken back, in the reverse of the order the change took them:
        # every state in between was a valid catalogue on the way in, so it is on the way
        # back. (A new record's credits and keywords, not rows of their own, go with it.)
        created = {r.record for r in rows if r.action == "i" and r.table_name not in PARENTS}
        for row in reversed(rows):
            table = tables[row.table_name]
            if row.action == "i":
                _delete_recorded(session, connection, table, row.row_id, created)
            elif row.action == "d":
                values = {k: v for k, v in (row.before or {}).items() if k in table.c}
                _add(session, row.table_name, "i", values)
                connection.execute(insert(table).values(**values))
            else:
                old = {k: v for k, v in (row.before or {}).items() if k in table.c}
                current = _current(connection, table, row.row_id)
                if current is None:
                    continue
                before = {k: current[k] for k in old if current[k] != old[k]}
                if before:
                    _add(session, row.table_name, "u", dict(current), before=before,
                         after={k: old[k] for k in before})  # fmt: skip
                    connection.execute(update(table).where(table.c.id == row.row_id).values(**old))
    except Exception as exc:
        from sqlalchemy.exc import IntegrityError

        if isinstance(exc, IntegrityError):
            reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            session.rollback()
            later = live_after(session, change_id)
            hint = ""
            if later:
                listed = ", ".join(f"#{c.id} ({c.kind} by {c.user_name})" for c in later[-5:])
                hint = f"; a later change uses what it made or removed: undo {listed} first"
            raise InvalidValue(
                f"change #{change_id} cannot be undone: the catalogue no longer allows it "
                f"({reason}){hint}"
            ) from None
        raise
    return len(session.info[INFO_KEY].rows)


def _delete_recorded(
    session: Session, connection: Any, table: Any, row_id: int, created: set[str]
) -> None:
    """DELETE one row, recording it and, first, the rows its deletion cascades to (an
    edition's credits and keywords, a person's names) and the credits of records in
    ``created`` that name it (a new edition's translator, a new person): rows that a change
    creating them did not record on their own."""
    for child in Base.metadata.sorted_tables:
        for key in child.foreign_keys:
            if key.column.table is not table:
                continue
            cascade = key.ondelete == "CASCADE"
            if not cascade and child.name not in PARENTS:
                continue
            found = connection.execute(select(child).where(key.parent == row_id)).mappings()
            for values in list(found):
                if cascade or record_of(child.name, dict(values))[0] in created:
                    _delete_recorded(session, connection, child, values["id"], created)
    current = _current(connection, table, row_id)
    if current is None:
        return
    _add(session, table.name, "d", dict(current), before=dict(current))
    connection.execute(sql_delete(table).where(table.c.id == row_id))


def _current(connection: Any, table: Any, row_id: int) -> dict[str, Any] | None:
    row = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return {k: _json(v) for k, v in row.items()} if row is not None else None


_ACTIONS = {"i": "created", "u": "changed", "d": "removed"}
_DERIVED = {"search_text", "title_key"}  # recorded for undo; shown only when alone
_LINKS = {"publisher_id": "publisher", "work_id": "work", "person_id": "person"}


def describe(session: Session, changes: Sequence[ChangeView]) -> dict[int, list[str]]:
    """What each change did, one line per record's row, as ``biblio history`` and the web's
    history page show it: fields before and after, linked records by name; a change of more
    than 50 rows as counts by table and action; the updates of records the change created
    are left out (they are shown as created)."""
    records = {r.record for c in changes for r in c.rows}
    for change in changes:
        for row in change.rows:
            for values in (row.before or {}, row.after or {}):
                records.update(f"{_LINKS[f]}:{v}" for f, v in values.items() if f in _LINKS and v)
    names = labels(session, records)
    described: dict[int, list[str]] = {}
    for change in changes:
        if change.total_rows > 50:
            described[change.id] = [
                ", ".join(
                    f"{n} {table} {_ACTIONS[action]}"
                    for (table, action), n in sorted(counts(session, change.id).items())
                )
            ]
            continue
        created = {r.record for r in change.rows if r.action == "i" and r.label is not None}
        described[change.id] = [
            _row_line(row, names)
            for row in change.rows
            if not (row.action == "u" and row.record in created)
        ]
    return described


def _shown(field: str, value: Any, names: dict[str, str]) -> str:
    if field in _LINKS and value is not None:
        return repr(names.get(f"{_LINKS[field]}:{value}", f"#{value}"))
    return repr(value)


def _row_line(row: RowView, names: dict[str, str]) -> str:
    what = row.label or names.get(row.record, row.record)
    owner = names.get(row.record, row.record)
    subject = (
        f"{row.table} {what}" if row.label or row.table in owner else f"{row.table} of {owner}"
    )
    if row.action == "u" and row.before is not None and row.after is not None:
        changed = "; ".join(
            f"{_LINKS.get(field, field)}: {_shown(field, row.before[field], names)} → "
            f"{_shown(field, row.after.get(field), names)}"
            for field in row.before
            if field not in _DERIVED
        )
        return f"{subject}: {changed or 'search text'}"
    return f"{subject}: {_ACTIONS[row.action]}"


def person_id(session: Session, name: str) -> int:
    """The id of the person ``name`` names, for ``changes(person=...)``."""
    from .matching import Matcher

    found = Matcher(session, typed=True).find_person(name)
    if found is None:
        raise NotFound(f"no person named {name!r}")
    return found


def labels(session: Session, records: Iterable[str]) -> dict[str, str]:
    """The current key or name of each record ("edition:12" -> "serge1967birth")."""
    out: dict[str, str] = {}
    for record in records:
        kind, _, ident = record.partition(":")
        columns: dict[str, Any] = {
            "edition": (Edition.key, Edition.id),
            "work": (Work.key, Work.id),
            "person": (Person.sort_name, Person.id),
            "publisher": (Publisher.name, Publisher.id),
        }
        if kind not in columns or not ident.isdigit():
            continue
        column, id_column = columns[kind]
        value = session.scalar(select(column).where(id_column == int(ident)))
        if value is not None:
            out[record] = value
    return out
