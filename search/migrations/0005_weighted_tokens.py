from django.db import migrations, models

# An entry's tokens by the weight of the fields they come from (search.registry.Weight:
# high 4, middle 2, low 1), for BM25 with field weights on every engine (docs/adr/
# 0023-ranking.md). The old `tokens` become the low ones: entries indexed before keep
# matching, ranked as if all their words were in a low field, until `search_reindex`.
# `length` is the entry's count of tokens, BM25's document length.
#
# SQLite: the FTS5 table gets a column per weight (bm25() weighs columns); Django rebuilds
# search_indexentry to add columns, which drops its triggers, so they are made after.
# PostgreSQL: the terms' tsvector gets, for each token of weighted frequency n > 1 (capped
# at 32), the positions 1..n: ts_rank of that one lexeme tells n back
# (search/engines/postgresql.py). Matching through the GIN index does not change.
WEIGHTS = {"high": 4, "middle": 2, "low": 1}
FREQUENCY_CAP = 32
POSITIONS = "{" + ",".join(str(n) for n in range(1, FREQUENCY_CAP + 1)) + "}"

SQLITE_COLUMNS = "tokens_high, tokens_middle, tokens_low"
SQLITE_OLD = [
    "DROP TRIGGER IF EXISTS search_indexentry_fts_update",
    "DROP TRIGGER IF EXISTS search_indexentry_fts_delete",
    "DROP TRIGGER IF EXISTS search_indexentry_fts_insert",
    "DROP TABLE IF EXISTS search_indexentry_fts",
]
SQLITE_NEW = [
    "UPDATE search_indexentry SET length = "
    "CASE WHEN tokens_low = '' THEN 0 "
    "ELSE length(tokens_low) - length(replace(tokens_low, ' ', '')) + 1 END",
    f"CREATE VIRTUAL TABLE search_indexentry_fts USING fts5({SQLITE_COLUMNS}, "
    "content='search_indexentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_indexentry_fts_insert AFTER INSERT ON search_indexentry BEGIN "
    f"INSERT INTO search_indexentry_fts(rowid, {SQLITE_COLUMNS}) "
    "VALUES (new.id, new.tokens_high, new.tokens_middle, new.tokens_low); END",
    "CREATE TRIGGER search_indexentry_fts_delete AFTER DELETE ON search_indexentry BEGIN "
    f"INSERT INTO search_indexentry_fts(search_indexentry_fts, rowid, {SQLITE_COLUMNS}) "
    "VALUES ('delete', old.id, old.tokens_high, old.tokens_middle, old.tokens_low); END",
    "CREATE TRIGGER search_indexentry_fts_update AFTER UPDATE ON search_indexentry BEGIN "
    f"INSERT INTO search_indexentry_fts(search_indexentry_fts, rowid, {SQLITE_COLUMNS}) "
    "VALUES ('delete', old.id, old.tokens_high, old.tokens_middle, old.tokens_low); "
    f"INSERT INTO search_indexentry_fts(rowid, {SQLITE_COLUMNS}) "
    "VALUES (new.id, new.tokens_high, new.tokens_middle, new.tokens_low); END",
    "INSERT INTO search_indexentry_fts(search_indexentry_fts) VALUES ('rebuild')",
]
# Going back, every token goes into `tokens` (tokens_low until renamed).
ALL_IN_LOW = (
    "UPDATE search_indexentry SET tokens_low = trim(replace(replace("
    "tokens_high || ' ' || tokens_middle || ' ' || tokens_low, '   ', ' '), '  ', ' '))"
)

# As migration 0002 made them, for going back (tokens_low is `tokens` again by then).
SQLITE_BACK = [
    *SQLITE_OLD,
    "CREATE VIRTUAL TABLE search_indexentry_fts USING fts5(tokens, content='search_indexentry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_indexentry_fts_insert AFTER INSERT ON search_indexentry BEGIN "
    "INSERT INTO search_indexentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_indexentry_fts_delete AFTER DELETE ON search_indexentry BEGIN "
    "INSERT INTO search_indexentry_fts(search_indexentry_fts, rowid, tokens) "
    "VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER search_indexentry_fts_update AFTER UPDATE ON search_indexentry BEGIN "
    "INSERT INTO search_indexentry_fts(search_indexentry_fts, rowid, tokens) "
    "VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_indexentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "INSERT INTO search_indexentry_fts(search_indexentry_fts) VALUES ('rebuild')",
]

POSTGRESQL_VECTOR = f"""
    CREATE FUNCTION search_weighted_vector(high text, middle text, low text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(string_agg(
            '''' || replace(replace(token, '\\', '\\\\'), '''', '''''') || ''''
            || CASE WHEN frequency > 1
               THEN ':' || array_to_string(('{POSITIONS}'::int[])[1:frequency], ',')
               ELSE '' END,
            ' '), '')::tsvector
        FROM (
            SELECT token, least(sum(weight), {FREQUENCY_CAP}) AS frequency
            FROM (
                SELECT unnest(string_to_array(high, ' ')) AS token, {WEIGHTS["high"]} AS weight
                UNION ALL SELECT unnest(string_to_array(middle, ' ')), {WEIGHTS["middle"]}
                UNION ALL SELECT unnest(string_to_array(low, ' ')), {WEIGHTS["low"]}
            ) AS occurrences
            GROUP BY token
        ) AS counted
    $$
"""
POSTGRESQL_NEW = [
    POSTGRESQL_VECTOR,
    """
    CREATE OR REPLACE FUNCTION search_indexterms_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_indexterms (entry_id, index, vector)
        SELECT id, index, search_weighted_vector(tokens_high, tokens_middle, tokens_low)
        FROM new_entries;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_indexterms_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_indexterms AS terms
        SET index = new_entries.index,
            vector = search_weighted_vector(
                new_entries.tokens_high, new_entries.tokens_middle, new_entries.tokens_low)
        FROM new_entries JOIN old_entries ON old_entries.id = new_entries.id
        WHERE terms.entry_id = new_entries.id
          AND (new_entries.tokens_high IS DISTINCT FROM old_entries.tokens_high
               OR new_entries.tokens_middle IS DISTINCT FROM old_entries.tokens_middle
               OR new_entries.tokens_low IS DISTINCT FROM old_entries.tokens_low
               OR new_entries.index IS DISTINCT FROM old_entries.index);
        RETURN NULL;
    END $$
    """,
    "UPDATE search_indexterms AS terms SET vector = "
    "search_weighted_vector(entries.tokens_high, entries.tokens_middle, entries.tokens_low) "
    "FROM search_indexentry AS entries WHERE entries.id = terms.entry_id",
    "UPDATE search_indexentry SET length = "
    "coalesce(array_length(string_to_array(tokens_low, ' '), 1), 0)",
]
# As migration 0004 made them (tokens_low is `tokens` again by then).
POSTGRESQL_BACK = [
    """
    CREATE OR REPLACE FUNCTION search_indexterms_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_indexterms (entry_id, index, vector)
        SELECT id, index, array_to_tsvector(string_to_array(tokens, ' ')) FROM new_entries;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_indexterms_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_indexterms AS terms
        SET index = new_entries.index,
            vector = array_to_tsvector(string_to_array(new_entries.tokens, ' '))
        FROM new_entries JOIN old_entries ON old_entries.id = new_entries.id
        WHERE terms.entry_id = new_entries.id
          AND (new_entries.tokens IS DISTINCT FROM old_entries.tokens
               OR new_entries.index IS DISTINCT FROM old_entries.index);
        RETURN NULL;
    END $$
    """,
    "UPDATE search_indexterms AS terms SET vector = "
    "array_to_tsvector(string_to_array(entries.tokens, ' ')) "
    "FROM search_indexentry AS entries WHERE entries.id = terms.entry_id",
    "DROP FUNCTION IF EXISTS search_weighted_vector(text, text, text)",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def drop_old(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_OLD})


def weighted_forward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_NEW, "postgresql": POSTGRESQL_NEW})


def weighted_backward(apps, schema_editor):
    _run(schema_editor, {"sqlite": [*SQLITE_OLD, ALL_IN_LOW], "postgresql": [ALL_IN_LOW]})


def old_back(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACK, "postgresql": POSTGRESQL_BACK})


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_narrow_terms_and_versions"),
    ]

    operations = [
        migrations.RunPython(drop_old, old_back),
        migrations.RenameField(model_name="indexentry", old_name="tokens", new_name="tokens_low"),
        migrations.AddField(
            model_name="indexentry",
            name="tokens_high",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="indexentry",
            name="tokens_middle",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="indexentry",
            name="length",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(weighted_forward, weighted_backward),
    ]
