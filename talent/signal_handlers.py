"""Signal receivers of the talent app: a change on a member's record only enqueues the
refresh of their profile's signals, on commit."""

from django.db.models.signals import post_save


def record_changed_enqueue(sender, instance, **kwargs) -> None:
    from .models import TalentProfile
    from .tasks import profile_signals_refresh

    profile_id = (
        TalentProfile.objects.filter(member_id=instance.member_id)
        .values_list("pk", flat=True)
        .first()
    )
    if profile_id is not None:
        profile_signals_refresh.delay_on_commit(profile_id)


def register() -> None:
    """Connect the receivers; called once from TalentConfig.ready()."""
    from learning.models import AnnualAssessment, CreditEntry, TrackCompletion
    from portal.signals import demo_built

    from .demo import demo_built_receiver

    for model in (TrackCompletion, AnnualAssessment, CreditEntry):
        post_save.connect(
            record_changed_enqueue,
            sender=model,
            dispatch_uid=f"talent_signals_{model._meta.model_name}",
        )
    demo_built.connect(demo_built_receiver, dispatch_uid="talent_demo_built")
