"""The demo's year of meetings: every branch with members has one, closed, with the oversight
page showing figures, some members flagged, and the demo member's two upcoming meetings."""

import datetime

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.meetings import demo as demo_meetings
from portal.meetings import oversight
from portal.models import Meeting, Member, User
from portal.registry.demo import DEMO_MEMBER_PHONE


def test_the_demo_holds_a_year_of_meetings_once(db):
    """One seed (it is slow): a year's meetings, oversight figures, upcoming meetings; a
    second build changes nothing."""
    call_command("seed_demo", members=300, stdout=None)
    closed = Meeting.objects.filter(state=Meeting.State.CLOSED)
    assert closed.values("organization").distinct().count() >= 10
    year_ago = timezone.now() - datetime.timedelta(days=370)
    assert not closed.filter(starts_at__lt=year_ago).exists()
    assert closed.filter(kind="theme_day").values("starts_at").distinct().count() == 12

    county_admin = User.objects.get(username="county_admin")
    today = timezone.localdate()
    rows = oversight.oversight_branches(county_admin, year=today.year, today=today)
    assert sum(len(row.flagged) for row in rows) >= 1
    assert any(row.rate and 70 < row.rate < 95 for row in rows)

    member = Member.objects.get(phone=DEMO_MEMBER_PHONE)
    client = Client()
    client.force_login(member.user)
    page = client.get(reverse("my_meetings")).content.decode()
    assert page.count('data-meeting="') >= 2

    before = Meeting.objects.count()
    demo_meetings.demo_meetings_build(county=member.origin.get_root(), member=member)
    assert Meeting.objects.count() == before
