"""Rules in the admin: an org admin creates, copies and switches rules within their subtree;
the rule's page shows its executions and whom it would reach; errors name the field."""

import pytest
from django.urls import reverse

from portal.models import Role, Rule, RuleExclusion, RuleExecution
from portal.rules.engine import rules_event_handle
from tests.portal.content.publishing_support import study_material

from .entry_data import entries_data, rule_data, secretaries_below
from .helpers import notify, rule_make


def _form(org, **overrides) -> dict:
    return rule_data(
        org,
        conditions=[("page_type", {"page_types": ["portal.noticepage"]})],
        actions=[secretaries_below()],
        **overrides,
    )


@pytest.fixture
def admin_a(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.township_a, "admin_a")


def test_an_org_admin_creates_a_rule_in_their_subtree(client, tree, admin_a):
    client.force_login(admin_a)
    data = _form(tree.township_a, switched_off=[tree.village_a2.pk])
    response = client.post(reverse("portal_rules:add"), data)
    assert response.status_code == 302
    rule = Rule.objects.get(title="通知村支部书记")
    assert rule.organization == tree.township_a
    assert rule.conditions[0]["params"]["page_types"] == ["portal.noticepage"]
    assert list(RuleExclusion.objects.filter(rule=rule).values_list("organization", flat=True)) == [
        tree.village_a2.pk
    ]


def test_an_org_admin_cannot_assign_a_rule_outside_their_subtree(client, tree, admin_a):
    client.force_login(admin_a)
    response = client.post(reverse("portal_rules:add"), _form(tree.township_b))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    response = client.post(reverse("portal_rules:add"), _form(tree.township_a, organization=""))
    assert "organization" in response.context["form"].errors
    assert not Rule.objects.filter(title="通知村支部书记").exists()


def test_errors_name_the_entry_and_its_parameter(client, tree, admin_a):
    client.force_login(admin_a)
    data = _form(tree.township_a)
    data.update(entries_data("actions", [secretaries_below(recipients="nobody")]))
    data.update({"conditions-0-kind": "x"})
    response = client.post(reverse("portal_rules:add"), data)
    errors = response.context["form"].errors
    assert not Rule.objects.filter(title="通知村支部书记").exists()
    [unknown_condition] = errors["conditions"]
    assert "page_type" in unknown_condition  # lists the kinds there are
    [first] = errors["actions"]
    assert first.startswith("Action 1") or first.startswith("动作 1")
    assert "nobody" in first


def test_copy_and_switch_off(client, tree, admin_a):
    rule = rule_make(organization=tree.township_a, title="原规则")
    client.force_login(admin_a)
    copy = client.get(reverse("portal_rules:copy", args=[rule.pk]))
    assert copy.context["form"].initial["title"] == "原规则"
    response = client.post(reverse("portal_rules:toggle", args=[rule.pk]))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.enabled is False
    client.post(reverse("portal_rules:toggle", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.enabled is True


def test_the_rule_page_shows_executions_and_a_preview_of_recipients(
    client, tree, sections, admin_a, user_with_role
):
    village_secretary = user_with_role(Role.ORG_ADMIN, tree.village_a1, "sec_a1")
    user_with_role(Role.ORG_ADMIN, tree.village_b1, "sec_b1")
    rule = rule_make(
        organization=tree.township_a,
        actions=[notify("secretary", reach="below", level="village")],
    )
    broken = rule_make(
        organization=tree.township_a,
        actions=[{"key": "notify_group", "params": {"group": "不存在", "title": "{title}"}}],
    )
    page = study_material(sections.a, publish=True)
    rules_event_handle(
        trigger="page_published", event_key=f"published:{page.pk}", context={"page_id": page.pk}
    )
    client.force_login(admin_a)
    url = reverse("portal_rules:inspect", args=[rule.pk])
    html = client.get(url, {"organization": tree.township_a.pk}).content.decode()
    assert f"published:{page.pk}" in html
    assert 'id="rule-preview"><li>sec_a1</li></ul>' in html
    assert RuleExecution.objects.get(rule=rule).notified == 1 == len([village_secretary])
    html = client.get(reverse("portal_rules:inspect", args=[broken.pk])).content.decode()
    assert "不存在" in html


def test_editors_read_the_rules_touching_their_section_but_do_not_edit(
    client, tree, user_with_role
):
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    above = rule_make(organization=tree.county, title="县里的规则")
    own = rule_make(organization=tree.village_a1, title="村里的规则")
    elsewhere = rule_make(organization=tree.township_b, title="乙乡的规则")
    client.force_login(editor)
    html = client.get(reverse("portal_rules:index")).content.decode()
    assert above.title in html and own.title in html
    assert elsewhere.title not in html
    assert client.get(reverse("portal_rules:inspect", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("portal_rules:edit", args=[above.pk])).status_code in (302, 403)


def test_org_admins_read_the_built_in_rules_but_do_not_edit_them(client, admin_a):
    builtin = Rule.objects.get(builtin_key="publication")
    client.force_login(admin_a)
    assert builtin.title in client.get(reverse("portal_rules:index")).content.decode()
    assert client.get(reverse("portal_rules:inspect", args=[builtin.pk])).status_code == 200
    assert client.get(reverse("portal_rules:edit", args=[builtin.pk])).status_code == 404
    assert client.post(reverse("portal_rules:toggle", args=[builtin.pk])).status_code == 404
    builtin.refresh_from_db()
    assert builtin.enabled
