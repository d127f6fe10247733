from django.db.models.signals import post_migrate


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Keep what every database needs: role groups with their permissions, the home page, and
    the sections' documents behind the login; permissions named in Chinese."""
    from django.contrib.auth.management import create_permissions

    from portal.content.services import section_collections_restrict, site_home_ensure
    from portal.registry.permission_names import permission_names_translate
    from portal.registry.services import role_groups_sync

    # Django's handler creates the last app's permissions after this one: create them first.
    create_permissions(sender, verbosity=0, using=using)
    permission_names_translate(using=using)
    role_groups_sync()
    site_home_ensure()
    section_collections_restrict()


def page_published_privacy(sender, instance, **kwargs) -> None:
    """Applied in the publishing transaction, not queued: a page must never be live with the
    wrong audience, not even until a worker gets to it."""
    from portal.content.services import page_privacy_apply

    page_privacy_apply(page=instance)


def page_published_enqueue(sender, instance, revision=None, **kwargs) -> None:
    from portal.content.tasks import section_publication_notify

    section_publication_notify.delay_on_commit(instance.pk, revision.pk if revision else None)


def task_rejected_enqueue(sender, instance, **kwargs) -> None:
    from portal.content.tasks import task_rejection_notify

    task_rejection_notify.delay_on_commit(instance.pk)


def workflow_approved_enqueue(sender, instance, **kwargs) -> None:
    from portal.content.tasks import workflow_approval_notify

    workflow_approval_notify.delay_on_commit(instance.pk)


def _register_content_rules() -> None:
    from wagtail.signals import page_published, task_rejected, workflow_approved

    from portal.content.rules import PUBLICATION_NOTIFIED_TYPES
    from portal.content.services import PUBLIC_ON_REQUEST_PAGE_TYPES

    for model in PUBLIC_ON_REQUEST_PAGE_TYPES:
        page_published.connect(
            page_published_privacy, sender=model, dispatch_uid=f"portal_privacy_{model.__name__}"
        )

    for model in PUBLICATION_NOTIFIED_TYPES:
        page_published.connect(
            page_published_enqueue, sender=model, dispatch_uid=f"portal_published_{model.__name__}"
        )
    task_rejected.connect(task_rejected_enqueue, dispatch_uid="portal_task_rejected")
    workflow_approved.connect(workflow_approved_enqueue, dispatch_uid="portal_workflow_approved")


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
