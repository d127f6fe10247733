import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from learning.assessment import services as annual_assessment
from learning.credit import services as credit
from learning.models import (
    Activity,
    AnnualAssessment,
    CreditEntry,
    Grade,
    PointsRule,
    QuarterlyPublication,
)
from portal.models import Role

DAY = datetime.date(2026, 10, 5)


@pytest.fixture
def admin_client(client, org_admin_a):
    client.force_login(org_admin_a)
    return client


@pytest.fixture
def rules(tree):
    return (
        PointsRule.objects.create(organization=tree.township_a, activity=Activity.QUIZ, points=4),
        PointsRule.objects.create(organization=tree.township_b, activity=Activity.QUIZ, points=9),
    )


@pytest.fixture
def entries(members, org_admin_a):
    def correct(member):
        return credit.credit_correct(
            member=member,
            hours=Decimal("1.0"),
            points=5,
            reason="补录",
            author=org_admin_a,
            occurred_on=DAY,
        )

    return correct(members.a1), correct(members.b1)


# --- Rules ------------------------------------------------------------------------------


def test_org_admin_lists_and_edits_only_rules_of_their_subtree(admin_client, rules):
    own, other = rules
    response = admin_client.get(reverse("learning_points_rule:index"))
    assert list(response.context["object_list"]) == [own]
    assert admin_client.get(reverse("learning_points_rule:edit", args=[own.pk])).status_code == 200
    for name in ("edit", "delete", "history"):
        url = reverse(f"learning_points_rule:{name}", args=[other.pk])
        assert admin_client.get(url).status_code == 404
    admin_client.post(reverse("learning_points_rule:delete", args=[other.pk]))
    assert PointsRule.objects.filter(pk=other.pk).exists()


def test_a_rule_can_only_be_made_for_an_organisation_of_the_subtree(admin_client, tree):
    url = reverse("learning_points_rule:add")
    data = {"activity": Activity.LECTURE, "points": 3, "daily_cap": 9, "monthly_cap": ""}
    response = admin_client.post(url, {**data, "organization": tree.township_b.pk})
    assert "organization" in response.context["form"].errors
    assert not PointsRule.objects.exists()
    response = admin_client.post(url, {**data, "organization": tree.village_a1.pk})
    assert response.status_code == 302
    assert PointsRule.objects.get().organization == tree.village_a1


# --- Ledger -----------------------------------------------------------------------------


def test_ledger_lists_the_subtrees_members_with_masked_phones(admin_client, entries, members):
    response = admin_client.get(reverse("learning_credit_entry:index"))
    assert list(response.context["object_list"]) == [entries[0]]
    html = response.content.decode()
    assert members.a1.masked_phone in html
    assert members.a1.phone not in html


def test_ledger_says_whether_an_entry_was_reversed_in_chinese(admin_client, entries):
    html = admin_client.get(reverse("learning_credit_entry:index")).content.decode()
    assert "<span data-yes-no>否</span>" in html
    assert "False" not in html


def test_reversal_from_the_admin_needs_a_reason(admin_client, entries):
    own, other = entries
    url = reverse("learning_credit_entry:reverse", args=[own.pk])
    assert admin_client.get(url).context["entry"] == own
    response = admin_client.post(url, {"reason": ""})
    assert "reason" in response.context["form"].errors
    assert not CreditEntry.objects.filter(source=CreditEntry.Source.REVERSAL).exists()

    assert admin_client.post(url, {"reason": "重复录入"}).status_code == 302
    reversal = CreditEntry.objects.get(reverses=own)
    assert reversal.points == -5
    response = admin_client.post(url, {"reason": "再次"})
    assert "entry" not in response.context["form"].fields  # shown above the form
    assert response.context["form"].non_field_errors()
    other_url = reverse("learning_credit_entry:reverse", args=[other.pk])
    assert admin_client.post(other_url, {"reason": "越权"}).status_code == 404


def test_correction_only_for_members_the_admin_keeps(admin_client, members):
    url = reverse("learning_credit_entry:add")
    assert "member_phone" in admin_client.get(url).context["form"].fields
    data = {"occurred_on": "2026-10-05", "hours": "1.5", "points": 3, "deduction": 0}
    response = admin_client.post(url, {**data, "member_phone": members.b1.phone, "reason": "补录"})
    assert "member_phone" in response.context["form"].errors
    response = admin_client.post(url, {**data, "member_phone": members.a1.phone, "reason": "补录"})
    assert response.status_code == 302
    entry = CreditEntry.objects.get()
    assert (entry.member, entry.hours, entry.source) == (members.a1, Decimal("1.5"), "correction")


def test_out_of_scope_entries_are_not_inspected(admin_client, entries):
    own, other = entries
    assert (
        admin_client.get(reverse("learning_credit_entry:inspect", args=[own.pk])).status_code == 200
    )
    url = reverse("learning_credit_entry:inspect", args=[other.pk])
    assert admin_client.get(url).status_code == 404


# --- Assessment -------------------------------------------------------------------------


def test_compute_drafts_is_queued_and_runs_after_commit(
    admin_client, tree, members, django_capture_on_commit_callbacks
):
    url = reverse("learning_assessment:compute")
    response = admin_client.post(url, {"organization": tree.township_b.pk, "year": 2026})
    assert "organization" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url, {"organization": tree.township_a.pk, "year": 2026})
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert set(AnnualAssessment.objects.values_list("member", flat=True)) == {
        members.a1.pk,
        members.a2.pk,
    }


def test_confirming_another_grade_needs_a_reason(admin_client, tree, members, org_admin_a):
    annual_assessment.assessment_drafts_compute(organization_id=tree.township_a.pk, year=2026)
    annual_assessment.assessment_drafts_compute(organization_id=tree.township_b.pk, year=2026)
    own = AnnualAssessment.objects.get(member=members.a1)
    url = reverse("learning_assessment:edit", args=[own.pk])
    assert own.draft_grade == Grade.BASIC  # no hours, no points
    response = admin_client.post(url, {"grade": Grade.QUALIFIED, "override_reason": ""})
    assert "override_reason" in response.context["form"].errors
    assert AnnualAssessment.objects.get(pk=own.pk).grade == ""

    admin_client.post(url, {"grade": Grade.QUALIFIED, "override_reason": "在流入地参加学习"})
    own.refresh_from_db()
    assert (own.grade, own.confirmed_by) == (Grade.QUALIFIED, org_admin_a)

    other = AnnualAssessment.objects.get(member=members.b1)
    url = reverse("learning_assessment:edit", args=[other.pk])
    assert admin_client.post(url, {"grade": Grade.EXCELLENT}).status_code == 404
    listed = admin_client.get(reverse("learning_assessment:index")).context["object_list"]
    assert {assessment.member for assessment in listed} == {members.a1, members.a2}


# --- Publications -----------------------------------------------------------------------


def test_publish_a_quarter_of_the_subtree(admin_client, tree):
    url = reverse("learning_publication:add")
    data = {"year": 2026, "quarter": 3, "note": ""}
    response = admin_client.post(url, {**data, "organization": tree.township_b.pk})
    assert "organization" in response.context["form"].errors
    assert admin_client.post(url, {**data, "organization": tree.township_a.pk}).status_code == 302
    response = admin_client.post(url, {**data, "organization": tree.township_a.pk})
    assert "quarter" in response.context["form"].errors
    publication = QuarterlyPublication.objects.get()
    html = admin_client.get(reverse("learning_publication:index")).content.decode()
    assert reverse("learning:publication", kwargs={"pk": publication.pk}) in html


# --- Who gets in ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "learning_points_rule:index",
        "learning_credit_entry:index",
        "learning_credit_entry:add",
        "learning_assessment:index",
        "learning_assessment:compute",
        "learning_publication:index",
    ],
)
def test_editors_and_members_get_no_access(client, tree, members, user_with_role, name):
    """An editor may enter the admin but is sent back to its home page; a member is not let
    into the admin at all."""
    editor = user_with_role(Role.EDITOR, tree.township_a)
    member = user_with_role(Role.MEMBER, tree.village_a1)
    client.force_login(editor)
    response = client.get(reverse(name))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    client.force_login(member)
    response = client.get(reverse(name))
    assert response.url.startswith(reverse("wagtailadmin_login"))
