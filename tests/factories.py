"""Things the tests build over and over: an edition view, a catalogue's views."""

from __future__ import annotations

import unicodedata

from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.names import Name
from biblio.queries import EditionView, Filters, OriginalView, list_editions


def view(**changes: object) -> EditionView:
    """A translation like Birth of our Power, with ``changes`` applied."""
    values: dict[str, object] = dict(
        key="serge1967birth",
        entry_type="book",
        title="Birth of our Power",
        subtitle=None,
        year=1967,
        date="1967",
        place="New York",
        publisher="Doubleday",
        language="en",
        series=None,
        journal=None,
        volume=None,
        number=None,
        translator_status="named",
        form="novel",
        section="Novels",
        edition_annotation=None,
        notes=None,
        authors=[Name("Serge", "Victor")],
        translators=[Name("Greeman", "Richard")],
        editors=[],
        also_published_as=[],
        original=OriginalView(
            key="serge1931naissance",
            title="Naissance de notre force",
            subtitle=None,
            year=1931,
            date="1931",
            place="Paris",
            publisher=None,
            language="fr",
            form="novel",
            annotation="A novel of 1917.",
            notes=None,
        ),
    )
    values.update(changes)
    return EditionView(**values)  # type: ignore[arg-type]


def catalogue_views(db: str) -> list[EditionView]:
    """Every edition of the catalogue at ``db``, as views."""
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            return list_editions(session, Filters())
    finally:
        engine.dispose()


def greek_letters() -> list[str]:
    """Every letter of Unicode's Greek blocks, composed as ``escape`` writes it (NFC: ά with
    oxia is ά with tonos)."""
    codes = [*range(0x370, 0x400), *range(0x1F00, 0x2000)]
    letters = [chr(c) for c in codes if unicodedata.category(chr(c)).startswith("L")]
    return sorted({unicodedata.normalize("NFC", letter) for letter in letters})
