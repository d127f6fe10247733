"""Pinning a page to a collection (what the content rules' "add the page to a collection"
does), without ever publishing an editor's unpublished changes to the collection.

Pins are part of the collection's revisions, like its criteria, so that an editor sees,
reorders and removes them in the collection's editor. Adding one therefore needs a revision:

- a live collection without a draft: a revision of the live collection with the pin,
  published at once;
- a live collection with a draft: that same published revision (so the live page has the
  pin, and not a word of the draft), then the draft again with the pin as the newest
  revision, unpublished: the editor's changes stay a draft, and publishing them later (or a
  reviewer approving them: Wagtail publishes the newest revision) keeps the pin;
- a collection never published: the draft with the pin, unpublished.

A page already pinned to the live collection (or to the draft of one never published)
changes nothing: applying the action twice makes no second revision.
"""

from django.db import transaction
from wagtail.models import Page

from portal.content.models import LISTABLE_MODELS, CollectionPage, CollectionPin


def _pinned(collection: CollectionPage, page_id: int) -> bool:
    return any(pin.page_id == page_id for pin in collection.pinned_pages.all())


def _with_pin(collection: CollectionPage, page_id: int) -> CollectionPage:
    pins = list(collection.pinned_pages.all())
    order = max((pin.sort_order or 0 for pin in pins), default=-1) + 1
    collection.pinned_pages.add(CollectionPin(page_id=page_id, sort_order=order))
    return collection


def pinnable(page: Page) -> bool:
    return page.specific_class._meta.model_name in LISTABLE_MODELS


def collection_pin(*, collection: CollectionPage, page: Page) -> bool:
    """Pin ``page`` to ``collection``; True if that made a revision. A page of a kind no
    collection lists (a section, a collection) is not pinned."""
    if not pinnable(page):
        return False
    with transaction.atomic():
        current = CollectionPage.objects.select_for_update().get(pk=collection.pk)
        if not current.live:
            draft = current.get_latest_revision_as_object()
            if _pinned(draft, page.pk):
                return False
            _with_pin(draft, page.pk).save_revision(log_action=True)
            return True
        if _pinned(current, page.pk):
            return False
        draft_revision = current.get_latest_revision() if current.has_unpublished_changes else None
        _with_pin(current, page.pk).save_revision(log_action=True).publish(log_action=True)
        if draft_revision is not None:
            draft = draft_revision.as_object()
            if not _pinned(draft, page.pk):
                _with_pin(draft, page.pk)
            draft.save_revision(log_action=True)
    return True
