"""The site search box: the "pages" index, narrowed to what the visitor may read.

Who may read what follows ``content_selectors.pages_visible_to``: a visitor finds public pages
only, a logged-in user also pages behind a login restriction and those behind group
restrictions whose groups they are in (every such restriction on the page and its
ancestors), a superuser everything. Pages under a password restriction are left out for
everyone else, so a search never shows a page its reader could not open. The pages of a
result page are read from the database again through ``pages_visible_to``, so an index that
has not caught up with a change of privacy or an unpublication shows nothing it should not.
"""

import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, PageViewRestriction

from portal.content.models import SectionPage
from portal.content.search_documents import INDEX, PAGE_TYPES, Audience
from portal.content.selectors import pages_visible_to
from search.selectors import FacetValue, document_search

PAGE_SIZE = 10
FACETS = ("type", "section")


@dataclass(frozen=True)
class PageHit:
    page: Page
    snippet: SafeString


@dataclass(frozen=True)
class PageSearchResults:
    hits: list[PageHit]
    total: int
    number: int
    num_pages: int
    types: list[FacetValue]
    sections: list[FacetValue]

    @property
    def type_chosen(self) -> bool:
        return any(value.selected for value in self.types)

    @property
    def section_chosen(self) -> bool:
        return any(value.selected for value in self.sections)

    @property
    def all_types_count(self) -> int:
        """Matches of every type: the type counts are taken as if no type were chosen."""
        return sum(value.count for value in self.types)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def type_label(name: str) -> str:
    return str(PAGE_TYPES[name]._meta.verbose_name_plural)


def _audience_filters(user) -> dict[str, object]:
    if user is None or not user.is_authenticated:
        return {"public": True}
    return {}


def _audience_any_of(user) -> dict[str, list]:
    """For a logged-in reader who is no superuser: public and members-only pages, or pages
    whose group restrictions (each of them) the reader's groups meet."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return {}
    return {
        "audience": [Audience.PUBLIC, Audience.MEMBERS],
        "restrictions": _restrictions_met_by(user),
    }


def _restrictions_met_by(user) -> list[str]:
    """The indexed group-restriction sets ("12,15") every restriction of which has one of
    the reader's groups; the sets come from the index itself, as a facet."""
    met = set(
        PageViewRestriction.objects.filter(
            restriction_type=PageViewRestriction.GROUPS, groups__in=user.groups.all()
        ).values_list("pk", flat=True)
    )
    if not met:
        return []
    indexed = document_search(
        index=INDEX, filters={"audience": Audience.GROUPS}, facets=("restrictions",), page_size=1
    ).facets.get("restrictions", {})
    return [key for key in indexed if {int(pk) for pk in str(key).split(",")} <= met]


def _base_filters(user) -> dict[str, object]:
    """Privacy, and notices only while in effect (other pages are always "in effect")."""
    today = timezone.localdate().isoformat()
    return {
        **_audience_filters(user),
        "shown_from": {"lte": today},
        "shown_until": {"gte": today},
    }


def _facet_counts(text: str, filters: dict, any_of: dict, facet: str) -> dict[object, int]:
    """Counts for a chosen facet as if it were not chosen, so the other values stay offered."""
    others = {name: value for name, value in filters.items() if name != facet}
    results = document_search(
        index=INDEX, text=text, filters=others, any_of=any_of, facets=(facet,), page_size=1
    )
    return results.facets.get(facet, {})


def _type_facet(counts: dict, chosen: str | None) -> list[FacetValue]:
    return [
        FacetValue(name, type_label(name), counts.get(name, 0), name == chosen)
        for name in PAGE_TYPES
        if counts.get(name) or name == chosen
    ]


def _section_facet(counts: dict, chosen: int | None) -> list[FacetValue]:
    wanted = [*counts, *([chosen] if chosen else [])]
    titles = dict(SectionPage.objects.filter(pk__in=wanted).values_list("pk", "title"))
    return [
        FacetValue(pk, titles[pk], counts.get(pk, 0), pk == chosen)
        for pk in sorted(titles, key=lambda pk: (-counts.get(pk, 0), titles[pk]))
    ]


def _hits(keys: list[str], highlights: dict[str, str], user) -> list[PageHit]:
    """The result page's pages, in the engine's order, each re-checked against the database."""
    pages = Page.objects.live().filter(pk__in=[int(key) for key in keys])
    found = {str(page.pk): page for page in pages_visible_to(pages, user).specific()}
    return [
        # The engines escape the text and add only <mark> (search.engines.base.highlight).
        PageHit(found[key], mark_safe(highlights.get(key, "")))  # noqa: S308
        for key in keys
        if key in found
    ]


def page_search(
    *,
    user,
    text: str,
    page_type: str | None = None,
    section: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> PageSearchResults:
    """One page of the pages matching ``text`` that ``user`` may read, best first, with the
    counts per type and per section. Text that analyses to nothing finds nothing."""
    chosen = {
        **({"type": page_type} if page_type else {}),
        **({"section": section} if section else {}),
    }
    filters = {**_base_filters(user), **chosen}
    any_of = _audience_any_of(user)
    facets = [name for name in FACETS if name not in chosen]

    def search(number: int):
        return document_search(
            index=INDEX,
            text=text,
            filters=filters,
            any_of=any_of,
            facets=facets,
            page=number,
            page_size=page_size,
        )

    results = search(max(page, 1))
    num_pages = max(math.ceil(results.total / page_size), 1)
    if page > num_pages:
        results = search(num_pages)
    counts = dict(results.facets)
    for name in chosen:
        counts[name] = _facet_counts(text, filters, any_of, name)
    return PageSearchResults(
        hits=_hits(results.keys, results.highlights, user),
        total=results.total,
        number=min(max(page, 1), num_pages),
        num_pages=num_pages,
        types=_type_facet(counts.get("type", {}), page_type),
        sections=_section_facet(counts.get("section", {}), section),
    )
