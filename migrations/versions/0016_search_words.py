"""PostgreSQL: ``search_word``, every lexeme the full-text index holds, so that a search word
typed as a prefix is looked up as the whole words it begins (migration 0011, queries.search).

GIN matches a prefix (``'zielinski':*``) by collecting every row of every matching lexeme into
a bitmap first, which over a million editions took three to fifteen times as long as the same
search for whole words (37 ms against 6 ms for one common name, 62 ms against 4 ms for two).
``queries.search`` looks the prefix up in this table (a B-tree in code-point order) and asks
the index for the words it found, joined by OR: the same editions, at the cost of whole words.

The table holds every lexeme of every ``search_vector`` (filled here; kept by statement
triggers on ``edition`` that add the lexemes of the rows inserted or updated). It may hold
words no edition has any longer, which find nothing. It has no unique key: a word is added
only where it is missing, so two librarians' edits never wait on each other for it (a word
new to both, at the same moment, is then listed twice, which the search reads once).

And a block-range index on ``edition.id`` (BRIN): a search reads the newest matches of a rarer
word window by window of ids, as the intersection of the full-text index's bitmap with this
one's, which costs next to nothing where the primary key's bitmap of a window of half a million
ids took 40 ms (``queries._newest_ranked``). Editions are stored in the order of their ids,
which is what a block-range index needs; where an update moved a row, the range it went to is
widened, never wrong.

A later migration that rewrites ``search_vector`` without firing these triggers (dropping and
adding the column, as 0015 did) must fill ``search_word`` again: a search ends at once on a
word that begins none of its words.

SQLite: nothing (FTS5 matches prefixes from its own index at the cost of whole words).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 01:00:00
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ADD_WORDS = """
CREATE FUNCTION biblio_add_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_word (word)
    SELECT DISTINCT lexeme FROM changed, unnest(tsvector_to_array(changed.search_vector)) lexeme
    WHERE NOT EXISTS (SELECT 1 FROM search_word WHERE search_word.word = lexeme);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    # The triggers before the filling: creating them waits for every write to edition under
    # way and holds off new ones until this migration commits, so no edition's words are
    # missed between the two.
    for statement in (
        'CREATE TABLE search_word (word text COLLATE "C" NOT NULL)',
        ADD_WORDS,
        "CREATE TRIGGER edition_search_words_insert AFTER INSERT ON edition "
        "REFERENCING NEW TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION biblio_add_search_words()",
        "CREATE TRIGGER edition_search_words_update AFTER UPDATE ON edition "
        "REFERENCING NEW TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION biblio_add_search_words()",
        "INSERT INTO search_word (word) SELECT DISTINCT lexeme "
        "FROM edition, unnest(tsvector_to_array(search_vector)) lexeme",
        "CREATE INDEX ix_search_word_word ON search_word (word)",
        "CREATE INDEX ix_edition_id_range ON edition USING brin (id) "
        "WITH (pages_per_range = 16, autosummarize = on)",
    ):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS edition_search_words_update ON edition")
    op.execute("DROP TRIGGER IF EXISTS edition_search_words_insert ON edition")
    op.execute("DROP FUNCTION IF EXISTS biblio_add_search_words()")
    op.execute("DROP TABLE IF EXISTS search_word")
    op.execute("DROP INDEX IF EXISTS ix_edition_id_range")
