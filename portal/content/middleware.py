"""Request middleware of the portal."""

from django.core.cache import cache
from django.http.request import split_domain_port
from django.middleware.gzip import GZipMiddleware
from django.utils.deprecation import MiddlewareMixin
from wagtail import views as wagtail_views
from wagtail.models import Site

SITE_CACHE_SECONDS = 60
SITE_GENERATION_KEY = "portal:site-generation"


def site_cache_invalidate(**kwargs) -> None:
    """Forget every cached site lookup (connected to Site saves and deletes)."""
    cache.set(SITE_GENERATION_KEY, (cache.get(SITE_GENERATION_KEY) or 0) + 1, None)


class SiteCacheMiddleware(MiddlewareMixin):
    """Find the Wagtail site for a host from the cache instead of a query per page served.

    Wagtail looks the site up once per request and keeps it on the request as
    ``_wagtail_site``; for requests Wagtail serves, this fills that attribute from the cache.
    A saved or deleted Site invalidates every cached lookup; without that, an entry lives a
    minute.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve:
            return None
        hostname = split_domain_port(request._get_raw_host())[0]
        generation = cache.get(SITE_GENERATION_KEY) or 0
        key = f"portal:site:{generation}:{hostname}:{request.get_port()}"
        site = cache.get(key)
        if site is None:
            site = Site._find_for_request(request)
            if site is not None:
                cache.set(key, site, SITE_CACHE_SECONDS)
        request._wagtail_site = site
        return None


COMPRESSED_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip for text only: pages, JSON, scripts and SVG shrink to a fifth; images,
    videos and documents are compressed already, and gzipping a ranged video reply would break it.

    BREACH: Django masks the CSRF token differently in every response and pads the gzip
    stream to a random length (Django 4.2's "Heal the Breach"), and no member page reflects
    a visitor's input beside a secret (docs/adr/0018-offline-and-slow-networks.md).
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
