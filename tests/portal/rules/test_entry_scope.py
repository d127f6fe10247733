"""The rule form's choosers offer only what the user may pick: organisations in their subtrees,
the sections of those organisations, users holding a role there; superusers everything."""

import pytest
from django.urls import reverse

from portal.models import Organization, Role, Rule
from portal.rules.forms import RuleForm

from .entry_data import rule_data, secretaries_below


@pytest.fixture
def admin_a(tree, sections, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.township_a, "admin_a")


def _choices(form: RuleForm, name: str, key: str, field: str) -> list[str]:
    widget = form.entries[name].empty_form_of(key).fields[field].widget
    return [str(value) for value, _label in widget.choices if value != ""]


def test_an_org_admin_is_offered_their_subtree_and_its_sections(
    tree, sections, admin_a, user_with_role
):
    user_with_role(Role.EDITOR, tree.village_a1, "editor_a1")
    user_with_role(Role.EDITOR, tree.township_b, "editor_b")
    form = RuleForm(for_user=admin_a)
    subtree = {str(o.pk) for o in (tree.township_a, tree.village_a1, tree.village_a2)}
    assert set(_choices(form, "conditions", "member_organization", "organization")) == subtree
    assert {str(pk) for pk, _l in form.fields["organization"].choices if pk} == subtree
    assert _choices(form, "conditions", "section", "page") == [str(sections.a.pk)]
    assert [str(pk) for pk, _l in form.fields["section"].choices if pk] == [str(sections.a.pk)]
    assert set(_choices(form, "actions", "notify_user", "username")) == {"admin_a", "editor_a1"}


def test_a_superuser_is_offered_everything(tree, sections, admin_user, user_with_role):
    user_with_role(Role.EDITOR, tree.township_b, "editor_b")
    form = RuleForm(for_user=admin_user)
    organizations = _choices(form, "conditions", "member_organization", "organization")
    assert len(organizations) == Organization.objects.count()
    pages = set(_choices(form, "conditions", "section", "page"))
    assert pages == {str(s.pk) for s in (sections.a, sections.b, sections.county)}
    assert "editor_b" in _choices(form, "actions", "notify_user", "username")


def test_choosing_outside_the_subtree_is_refused_at_the_field(client, tree, sections, admin_a):
    client.force_login(admin_a)
    data = rule_data(
        tree.township_a,
        conditions=[
            ("member_organization", {"organization": tree.township_b.pk}),
            ("section", {"page": sections.b.pk}),
        ],
        actions=[("notify_user", {"username": "admin", "title": "{title}", "body": ""})],
    )
    response = client.post(reverse("portal_rules:add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    first, second = form.entries["conditions"].forms
    assert list(first.errors) == ["organization"]
    assert list(second.errors) == ["page"]
    assert list(form.entries["actions"].forms[0].errors) == ["username"]
    assert not Rule.objects.filter(title="通知村支部书记").exists()


def test_the_page_lists_each_kind_and_the_triggers_placeholders(client, tree, admin_a):
    rule = Rule.objects.create(
        title="本镇规则",
        trigger="member_lost_contact",
        organization=tree.township_a,
        actions=[
            {"key": "notify_role", "params": {"recipients": "secretary", "title": "{member}"}}
        ],
    )
    client.force_login(admin_a)
    html = client.get(reverse("portal_rules:edit", args=[rule.pk])).content.decode()
    assert "portal/rule_entries.js" in html
    assert 'data-rule-entries-template="page_type"' in html
    assert 'data-rule-entries-template="notify_group"' in html
    assert "{link}、{title}、{member}、{member_phone}、{organization}、{days}" in html
    assert 'name="actions-0-title" value="{member}"' in html


def test_editors_cannot_open_the_rule_form(client, tree, user_with_role):
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    client.force_login(editor)
    assert client.get(reverse("portal_rules:add")).status_code in (302, 403)
    response = client.post(
        reverse("portal_rules:add"), rule_data(tree.township_a, actions=[secretaries_below()])
    )
    assert response.status_code in (302, 403)
    assert not Rule.objects.filter(title="通知村支部书记").exists()


def test_an_org_admin_is_offered_the_collections_of_their_sections_only(
    tree, sections, admin_a, admin_user
):
    from portal.models import CollectionPage

    def collection(parent, slug):
        page = CollectionPage(title=slug, slug=slug)
        parent.add_child(instance=page)
        return page

    ours = collection(sections.a, "ours")
    theirs = collection(sections.b, "theirs")
    site_wide = collection(sections.a.get_parent(), "site-wide")
    offered = _choices(RuleForm(for_user=admin_a), "actions", "collection_add", "collection")
    assert offered == [str(ours.pk)]
    everything = set(
        _choices(RuleForm(for_user=admin_user), "actions", "collection_add", "collection")
    )
    assert {str(p.pk) for p in (ours, theirs, site_wide)} <= everything
