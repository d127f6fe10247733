import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.credit.services import credit_grant
from learning.models import Certificate, CreditEntry, TrackCompletion, TrackPage
from learning.record.selectors import member_record
from portal.registry.factories import UserFactory

from ..quiz_helpers import member_login, ordered_setup, track_complete

RECORD = reverse("learning:record")


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _entry(member, key, *, hours="0", points=0, on=None, **fields):
    return CreditEntry.objects.create(
        member=member,
        source=fields.pop("source", CreditEntry.Source.CORRECTION),
        source_key=key,
        hours=Decimal(hours),
        points=points,
        occurred_on=on or timezone.localdate(),
        **fields,
    )


def _step_points(member) -> int:
    entries = CreditEntry.objects.filter(member=member, source=CreditEntry.Source.STEP)
    return sum(entries.values_list("points", flat=True))


def test_a_completed_track_counts_its_hours_and_points(setup, members):
    """The track's 2 hours and 20 points, plus whatever points the steps earned."""
    track_complete(members.a1, setup)
    record = member_record(member=members.a1)
    points = 20 + _step_points(members.a1)
    assert (record.hours, record.points) == (Decimal("2.0"), points)
    assert record.required_hours == Decimal("32")
    assert record.hours_percent == 6
    assert sum(record.points_by_month) == points
    assert record.points_by_month[timezone.localdate().month - 1] == points
    assert [c.track_title for c in record.completions] == ["十一月学习包"]
    assert record.due == []


def test_a_reversal_lowers_the_totals(setup, members):
    track_complete(members.a1, setup)
    grant = CreditEntry.objects.get(member=members.a1, source=CreditEntry.Source.TRACK)
    _entry(
        members.a1,
        f"reversal:{grant.pk}",
        hours="-2.0",
        points=-20,
        source=CreditEntry.Source.REVERSAL,
        reverses=grant,
        reason="重复录入",
    )
    record = member_record(member=members.a1)
    assert (record.hours, record.points) == (Decimal("0.0"), _step_points(members.a1))


def test_only_this_years_entries_count_and_months_are_kept_apart(setup, members):
    today = timezone.localdate()
    _entry(members.a1, "a", hours="3.0", points=5, on=today.replace(month=1, day=15))
    _entry(members.a1, "b", hours="1.5", points=7, on=today.replace(month=3, day=2))
    _entry(members.a1, "old", hours="9.0", points=90, on=today.replace(year=today.year - 1))
    _entry(members.a2, "other", hours="4.0", points=40)
    record = member_record(member=members.a1)
    assert (record.hours, record.points) == (Decimal("4.5"), 12)
    assert record.points_by_month[:3] == [5, 0, 7]


def test_due_tracks_are_ordered_by_deadline_and_overdue_ones_marked(setup, members, tree):
    today = timezone.localdate()
    later = TrackPage(title="十二月学习包", deadline=today + datetime.timedelta(days=20))
    undated = TrackPage(title="长期学习包")
    from learning.models import TrackAssignment, TrackStep
    from tests.portal.content.helpers import publish

    for track in (later, undated):
        track.steps = [TrackStep(kind=TrackStep.Kind.QUIZ, page=setup.quiz)]
        publish(setup.section, track, private=True)
        TrackAssignment.objects.create(track=track, member=members.a1)
    setup.track.deadline = today - datetime.timedelta(days=2)
    setup.track.save_revision().publish()
    due = member_record(member=members.a1, today=today).due
    assert [(item.track.title, item.overdue) for item in due] == [
        ("十一月学习包", True),
        ("十二月学习包", False),
        ("长期学习包", False),
    ]


def test_the_record_page_shows_the_members_own_numbers(client, setup, members):
    track_complete(members.a1, setup)
    _entry(members.a2, "other", hours="7.0", points=70)
    member_login(client, members.a1)
    response = client.get(RECORD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span id="hours-total">2</span>' in html
    points = 20 + _step_points(members.a1)
    assert f'<span id="points-total">{points}</span>' in html
    assert 'aria-valuenow="2"' in html and 'aria-valuemax="32"' in html
    month = timezone.localdate().month
    assert f'data-month="{month}" data-points="{points}"' in html
    assert len(re.findall(r'<rect class="bar"', html)) == 12
    certificate = Certificate.objects.get(completion__member=members.a1)
    assert certificate.code in html
    assert reverse("learning:certificate_pdf", kwargs={"code": certificate.code}) in html


def test_the_record_page_copes_with_a_certificate_not_yet_issued(client, setup, members):
    """The completion commits before its certificate task runs; the page says so."""
    completion = TrackCompletion.objects.create(
        member=members.a1,
        track=setup.track,
        track_title=setup.track.title,
        track_kind=setup.track.kind,
        study_hours=Decimal("2.0"),
        points=20,
        completed_at=timezone.now(),
    )
    credit_grant(
        member_id=members.a1.pk,
        source=CreditEntry.Source.TRACK,
        source_key=f"track:{setup.track.pk}",
        occurred_on=timezone.localdate(),
        hours=Decimal("2.0"),
        points=20,
    )
    member_login(client, members.a1)
    response = client.get(RECORD)
    assert response.status_code == 200
    assert f'data-completion="{completion.pk}"' in response.content.decode()
    assert "certificates/" not in response.content.decode()


def test_the_due_track_is_listed_with_a_link(client, setup, members):
    member_login(client, members.a1)
    html = client.get(RECORD).content.decode()
    assert f'data-track="{setup.track.pk}"' in html
    assert setup.track.url in html


def test_anonymous_is_sent_to_log_in_and_a_user_without_a_member_refused(client, db):
    response = client.get(RECORD)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(RECORD).status_code == 403


def test_the_nav_links_to_my_study_for_logged_in_users(client, setup, members):
    member_login(client, members.a1)
    assert f'href="{RECORD}"' in client.get(RECORD).content.decode()


def test_with_nothing_due_the_record_points_to_more_on_the_home_page(client, setup, members):
    track_complete(members.a1, setup)
    member_login(client, members.a1)
    html = client.get(RECORD).content.decode()
    due = html[html.index('id="due"') :].split("</section>", 1)[0]
    assert 'href="/#shortcuts"' in due
