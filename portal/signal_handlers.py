from django.db.models.signals import post_migrate


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Keep what every database needs: role groups with their permissions, the home page, the
    sections' documents behind the login, the collection of meeting records, the built-in
    content rules; permissions named in Chinese."""
    from django.contrib.auth.management import create_permissions

    from portal.content.services import section_collections_restrict, site_home_ensure
    from portal.meetings.documents import meeting_collection_ensure
    from portal.registry.permission_names import permission_names_translate
    from portal.registry.services import role_groups_sync
    from portal.rules.defaults import rules_defaults_ensure

    # Django's handler creates the last app's permissions after this one: create them first.
    create_permissions(sender, verbosity=0, using=using)
    permission_names_translate(using=using)
    role_groups_sync()
    site_home_ensure()
    section_collections_restrict()
    meeting_collection_ensure()
    rules_defaults_ensure()


def page_published_privacy(sender, instance, **kwargs) -> None:
    """Applied in the publishing transaction, not queued: a page must never be live with the
    wrong audience, not even until a worker gets to it."""
    from portal.content.services import page_privacy_apply

    page_privacy_apply(page=instance)


def page_published_event(sender, instance, revision=None, **kwargs) -> None:
    from portal.rules.events import rules_event

    rules_event("page_published", event_key=f"published:{instance.pk}", page_id=instance.pk)


def page_unpublished_event(sender, instance, **kwargs) -> None:
    from django.utils import timezone

    from portal.rules.events import rules_event

    trigger = "page_expired" if instance.expired else "page_unpublished"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    rules_event(trigger, event_key=f"{trigger}:{instance.pk}:{stamp}", page_id=instance.pk)


def task_submitted_event(sender, instance, **kwargs) -> None:
    from portal.rules.events import rules_event

    rules_event("page_submitted", event_key=f"submitted:{instance.pk}", task_state_id=instance.pk)


def task_rejected_event(sender, instance, **kwargs) -> None:
    from portal.rules.events import rules_event

    rules_event("page_rejected", event_key=f"rejected:{instance.pk}", task_state_id=instance.pk)


def workflow_approved_event(sender, instance, **kwargs) -> None:
    from portal.rules.events import rules_event

    rules_event("page_approved", event_key=f"approved:{instance.pk}", workflow_state_id=instance.pk)


def _register_content_rules() -> None:
    from wagtail.signals import (
        page_published,
        page_unpublished,
        task_rejected,
        task_submitted,
        workflow_approved,
    )

    from portal.content.rule_actions import register_collection_action
    from portal.content.rule_triggers import register_page_triggers
    from portal.content.services import PUBLIC_ON_REQUEST_PAGE_TYPES
    from portal.rules.actions import register_builtin_actions
    from portal.rules.conditions import register_builtin_conditions
    from portal.rules.recipients import register_builtin_recipients

    for model in PUBLIC_ON_REQUEST_PAGE_TYPES:
        page_published.connect(
            page_published_privacy, sender=model, dispatch_uid=f"portal_privacy_{model.__name__}"
        )
    register_builtin_conditions()
    register_builtin_actions()
    register_collection_action()
    register_builtin_recipients()
    register_page_triggers()
    _register_member_triggers()
    page_published.connect(page_published_event, dispatch_uid="portal_rules_published")
    page_unpublished.connect(page_unpublished_event, dispatch_uid="portal_rules_unpublished")
    task_submitted.connect(task_submitted_event, dispatch_uid="portal_rules_submitted")
    task_rejected.connect(task_rejected_event, dispatch_uid="portal_rules_rejected")
    workflow_approved.connect(workflow_approved_event, dispatch_uid="portal_rules_approved")


def _register_member_triggers() -> None:
    from portal.care.rule_triggers import register_liaison_recipient, register_transfer_triggers
    from portal.meetings.rule_triggers import register_meeting_triggers
    from portal.parcels.rule_triggers import register_parcel_triggers
    from portal.whereabouts.rule_triggers import register_whereabouts_triggers

    register_whereabouts_triggers()
    register_parcel_triggers()
    register_transfer_triggers()
    register_liaison_recipient()
    register_meeting_triggers()


def _register_site_cache() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Site

    from portal.content.middleware import anonymous_pages_invalidate, site_cache_invalidate

    post_save.connect(site_cache_invalidate, sender=Site, dispatch_uid="portal_site_saved")
    post_delete.connect(site_cache_invalidate, sender=Site, dispatch_uid="portal_site_deleted")
    post_save.connect(anonymous_pages_invalidate, dispatch_uid="portal_anonymous_pages_saved")
    post_delete.connect(anonymous_pages_invalidate, dispatch_uid="portal_anonymous_pages_deleted")


def organization_section_ensure(sender, *, organization, **kwargs) -> None:
    from portal.content.services import section_create

    section_create(organization=organization)


def section_groups_follow_roles(sender, *, user, **kwargs) -> None:
    from portal.content.services import section_groups_sync_for

    section_groups_sync_for(user=user)


def contact_activity_changed(sender, instance, **kwargs) -> None:
    from portal.cards.models import ContactCard
    from portal.registry.member_fragments import member_fragments_forget

    card = ContactCard.objects.filter(pk=instance.card_id).values_list("member_id", flat=True)
    member_fragments_forget(*card)


def _register_member_fragments() -> None:
    """The saves and deletes that change a member's cached page pieces."""
    from django.db.models.signals import post_delete, post_save

    from portal.cards.models import ContactActivity, ContactCard
    from portal.parcels.models import RedPackageRequest, RedPackageStock
    from portal.registry import member_fragments as fragments
    from portal.registry.models import Member, Organization
    from portal.whereabouts.models import WhereaboutsReport

    connections = [
        (Member, fragments.member_row_changed),
        (WhereaboutsReport, fragments.members_row_changed),
        (ContactCard, fragments.members_row_changed),
        (RedPackageRequest, fragments.members_row_changed),
        (ContactActivity, contact_activity_changed),
        (Organization, fragments.registry_fragments_forget),
        (RedPackageStock, fragments.stock_fragments_forget),
    ]
    for model, handler in connections:
        for signal in (post_save, post_delete):
            uid = f"portal_fragments_{model.__name__}_{signal is post_save}"
            signal.connect(handler, sender=model, dispatch_uid=uid)


def _register_registry_to_content() -> None:
    from portal.signals import organization_publishes, roles_changed

    organization_publishes.connect(
        organization_section_ensure, dispatch_uid="portal_organization_section"
    )
    roles_changed.connect(section_groups_follow_roles, dispatch_uid="portal_section_groups")


def register() -> None:
    from django.apps import apps

    # After the last app with models has migrated, every permission the roles need exists
    # (permissions are created in post_migrate too, by handlers connected after this one).
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    post_migrate.connect(after_migrate, sender=last_app, dispatch_uid="portal_after_migrate")
    _register_registry_to_content()
    _register_content_rules()
    _register_site_cache()
    _register_member_fragments()
