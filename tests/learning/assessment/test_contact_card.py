"""The attested contact card counts in the annual assessment draft.

Documented effect: where the organisation's AssessmentPolicy sets
``min_contact_activities`` above 0, a floating member without an attested contact card of
the year, or with fewer countersigned activities on it, is drafted 基本合格 (basically
qualified) with the reason ``contact_card_unattested`` or
``contact_activities_below_minimum``; members who are not floating are not concerned.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from learning.assessment import services as annual_assessment
from learning.credit import services as credit
from learning.models import AnnualAssessment, AssessmentPolicy, Grade
from portal.cards import services as cards
from portal.models import Role
from portal.registry.factories import MemberFactory


def last_year():
    """Last year, read when the test runs (not at import, which may be before a new year)."""
    return timezone.localdate().year - 1


@pytest.fixture
def host_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin")


@pytest.fixture
def excellent_year(tree, org_admin_a):
    """Three members of township A with an excellent ledger: one floating with an attested
    card of two activities, one floating without a card, one not floating."""
    people = {
        "attested": MemberFactory(name="有认证书", origin=tree.village_a1, host=tree.host_branch),
        "missing": MemberFactory(name="无认证书", origin=tree.village_a1, host=tree.host_branch),
        "local": MemberFactory(
            name="在家党员", origin=tree.village_a2, floating_status="local", floating_since=None
        ),
    }
    for member in people.values():
        credit.credit_correct(
            member=member,
            hours=Decimal("40"),
            points=150,
            deduction=0,
            reason="测试",
            author=org_admin_a,
            occurred_on=datetime.date(last_year(), 6, 1),
        )
    return people


def _attest(member, user, activities: int):
    card = cards.contact_card_open(member=member, year=last_year())
    for day in range(1, activities + 1):
        cards.contact_activity_record(
            card=card,
            kind="theme_day",
            held_on=datetime.date(last_year(), day, 9),
            description="主题党日",
            user=user,
            countersign=True,
        )
    return cards.contact_card_attest(card=card, user=user)


def _drafts(tree):
    annual_assessment.assessment_drafts_compute(
        organization_id=tree.township_a.pk, year=last_year()
    )
    return {
        a.member.name: (a.draft_grade, a.draft_reasons)
        for a in AnnualAssessment.objects.filter(year=last_year()).select_related("member")
    }


def test_without_the_rule_the_card_changes_nothing(tree, excellent_year):
    """The default policy (0) leaves every draft as the ledger makes it."""
    assert {grade for grade, _reasons in _drafts(tree).values()} == {Grade.EXCELLENT}


def test_a_floating_member_without_an_attestation_is_drafted_basically_qualified(
    tree, excellent_year, host_admin
):
    AssessmentPolicy.objects.create(organization=tree.township_a, min_contact_activities=2)
    _attest(excellent_year["attested"], host_admin, activities=2)
    drafts = _drafts(tree)
    assert drafts["无认证书"] == (Grade.BASIC, ["contact_card_unattested"])
    assert drafts["有认证书"] == (Grade.EXCELLENT, [])
    assert drafts["在家党员"] == (Grade.EXCELLENT, [])


def test_too_few_attested_activities_is_named(tree, excellent_year, host_admin):
    AssessmentPolicy.objects.create(organization=tree.township_a, min_contact_activities=3)
    _attest(excellent_year["attested"], host_admin, activities=2)
    assert _drafts(tree)["有认证书"] == (Grade.BASIC, ["contact_activities_below_minimum"])


def test_a_card_not_yet_attested_does_not_count(tree, excellent_year, host_admin):
    """Countersigned activities count only once the host branch issued the attestation."""
    AssessmentPolicy.objects.create(organization=tree.township_a, min_contact_activities=1)
    card = cards.contact_card_open(member=excellent_year["attested"], year=last_year())
    cards.contact_activity_record(
        card=card,
        kind="meetings",
        held_on=datetime.date(last_year(), 3, 1),
        description="党员大会",
        user=host_admin,
        countersign=True,
    )
    assert _drafts(tree)["有认证书"] == (Grade.BASIC, ["contact_card_unattested"])


def test_the_reasons_have_words_for_the_admin():
    for code in ("contact_card_unattested", "contact_activities_below_minimum"):
        assert str(annual_assessment.DRAFT_REASONS[code]) != code
