"""The nightly full refresh of the record's signals on every member's profile (Celery beat),
in batches of primary keys; a second run changes nothing."""

import functools
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from learning.models import CreditEntry
from talent import tasks
from talent.models import TalentProfile
from talent.services import profile_create


def test_beat_runs_the_refresh_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["talent-signals-refresh"]
    assert entry["task"] == "talent.tasks.profile_signals_refresh_all"
    assert entry["schedule"].hour == {3}  # once a day


def test_a_change_the_save_signal_missed_is_caught_up_in_batches(
    tree, members, monkeypatch, django_capture_on_commit_callbacks
):
    """Credit written in bulk sends no post_save; the nightly run finds it. Profiles are sent
    in batches, non-members' are left alone, and a second run changes nothing."""
    monkeypatch.setattr(tasks, "SIGNALS_REFRESH_BATCH", 2)
    profiles = [profile_create(member=member) for member in (members.a1, members.a2, members.b1)]
    outsider = profile_create(name="非党员", hometown_village=tree.village_a1)
    CreditEntry.objects.bulk_create(
        [
            CreditEntry(
                member=member,
                source=CreditEntry.Source.CORRECTION,
                source_key=f"bulk:{member.pk}",
                occurred_on=timezone.localdate(),
                hours=Decimal(hours),
            )
            for member, hours in ((members.a1, "2.5"), (members.b1, "4"))
        ]
    )
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert tasks.profile_signals_refresh_all.delay().get() == 2  # 3 profiles, 2 a batch
    batches = [c.args[0] for c in sent if isinstance(c, functools.partial)]
    assert batches == [[profiles[0].pk, profiles[1].pk], [profiles[2].pk]]  # sent on commit
    hours = dict(TalentProfile.objects.values_list("pk", "study_hours_this_year"))
    assert [hours[p.pk] for p in profiles] == [Decimal("2.5"), Decimal("0"), Decimal("4")]
    assert hours[outsider.pk] == 0

    stamps = list(TalentProfile.objects.order_by("pk").values_list("updated_at", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.profile_signals_refresh_all.delay()
    assert list(TalentProfile.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert tasks.profile_signals_refresh_batch.delay([p.pk for p in profiles]).get() == 0
