"""The synonym list in the Wagtail admin (Search → Synonyms).

Who may edit it: anyone holding Django's model permissions on Synonym (given to a group by a
superuser), and whoever the project's settings name as keepers of county-wide vocabularies
(SEARCH_VOCABULARY_EDITORS, a dotted path to a ``user -> bool`` check). The check lives in
the composition root, not here, because search imports no other app's models.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Synonym

SYNONYM_ACTIONS = frozenset({"add", "change", "delete", "view"})


def is_vocabulary_editor(user) -> bool:
    check = getattr(settings, "SEARCH_VOCABULARY_EDITORS", "")
    return bool(check) and user.is_active and bool(import_string(check)(user))


class SynonymPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, or the settings' vocabulary editors; both may do every action."""

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action in SYNONYM_ACTIONS and is_vocabulary_editor(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Synonym, SynonymPermissionPolicy(Synonym))


class SynonymViewSet(ModelViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    menu_order = 900
    add_to_admin_menu = True
    url_prefix = "search/synonyms"
    form_fields = ["term", "equivalents"]
    search_fields = ["term", "equivalents"]
    ordering = ["term"]
    list_display = [
        TitleColumn("term", label=_("term"), url_name="search_synonym:edit"),
        Column("equivalents", label=_("equivalents")),
        DateColumn("updated_at", label=_("updated")),
    ]


synonym_viewset = SynonymViewSet("search_synonym")
