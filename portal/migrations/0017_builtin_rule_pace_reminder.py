from django.db import migrations

BUILTIN_KEY = "pace_reminder"


def builtin_rule_create(apps, schema_editor):
    from portal.rules.defaults import rule_default_create

    rule_default_create(apps.get_model("portal", "Rule"), BUILTIN_KEY)


def builtin_rule_delete(apps, schema_editor):
    apps.get_model("portal", "Rule").objects.filter(builtin_key=BUILTIN_KEY).delete()


class Migration(migrations.Migration):
    """The members' weekly pace reminder, until now code in learning.pace, as a built-in rule
    (on the trigger "members behind the yearly pace, weekly by branch")."""

    dependencies = [("portal", "0016_video_phone_rendition")]

    operations = [migrations.RunPython(builtin_rule_create, builtin_rule_delete)]
