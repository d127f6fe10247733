"""Services of portal/care.py: liaison pairings and talks, the care ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.care import selectors as care_selectors
from portal.care import services as care
from portal.models import CareCase, Liaison, Talk
from portal.registry.factories import UserFactory


def today():
    """Today in Shanghai, read when the test runs (not at import, which may be before midnight)."""
    return timezone.localdate()


def yesterday():
    return today() - datetime.timedelta(days=1)


@pytest.fixture
def liaison(db):
    return UserFactory(username="liaison_1")


def pair(liaison, member, organization, started_on=None):
    return care.liaison_pair(
        liaison=liaison,
        member=member,
        organization=organization,
        started_on=started_on or yesterday(),
    )


def test_a_member_has_one_current_liaison_and_ending_keeps_history(tree, members, liaison):
    """Pairing again while a pairing is current names the member; after ending it, a new
    pairing is allowed and the old one stays as history."""
    first = pair(liaison, members.a1, tree.township_a)
    with pytest.raises(ValidationError) as caught:
        pair(UserFactory(), members.a1, tree.township_a)
    assert "member" in caught.value.message_dict
    care.liaison_end(pairing=first, ended_on=today())
    pair(UserFactory(), members.a1, tree.township_a, started_on=today())
    assert Liaison.objects.filter(member=members.a1).count() == 2
    assert Liaison.objects.filter(member=members.a1, ended_on__isnull=True).count() == 1


def test_pairing_refuses_a_member_outside_the_organisation(tree, members, liaison):
    with pytest.raises(ValidationError) as caught:
        pair(liaison, members.b1, tree.township_a)
    assert "member" in caught.value.message_dict
    assert not Liaison.objects.exists()


def test_pairing_refuses_a_member_as_their_own_liaison(tree, members):
    members.a1.user = UserFactory()
    members.a1.save()
    with pytest.raises(ValidationError) as caught:
        pair(members.a1.user, members.a1, tree.township_a)
    assert "liaison" in caught.value.message_dict


def test_a_pairing_cannot_end_before_it_started_or_twice(tree, members, liaison):
    pairing = pair(liaison, members.a1, tree.township_a)
    with pytest.raises(ValidationError) as caught:
        care.liaison_end(pairing=pairing, ended_on=yesterday() - datetime.timedelta(days=1))
    assert "ended_on" in caught.value.message_dict
    care.liaison_end(pairing=pairing, ended_on=today())
    with pytest.raises(ValidationError):
        care.liaison_end(pairing=pairing, ended_on=today())


def test_a_talk_counts_as_contact_with_the_member(tree, members, liaison):
    """Recording a talk moves the member's last contact to the talk's date."""
    talk = care.talk_record(
        member=members.a1, talked_by=liaison, held_on=yesterday(), way="phone", summary="近况"
    )
    members.a1.refresh_from_db()
    assert members.a1.last_contact_on == yesterday()
    assert talk.talked_by == liaison


def test_a_talk_in_the_future_or_without_a_summary_is_refused(tree, members, liaison):
    for held_on, summary, field in [
        (today() + datetime.timedelta(days=1), "近况", "held_on"),
        (today(), "", "summary"),
    ]:
        with pytest.raises(ValidationError) as caught:
            care.talk_record(
                member=members.a1, talked_by=liaison, held_on=held_on, way="phone", summary=summary
            )
        assert field in caught.value.message_dict
    assert not Talk.objects.exists()
    members.a1.refresh_from_db()
    assert members.a1.last_contact_on is None


def test_quarter_start():
    assert care_selectors.quarter_start(datetime.date(2026, 5, 20)) == datetime.date(2026, 4, 1)
    assert care_selectors.quarter_start(datetime.date(2026, 12, 31)) == datetime.date(2026, 10, 1)


def test_liaison_members_carry_the_last_talk_and_whether_one_is_due(tree, members, liaison):
    """A talk before this quarter leaves the member due; one this quarter does not."""
    pair(liaison, members.a1, tree.township_a)
    pair(liaison, members.a2, tree.township_a)
    before_quarter = care_selectors.quarter_start(today()) - datetime.timedelta(days=1)
    care.talk_record(
        member=members.a1, talked_by=liaison, held_on=before_quarter, way="phone", summary="旧"
    )
    care.talk_record(
        member=members.a2, talked_by=liaison, held_on=today(), way="in_person", summary="新"
    )
    rows = {member.pk: member for member in care_selectors.liaison_members(liaison)}
    assert rows[members.a1.pk].last_talk_on == before_quarter
    assert care_selectors.talk_due(rows[members.a1.pk], today())
    assert not care_selectors.talk_due(rows[members.a2.pk], today())
    assert members.b1.pk not in rows


def test_members_due_a_talk_for_a_secretary_are_scoped_and_name_the_liaison(
    tree, members, liaison, org_admin_a
):
    liaison.first_name = "联络员甲"
    liaison.save()
    pair(liaison, members.a1, tree.township_a)
    care.talk_record(
        member=members.a2, talked_by=org_admin_a, held_on=today(), way="phone", summary="好"
    )
    due = {m.pk: m for m in care_selectors.members_due_talk(org_admin_a, today())}
    assert set(due) == {members.a1.pk}  # a2 talked to this quarter; b1 is another township's
    assert due[members.a1.pk].liaison_name == "联络员甲"


# --- The care ledger ----------------------------------------------------------------------


def open_case(member, user, **kwargs):
    values = {"hardship": "illness", "description": "住院治疗", "opened_on": yesterday()}
    return care.care_case_open(member=member, opened_by=user, **(values | kwargs))


def test_a_case_is_opened_visited_and_closed(members, org_admin_a):
    case = open_case(members.a1, org_admin_a)
    visit = care.care_visit_record(
        case=case,
        visited_on=today(),
        visitors="支部书记",
        help_given="慰问金",
        amount=Decimal("500.00"),
        recorded_by=org_admin_a,
    )
    assert visit.amount == Decimal("500.00")
    care.care_case_close(case=case, closed_on=today())
    case.refresh_from_db()
    assert case.closed_on == today()


def test_a_visit_with_no_money_or_a_positive_amount_only(members, org_admin_a):
    case = open_case(members.a1, org_admin_a)
    care.care_visit_record(
        case=case,
        visited_on=today(),
        visitors="甲",
        help_given="看望",
        amount=None,
        recorded_by=org_admin_a,
    )
    with pytest.raises(ValidationError) as caught:
        care.care_visit_record(
            case=case,
            visited_on=today(),
            visitors="甲",
            help_given="看望",
            amount=Decimal("-5"),
            recorded_by=org_admin_a,
        )
    assert "amount" in caught.value.message_dict
    assert case.visits.count() == 1


def test_a_visit_before_the_case_opened_or_on_a_closed_case_is_refused(members, org_admin_a):
    case = open_case(members.a1, org_admin_a)
    with pytest.raises(ValidationError) as caught:
        care.care_visit_record(
            case=case,
            visited_on=yesterday() - datetime.timedelta(days=3),
            visitors="甲",
            help_given="看望",
            amount=None,
            recorded_by=org_admin_a,
        )
    assert "visited_on" in caught.value.message_dict
    care.care_case_close(case=case, closed_on=today())
    with pytest.raises(ValidationError):
        care.care_visit_record(
            case=case,
            visited_on=today(),
            visitors="甲",
            help_given="看望",
            amount=None,
            recorded_by=org_admin_a,
        )


def test_a_case_cannot_close_before_its_last_visit_or_twice(members, org_admin_a):
    case = open_case(members.a1, org_admin_a, opened_on=today() - datetime.timedelta(days=5))
    care.care_visit_record(
        case=case,
        visited_on=yesterday(),
        visitors="甲",
        help_given="看望",
        amount=None,
        recorded_by=org_admin_a,
    )
    with pytest.raises(ValidationError) as caught:
        care.care_case_close(case=case, closed_on=today() - datetime.timedelta(days=2))
    assert "closed_on" in caught.value.message_dict
    care.care_case_close(case=case, closed_on=today())
    with pytest.raises(ValidationError):
        care.care_case_close(case=case, closed_on=today())


def test_one_open_case_of_a_kind_per_member(members, org_admin_a):
    open_case(members.a1, org_admin_a)
    with pytest.raises(ValidationError) as caught:
        open_case(members.a1, org_admin_a)
    assert "hardship" in caught.value.message_dict
    open_case(members.a1, org_admin_a, hardship="income")
    assert CareCase.objects.filter(member=members.a1).count() == 2


def test_the_care_ledger_is_scoped_to_the_members_kept(tree, members, org_admin_a, user_with_role):
    from portal.models import Role

    open_case(members.a1, org_admin_a)
    open_case(members.b1, org_admin_a)
    admin_b = user_with_role(Role.ORG_ADMIN, tree.township_b)
    assert [c.member for c in care_selectors.care_cases_visible_to(org_admin_a)] == [members.a1]
    assert [c.member for c in care_selectors.care_cases_visible_to(admin_b)] == [members.b1]
    assert not care_selectors.care_cases_visible_to(UserFactory()).exists()
