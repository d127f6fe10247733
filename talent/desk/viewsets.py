"""人才检索: the recruiter's desk, a top-level admin menu item next to the talent pool, for
those who may search the pool."""

from django.utils.translation import gettext_lazy

from talent.desk import views
from talent.selectors import can_search_talent
from talent.viewsets import MenuViewSet


class TalentDeskViewSet(MenuViewSet):
    """Search, read a profile, reveal a contact (logged), compare, export."""

    icon = "search"
    menu_label = gettext_lazy("Talent search")
    menu_order = 229
    url_prefix = "talent/desk"
    rule = staticmethod(can_search_talent)
    routes = (
        ("", views.desk_search, "index"),
        ("profiles/<int:pk>/", views.desk_profile, "profile"),
        ("profiles/<int:pk>/reveal/", views.desk_reveal, "reveal"),
        ("compare/", views.desk_compare, "compare"),
        ("export/", views.desk_export, "export"),
        ("shortlists/<int:pk>/export/", views.desk_shortlist_export, "shortlist_export"),
    )
