"""Words the admin showed in English at their source (issue 16): yes/no values in lists and
filter pills, permission names, the tree's root, a page nobody published, the apps of the page
types report, the sites list's column heads, the group editor's page field."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowTask,
)

from portal.content.services import HOME_TITLE
from portal.registry.permission_names import permission_names_translate

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    """The page's text outside scripts, tags and attributes."""
    html = re.sub(r"(?s)<(script|template|style)\b.*?</\1>", " ", response.content.decode())
    return re.sub(r"<[^>]+>", " ", html)


def test_the_user_list_says_yes_not_true(admin_client):
    text = visible(admin_client.get("/admin/users/"))
    assert "是" in text
    assert not re.search(r"\b(True|False)\b", text)


def test_an_active_yes_no_filter_reads_in_chinese(admin_client):
    """The lost-contact list opens on "still out of contact": its pill says 是."""
    response = admin_client.get("/admin/ledger/lost-contact/")
    assert re.search(r"仍失联：\s*</span>\s*<b[^>]*>\s*是\s*</b>", response.content.decode())
    assert "True" not in visible(response)


def test_permissions_are_named_in_chinese_after_migrate():
    assert Permission.objects.get(codename="add_member").name == "可以添加党员"
    assert Permission.objects.get(codename="choose_document").name == "可以选择文档"
    assert Permission.objects.get(codename="publish_page").name == "发布任意页面"
    assert not Permission.objects.filter(name__startswith="Can add").exists()


def test_renaming_the_permissions_again_changes_nothing_but_what_drifted():
    assert permission_names_translate() == 0
    Permission.objects.filter(codename="view_member").update(name="Can view member")
    assert permission_names_translate() == 1
    assert Permission.objects.get(codename="view_member").name == "可以查看党员"


def test_the_group_editor_shows_no_english_permission_names(admin_client):
    group = Group.objects.create(name="县委组织部")
    text = visible(admin_client.get(f"/admin/groups/edit/{group.pk}/"))
    assert "可以添加" in text
    assert "Can add" not in text and "Can change" not in text


def inner_texts(pattern: str, html: str) -> list[str]:
    """The text inside each element the pattern matches, its tags removed, spaces collapsed."""
    return [" ".join(re.sub(r"<[^>]+>", " ", match).split()) for match in re.findall(pattern, html)]


def test_the_sites_list_heads_its_columns_in_chinese(admin_client):
    """Wagtail heads three of them with the attribute names: Port, Site name, Root page."""
    response = admin_client.get("/admin/sites/")
    heads = inner_texts(r"(?s)<th\b[^>]*>(.*?)</th>", response.content.decode())
    assert heads[-5:] == ["站点", "端口号", "站点名称", "根页面", "默认？"]
    assert "按“端口号”升序排列。" in response.content.decode()  # the sort link's title
    assert not re.search(r"\b(Port|Site name|Root page)\b", visible(response))


def test_the_group_editor_labels_each_page_permission_row(admin_client):
    """Each row's page field had no label, so screen readers (and the browser walk) read the
    field's name, "Page"."""
    group = Group.objects.create(name="县委宣传部编辑")
    for page in Page.objects.filter(depth__lte=2):
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename="add_page")
        )
    response = admin_client.get(f"/admin/groups/edit/{group.pk}/")
    labels = inner_texts(
        r'(?s)<label[^>]*for="id_page_permissions-\d+-page"[^>]*>(.*?)</label>',
        response.content.decode(),
    )
    assert [label.removesuffix("*").strip() for label in labels] == ["页面", "页面"]
    assert not re.search(r"\bPage\b", visible(response))


def test_the_page_tree_and_the_collections_start_at_a_chinese_root(admin_client):
    assert Page.get_first_root_node().title == "根目录"
    assert Collection.get_first_root_node().name == "根目录"
    text = visible(admin_client.get("/admin/pages/"))
    assert "根目录" in text and "Root" not in text


def wagtail_initial_data_in_english():
    """Wagtail's migrations' groups, workflow and task as they name them. A transactional test
    elsewhere may have flushed them from the kept database, so they are made here if missing."""
    Group.objects.filter(name__in=["通用编辑组", "通用审核组"]).delete()
    Workflow.objects.filter(name="通用审核流程").delete()
    Task.objects.filter(name="通用审核").delete()
    moderators = Group.objects.create(name="Moderators")
    Group.objects.create(name="Editors")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def rename_migration():
    return import_module("portal.migrations.0012_wagtail_initial_data_in_chinese")


def test_wagtails_own_groups_and_workflow_are_named_in_chinese(admin_client):
    wagtail_initial_data_in_english()
    rename_migration().initial_data_in_chinese(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) >= {"通用编辑组", "通用审核组"}
    assert Workflow.objects.filter(name="通用审核流程").exists()
    assert Task.objects.filter(name="通用审核").exists()
    for url in ("/admin/groups/", "/admin/workflows/list/", "/admin/workflows/tasks/index/"):
        text = visible(admin_client.get(url))
        assert "通用" in text, url
        assert not re.search(r"Editors|Moderators|approval", text), url


def test_the_renaming_leaves_a_name_an_admin_chose():
    """Run over a group an admin renamed and one still in English: only the latter changes;
    the reverse puts Wagtail's names back."""
    wagtail_initial_data_in_english()
    Group.objects.filter(name="Editors").update(name="县委宣传部编辑")
    rename_migration().initial_data_in_chinese(apps, None)
    names = set(Group.objects.values_list("name", flat=True))
    assert "县委宣传部编辑" in names and "通用审核组" in names
    assert not names & {"Editors", "Moderators"}
    rename_migration().initial_data_in_english(apps, None)
    assert Group.objects.filter(name="Moderators").exists()
    assert Workflow.objects.filter(name="Moderators approval").exists()


def test_a_page_nobody_published_shows_a_dash_not_none(admin_client):
    """The home page is made live by migrate, without a publisher (a publishing log)."""
    Page.objects.filter(title=HOME_TITLE).update(last_published_at=timezone.now())
    text = visible(admin_client.get("/admin/reports/aging-pages/"))
    assert HOME_TITLE in text and "—" in text
    assert not re.search(r"\bNone\b", text)


def test_the_page_types_report_names_apps_not_labels(admin_client):
    text = visible(admin_client.get("/admin/reports/page-types-usage/"))
    assert "门户" in text
    assert "portal.homepage" not in text
