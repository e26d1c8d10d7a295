"""The web layer's access to the catalogue: read transactions for pages, and write
transactions recorded in the history under the web user's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..config import Target
from ..db import open_catalogue, run_transaction, session_scope

T = TypeVar("T")


class Store:
    """One catalogue, opened once per worker process: a read-only engine for pages (a read
    never waits for a writer) and, from the first write on, an engine for writing."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.reader = open_catalogue(target, read_only=True)
        self.writer: Engine | None = None

    def read(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a read transaction."""
        with session_scope(self.reader, commit=False) as session:
            return work(session)

    def write(
        self, work: Callable[[Session], T], *, user: str, command: str, commit: bool = True
    ) -> T:
        """``work(session)`` in one write transaction, recorded in the history as one change
        by ``user`` (the web user's name) and ``command`` (what the form did); run again when
        a concurrent writer conflicts, as the command line's writes are. Without ``commit``,
        a preview: everything is checked and done, then rolled back."""
        from .. import history

        if self.writer is None:
            self.writer = open_catalogue(self.target)

        def recorded(session: Session) -> T:
            history.start(session, "change", command, user=user)
            return work(session)

        return run_transaction(self.writer, recorded, commit)


def store() -> Store:
    """The catalogue of the application handling this request."""
    return current_app.extensions["biblio"]  # type: ignore[no-any-return]


def reading(work: Callable[[Session], Any]) -> Any:
    """``work(session)`` in a read transaction on this application's catalogue."""
    return store().read(work)
