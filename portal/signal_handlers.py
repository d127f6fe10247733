from django.db.models.signals import post_migrate


def after_migrate(sender, **kwargs) -> None:
    """Keep what every database needs: role groups with their permissions, and the home page."""
    from .services import role_groups_sync, site_home_ensure

    role_groups_sync()
    site_home_ensure()


def register() -> None:
    from django.apps import apps

    # After the last app with models has migrated, every permission the roles need exists
    # (permissions are created in post_migrate too, by handlers connected after this one).
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    post_migrate.connect(after_migrate, sender=last_app, dispatch_uid="portal_after_migrate")
