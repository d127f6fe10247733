"""Signal receivers of the learning app: they only enqueue work, on commit."""

from django.db import transaction


def red_package_received_enqueue(sender, *, member_id, package_id, **kwargs) -> None:
    from .tracks.tasks import red_package_tracks_assign

    red_package_tracks_assign.delay(member_id, package_id)


def meeting_recorded_enqueue(sender, *, meeting_id, **kwargs) -> None:
    from .attendance.tasks import meeting_sessions_credit

    meeting_sessions_credit.delay(meeting_id)


# --- The step facts the progress API keeps: stale the moment the track changes -----------


def _step_facts_forget_on_commit(step_ids: list[int]) -> None:
    from .progress.selectors import step_facts_forget

    transaction.on_commit(lambda: step_facts_forget(step_ids))


def track_changed(sender, instance, **kwargs) -> None:
    """Published (its steps, template or not) or unpublished: its steps' facts change."""
    from .models import TrackStep

    steps = TrackStep.objects.filter(track_id=instance.pk).values_list("pk", flat=True)
    _step_facts_forget_on_commit(list(steps))


def step_changed(sender, instance, **kwargs) -> None:
    """A step saved or deleted (a page's deletion deletes its steps too)."""
    _step_facts_forget_on_commit([instance.pk])


def assignment_changed(sender, instance, **kwargs) -> None:
    """Assigned, reassigned or unassigned: who the track's steps are for changes."""
    from .models import TrackStep

    steps = TrackStep.objects.filter(track_id=instance.track_id).values_list("pk", flat=True)
    _step_facts_forget_on_commit(list(steps))


def _step_facts_connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from .models import TrackAssignment, TrackPage, TrackStep

    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(track_changed, sender=TrackPage, dispatch_uid=f"learning_track_{name}")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(step_changed, sender=TrackStep, dispatch_uid=f"learning_step_{name}")
        signal.connect(
            assignment_changed,
            sender=TrackAssignment,
            dispatch_uid=f"learning_assignment_{name}",
        )


# --- What the member's learning pages keep (learning/versions.py) -------------------------


def member_record_changed(sender, instance, **kwargs) -> None:
    """A row of one member's learning record saved or deleted."""
    from .models import Certificate, TrackCompletion
    from .versions import member_learning_changed

    if isinstance(instance, Certificate):
        completion = TrackCompletion.objects.filter(pk=instance.completion_id)
        member_learning_changed(completion.values_list("member_id", flat=True))
    else:
        member_learning_changed([instance.member_id])


def member_changed(sender, instance, **kwargs) -> None:
    """The member's row (its origin and host organisations decide what reaches it)."""
    from .versions import member_learning_changed

    member_learning_changed([instance.pk])


def reach_changed(sender, instance, **kwargs) -> None:
    """A step, an assignment or an organisation: what reaches whom may change for anyone; a
    video: the step pages keep their lecture's video."""
    from .versions import learning_generation_advance

    learning_generation_advance()


def _versions_connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from portal.models import Member, Organization, Video

    from .models import (
        Certificate,
        CreditEntry,
        OfflineAttendance,
        QuizAttempt,
        StepProgress,
        TrackAssignment,
        TrackCompletion,
        TrackStep,
    )

    record = (StepProgress, CreditEntry, TrackCompletion, Certificate, QuizAttempt)
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        for model in (*record, OfflineAttendance):
            uid = f"learning_version_{model.__name__}_{name}"
            signal.connect(member_record_changed, sender=model, dispatch_uid=uid)
        signal.connect(member_changed, sender=Member, dispatch_uid=f"learning_version_m_{name}")
        for model in (TrackStep, TrackAssignment, Organization, Video):
            uid = f"learning_generation_{model.__name__}_{name}"
            signal.connect(reach_changed, sender=model, dispatch_uid=uid)


def register() -> None:
    """Connect the receivers; called once from LearningConfig.ready()."""
    from portal.signals import demo_built

    from .tracks.demo import demo_built_receiver

    # The demo's learning data (ADR 0007: portal's demo sends, learning answers).
    demo_built.connect(demo_built_receiver, dispatch_uid="learning_demo_built")

    # A received red package brings the tracks that read it (sent on commit by portal).
    from portal.signals import red_package_received

    red_package_received.connect(
        red_package_received_enqueue, dispatch_uid="learning_red_package_received"
    )

    # A meeting linked to a track, closed or corrected: its offline sessions are credited.
    from portal.signals import meeting_recorded

    meeting_recorded.connect(meeting_recorded_enqueue, dispatch_uid="learning_meeting_recorded")

    # Unpublished, unassigned or changed: the progress API stops crediting at once.
    _step_facts_connect()

    # What the member's learning pages keep is stale the moment the record changes.
    _versions_connect()

    # The content rules' trigger for members behind the yearly pace.
    from .pace.rule_triggers import register_pace_trigger

    register_pace_trigger()
