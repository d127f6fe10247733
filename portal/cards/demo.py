"""Demo certificate and contact cards for the demo member: a valid activity certificate,
last year's card attested by the host branch, and this year's card with a few countersigned
activities and one proposal waiting. A handful of rows, made once."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.cards import services as cards
from portal.cards.models import ActivityCertificate, ContactActivity
from portal.registry.models import Member

Kind = ContactActivity.Kind
# (kind, days before today, what was done, volunteer hours)
THIS_YEAR = [
    (Kind.MEETINGS, 75, "临时党支部党员大会：学习党的二十大报告", None),
    (Kind.THEME_DAY, 45, "9日主题党日：重温入党誓词", None),
    (Kind.VOLUNTEER, 30, "社区“爱心存折”志愿服务：关爱独居老人", Decimal("3.5")),
    (Kind.PRACTICAL, 12, "我为群众办实事：帮助老乡办理返乡创业手续", None),
]
LAST_YEAR = [
    (Kind.MEETINGS, 3, 15, "党员大会：年度组织生活会", None),
    (Kind.THEME_DAY, 6, 9, "主题党日：参观红色教育基地", None),
    (Kind.VOLUNTEER, 9, 20, "园区义务献血志愿服务", Decimal("4")),
    (Kind.PRACTICAL, 11, 8, "为工友代办医保异地备案", None),
]


def demo_cards_build(*, member: Member, origin_username: str, host_username: str) -> None:
    if ActivityCertificate.objects.filter(member=member).exists():
        return
    users = get_user_model().objects.in_bulk(
        [origin_username, host_username], field_name="username"
    )
    origin_user, host_user = users[origin_username], users[host_username]
    today = timezone.localdate()
    cards.certificate_issue(
        member=member, user=origin_user, issued_on=today - datetime.timedelta(days=200)
    )
    _last_year(member, host_user, today.year - 1)
    _this_year(member, host_user, today)


def _last_year(member: Member, user, year: int) -> None:
    card = cards.contact_card_open(member=member, year=year)
    for kind, month, day, description, hours in LAST_YEAR:
        cards.contact_activity_record(
            card=card,
            kind=kind,
            held_on=datetime.date(year, month, day),
            description=description,
            volunteer_hours=hours,
            user=user,
            countersign=True,
        )
    cards.contact_card_attest(card=card, user=user)


def _this_year(member: Member, user, today: datetime.date) -> None:
    first = datetime.date(today.year, 1, 1)
    card = cards.contact_card_open(member=member, year=today.year)
    for kind, days, description, hours in THIS_YEAR:
        cards.contact_activity_record(
            card=card,
            kind=kind,
            held_on=max(today - datetime.timedelta(days=days), first),
            description=description,
            volunteer_hours=hours,
            user=user,
            countersign=True,
        )
    cards.contact_activity_propose(
        member=member,
        kind=Kind.THEME_DAY,
        held_on=today,
        description="参加主题党日：学习新修订的党章",
    )
