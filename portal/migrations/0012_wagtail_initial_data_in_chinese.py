from django.db import migrations

# Wagtail's own migrations make two groups, a workflow and its task with English names; the
# admin lists all four. Only rows still carrying Wagtail's names are renamed (an admin who
# renamed them keeps their names). The roles' own groups (编辑, 审核员) are separate.
GROUPS = {"Editors": "通用编辑组", "Moderators": "通用审核组"}
WORKFLOWS = {"Moderators approval": "通用审核流程"}
TASKS = {"Moderators approval": "通用审核"}


def _rename(model, field, names):
    for old, new in names.items():
        if not model.objects.filter(**{field: new}).exists():
            model.objects.filter(**{field: old}).update(**{field: new})


def initial_data_in_chinese(apps, schema_editor):
    _rename(apps.get_model("auth", "Group"), "name", GROUPS)
    _rename(apps.get_model("wagtailcore", "Workflow"), "name", WORKFLOWS)
    _rename(apps.get_model("wagtailcore", "Task"), "name", TASKS)


def initial_data_in_english(apps, schema_editor):
    def swap(names):
        return {new: old for old, new in names.items()}

    _rename(apps.get_model("auth", "Group"), "name", swap(GROUPS))
    _rename(apps.get_model("wagtailcore", "Workflow"), "name", swap(WORKFLOWS))
    _rename(apps.get_model("wagtailcore", "Task"), "name", swap(TASKS))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0011_root_page_and_collection_titled_in_chinese"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(initial_data_in_chinese, initial_data_in_english)]
