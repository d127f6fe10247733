"""Signal receivers of the talent app: a change on a member's record only enqueues the
refresh of their profile's signals, on commit; a change to anything a profile's search
document shows queues the profile for the "talent" index, in the same transaction
(search.queue.index_enqueue writes its rows there and drains them on commit)."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save


def record_changed_enqueue(sender, instance, **kwargs) -> None:
    from talent.models import TalentProfile
    from talent.tasks import profile_signals_refresh

    profile_id = (
        TalentProfile.objects.filter(member_id=instance.member_id)
        .values_list("pk", flat=True)
        .first()
    )
    if profile_id is not None:
        profile_signals_refresh.delay_on_commit(profile_id)


def _index_enqueue(profile_ids, *, delete: bool = False) -> None:
    from search.models import IndexTask
    from search.queue import index_enqueue
    from talent.desk.search_documents import INDEX

    keys = [pk for pk in profile_ids if pk is not None]
    if keys:
        action = IndexTask.Action.DELETE if delete else IndexTask.Action.UPSERT
        index_enqueue(index=INDEX, keys=keys, action=action)


def profile_saved_enqueue(sender, instance, raw=False, **kwargs) -> None:
    # A save covers edits, consent recorded or withdrawn, the negative flag and the signals:
    # the loader decides whether the profile is (still) in the pool.
    if not raw:
        _index_enqueue([instance.pk])


def profile_deleted_enqueue(sender, instance, **kwargs) -> None:
    _index_enqueue([instance.pk], delete=True)


def skills_changed_enqueue(sender, instance, action, **kwargs) -> None:
    # taggit sends these from the profile's side (instance is the profile).
    if action in ("post_add", "post_remove", "post_clear"):
        _index_enqueue([instance.pk])


def negative_entry_changed_enqueue(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _index_enqueue([instance.profile_id])


def tag_renamed_enqueue(sender, instance, created=False, raw=False, **kwargs) -> None:
    from talent.models import TalentSkill

    if not created and not raw:
        _index_enqueue(
            TalentSkill.objects.filter(tag=instance).values_list("content_object_id", flat=True)
        )


def member_changed_enqueue(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A member's name and birth date show in their profile's document."""
    from talent.models import TalentProfile

    if not created and not raw:
        _index_enqueue(TalentProfile.objects.filter(member=instance).values_list("pk", flat=True))


def organization_changed_enqueue(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A renamed township or village is searched by its new name."""
    from talent.models import TalentProfile

    if not created and not raw:
        profiles = TalentProfile.objects.filter(
            Q(hometown_village=instance) | Q(hometown_township=instance)
        )
        _index_enqueue(profiles.values_list("pk", flat=True))


def demo_built_index_enqueue(sender, **kwargs) -> None:
    """The demo's profiles are bulk-created, without signals: queue the whole pool."""
    from talent.models import TalentProfile

    _index_enqueue(TalentProfile.objects.in_pool().values_list("pk", flat=True))


def _connect_index_receivers() -> None:
    from taggit.models import Tag

    from portal.models import Member, Organization
    from talent.models import NegativeListEntry, TalentProfile, TalentSkill

    post_save.connect(profile_saved_enqueue, sender=TalentProfile, dispatch_uid="talent_index_save")
    post_delete.connect(
        profile_deleted_enqueue, sender=TalentProfile, dispatch_uid="talent_index_delete"
    )
    m2m_changed.connect(
        skills_changed_enqueue, sender=TalentSkill, dispatch_uid="talent_index_skills"
    )
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(
            negative_entry_changed_enqueue,
            sender=NegativeListEntry,
            dispatch_uid=f"talent_index_negative_{name}",
        )
    post_save.connect(tag_renamed_enqueue, sender=Tag, dispatch_uid="talent_index_tag")
    post_save.connect(member_changed_enqueue, sender=Member, dispatch_uid="talent_index_member")
    post_save.connect(
        organization_changed_enqueue, sender=Organization, dispatch_uid="talent_index_org"
    )


def register() -> None:
    """Connect the receivers; called once from TalentConfig.ready()."""
    from learning.models import AnnualAssessment, CreditEntry, TrackCompletion
    from portal.signals import demo_built
    from talent.demo import demo_built_receiver
    from talent.rule_triggers import register_talent_rules

    # The content rules' "a profile newly matches a base search" and their "recruiters".
    register_talent_rules()

    for model in (TrackCompletion, AnnualAssessment, CreditEntry):
        post_save.connect(
            record_changed_enqueue,
            sender=model,
            dispatch_uid=f"talent_signals_{model._meta.model_name}",
        )
    demo_built.connect(demo_built_receiver, dispatch_uid="talent_demo_built")
    # After the demo's profiles exist: receivers run in the order they were connected.
    demo_built.connect(demo_built_index_enqueue, dispatch_uid="talent_demo_index")
    _connect_index_receivers()
