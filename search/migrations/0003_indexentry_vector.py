from django.db import migrations

# PostgreSQL: the tsvector is stored once, as a generated column, instead of being rebuilt
# from the tokens string for every matching row at query time (ts_rank read it per row).
# array_to_tsvector and string_to_array are immutable, so PostgreSQL keeps the column in
# step with `tokens` on every insert and update; the model does not declare it and never
# writes it. The GIN index moves from the expression to the column.
# A second GIN index, over the filters (jsonb_path_ops: containment only), serves equality
# and any-of filters, which the engine writes as `filters @> '{"field": value}'`.
# SQLite keeps its FTS5 table and triggers from 0002 unchanged.
POSTGRESQL_FORWARD = [
    "ALTER TABLE search_indexentry ADD COLUMN vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED",
    "DROP INDEX IF EXISTS search_indexentry_tokens",
    "CREATE INDEX search_indexentry_vector ON search_indexentry USING GIN (vector)",
    "CREATE INDEX search_indexentry_filters ON search_indexentry "
    "USING GIN (filters jsonb_path_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_indexentry_filters",
    "DROP INDEX IF EXISTS search_indexentry_vector",
    "ALTER TABLE search_indexentry DROP COLUMN IF EXISTS vector",
    "CREATE INDEX search_indexentry_tokens ON search_indexentry "
    "USING GIN (array_to_tsvector(string_to_array(tokens, ' ')))",
]


def vector_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_FORWARD:
            schema_editor.execute(statement, params=None)


def vector_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_search_engine"),
    ]

    operations = [
        migrations.RunPython(vector_forward, vector_backward),
    ]
