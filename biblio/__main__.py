"""``python -m biblio``: the command line."""

from .cli import main

main()
