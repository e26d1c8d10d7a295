"""What readers find in a file: entries, and problems that name file, line, key and field.

Every reader (.bib, RIS, CSL-JSON) returns ``(entries, problems)``. A problem is either an
**error**, something that cannot be read (an entry whose braces do not balance, a file that is
not in the format): the entry it names is left out, and an import refuses the whole file
unless told to skip what is invalid; or a **warning**, something the format's own tools read
and warn about (BibTeX's "repeated entry", biber's date warnings): the entry comes in whole,
kept as written, and the import report counts the warning by its ``kind``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .records import EditionRecord

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    """Something about one place of a file: an error (cannot be read) or a warning (read, and
    kept as written). ``kind`` groups warnings in the import's summary ("no title, kept")."""

    file: str
    line: int  # 1-based
    key: str | None
    message: str
    field: str | None = None
    severity: str = ERROR
    kind: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether the entry (or file) named cannot be read."""
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.key:
            where += f": entry '{self.key}'"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``--report``."""
        return {
            "severity": self.severity,
            "kind": self.kind or self.message,
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "field": self.field,
            "message": self.message,
        }


def warning(
    file: str, line: int, key: str | None, kind: str, message: str, field: str | None = None
) -> Problem:
    """A warning of ``kind`` ("no title, kept") at one place of a file."""
    return Problem(file, line, key, message, field, WARNING, kind)


@dataclass
class Entry:
    """One entry read from a file, with where it stands."""

    record: EditionRecord
    file: str
    line: int
    related: list[str] = field(default_factory=list)
    relatedtype: str | None = None


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors."""
    return [p for p in problems if p.is_error]


def summary(problems: Iterable[Problem]) -> str | None:
    """One line counting the problems by kind, most frequent first: "312 entries with no
    title, kept; 18 dates kept as written"; None when there are none."""
    counts = Counter(p.kind or p.message for p in problems)
    if not counts:
        return None
    return "; ".join(f"{n} × {kind}" for kind, n in counts.most_common())


def report_json(
    problems: Iterable[Problem], imported: int, refused: int, *, dry_run: bool = False
) -> str:
    """The JSON of ``biblio import --report``: counts, and every problem with its place.
    ``imported`` counts the entries written (none where the import stopped), or that a dry
    run would write."""
    listed = [p.as_dict() for p in problems]
    kinds = Counter((p["severity"], p["kind"]) for p in listed)
    return json.dumps(
        {
            "imported": imported,
            "dry_run": dry_run,
            "refused": refused,
            "counts": [
                {"severity": severity, "kind": kind, "count": n}
                for (severity, kind), n in kinds.most_common()
            ],
            "problems": listed,
        },
        ensure_ascii=False,
        indent=1,
    )
