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


class TooManyLogins(BiblioError):
    """Logins refused for a while after repeated failures; ``retry_after`` in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class NeedsConfirmation(BiblioError):
    """A save that goes through only when confirmed: it looks like editions already
    catalogued (``duplicates``: (key, title, year, reason)), or it would create people or
    publishers no record bears yet (``new_people``, ``new_publishers``)."""

    def __init__(
        self,
        duplicates: list[tuple[str, str, int | None, str]],
        new_people: list[str],
        new_publishers: list[str],
    ) -> None:
        self.duplicates = duplicates
        self.new_people = new_people
        self.new_publishers = new_publishers
        parts = []
        if duplicates:
            parts.append("looks like " + ", ".join(d[0] for d in duplicates))
        if new_people or new_publishers:
            parts.append("would create " + "; ".join([*new_people, *new_publishers]))
        super().__init__("not saved: it " + " and ".join(parts) + " (confirm to save anyway)")
