"""Permission names in the site's language. Django writes a permission's name once, in
English ("Can add member"), when migrate creates it; the group editor shows that stored
name. After every migrate the names are rewritten from the models' translated verbose names
and from the catalogs, so existing and new databases read the same Chinese."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

DEFAULT_ACTION_NAMES = {
    "add": gettext_lazy("Can add %(name)s"),
    "change": gettext_lazy("Can change %(name)s"),
    "delete": gettext_lazy("Can delete %(name)s"),
    "view": gettext_lazy("Can view %(name)s"),
}
# Custom permissions of the libraries that their catalogs leave out (Wagtail's models name
# them in plain strings).
LIBRARY_PERMISSION_NAMES = {
    "Can choose document": gettext_lazy("Can choose document"),
    "Can choose image": gettext_lazy("Can choose image"),
}
NAME_LENGTH = Permission._meta.get_field("name").max_length


def _names_of(model) -> dict[str, str]:
    """Codename -> name, as Django would create them but in the active language."""
    opts = model._meta
    names = {
        get_permission_codename(action, opts): DEFAULT_ACTION_NAMES[action]
        % {"name": opts.verbose_name}
        for action in opts.default_permissions
        if action in DEFAULT_ACTION_NAMES
    }
    for codename, name in opts.permissions:
        names[codename] = str(LIBRARY_PERMISSION_NAMES.get(name) or gettext(name))
    return names


def permission_names_translate(*, using: str = "default") -> int:
    """Rename the stored permissions whose names differ from their translation; returns how
    many changed (none on a second run)."""
    with translation.override(settings.LANGUAGE_CODE):
        wanted = {}
        for model in apps.get_models():
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            for codename, name in _names_of(model).items():
                wanted[content_type.pk, codename] = name[:NAME_LENGTH]
    changed = []
    for permission in Permission.objects.using(using).all():
        name = wanted.get((permission.content_type_id, permission.codename))
        if name and name != permission.name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"], batch_size=500)
    return len(changed)
