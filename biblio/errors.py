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
