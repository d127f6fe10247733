from django.db import migrations

BUILTIN_KEY = "absent_in_a_row"


def builtin_rule_create(apps, schema_editor):
    from portal.rules.defaults import rule_default_create

    rule_default_create(apps.get_model("portal", "Rule"), BUILTIN_KEY)


def builtin_rule_delete(apps, schema_editor):
    apps.get_model("portal", "Rule").objects.filter(builtin_key=BUILTIN_KEY).delete()


class Migration(migrations.Migration):
    """The built-in rule "a member absent three times in a row tells their branch secretary",
    for sites whose 0014 ran before it existed."""

    dependencies = [("portal", "0014_content_rules")]

    operations = [migrations.RunPython(builtin_rule_create, builtin_rule_delete)]
