"""Site views for CMS content: what the home page, a section and a collection show beyond
their fields (``page_view``), and the pages of a tag."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag

from portal.content.feeds import CollectionFeed
from portal.content.middleware import pages_generation
from portal.content.models import CollectionPage, HomePage, SectionPage
from portal.content.page_views import page_view
from portal.content.selectors import (
    collection_pages,
    latest_study_content,
    page_of,
    section_listing,
    site_shortcuts,
    tagged_pages,
)
from portal.registry.selectors import member_for_user

TAG_PAGE_SIZE = 20
SERVICE_WORKER_TEMPLATE = "portal/service_worker.js"
# Never kept offline: the admin, the API, login and activation, documents, a liaison's pages
# about other members, the member's personal pages (whereabouts with address and phone, the
# activity certificate, parcels), and the worker itself (docs/adr/0018).
OFFLINE_NEVER = (
    "/admin/",
    "/api/",
    "/accounts/",
    "/documents/",
    "/care/",
    "/me/",
    "/sw.js",
    "/healthz",
)


def tag_page(request, slug: str):
    """The live study materials and micro-lectures with one tag, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    items = page_of(tagged_pages(tag, user=request.user), request.GET.get("page"), TAG_PAGE_SIZE)
    return render(request, "portal/tag_page.html", {"tag": tag, "items": items})


@page_view(HomePage)
def home_page_context(page: HomePage, request) -> dict:
    """The member's own summary, where to go (collections, catalogs, sections) and the
    newest study content.

    Where to go and the newest content are read only when the template's fragments for this
    user and this content generation are not in the cache (``pages_generation`` changes with
    any content).
    """
    return {
        "member": member_for_user(request.user),
        "shortcuts": SimpleLazyObject(lambda: site_shortcuts(page, request.user)),
        "latest": SimpleLazyObject(lambda: latest_study_content(request.user)),
        "pages_generation": pages_generation(request),
    }


@page_view(SectionPage)
def section_page_context(page: SectionPage, request) -> dict:
    return section_listing(page, request.user)


@page_view(CollectionPage)
def collection_page_context(page: CollectionPage, request) -> dict:
    pages = collection_pages(page, user=request.user)
    return {"items": page_of(pages, request.GET.get("page"), page.per_page or 10)}


@page_view(CollectionPage, "rss")
def collection_feed(page: CollectionPage, request):
    return CollectionFeed(page)(request)


@lru_cache(maxsize=4)
def _service_worker_source(language: str) -> bytes:
    template = loader.get_template(SERVICE_WORKER_TEMPLATE)
    with open(template.origin.name, "rb") as source:
        version = hashlib.sha256(source.read()).hexdigest()[:12]
    offline_page = format_html(
        '<!DOCTYPE html><html lang="zh-hans"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>{}</title><p style="margin:2rem 1rem">{}</p></html>',
        _("Offline"),
        _("You are offline, and this page has not been opened on this phone before."),
    )
    context = {
        "version": version,
        "never": json.dumps(OFFLINE_NEVER),
        "logout": reverse("portal:logout"),
        "static_url": settings.STATIC_URL,
        "images_url": f"{settings.MEDIA_URL}images/",
        "offline_page": json.dumps(str(offline_page)),
    }
    return template.render(context).encode()


def service_worker(request):
    """The offline worker, at the site's root so that it may control every page. The browser
    checks it for a new version on every visit (and never through its HTTP cache)."""
    response = HttpResponse(
        _service_worker_source(get_language()), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response
