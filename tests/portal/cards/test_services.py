"""Services and selectors of portal/cards/: certificates and contact cards."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from portal.cards import selectors
from portal.cards import services as cards
from portal.cards.pdf import certificate_card_pdf
from portal.models import ActivityCertificate, ContactActivity, LostContact, Member, Role
from portal.registry.factories import MemberFactory
from portal.registry.identity import mask_name

Kind = ContactActivity.Kind


def last_year():
    """Last year, read when the test runs (not at import, which may be before a new year)."""
    return timezone.localdate().year - 1


@pytest.fixture
def origin_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.village_b1, "origin_admin")


@pytest.fixture
def host_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin")


def _issue(member, user, **kwargs):
    return cards.certificate_issue(member=member, user=user, **kwargs)


# --- Certificates ---------------------------------------------------------------------------


def test_issue_numbers_by_county_and_year_and_sets_validity(members, origin_admin, settings):
    """The number reads <county code>-<year>-<sequence>; validity ends the day before the
    anniversary LEDGER_CERTIFICATE_YEARS on."""
    settings.LEDGER_CERTIFICATE_YEARS = 3
    first = _issue(members.b1, origin_admin, issued_on=datetime.date(2025, 3, 10))
    second = _issue(members.a1, origin_admin, issued_on=datetime.date(2025, 4, 1))
    assert first.number == "C-2025-00001"
    assert second.number == "C-2025-00002"
    assert first.expires_on == datetime.date(2028, 3, 9)
    assert first.issued_by == members.b1.origin
    assert first.created_by == origin_admin
    assert selectors.certificate_state(first, today=datetime.date(2028, 3, 9)) == "valid"
    assert selectors.certificate_state(first, today=datetime.date(2028, 3, 10)) == "expired"


def test_issue_refuses_a_second_valid_certificate(members, origin_admin):
    """A member holds at most one certificate in force; the refusal names the member field."""
    _issue(members.b1, origin_admin)
    with pytest.raises(ValidationError) as error:
        _issue(members.b1, origin_admin)
    assert "member" in error.value.message_dict
    assert ActivityCertificate.objects.filter(member=members.b1).count() == 1


def test_issue_refuses_members_who_are_not_floating(tree, origin_admin):
    local = MemberFactory(origin=tree.village_b1, floating_status="local", floating_since=None)
    with pytest.raises(ValidationError) as error:
        _issue(local, origin_admin)
    assert "member" in error.value.message_dict


def test_issue_refuses_a_future_date(members, origin_admin):
    with pytest.raises(ValidationError) as error:
        _issue(members.b1, origin_admin, issued_on=timezone.localdate() + datetime.timedelta(1))
    assert "issued_on" in error.value.message_dict
    assert not ActivityCertificate.objects.exists()


def test_renew_replaces_the_old_certificate_which_is_marked_renewed(members, origin_admin):
    old = _issue(members.b1, origin_admin, issued_on=datetime.date(2020, 1, 5))
    assert selectors.certificate_state(old) == "expired"
    new = cards.certificate_renew(certificate=old, user=origin_admin)
    old.refresh_from_db()
    assert old.status == ActivityCertificate.Status.RENEWED
    assert new.replaces == old
    assert new.number != old.number and new.code != old.code
    assert selectors.certificate_state(new) == "valid"
    assert selectors.certificates_of_member(members.b1)[0] == new


def test_revoked_certificate_cannot_be_renewed_and_revoke_needs_a_reason(members, origin_admin):
    certificate = _issue(members.b1, origin_admin)
    with pytest.raises(ValidationError) as error:
        cards.certificate_revoke(certificate=certificate, reason="  ")
    assert "revoke_reason" in error.value.message_dict
    cards.certificate_revoke(certificate=certificate, reason="组织关系已转出")
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_on == timezone.localdate()
    with pytest.raises(ValidationError):
        cards.certificate_renew(certificate=certificate, user=origin_admin)
    # After a revocation a new certificate may be issued.
    assert _issue(members.b1, origin_admin).status == "valid"


def test_check_tells_the_state_and_masks_the_name(members, origin_admin):
    """The public check shows the state, the issuer and a masked name, never the ID number."""
    certificate = _issue(members.b1, origin_admin)
    check = selectors.certificate_check(code=certificate.code.lower())
    assert check.state == "valid"
    assert check.holder == "乙**员"
    assert check.issuer == members.b1.origin.name
    assert not hasattr(check, "id_number")
    assert selectors.certificate_check(code="NOSUCHCODE99").state == "missing"


@pytest.mark.parametrize(
    ("name", "masked"), [("王伟", "王*"), ("龙建华", "龙*华"), ("欧阳小明", "欧**明"), ("", "")]
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_certificate_card_pdf_is_a_pdf(members, origin_admin):
    certificate = _issue(members.b1, origin_admin)
    pdf = certificate_card_pdf(certificate=certificate)
    assert pdf.startswith(b"%PDF")
    assert members.b1.id_number.encode() not in pdf


def test_certificates_managed_by_is_the_origin_side(members, origin_admin, host_admin):
    certificate = _issue(members.b1, origin_admin)
    assert list(selectors.certificates_managed_by(origin_admin)) == [certificate]
    assert not selectors.certificates_managed_by(host_admin).exists()


# --- Contact cards ----------------------------------------------------------------------------


def _card(member, year=None):
    return cards.contact_card_open(member=member, year=year or last_year())


def _record(card, user, **kwargs):
    values = {
        "kind": Kind.MEETINGS,
        "held_on": datetime.date(card.year, 3, 9),
        "description": "支部党员大会",
        "user": user,
    }
    return cards.contact_activity_record(card=card, **(values | kwargs))


def test_card_opens_at_the_members_host_once(members):
    card = _card(members.b1)
    assert card.host == members.b1.host
    assert _card(members.b1) == card
    with pytest.raises(ValidationError) as error:
        _card(members.a1)  # no host organisation
    assert "member" in error.value.message_dict


def test_recorded_activity_waits_until_countersigned(members, host_admin):
    card = _card(members.b1)
    activity = _record(card, host_admin)
    assert activity.countersigned_at is None
    assert selectors.contact_card_summary(card).total == 0
    assert selectors.contact_card_summary(card).pending == 1
    cards.contact_activity_countersign(activity=activity, user=host_admin)
    summary = selectors.contact_card_summary(card)
    assert (summary.total, summary.pending, summary.counts) == (1, 0, {"meetings": 1})
    with pytest.raises(ValidationError):
        cards.contact_activity_countersign(activity=activity, user=host_admin)


def test_countersigning_counts_as_contact_and_clears_lost_contact(members, host_admin):
    """A countersigned activity is contact: last_contact_on moves to its date and an open
    lost-contact flag raised before it is cleared."""
    member = members.b1
    LostContact.objects.create(
        member=member,
        since=datetime.date(last_year(), 1, 2),
        flagged_on=datetime.date(last_year(), 4, 2),
    )
    card = _card(member)
    _record(card, host_admin, held_on=datetime.date(last_year(), 5, 1), countersign=True)
    member.refresh_from_db()
    assert member.last_contact_on == datetime.date(last_year(), 5, 1)
    flag = LostContact.objects.get(member=member)
    assert flag.cleared_on == datetime.date(last_year(), 5, 1)
    assert flag.cleared_by == host_admin


@pytest.mark.parametrize(
    ("kind", "held_on", "hours", "field"),
    [
        (Kind.VOLUNTEER, datetime.date(last_year(), 4, 1), None, "volunteer_hours"),
        (Kind.MEETINGS, datetime.date(last_year(), 4, 1), Decimal("2"), "volunteer_hours"),
        (Kind.MEETINGS, datetime.date(last_year() - 1, 4, 1), None, "held_on"),
    ],
)
def test_record_refuses_bad_input_naming_the_field(
    members, host_admin, kind, held_on, hours, field
):
    card = _card(members.b1)
    with pytest.raises(ValidationError) as error:
        _record(card, host_admin, kind=kind, held_on=held_on, volunteer_hours=hours)
    assert field in error.value.message_dict
    assert not card.activities.exists()


def test_member_proposal_lands_on_the_card_of_its_year(members, host_admin):
    activity = cards.contact_activity_propose(
        member=members.b1,
        kind=Kind.VOLUNTEER,
        held_on=datetime.date(last_year(), 6, 1),
        description="社区义务清扫",
        volunteer_hours=Decimal("3.5"),
    )
    assert activity.card.year == last_year()
    assert activity.countersigned_at is None
    cards.contact_activity_reject(activity=activity)
    assert not ContactActivity.objects.exists()


def test_attestation_freezes_the_summary_and_the_card(members, host_admin):
    card = _card(members.b1)
    _record(card, host_admin, countersign=True)
    _record(
        card,
        host_admin,
        kind=Kind.VOLUNTEER,
        volunteer_hours=Decimal("4.5"),
        description="助老服务",
        countersign=True,
    )
    waiting = _record(card, host_admin, kind=Kind.THEME_DAY, description="主题党日")
    with pytest.raises(ValidationError):
        cards.contact_card_attest(card=card, user=host_admin)  # one still waits
    cards.contact_activity_countersign(activity=waiting, user=host_admin)
    card = cards.contact_card_attest(card=card, user=host_admin)
    assert card.attested_by == host_admin and card.attested_at
    assert card.attestation["total"] == 3
    assert card.attestation["counts"]["volunteer"] == 1
    assert card.attestation["volunteer_hours"] == "4.5"
    with pytest.raises(ValidationError):
        _record(card, host_admin)
    with pytest.raises(ValidationError):
        cards.contact_card_attest(card=card, user=host_admin)
    assert selectors.contact_activities_attested(member_ids=[members.b1.pk], year=last_year()) == {
        members.b1.pk: 3
    }


def test_attestation_waits_for_year_end(members, host_admin):
    card = _card(members.b1, year=timezone.localdate().year + 1)
    with pytest.raises(ValidationError):
        cards.contact_card_attest(card=card, user=host_admin)
    assert card.attested_at is None


def test_card_scopes(members, tree, host_admin, origin_admin, user_with_role):
    """The host side keeps the card, the origin side reads it, an unrelated admin neither."""
    card = _card(members.b1)
    unrelated = user_with_role(Role.ORG_ADMIN, tree.township_a, "unrelated")
    assert list(selectors.contact_cards_kept_by(host_admin)) == [card]
    assert not selectors.contact_cards_kept_by(origin_admin).exists()
    assert list(selectors.contact_cards_visible_to(origin_admin)) == [card]
    assert not selectors.contact_cards_visible_to(unrelated).exists()
    assert selectors.contact_card_kept(card, host_admin)
    assert not selectors.contact_card_kept(card, origin_admin)


# --- Demo data ------------------------------------------------------------------------------


def test_demo_cards_are_built_once(members, origin_admin, host_admin):
    """A valid certificate, last year's attested card and this year's card with countersigned
    activities and one proposal; running again adds nothing."""
    from portal.cards.demo import demo_cards_build

    for _run in range(2):
        demo_cards_build(
            member=members.b1, origin_username="origin_admin", host_username="host_admin"
        )
    (certificate,) = ActivityCertificate.objects.filter(member=members.b1)
    assert selectors.certificate_state(certificate) == "valid"
    last, this = sorted(members.b1.contact_cards.all(), key=lambda card: card.year)
    assert last.attested_at and last.attestation["total"] == 4
    summary = selectors.contact_card_summary(this)
    assert (summary.total, summary.pending) == (4, 1)


# --- Racing issues (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_certificates_issued_at_once_get_consecutive_numbers(tree, origin_admin):
    """Six certificates of one county issued from six connections at the same moment get six
    different consecutive numbers, and none fails. Transactional on purpose: each thread
    has its own connection, so the county lock is what keeps the numbers apart; SQLite
    serialises every writer and cannot show the race."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    villages = [tree.village_a1, tree.village_a2, tree.village_b1]
    people = [MemberFactory(origin=villages[n % 3]) for n in range(6)]
    barrier = threading.Barrier(len(people))
    errors = []

    def issue(member):
        try:
            Member.objects.filter(pk=member.pk).exists()  # connect before the start line
            barrier.wait()
            cards.certificate_issue(member=member, user=origin_admin)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(member,)) for member in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(ActivityCertificate.objects.values_list("number", flat=True))
    assert numbers == [f"C-{year}-{n:05d}" for n in range(1, 7)]
