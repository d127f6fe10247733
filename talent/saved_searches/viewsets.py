"""保存的检索: the user's own saved desk searches, a top-level admin menu item, for those who
may search the pool."""

from django.utils.translation import gettext_lazy

from talent.saved_searches import views
from talent.selectors import can_search_talent
from talent.viewsets import MenuViewSet


class SavedSearchViewSet(MenuViewSet):
    """One's saved searches, and the endpoint the desk's "save this search" form posts to."""

    icon = "folder-inverse"
    menu_label = gettext_lazy("Saved searches")
    menu_order = 232
    url_prefix = "talent/saved-searches"
    rule = staticmethod(can_search_talent)
    routes = (
        ("", views.saved_search_index, "index"),
        ("save/", views.saved_search_save, "save"),
        ("<int:pk>/delete/", views.saved_search_delete, "delete"),
        ("<int:pk>/notify/", views.saved_search_notify, "notify"),
    )
