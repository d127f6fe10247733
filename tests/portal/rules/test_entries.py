"""A rule's conditions and actions are built in the admin through each kind's own form: every
registered kind (a kind registered later too) is filled in through its fields, errors stay on
the field that is wrong, and an existing rule shows and keeps its values."""

import pytest
from django.urls import reverse

from portal.models import CollectionPage, NoticePage, Role, Rule
from portal.rules.forms import RuleForm
from portal.rules.registry import ACTIONS, CONDITIONS, entry_params

from .entry_data import form_as_sent, rule_data, sample_value, secretaries_below

KINDS = [("conditions", key) for key in CONDITIONS] + [("actions", key) for key in ACTIONS]


@pytest.fixture
def admin_a(tree, sections, user_with_role):
    """Township A's org admin, whose section holds a collection (pages may be pinned to it)."""
    sections.a.add_child(instance=CollectionPage(title="本镇专题", slug="benzhen-zhuanti"))
    return user_with_role(Role.ORG_ADMIN, tree.township_a, "admin_a")


def _sample(user, name: str, key: str) -> dict:
    """A valid value for every field of the kind, chosen among what ``user`` is offered."""
    form = RuleForm(for_user=user).entries[name].empty_form_of(key)
    return {
        field_name: sample_value(field, f"{key}.{field_name}")
        for field_name, field in form.fields.items()
        if field_name not in ("kind", "ORDER", "DELETE")
    }


def _data_with(org, name: str, key: str, params: dict) -> dict:
    if name == "conditions":
        return rule_data(org, conditions=[(key, params)], actions=[secretaries_below()])
    return rule_data(org, actions=[(key, params)])


def _shown(form: RuleForm, name: str) -> dict:
    data = form_as_sent(form)
    prefix = f"{name}-0-"
    return {k.removeprefix(prefix): v for k, v in data.items() if k.startswith(prefix)}


@pytest.mark.parametrize(("name", "key"), KINDS)
def test_every_kind_is_built_through_its_fields_and_shown_again(client, tree, admin_a, name, key):
    params = _sample(admin_a, name, key)
    client.force_login(admin_a)
    response = client.post(
        reverse("portal_rules:add"), _data_with(tree.township_a, name, key, params)
    )
    assert response.status_code == 302, response.context["form"].errors
    rule = Rule.objects.get(title="通知村支部书记")
    [entry] = [e for e in getattr(rule, name) if e["key"] == key]
    registry = CONDITIONS if name == "conditions" else ACTIONS
    entry_params(entry, registry)  # the engine reads what the admin stored

    edit = client.get(reverse("portal_rules:edit", args=[rule.pk]))
    shown = _shown(edit.context["form"], name)
    expected = {field: v if isinstance(v, list) else str(v) for field, v in params.items()}
    assert {field: shown[field] for field in expected} == expected
    assert f'name="{name}-0-kind" value="{key}"' in edit.content.decode()


REQUIRED = [
    (name, key, field_name)
    for name, registry in (("conditions", CONDITIONS), ("actions", ACTIONS))
    for key, spec in registry.items()
    for field_name, field in spec.form.base_fields.items()
    if field.required
]


@pytest.mark.parametrize(("name", "key", "field_name"), REQUIRED)
def test_a_missing_value_is_reported_at_its_field_and_nothing_is_saved(
    client, tree, admin_a, name, key, field_name
):
    params = {**_sample(admin_a, name, key), field_name: ""}
    client.force_login(admin_a)
    response = client.post(
        reverse("portal_rules:add"), _data_with(tree.township_a, name, key, params)
    )
    assert response.status_code == 200
    assert not Rule.objects.filter(title="通知村支部书记").exists()
    form = response.context["form"]
    entry = form.entries[name].forms[0]
    label = str(entry.fields[field_name].label)
    [message] = entry.errors[field_name]
    assert message.startswith(label)
    assert any(label in summary for summary in form.errors[name])
    html = response.content.decode()
    assert f'id="id_{name}-0-{field_name}' in html and message.split("：")[-1][:4] in html


def test_a_template_naming_what_the_trigger_lacks_is_reported_at_that_field(client, tree, admin_a):
    client.force_login(admin_a)
    data = rule_data(tree.township_a, actions=[secretaries_below(body="{whoever}来了")])
    response = client.post(reverse("portal_rules:add"), data)
    entry = response.context["form"].entries["actions"].forms[0]
    assert set(entry.errors) == {"body"}
    [message] = entry.errors["body"]
    assert "{whoever}" in message and "{title}" in message
    assert not Rule.objects.exists() or not Rule.objects.filter(title="通知村支部书记").exists()


def test_entries_are_kept_in_the_order_given_and_removed_ones_dropped(client, tree, admin_a):
    client.force_login(admin_a)
    data = rule_data(
        tree.township_a,
        conditions=[("tag", {"tag": "党章"}), ("tag", {"tag": "删掉"}), ("tag", {"tag": "党史"})],
        actions=[secretaries_below(title="第一"), secretaries_below(title="第二")],
    )
    data.update({"conditions-0-ORDER": 3, "conditions-2-ORDER": 1, "conditions-1-DELETE": "1"})
    data["conditions-1-tag"] = ""  # a removed entry is not checked
    data.update({"actions-0-ORDER": 2, "actions-1-ORDER": 1})
    response = client.post(reverse("portal_rules:add"), data)
    assert response.status_code == 302
    rule = Rule.objects.get(title="通知村支部书记")
    assert [c["params"]["tag"] for c in rule.conditions] == ["党史", "党章"]
    assert [a["params"]["title"] for a in rule.actions] == ["第二", "第一"]


def test_a_rule_needs_an_action(client, tree, admin_a):
    client.force_login(admin_a)
    response = client.post(reverse("portal_rules:add"), rule_data(tree.township_a))
    assert response.status_code == 200
    assert response.context["form"].errors["actions"]


def _meaning(rule: Rule) -> dict:
    """Each entry's cleaned parameters, as the engine reads them."""
    return {
        name: [(e["key"], entry_params(e, registry)) for e in getattr(rule, name)]
        for name, registry in (("conditions", CONDITIONS), ("actions", ACTIONS))
    }


def _same(before: dict, after: dict) -> None:
    """Equal, except that a value left empty may come back as its field's default."""
    for name, registry in (("conditions", CONDITIONS), ("actions", ACTIONS)):
        assert [key for key, _p in after[name]] == [key for key, _p in before[name]]
        for (key, old), (_key, new) in zip(before[name], after[name], strict=True):
            fields = registry[key].form.base_fields
            for field, value in old.items():
                if value in ("", None, []):
                    assert new[field] in ("", None, [], fields[field].initial), field
                else:
                    assert new[field] == value, field


@pytest.mark.parametrize("builtin_key", ["publication", "rejection", "lost_contact", "approval"])
def test_a_built_in_rule_round_trips_through_the_form(client, admin_user, builtin_key):
    rule = Rule.objects.get(builtin_key=builtin_key)
    before = _meaning(rule)
    client.force_login(admin_user)
    edit = client.get(reverse("portal_rules:edit", args=[rule.pk]))
    url = reverse("portal_rules:edit", args=[rule.pk])
    response = client.post(url, form_as_sent(edit.context["form"]))
    assert response.status_code == 302, response.context["form"].errors
    rule.refresh_from_db()
    _same(before, _meaning(rule))


def test_the_rule_page_says_its_entries_in_words(client, admin_user):
    rule = Rule.objects.get(builtin_key="publication")
    client.force_login(admin_user)
    html = client.get(reverse("portal_rules:inspect", args=[rule.pk])).content.decode()
    assert '<ol id="rule-conditions">' in html and '<ol id="rule-actions">' in html
    assert str(CONDITIONS["page_type"].label) in html and str(ACTIONS["notify_role"].label) in html
    assert str(NoticePage._meta.verbose_name) in html
    assert "portal.noticepage" not in html
