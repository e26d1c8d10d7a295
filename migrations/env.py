"""Alembic environment: the URL and connection come from biblio, never from alembic.ini.

biblio's own code passes an open connection in ``config.attributes["connection"]``; a
developer running the ``alembic`` command (e.g. ``alembic revision --autogenerate``) gets the
catalogue named by BIBLIO_DB or the default location.
"""

from alembic import context

from biblio.models import Base

config = context.config
target_metadata = Base.metadata


def _include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Full-text search lives outside the models (migration 0011): SQLite's FTS5 table and its
    shadow tables, PostgreSQL's generated tsvector column and its index, and its list of the
    index's words and the block-range index on ids (migration 0016)."""
    if type_ == "table" and name and name.startswith("edition_fts"):
        return False
    if name in (
        "search_vector",
        "ix_edition_search_vector",
        "search_word",
        "ix_search_word_word",
        "ix_edition_id_range",
    ):
        return False
    return True


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from biblio.config import resolve
    from biblio.db import make_engine

    engine = make_engine(resolve(None))
    with engine.begin() as connection:
        _run(connection)
