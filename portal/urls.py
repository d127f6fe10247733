"""The site's URLs: the admin, each wing's pages, learning's, the API, and Wagtail's page tree
last. URL names stay global (no namespaces), so ``reverse("my_packages")`` works anywhere."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from portal.content.workflow_views import PageWorkflowActionView
from portal.registry.views import AdminLogoutView

WINGS_WITH_PAGES = (
    "registry",
    "inbox",
    "content",
    "video",
    "parcels",
    "cards",
    "care",
    "whereabouts",
    "meetings",
)

urlpatterns = [
    # Before Wagtail's own: only a POST logs an admin out (portal.registry.views).
    path("admin/logout/", AdminLogoutView.as_view(), name="wagtailadmin_logout"),
    # Before Wagtail's own, at its path: approving from the dashboard confirms what it did.
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        require_admin_access(PageWorkflowActionView.as_view()),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    *(path("", include(f"portal.{wing}.urls")) for wing in WINGS_WITH_PAGES),
    path("learning/", include("learning.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("", include(wagtail_urls)),
]
