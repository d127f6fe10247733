"""Request middleware of the portal."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from django.middleware.cache import CacheMiddleware
from django.middleware.gzip import GZipMiddleware
from django.utils.deprecation import MiddlewareMixin
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from portal.registry.stamps import PAGES_GENERATION_KEY, request_read

SITE_CACHE_SECONDS = 60
SITE_GENERATION_KEY = "portal:site-generation"


def site_cache_invalidate(**kwargs) -> None:
    """Forget every cached site lookup (connected to Site saves and deletes)."""
    cache.set(SITE_GENERATION_KEY, (cache.get(SITE_GENERATION_KEY) or 0) + 1, None)


class SiteCacheMiddleware(MiddlewareMixin):
    """Find the Wagtail site for a host from the cache instead of a query per page served,
    in the request's first cache read.

    Wagtail looks the site up once per request and keeps it on the request as
    ``_wagtail_site``; for requests Wagtail serves and every GET with a session (a signed-in
    user's links to pages ask for it), this fills that attribute from the cache.
    A saved or deleted Site invalidates every cached lookup; without that, an entry lives a
    minute.

    The same round trip reads the generations every page may need
    (``portal.registry.stamps.request_read``) and, when the session engine can take it
    (``portal.registry.cached_sessions``), the session: one round trip where there were
    four.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        reading = request.method in ("GET", "HEAD")
        session = getattr(request, "session", None)
        if view_func is not wagtail_views.serve and not (
            reading and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        hostname = split_domain_port(request._get_raw_host())[0]
        key = f"portal:site:{hostname}:{request.get_port()}"
        # The session too, where the engine takes it handed in (cached_sessions).
        primable = hasattr(session, "prime") and bool(session.session_key)
        keys = [key, SITE_GENERATION_KEY, *([session.cache_key] if primable else [])]
        found = request_read(request, keys, with_user=False)
        if primable:
            session.prime(found.get(session.cache_key))
        generation = found.get(SITE_GENERATION_KEY) or 0
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            site = kept[1]
        else:
            site = Site._find_for_request(request)
            if site is not None:
                cache.set(key, (generation, site), SITE_CACHE_SECONDS)
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


ANONYMOUS_PAGE_SECONDS = 60
# Saving or deleting a row of these apps (pages, revisions, view restrictions, sites,
# collections, images, documents, tags) may change what a visitor sees on some page.
CONTENT_APPS = frozenset(
    {"wagtailcore", "wagtailimages", "wagtaildocs", "wagtailembeds", "wagtailredirects", "taggit"}
)


def pages_generation(request=None) -> int:
    """The current generation of content (one cache read, kept on the request)."""
    known = getattr(request, "_portal_pages_generation", None)
    if known is None:
        known = request_read(request, [PAGES_GENERATION_KEY]).get(PAGES_GENERATION_KEY) or 0
        if request is not None:
            request._portal_pages_generation = known
    return known


def anonymous_pages_invalidate(sender, **kwargs) -> None:
    """Forget every cached visitor page when content is saved or deleted (connected to every
    model's saves and deletes; only content models count)."""
    if sender._meta.app_label in CONTENT_APPS or issubclass(sender, Page):
        # Now, and again once the change is committed: a request in between could have
        # cached what it read before the commit under the new generation.
        pages_generation_advance()
        transaction.on_commit(pages_generation_advance)


def pages_generation_advance() -> None:
    cache.set(PAGES_GENERATION_KEY, (cache.get(PAGES_GENERATION_KEY) or 0) + 1, None)


class AnonymousPageCacheMiddleware(CacheMiddleware):
    """Django's cache middleware, for the pages Wagtail serves to visitors without cookies.

    A visitor with no cookie at all is anonymous and sees what every such visitor sees, so
    the page is rendered once a minute instead of once a request. Django's own rules apply
    on top: only GET and HEAD, only a 200, nothing that sets a cookie or is private, and the
    key follows the response's Vary headers. Signed-in members (a session cookie) are never
    served from it. Any content saved or deleted starts a new generation of keys; with a
    per-process cache (no REDIS_URL) that reaches the other processes only as their entries
    expire, within ANONYMOUS_PAGE_SECONDS.
    """

    def __init__(self, get_response):
        super().__init__(get_response, page_timeout=ANONYMOUS_PAGE_SECONDS)

    @property
    def key_prefix(self) -> str:
        return f"portal:anonymous-page:{pages_generation()}"

    @key_prefix.setter
    def key_prefix(self, value) -> None:
        """Set by Django's __init__; the prefix is the generation's instead."""

    def process_request(self, request):
        return None  # which view serves the request is known only in process_view

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or request.COOKIES:
            return None
        return super().process_request(request)


ROUTE_CACHE_SECONDS = 300


class PageRouteCacheMiddleware(MiddlewareMixin):
    """The page a path leads to, and the view restrictions that apply to it, from the cache.

    Wagtail finds the page of every request it serves by loading the site's root page, the
    page at the path and its ancestors, then the restrictions of all of them: four queries
    before the page's own work, for every member on every page. Which page lives at a path
    and who may see it change only when content does, so the route is kept per content
    generation (any page, restriction or site saved or deleted starts a new one) and for
    ROUTE_CACHE_SECONDS at most; unpublishing or moving a page saves it, so a route never
    outlives its page. Only a plain route is kept (a page with no sub-route arguments): a
    routable page's sub-routes take Wagtail's way. Wagtail's own check still runs on the
    result: each restriction is asked whether it accepts this request.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        site = getattr(request, "_wagtail_site", None)
        if view_func is not wagtail_views.serve or site is None:
            return None
        if request.method not in ("GET", "HEAD"):
            return None
        # Wagtail's URL pattern passes the path as its one positional argument.
        path = view_args[0] if view_args else view_kwargs.get("path")
        if path is None:
            return None
        key = f"portal:route:{pages_generation(request)}:{site.pk}:{path}"
        cached = request_read(request, [key]).get(key)
        if cached is None:
            cached = self._route(request, path)
            if cached is not None:
                cache.set(key, cached, ROUTE_CACHE_SECONDS)
        if cached is not None:
            page, restrictions = cached
            # Wagtail's on_serve_page hook asks the page for them (a query each time).
            page.get_view_restrictions = lambda: restrictions
            request._wagtail_route_for_request = RouteResult(page)
        return None

    @staticmethod
    def _route(request, path: str):
        result = Page.route_for_request(request, path)
        if result is None or result[1] or result[2]:
            return None
        page = result[0]
        return page, list(page.get_view_restrictions())
