from django.db import migrations

ROOT_TITLE = "根目录"


def roots_title_in_chinese(apps, schema_editor):
    """Wagtail's own migrations title the page tree's root and the root collection "Root";
    the admin shows both (the page explorer, the sites, the group editor)."""
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_TITLE)


def roots_title_in_english(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=ROOT_TITLE).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_section_approval_task_refuses_self_review"),
        ("wagtailcore", "0025_collection_initial_data"),
    ]

    operations = [migrations.RunPython(roots_title_in_chinese, roots_title_in_english)]
