"""RSS 2.0 feeds of the site's collections (Plone's Collection offers one too)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from portal.content.selectors import collection_pages

FEED_ITEMS = 50


class CollectionFeed(Feed):
    """The newest pages of one collection that the reader may see.

    Made for one request: feed readers rarely log in, so an anonymous reader gets public
    pages only, and a logged-in member every live page the collection lists.
    """

    feed_type = Rss201rev2Feed

    def __init__(self, collection):
        super().__init__()
        self.collection = collection
        self.request = None

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.collection

    def title(self, obj) -> str:
        return obj.seo_title or obj.title

    def link(self, obj) -> str:
        return obj.get_url(self.request)

    def description(self, obj) -> str:
        return obj.search_description or obj.title

    def items(self, obj):
        return collection_pages(obj, user=self.request.user)[:FEED_ITEMS]

    def item_title(self, item) -> str:
        return item.title

    def item_link(self, item) -> str:
        return item.get_url(self.request)

    def item_description(self, item) -> str:
        return getattr(item, "summary", "") or item.search_description

    def item_pubdate(self, item):
        return item.first_published_at
