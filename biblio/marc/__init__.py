"""MARC 21 bibliographic records, in and out: ISO 2709 and MARCXML, through pymarc 5.

``writer`` codes an edition as the Library of Congress and the PCC code a translation
(``biblio export --format marc|marcxml|marc-authority``); ``reader`` reads such records,
LC's and other libraries' alike, into plain records (``biblio import``), and keeps each
field the writer would not give back from the catalogue's columns as it came
(``EditionRecord.kept["marc"]``), which the writer then writes in its place.
"""
