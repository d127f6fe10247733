"""Reading the talent pool through the "talent" search index: the recruiter's desk and the API.

A search is a ``TalentQuery`` (talent.desk.search_query reads it from GET parameters),
narrowed to the places the user recruits for (talent.selectors.recruiting_scope, the rule the
admin's lists follow too) and to the base search's rules (talent.desk.filters), and answered by
search.selectors.document_search. Facet counts of a facet the user filters on ignore that
facet's own selection, so choosing one township still shows how many the others hold.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from portal.models import Organization
from portal.registry.selectors import manages_a_county
from search.selectors import document_search
from talent.desk.facets import Facet, facets_build, selected_values
from talent.desk.filters import Nothing, base_filters, merged, query_filters
from talent.desk.search_documents import FACETS, INDEX
from talent.desk.search_query import SORT_FIELDS, SORTS, TalentQuery
from talent.models import VILLAGE_LEVELS, BaseSearch, TalentProfile
from talent.selectors import can_search_talent, is_recruiter, profiles_in_scope, recruiting_scope

KEYS_BATCH = 500
# The log entry's action for a contact reveal (the reason in its data, never the numbers).
REVEAL_ACTION = "talent.reveal_contact"


@dataclass(frozen=True)
class TalentHit:
    profile: TalentProfile
    highlight: str  # safe HTML snippet with <mark>


@dataclass(frozen=True)
class TalentSearchPage:
    hits: list[TalentHit]
    total: int
    facets: list[Facet]
    page: int
    page_size: int
    num_pages: int
    query: TalentQuery = field(default_factory=TalentQuery)


def _scope(user) -> dict[str, list[int]] | None:
    """The user's recruiting scope as the filter a document passes by its township or its
    village; None for the whole pool. Anyone who may not search is refused."""
    if not can_search_talent(user):
        raise PermissionDenied(_("Only recruiters and county organisation admins search the pool."))
    places = recruiting_scope(user)
    return None if places is None else {"township": places, "village": places}


def _visible(scope: dict[str, list[int]] | None):
    """The profiles of a scope, checked again when hits are loaded, so a stale index entry
    (consent just withdrawn, a profile moved) never shows."""
    return profiles_in_scope(None if scope is None else scope["township"])


def _base(query: TalentQuery) -> BaseSearch | None:
    if query.base_search is None:
        return None
    base = BaseSearch.objects.filter(pk=query.base_search).first()
    if base is None:
        raise ValidationError({"base": _("Choose a base search from the list.")})
    return base


@dataclass(frozen=True)
class _Search:
    """A query as the engine runs it for one user: their scope and the base search's rules,
    with the filters read once (a training is a filter of the index too)."""

    query: TalentQuery
    scope: dict[str, list[int]] | None
    own: dict[str, object]
    rules: dict[str, object]

    @classmethod
    def prepare(cls, user, query: TalentQuery) -> "_Search":
        scope = _scope(user)  # refuses first, whatever else is wrong with the query
        if query.sort not in SORTS:
            raise ValidationError({"sort": _("Sort by relevance, age or study hours.")})
        base = _base(query)
        rules = base_filters(base) if base else {}
        return cls(query=query, scope=scope, own=query_filters(query), rules=rules)

    def run(self, *, without: str = "", **options):
        """The engine's results; raises Nothing when the rules cannot all hold."""
        own = {name: value for name, value in self.own.items() if name != without}
        return document_search(
            index=INDEX,
            text=self.query.text,
            filters=merged(own, self.rules),
            any_of=self.scope,
            sort=SORT_FIELDS[self.query.sort],
            **options,
        )

    def facet_counts(self, found: Mapping[str, dict]) -> dict[str, dict[object, int]]:
        """Each facet's counts (``found``: as the full query counted them); one the user
        filters on is counted without that filter, so its other values stay there to add."""
        counts = dict(found)
        for name, values in selected_values(self.query).items():
            if values:
                try:
                    counts[name] = self.run(without=name, facets=[name], page_size=1).facets[name]
                except Nothing:
                    counts[name] = {}
        return counts

    def profiles(self, keys: Sequence[int]) -> dict[int, TalentProfile]:
        profiles = _visible(self.scope).select_related(
            "member", "hometown_village", "hometown_township"
        )
        return {profile.pk: profile for profile in profiles.filter(pk__in=keys)}


def talent_search(user, query: TalentQuery) -> TalentSearchPage:
    """One page of the profiles matching the query that the user may see, with facets.

    Recruiters get the places they recruit for, county org admins the whole pool; anyone else
    PermissionDenied. A base search that no longer exists, or whose stored filters are not
    valid, raises ValidationError keyed "base". Without text, "relevance" lists in the
    index's key order."""
    search = _Search.prepare(user, query)
    try:
        results = search.run(facets=FACETS, page=query.page, page_size=query.page_size)
    except Nothing:  # the query's own choices contradict the base search
        return TalentSearchPage(
            hits=[],
            total=0,
            facets=facets_build(search.facet_counts({}), query),
            page=query.page,
            page_size=query.page_size,
            num_pages=1,
            query=query,
        )
    keys = [int(key) for key in results.keys]
    profiles = search.profiles(keys)
    hits = [
        TalentHit(profile=profiles[key], highlight=results.highlights.get(str(key), ""))
        for key in keys
        if key in profiles
    ]
    return TalentSearchPage(
        hits=hits,
        total=results.total,
        facets=facets_build(search.facet_counts(results.facets), query),
        page=query.page,
        page_size=query.page_size,
        num_pages=max(1, math.ceil(results.total / query.page_size)),
        query=query,
    )


def talent_search_keys(user, query: TalentQuery, *, limit: int) -> list[int]:
    """Every matching profile pk the user may see, in result order, up to ``limit`` (exports
    of a result set; the query's page is ignored)."""
    return _keys(_Search.prepare(user, query), limit=limit)


def base_search_keys(base: BaseSearch, *, limit: int) -> list[int]:
    """Every profile of the whole pool matching the base search's rules, up to ``limit``
    (the daily check of its new matches; whom they may be told to is decided per person)."""
    search = _Search(
        query=TalentQuery(base_search=base.pk), scope=None, own={}, rules=base_filters(base)
    )
    return _keys(search, limit=limit)


def _keys(search: _Search, *, limit: int) -> list[int]:
    keys: list[int] = []
    page = 1
    while len(keys) < limit:
        try:
            results = search.run(page=page, page_size=KEYS_BATCH)
        except Nothing:
            return []
        batch = [int(key) for key in results.keys]
        visible = set(_visible(search.scope).filter(pk__in=batch).values_list("pk", flat=True))
        keys.extend(key for key in batch if key in visible)
        if len(batch) < KEYS_BATCH:
            break
        page += 1
    return keys[:limit]


# --- Contact reveals: who may read the log of them ------------------------------------


def can_see_contact_reveals(user) -> bool:
    """County org admins (and superusers) read every reveal; recruiters their own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return manages_a_county(user) or is_recruiter(user)


def contact_reveals_visible_to(user) -> QuerySet[ModelLogEntry]:
    """The log entries of contact reveals the user may read, newest first."""
    reveals = ModelLogEntry.objects.filter(
        action=REVEAL_ACTION, content_type=ContentType.objects.get_for_model(TalentProfile)
    ).select_related("user")
    if not can_see_contact_reveals(user):
        return reveals.none()
    if not manages_a_county(user):
        reveals = reveals.filter(user=user)
    return reveals.order_by("-timestamp", "-pk")


def contact_reveals_of_township(
    reveals: QuerySet[ModelLogEntry], township: Organization
) -> QuerySet[ModelLogEntry]:
    """The reveals of people whose home township is ``township``."""
    profile_keys = (
        TalentProfile.objects.filter(hometown_township=township)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    return reveals.filter(object_id__in=profile_keys)


def contact_revealers(reveals: QuerySet[ModelLogEntry]):
    """The users who made any of ``reveals``, for the report's filter."""
    return get_user_model().objects.filter(pk__in=reveals.values("user_id")).order_by("username")


@dataclass(frozen=True)
class TownshipVillages:
    township: Organization
    villages: list[Organization]


def desk_villages_by_township(user) -> list[TownshipVillages]:
    """The home villages and communities the user may filter on, under their township, in
    the organisation tree's order: the desk's village filter, one group per township."""
    places = Organization.objects.filter(level__in=VILLAGE_LEVELS)
    scope = recruiting_scope(user)
    if scope is not None:
        places = places.within(Organization.objects.filter(pk__in=scope))
    townships = {
        township.path: township
        for township in Organization.objects.filter(level=Organization.Level.TOWNSHIP)
    }
    groups: dict[str, TownshipVillages] = {}
    for place in places:
        prefix = next((path for path in townships if place.path.startswith(path)), None)
        if prefix is None:
            continue
        group = groups.setdefault(prefix, TownshipVillages(townships[prefix], []))
        group.villages.append(place)
    return [groups[path] for path in sorted(groups)]
