"""biblio: an annotated-bibliography database for translated works."""

__version__ = "0.1.0"
