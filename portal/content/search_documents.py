"""The "pages" search document: live study materials, micro-lectures, red packages and
notices, for the site's search box, and the signals that keep the index current.

A page's audience is indexed with it, since the site search must not show a members-only
page to a visitor: ``public`` (no view restriction on the page or an ancestor) and
``audience``, which says why not: ``members`` (login restrictions only, so any logged-in
user may read it), ``groups`` (group restrictions, perhaps with login ones: a reader must
be in one of the groups of each; ``restrictions`` names them by id, "12,15") or
``restricted`` (a password restriction: only superusers find it by search). The groups of a
restriction and the reader's groups are looked up when searching, so changing either
needs no reindexing. Notices are listed only while in effect, so their dates are indexed as
``shown_from`` / ``shown_until``; other pages carry dates that are always in range.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import get_text_for_indexing

from portal.content.models import (
    MicroLecturePage,
    NoticePage,
    RedPackagePage,
    SectionPage,
    StudyMaterialPage,
)
from search.models import IndexTask
from search.queue import index_enqueue
from search.registry import SearchDocument, Weight, register

INDEX = "pages"
LOAD_BATCH = 200
ALWAYS_FROM = datetime.date.min.isoformat()
ALWAYS_UNTIL = datetime.date.max.isoformat()
# Restrictions a reader can meet by being logged in and in a group (not by a password).
RESTRICTION_KINDS = (PageViewRestriction.LOGIN, PageViewRestriction.GROUPS)


class Audience:
    PUBLIC = "public"
    MEMBERS = "members"
    GROUPS = "groups"
    RESTRICTED = "restricted"


# The indexed page types, by the keyword stored in the index's "type" field.
PAGE_TYPES = {
    "study_material": StudyMaterialPage,
    "micro_lecture": MicroLecturePage,
    "red_package": RedPackagePage,
    "notice": NoticePage,
}
TYPE_OF_MODEL = {model: name for name, model in PAGE_TYPES.items()}


def _stream_text(body) -> list[str]:
    """The words of a study material's body: paragraphs without their HTML, quotations with
    their source, documents' notes. Images and embedded lectures add no words of their own."""
    parts = []
    for block in body:
        if block.block_type == "paragraph":
            parts.append(get_text_for_indexing(block.value.source))
        elif block.block_type == "quote":
            parts.extend([block.value.get("text", ""), block.value.get("source", "")])
        elif block.block_type == "document":
            document = block.value.get("document")
            parts.extend([block.value.get("note", ""), document.title if document else ""])
    return [part for part in parts if part]


def _page_text(page: Page) -> dict[str, object]:
    if isinstance(page, StudyMaterialPage):
        return {
            "summary": page.summary,
            "body": _stream_text(page.body),
            "tags": [tag.name for tag in page.tags.all()],
        }
    if isinstance(page, MicroLecturePage):
        return {
            "summary": page.summary,
            "body": [page.speaker_title, page.transcript],
            "tags": [tag.name for tag in page.tags.all()],
            "speaker": page.speaker,
        }
    if isinstance(page, RedPackagePage):
        books = [f"{book.title} {book.publisher}" for book in page.books.all()]
        return {"summary": page.summary, "body": books}
    return {"body": get_text_for_indexing(page.body)}


def _ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def _audiences(pages: Sequence[Page]) -> dict[int, tuple[str, str | None]]:
    """Who may read each page, from the restrictions on it and its ancestors (one query):
    the audience, and for ``groups`` the ids of the group restrictions to satisfy."""
    paths = {ancestor for page in pages for ancestor in _ancestor_paths(page.path)}
    found_at: dict[str, set[tuple[str, int]]] = {}
    restrictions = PageViewRestriction.objects.filter(page__path__in=paths)
    for path, kind, pk in restrictions.values_list("page__path", "restriction_type", "pk"):
        found_at.setdefault(path, set()).add((kind, pk))
    audiences = {}
    for page in pages:
        found = set().union(*(found_at.get(path, set()) for path in _ancestor_paths(page.path)))
        kinds = {kind for kind, _pk in found}
        if not kinds:
            audiences[page.pk] = (Audience.PUBLIC, None)
        elif kinds == {PageViewRestriction.LOGIN}:
            audiences[page.pk] = (Audience.MEMBERS, None)
        elif kinds - set(RESTRICTION_KINDS):  # a password: no search can tell
            audiences[page.pk] = (Audience.RESTRICTED, None)
        else:
            groups = sorted(pk for kind, pk in found if kind == PageViewRestriction.GROUPS)
            audiences[page.pk] = (Audience.GROUPS, ",".join(map(str, groups)))
    return audiences


def _section_of(page: Page, sections: dict[str, int]) -> int | None:
    return next((sections[p] for p in _ancestor_paths(page.path) if p in sections), None)


def _fields(
    page: Page, audience: tuple[str, str | None], sections: dict[str, int]
) -> dict[str, object]:
    published = page.first_published_at or page.last_published_at
    who, restrictions = audience
    fields: dict[str, object] = {
        "title": page.title,
        **_page_text(page),
        "type": TYPE_OF_MODEL[type(page)],
        "public": who == Audience.PUBLIC,
        "audience": who,
        "shown_from": ALWAYS_FROM,
        "shown_until": ALWAYS_UNTIL,
    }
    if restrictions:
        fields["restrictions"] = restrictions
    section = _section_of(page, sections)
    if section is not None:
        fields["section"] = section
    if published is not None:
        fields["published"] = timezone.localdate(published).isoformat()
    if isinstance(page, NoticePage):
        fields["shown_from"] = page.effective_from.isoformat()
        if page.expires_on:
            fields["shown_until"] = page.expires_on.isoformat()
    return fields


def _live(model, keys: Sequence[str] | None):
    pages = model.objects.live().order_by("pk")
    if keys is not None:
        pages = pages.filter(pk__in=[int(key) for key in keys if key.isdigit()])
    if model in (StudyMaterialPage, MicroLecturePage):
        pages = pages.prefetch_related("tags")
    elif model is RedPackagePage:
        pages = pages.prefetch_related("books")
    return pages


def _batches(items: Iterable[Page]) -> Iterator[list[Page]]:
    rows = iter(items)
    while batch := list(islice(rows, LOAD_BATCH)):
        yield batch


def pages_load(keys: Sequence[str] | None) -> Iterator[tuple[str, dict[str, object]]]:
    """Every live page of the indexed types (``keys`` None), or those of ``keys`` still live;
    a key not yielded (unpublished, deleted, another type) leaves the index."""
    sections = dict(SectionPage.objects.values_list("path", "pk"))
    for model in PAGE_TYPES.values():
        for batch in _batches(_live(model, keys).iterator(chunk_size=LOAD_BATCH)):
            audiences = _audiences(batch)
            for page in batch:
                yield str(page.pk), _fields(page, audiences[page.pk], sections)


def pages_count() -> int:
    return sum(model.objects.live().count() for model in PAGE_TYPES.values())


PAGES = SearchDocument(
    name=INDEX,
    load=pages_load,
    # The title comes after the body so that a snippet shows the body where it can.
    text_fields=("summary", "body", "title", "tags"),
    name_fields=("speaker",),
    # Ranking: a page's title and tags above its summary (and its speaker), above its body.
    weights={
        "title": Weight.HIGH,
        "tags": Weight.HIGH,
        "summary": Weight.MIDDLE,
        "speaker": Weight.MIDDLE,
    },
    filter_fields={
        "type": "keyword",
        "section": "integer",
        "public": "boolean",
        "audience": "keyword",
        "restrictions": "keyword",
        "published": "date",
        "shown_from": "date",
        "shown_until": "date",
    },
    facets=("type", "section"),
    count=pages_count,
)


# --- Keeping the index current: each handler only queues keys, in the change's transaction.


def _indexed_at_or_under(page_id: int) -> list[int]:
    """The page and the indexed pages below it: a restriction or a move reaches them all."""
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if path is None:
        return [page_id]
    types = ContentType.objects.get_for_models(*PAGE_TYPES.values()).values()
    below = Page.objects.filter(path__startswith=path, content_type__in=types)
    return [page_id, *below.exclude(pk=page_id).values_list("pk", flat=True)]


def page_changed(sender, instance, **kwargs) -> None:
    """Published or unpublished: the loader decides whether it is (still) in the index."""
    index_enqueue(index=INDEX, keys=[instance.pk])


def page_deleted(sender, instance, **kwargs) -> None:
    index_enqueue(index=INDEX, keys=[instance.pk], action=IndexTask.Action.DELETE)


def page_moved(sender, instance, **kwargs) -> None:
    index_enqueue(index=INDEX, keys=_indexed_at_or_under(instance.pk))


def restriction_changed(sender, instance, **kwargs) -> None:
    index_enqueue(index=INDEX, keys=_indexed_at_or_under(instance.page_id))


def register_pages_document() -> None:
    """Called from PortalConfig.ready: the index, and the signals that feed its queue."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    register(PAGES)
    for model in PAGE_TYPES.values():
        uid = f"portal_search_{model.__name__}"
        page_published.connect(page_changed, sender=model, dispatch_uid=f"{uid}_published")
        page_unpublished.connect(page_changed, sender=model, dispatch_uid=f"{uid}_unpublished")
        post_delete.connect(page_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
    # A section or a catalog may move too, carrying indexed pages with it.
    post_page_move.connect(page_moved, dispatch_uid="portal_search_page_moved")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"portal_search_restriction_{name}",
        )
