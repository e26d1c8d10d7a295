"""The errors biblio raises. The command line turns each into one line and exit code 1."""


class BiblioError(Exception):
    """Base of every error biblio reports to its user."""


class CatalogueError(BiblioError):
    """The catalogue cannot be opened, created, read or written."""


class NotFound(BiblioError):
    """A key, person or publisher that the catalogue does not hold."""


class InvalidValue(BiblioError):
    """A value that breaks a rule of the data model (empty title, bad year, unknown role...)."""


class SeedError(BiblioError):
    """The seed data itself is malformed."""


class AmbiguousName(InvalidValue):
    """A person's name that matches several catalogued people; ``candidates`` lists them as
    (id, catalogue name, note)."""

    def __init__(self, name: str, candidates: list[tuple[int, str, str | None]]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"#{pid} {sort_name}" for pid, sort_name, _note in candidates)
        super().__init__(f"person name {name!r} is ambiguous: {listed} (give one as #ID)")
