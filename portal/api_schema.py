"""What the OpenAPI schema describes: this project's own API, not Wagtail's admin API."""

API_PREFIX = "/api/v1/"


def api_v1_only(endpoints):
    """drf-spectacular preprocessing hook: keep the endpoints under /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
