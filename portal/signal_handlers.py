from django.db.models.signals import post_migrate


def sync_role_groups(sender, **kwargs) -> None:
    from .services import role_groups_sync

    role_groups_sync()


def register() -> None:
    from django.apps import apps

    # After the last app with models has migrated, every permission the roles need exists
    # (permissions are created in post_migrate too, by handlers connected after this one).
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    post_migrate.connect(sync_role_groups, sender=last_app, dispatch_uid="portal_role_groups")
