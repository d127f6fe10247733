"""Site views for CMS content: what the home page, a section and a collection show beyond
their fields (``page_view``), and the pages of a tag."""

from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
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
    tagged_pages,
)
from portal.registry.selectors import member_for_user

TAG_PAGE_SIZE = 20


def tag_page(request, slug: str):
    """The live study materials and micro-lectures with one tag, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    items = page_of(tagged_pages(tag, user=request.user), request.GET.get("page"), TAG_PAGE_SIZE)
    return render(request, "portal/tag_page.html", {"tag": tag, "items": items})


@page_view(HomePage)
def home_page_context(page: HomePage, request) -> dict:
    """The member's own summary and the newest study content.

    The newest content is read only when the template's fragment for this user and this
    content generation is not in the cache (``pages_generation`` changes with any content).
    """
    latest = SimpleLazyObject(lambda: latest_study_content(request.user))
    return {
        "member": member_for_user(request.user),
        "latest": latest,
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
