"""候选名单: the recruiting department's shortlists, a top-level admin menu item, for those
who may use shortlists (recruiters change their department's, county org admins read all)."""

from django.utils.translation import gettext_lazy

from talent.shortlists import views
from talent.shortlists.selectors import can_use_shortlists
from talent.viewsets import MenuViewSet


class ShortlistViewSet(MenuViewSet):
    """The shortlists, a list's candidates, and the endpoint the desk adds people through."""

    icon = "list-ul"
    menu_label = gettext_lazy("Shortlists")
    menu_order = 231
    url_prefix = "talent/shortlists"
    rule = staticmethod(can_use_shortlists)
    routes = (
        ("", views.shortlist_index, "index"),
        ("new/", views.shortlist_create, "create"),
        ("add/", views.shortlist_add, "add"),
        ("<int:pk>/", views.shortlist_detail, "detail"),
        ("<int:pk>/rename/", views.shortlist_rename, "rename"),
        ("<int:pk>/delete/", views.shortlist_delete, "delete"),
        ("<int:pk>/remove/", views.shortlist_remove, "remove"),
        ("<int:pk>/entries/<int:entry_pk>/note/", views.shortlist_note, "note"),
    )
