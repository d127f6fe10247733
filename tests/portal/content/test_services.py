"""Plone-style publishing: who may add, edit, submit, approve, reject, publish and see what,
in which section, through the Wagtail admin and Wagtail's permission API."""

import pytest
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState
from wagtail.rich_text import RichText

from portal.content.services import section_create
from portal.models import HomePage, Organization, Role, SectionPage, StudyMaterialPage
from portal.registry import services
from portal.registry.factories import MemberFactory, OrganizationFactory

from .publishing_support import (
    add_url,
    edit_url,
    page_form_data,
    sections_for,
    study_material,
    submit,
    workflow_action,
)

Level, Kind = Organization.Level, Organization.Kind


@pytest.fixture
def sections(tree):
    return sections_for(tree)


@pytest.fixture
def people(tree, sections, user_with_role):
    member = MemberFactory(origin=tree.village_a1)
    services.member_account_issue(member=member, issued_by=None)
    return {
        "editor_a": user_with_role(Role.EDITOR, tree.township_a, "editor_a"),
        "editor_b": user_with_role(Role.EDITOR, tree.township_b, "editor_b"),
        "reviewer_a": user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a"),
        "reviewer_b": user_with_role(Role.REVIEWER, tree.township_b, "reviewer_b"),
        "county_editor": user_with_role(Role.EDITOR, tree.county, "county_editor"),
        "county_reviewer": user_with_role(Role.REVIEWER, tree.county, "county_reviewer"),
        "org_admin": user_with_role(Role.ORG_ADMIN, tree.county, "county_admin"),
        "recruiter": user_with_role(Role.RECRUITER, tree.county, "recruiter"),
        "member": member.user,
    }


# --- The matrix: Wagtail's permission API, per role and section ---------------------------

# (user, section) -> (may add, may edit, may publish)
MATRIX = [
    ("editor_a", "a", (True, True, False)),
    ("editor_a", "b", (False, False, False)),
    ("editor_a", "county", (False, False, False)),
    ("reviewer_a", "a", (True, True, True)),
    ("reviewer_a", "b", (False, False, False)),
    ("reviewer_b", "a", (False, False, False)),
    ("county_editor", "county", (True, True, False)),
    ("county_editor", "a", (False, False, False)),
    ("county_reviewer", "a", (True, True, True)),
    ("county_reviewer", "b", (True, True, True)),
    ("county_reviewer", "county", (True, True, True)),
    ("org_admin", "a", (False, False, False)),
    ("org_admin", "county", (False, False, False)),
    ("recruiter", "a", (False, False, False)),
    ("member", "a", (False, False, False)),
]


@pytest.mark.parametrize(("who", "where", "expected"), MATRIX)
def test_permissions_per_role_and_section(sections, people, who, where, expected):
    """Roles reach their own organisation's section only; the county's reviewers reach all."""
    section = getattr(sections, where)
    material = study_material(section)
    user = people[who]
    on_section = section.permissions_for_user(user)
    on_material = material.permissions_for_user(user)
    assert (
        on_section.can_add_subpage(),
        on_material.can_edit(),
        on_material.can_publish(),
    ) == expected


@pytest.mark.parametrize("who", ["editor_a", "reviewer_a", "county_reviewer", "org_admin"])
def test_nobody_but_a_superuser_adds_pages_beside_the_sections(sections, people, who):
    """A section made by hand would have no groups and no workflow."""
    home = HomePage.objects.get()
    assert not home.permissions_for_user(people[who]).can_add_subpage()
    assert not home.permissions_for_user(people[who]).can_edit()


# --- Editors ----------------------------------------------------------------------------


def test_editor_adds_edits_saves_a_draft_and_submits_in_own_section(client, sections, people):
    client.force_login(people["editor_a"])
    assert client.get(add_url(sections.a)).status_code == 200

    response = client.post(add_url(sections.a), page_form_data("学习新党章", "dangzhang"))
    assert response.status_code == 302
    page = StudyMaterialPage.objects.get(slug="dangzhang")
    assert page.get_parent().pk == sections.a.pk
    assert page.owner == people["editor_a"]
    assert not page.live

    assert client.get(edit_url(page)).status_code == 200
    client.post(edit_url(page), page_form_data("学习新党章（修订）", "dangzhang"))
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "学习新党章（修订）"

    submit(client, page)
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert page.current_workflow_state.requested_by == people["editor_a"]
    assert not page.live


def test_editor_has_no_publish_action_and_publishing_is_refused(client, sections, people):
    client.force_login(people["editor_a"])
    page = study_material(sections.a, owner=people["editor_a"])
    html = client.get(edit_url(page)).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    client.post(edit_url(page), page_form_data(page.title, page.slug, **{"action-publish": "1"}))
    page.refresh_from_db()
    assert not page.live
    assert not page.permissions_for_user(people["editor_a"]).can_publish()


def test_editor_cannot_add_or_edit_in_another_section(client, sections, people):
    client.force_login(people["editor_a"])
    other = study_material(sections.b)

    assert client.get(add_url(sections.b)).status_code in (302, 403)
    response = client.post(add_url(sections.b), page_form_data("越权", "yuequan"))
    assert response.status_code in (302, 403)
    assert not StudyMaterialPage.objects.filter(slug="yuequan").exists()

    assert client.get(edit_url(other)).status_code in (302, 403)
    client.post(edit_url(other), page_form_data("改别人的", other.slug))
    assert other.get_latest_revision_as_object().title == "学习新党章"


def test_editor_cannot_edit_while_the_page_is_in_moderation(client, sections, people):
    """The approval task locks the page for everyone outside the reviewer groups."""
    client.force_login(people["editor_a"])
    page = study_material(sections.a, owner=people["editor_a"])
    submit(client, page)
    client.post(edit_url(page), page_form_data("审核中再改", page.slug))
    assert page.get_latest_revision_as_object().title == "学习新党章"


# --- Reviewers --------------------------------------------------------------------------


def _submitted(client, sections, people, section="a"):
    editor = people[f"editor_{section}"]
    page = study_material(getattr(sections, section), owner=editor)
    client.force_login(editor)
    submit(client, page)
    client.logout()
    page.refresh_from_db()
    return page


def test_reviewer_approves_in_own_section_and_the_page_goes_live(client, sections, people):
    page = _submitted(client, sections, people)
    client.force_login(people["reviewer_a"])
    assert workflow_action(client, page, "approve").status_code == 302
    page.refresh_from_db()
    assert page.live
    assert not page.workflow_in_progress


def test_reviewer_rejects_with_a_comment(client, sections, people):
    page = _submitted(client, sections, people)
    client.force_login(people["reviewer_a"])
    workflow_action(client, page, "reject", comment="请注明出处")
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert TaskState.objects.get(workflow_state=state).comment == "请注明出处"


def test_reviewer_of_another_section_cannot_act_on_the_task(client, sections, people):
    page = _submitted(client, sections, people)
    client.force_login(people["reviewer_b"])
    # Wagtail's admin answers a refused action by sending the user back to the dashboard.
    assert workflow_action(client, page, "approve").status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress


def test_reviewer_publishes_directly_in_own_section_only(client, sections, people):
    client.force_login(people["reviewer_a"])
    own = study_material(sections.a)
    client.post(edit_url(own), page_form_data(own.title, own.slug, **{"action-publish": "1"}))
    own.refresh_from_db()
    assert own.live

    other = study_material(sections.b)
    client.post(edit_url(other), page_form_data(other.title, other.slug, **{"action-publish": "1"}))
    other.refresh_from_db()
    assert not other.live


def test_county_reviewer_approves_in_every_section(client, sections, people):
    page = _submitted(client, sections, people, section="b")
    client.force_login(people["county_reviewer"])
    assert workflow_action(client, page, "approve").status_code == 302
    page.refresh_from_db()
    assert page.live


def test_county_reviewers_reach_sections_made_after_theirs(tree, sections, user_with_role):
    county_reviewer = user_with_role(Role.REVIEWER, tree.county)
    later = OrganizationFactory(
        parent=tree.county,
        name="后设镇",
        code="L",
        kind=Kind.COMMITTEE,
        level=Level.TOWNSHIP,
        publishes=True,
    )
    section = SectionPage.objects.get(organization=later)
    assert section.permissions_for_user(county_reviewer).can_publish()
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow__workflow_pages__page=section)
    assert set(task.groups.all()) == {section.reviewers, sections.county.reviewers}


def test_organisations_with_the_same_name_get_separate_workflows(tree, user_with_role):
    """Names repeat between townships (新村); the workflow and collection follow the code."""
    one = OrganizationFactory(parent=tree.township_a, name="新村党支部", code="N1", publishes=True)
    two = OrganizationFactory(parent=tree.township_b, name="新村党支部", code="N2", publishes=True)
    first, second = (SectionPage.objects.get(organization=o) for o in (one, two))
    assert first.get_workflow() != second.get_workflow()
    reviewer = user_with_role(Role.REVIEWER, one)
    assert not second.permissions_for_user(reviewer).can_edit()
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow__workflow_pages__page=second)
    assert reviewer not in [u for g in task.groups.all() for u in g.user_set.all()]


def test_others_cannot_edit_pages_in_the_admin(client, sections, people):
    page = study_material(sections.a)
    for who in ("org_admin", "recruiter", "member"):
        client.force_login(people[who])
        assert client.get(edit_url(page)).status_code in (302, 403), who
        assert client.get(add_url(sections.a)).status_code in (302, 403), who


# --- Revisions, moves, deletions ---------------------------------------------------------


def test_editor_compares_and_reverts_revisions_of_own_page(client, sections, people):
    client.force_login(people["editor_a"])
    page = study_material(sections.a, owner=people["editor_a"])
    first = page.latest_revision
    client.post(edit_url(page), page_form_data("第二稿", page.slug))
    page.refresh_from_db()
    second = page.latest_revision
    assert second.pk != first.pk

    compare = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk])
    response = client.get(compare)
    assert response.status_code == 200
    assert "第二稿" in response.content.decode()

    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk])
    assert client.get(revert).status_code == 200
    client.post(revert, page_form_data("学习新党章", page.slug, revision=first.pk))
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "学习新党章"


def test_moving_a_page_leaves_a_redirect_from_its_old_url(client, sections, people):
    page = study_material(sections.a, publish=True)
    old_url = page.url
    client.force_login(people["county_reviewer"])
    response = client.post(
        reverse("wagtailadmin_pages:move_confirm", args=[page.pk, sections.b.pk])
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_parent().pk == sections.b.pk
    assert page.url != old_url

    client.logout()
    response = client.get(old_url)
    assert response.status_code in (301, 302)
    assert response["Location"].endswith(page.url)


def test_deleting_a_linked_page_warns_of_its_uses(client, sections, people):
    target = study_material(sections.a, "被引用的资料", publish=True)
    linking = study_material(sections.a, "引用它的资料")
    linking.body = [
        ("paragraph", RichText(f'<p>参见<a linktype="page" id="{target.pk}">此文</a></p>'))
    ]
    linking.save_revision().publish()

    client.force_login(people["reviewer_a"])
    response = client.get(reverse("wagtailadmin_pages:delete", args=[target.pk]))
    assert response.status_code == 200
    assert response.context["usage_count"] == 1
    assert reverse("wagtailadmin_pages:usage", args=[target.pk]) in response.content.decode()


# --- Organisations --------------------------------------------------------------------------


def test_setting_publishes_on_an_organisation_in_the_admin_creates_its_section(
    client, tree, org_admin_a
):
    village = tree.village_a1
    client.force_login(org_admin_a)
    response = client.post(
        reverse("portal_organization:edit", args=[village.pk]),
        {
            "name": village.name,
            "code": village.code,
            "kind": village.kind,
            "level": village.level,
            "city": "",
            "contact_name": "",
            "publishes": "on",
        },
    )
    assert response.status_code == 302
    section = SectionPage.objects.get(organization=village)
    assert section.editors and section.reviewers
    assert section.get_workflow() is not None


def test_an_organisation_edit_cannot_put_it_at_the_wrong_level(client, tree, org_admin_a):
    client.force_login(org_admin_a)
    village = tree.village_a1
    response = client.post(
        reverse("portal_organization:edit", args=[village.pk]),
        {"name": village.name, "code": village.code, "kind": village.kind, "level": "county"},
    )
    assert response.status_code == 200
    village.refresh_from_db()
    assert village.level == Level.VILLAGE


def test_section_create_twice_changes_nothing(tree, sections):
    pages, groups = Page.objects.count(), SectionPage.objects.get(pk=sections.a.pk).editors_id
    assert section_create(organization=tree.township_a).pk == sections.a.pk
    assert Page.objects.count() == pages
    assert SectionPage.objects.get(pk=sections.a.pk).editors_id == groups
