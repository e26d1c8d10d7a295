"""Where the catalogue lives: the one place that turns --db / BIBLIO_DB / the default into a URL.

A value containing ``://`` is a SQLAlchemy URL (``postgresql+psycopg://user@host/db``,
``sqlite:////abs/path.db``); anything else is the path of a SQLite file. Without either, the
catalogue is ``catalogue.db`` in the per-user application directory that Click chooses
(``~/.config/biblio`` on Linux, following ``XDG_CONFIG_HOME``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "BIBLIO_DB"


def default_path() -> Path:
    """The default SQLite catalogue: ``<app dir>/catalogue.db``."""
    import click

    return Path(click.get_app_dir("biblio")) / "catalogue.db"


@dataclass(frozen=True)
class Target:
    """A resolved catalogue location: its SQLAlchemy URL and, for SQLite files, the path."""

    url: str
    path: Path | None  # the SQLite file, or None for a server database

    @property
    def display(self) -> str:
        """The location as a user should see it: the path, or the URL without password."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def resolve(value: str | None) -> Target:
    """Turn a --db value (or None for the environment / default) into a Target."""
    value = value or os.environ.get(ENV_VAR) or None
    if value is None:
        path = default_path()
    elif "://" in value:
        if value.startswith("sqlite:///") and len(value) > len("sqlite:///"):
            return Target(value, Path(value[len("sqlite:///") :]))
        return Target(value, None)
    else:
        path = Path(value).expanduser()
    path = path.absolute()
    return Target(f"sqlite:///{path}", path)
