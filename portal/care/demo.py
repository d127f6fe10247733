"""Demo care: a liaison login paired with the demo member and a few members of the same
branch (1+N), two talks, one open care case with a visit, and one transfer awaiting the
destination's acceptance.

Bounded whatever the member count (PAIRED members at most) and idempotent: a second run finds
the liaison's pairings and changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.care import services as care
from portal.care.models import Liaison
from portal.care.selectors import quarter_start
from portal.registry.models import Member, Organization

LIAISON_USERNAME = "liaison"
LIAISON_NAME = "周志红"
PAIRED = 4  # the demo member and three others of the branch
TRANSFER_DESTINATION = "T01-V02"


def _liaison_user(password: str):
    user, created = get_user_model().objects.get_or_create(
        username=LIAISON_USERNAME, defaults={"first_name": LIAISON_NAME}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def demo_care_build(*, member: Member, secretary_username: str, password: str) -> None:
    """Build the sample around ``member``; ``secretary_username`` keeps their branch."""
    liaison = _liaison_user(password)
    if Liaison.objects.filter(liaison=liaison).exists():
        return
    secretary = get_user_model().objects.get(username=secretary_username)
    others = list(
        Member.objects.filter(origin=member.origin, user__isnull=True).order_by("pk")[: PAIRED - 1]
    )
    today = timezone.localdate()
    for paired in [member, *others]:
        care.liaison_pair(
            liaison=liaison,
            member=paired,
            organization=member.origin,
            started_on=today - datetime.timedelta(days=200),
        )
    _talks(liaison, member, others, today)
    _care_case(secretary, others[0] if others else member, today)
    if len(others) > 1:
        _transfer(secretary, others[1])


def _talks(liaison, member: Member, others: list[Member], today: datetime.date) -> None:
    # One talk this quarter, one last quarter: the second member shows as due a talk.
    care.talk_record(
        member=member,
        talked_by=liaison,
        held_on=quarter_start(today),
        way="video",
        summary="视频谈心：在深圳工作稳定，按时参加临时党支部组织生活，希望多推送微党课。",
    )
    if others:
        care.talk_record(
            member=others[0],
            talked_by=liaison,
            held_on=quarter_start(today) - datetime.timedelta(days=20),
            way="phone",
            summary="电话谈心：家中老人住院，本人请假回乡照顾，已向支部反映困难。",
        )


def _care_case(secretary, member: Member, today: datetime.date) -> None:
    case = care.care_case_open(
        member=member,
        hardship="illness",
        description="父亲突发脑梗住院，家庭收入主要靠本人外出务工，医疗费用负担重。",
        opened_on=today - datetime.timedelta(days=15),
        opened_by=secretary,
    )
    care.care_visit_record(
        case=case,
        visited_on=today - datetime.timedelta(days=10),
        visitors="村党支部书记、驻村第一书记",
        help_given="上门看望，送去慰问金和米油；协助申请大病医疗救助。",
        amount=500,
        recorded_by=secretary,
    )


def _transfer(secretary, member: Member) -> None:
    destination = Organization.objects.filter(code=TRANSFER_DESTINATION).first()
    if destination is None or destination.pk == member.origin_id:
        return
    care.transfer_submit(
        member=member,
        destination=destination,
        reason="本人已回乡定居，申请将组织关系转入现居住村党支部。",
        user=secretary,
    )
