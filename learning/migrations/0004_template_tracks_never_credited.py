"""A monthly template track earns nothing: the database refuses a track completion, or a
step or track credit entry, for a track whose ``is_template`` is set (an integrity error,
which the services already read as "not granted"). Corrections and reversals stay possible,
so credit a template earned before this rule can still be taken back.

Django has no constraint across two tables, so a trigger per backend does it.
"""

from django.db import migrations

MESSAGE = "a monthly template track earns no credit"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION learning_refuse_template_credit() RETURNS trigger AS $body$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM learning_trackpage WHERE page_ptr_id = NEW.track_id AND is_template
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $body$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER learning_trackcompletion_not_template
    BEFORE INSERT ON learning_trackcompletion
    FOR EACH ROW EXECUTE FUNCTION learning_refuse_template_credit()
    """,
    """
    CREATE TRIGGER learning_creditentry_not_template
    BEFORE INSERT ON learning_creditentry
    FOR EACH ROW WHEN (NEW.source IN ('track', 'step') AND NEW.track_id IS NOT NULL)
    EXECUTE FUNCTION learning_refuse_template_credit()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS learning_creditentry_not_template ON learning_creditentry",
    "DROP TRIGGER IF EXISTS learning_trackcompletion_not_template ON learning_trackcompletion",
    "DROP FUNCTION IF EXISTS learning_refuse_template_credit()",
]

_TEMPLATE = (
    "EXISTS (SELECT 1 FROM learning_trackpage WHERE page_ptr_id = NEW.track_id AND is_template)"
)
SQLITE = [
    f"""
    CREATE TRIGGER learning_trackcompletion_not_template
    BEFORE INSERT ON learning_trackcompletion
    WHEN {_TEMPLATE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER learning_creditentry_not_template
    BEFORE INSERT ON learning_creditentry
    WHEN NEW.source IN ('track', 'step') AND {_TEMPLATE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS learning_creditentry_not_template",
    "DROP TRIGGER IF EXISTS learning_trackcompletion_not_template",
]

STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_REVERSE), "sqlite": (SQLITE, SQLITE_REVERSE)}


def _run(schema_editor, which: int) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no trigger for {schema_editor.connection.vendor}")
    for statement in statements[which]:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_attention_clock"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
