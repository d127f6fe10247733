"""The demo's care sample: bounded, printed, and built once."""

from io import StringIO

from django.core.management import call_command

from portal.care import demo as demo_care
from portal.models import CareCase, Liaison, Member, Talk, Transfer
from portal.registry.demo import DEMO_MEMBER_PHONE, DEMO_PASSWORD


def counts() -> tuple[int, int, int, int]:
    models = (Liaison, Talk, CareCase, Transfer)
    return tuple(model.objects.count() for model in models)


def test_the_demo_has_a_liaison_with_members_talks_a_case_and_a_transfer_once(db):
    """One seed (it is slow): the sample is there, bounded, printed, and a second build of it
    changes nothing."""
    out = StringIO()
    call_command("seed_demo", members=300, stdout=out)
    pairings = Liaison.objects.filter(liaison__username=demo_care.LIAISON_USERNAME)
    assert 1 <= pairings.count() <= demo_care.PAIRED
    mine = pairings.get(member__phone=DEMO_MEMBER_PHONE)
    assert mine.liaison.check_password(DEMO_PASSWORD)
    assert 1 <= Talk.objects.count() <= 2
    case = CareCase.objects.get()
    assert case.closed_on is None and case.visits.count() == 1
    for transfer in Transfer.objects.all():  # only when the branch has members enough
        assert transfer.state == Transfer.State.SUBMITTED
        assert [step.state for step in transfer.steps.all()] == ["submitted"]
    assert demo_care.LIAISON_USERNAME in out.getvalue()

    before = counts()
    member = Member.objects.get(phone=DEMO_MEMBER_PHONE)
    demo_care.demo_care_build(member=member, secretary_username="secretary", password="x")
    assert counts() == before
