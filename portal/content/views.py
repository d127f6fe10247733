"""Site views for CMS content that is not a page of its own in the tree."""

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from portal.content.selectors import page_of, tagged_pages

TAG_PAGE_SIZE = 20


def tag_page(request, slug: str):
    """The live study materials and micro-lectures with one tag, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    items = page_of(tagged_pages(tag, user=request.user), request.GET.get("page"), TAG_PAGE_SIZE)
    return render(request, "portal/tag_page.html", {"tag": tag, "items": items})
