"""The JSON API, version 1: each app's endpoints and the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

API_PREFIX = "/api/v1/"


def api_v1_only(endpoints):
    """drf-spectacular preprocessing hook: the schema describes this project's own API under
    /api/v1/, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


urlpatterns = [
    path("", include("learning.api.urls")),
    path("", include("talent.api.urls")),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
]
