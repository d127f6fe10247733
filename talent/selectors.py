"""Reading the talent pool through the "talent" search index: the recruiter's desk and the API.

A search is a ``TalentQuery`` (talent.search_query reads it from GET parameters),
narrowed to the places the user recruits for and to the base search's rules, and answered by
search.selectors.document_search. Facet counts of a facet the user filters on ignore that
facet's own selection, so choosing one township still shows how many the others hold.
"""

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models.periods import Grade
from portal.models import Organization, Role
from portal.registry.selectors import manages_a_county, organizations_for_role
from search.selectors import document_search

from .models import GRADE_ORDER, BaseSearch, Education, Industry, TalentProfile, Willingness
from .search_documents import FACETS, INDEX
from .search_query import SORT_FIELDS, SORTS, TalentQuery, talent_query_from_params

KEYS_BATCH = 500


@dataclass(frozen=True)
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


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


# --- Who may search, and where ---------------------------------------------------------


def can_search_talent(user) -> bool:
    """Recruiters and county org admins (and superusers) search the pool."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return manages_a_county(user) or organizations_for_role(user, Role.RECRUITER).exists()


def _scope(user) -> dict[str, list[int]] | None:
    """None for the whole pool; else the organisations the user recruits for, as the filter
    a document passes by its township or its village (as talent.viewsets.profiles_visible_to
    decides for the admin's list)."""
    if not can_search_talent(user):
        raise PermissionDenied(_("Only recruiters and county organisation admins search the pool."))
    if manages_a_county(user):
        return None
    organizations = dict(organizations_for_role(user, Role.RECRUITER).values_list("pk", "level"))
    if Organization.Level.COUNTY in organizations.values():
        return None
    places = sorted(organizations)
    return {"township": places, "village": places}


def _visible(scope: dict[str, list[int]] | None):
    """The profiles of a scope, checked again when hits are loaded, so a stale index entry
    (consent just withdrawn, a profile moved) never shows."""
    pool = TalentProfile.objects.in_pool()
    if scope is None:
        return pool
    places = scope["township"]
    return pool.filter(Q(hometown_village__in=places) | Q(hometown_township__in=places))


# --- Turning a query into the engine's filters --------------------------------------------


class _Nothing(Exception):
    """The rules contradict each other: nothing can match."""


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _birth_range(age_min: int | None, age_max: int | None) -> dict | None:
    if age_min is None and age_max is None:
        return None
    today = timezone.localdate()
    bounds = {}
    if age_min is not None:  # has had their age_min-th birthday
        bounds["lte"] = _years_before(today, age_min).isoformat()
    if age_max is not None:  # has not yet had their (age_max + 1)-th birthday
        bounds["gt"] = _years_before(today, age_max + 1).isoformat()
    return bounds


def _query_filters(query: TalentQuery) -> dict[str, object]:
    """The engine filters of a query's own selections, one entry per index field."""
    filters: dict[str, object] = {}
    if query.townships:
        filters["township"] = list(query.townships)
    if query.villages:
        filters["village"] = list(query.villages)
    birth = _birth_range(query.age_min, query.age_max)
    if birth:
        filters["birth_date"] = birth
    if query.education_min is not None:
        filters["education"] = {"gte": query.education_min}
    if query.industries:
        filters["industry"] = list(query.industries)
    if query.willingness:
        filters["willingness"] = list(query.willingness)
    if query.reserve_cadre_trained is not None:
        filters["reserve_cadre_trained"] = query.reserve_cadre_trained
    if query.grades:
        filters["grade"] = list(query.grades)
    if query.exclude_negative:
        filters["negative"] = False
    return filters


def _base_filters(base: BaseSearch) -> dict[str, object]:
    """A base search's rules and its stored filters (the parameters of a search; its text,
    sort and page are the user's to choose, so they are not taken from there).

    The rules need the facts: a profile without an assessment grade or a birth date does
    not pass a grade minimum or an age limit."""
    try:
        stored = talent_query_from_params(base.filters if isinstance(base.filters, dict) else {})
    except ValidationError as error:
        raise ValidationError(
            {
                "base": _("The base search “%(name)s” has filters that are not valid.")
                % {"name": base.name}
            }
        ) from error
    filters = _query_filters(replace(stored, base_search=None))
    rules: dict[str, object] = {"grade": base.grades_allowed()}
    if base.max_age is not None:
        rules["birth_date"] = _birth_range(None, base.max_age)
    if base.min_education is not None:
        rules["education"] = {"gte": base.min_education}
    if base.exclude_negative_list:
        rules["negative"] = False
    return _merged(filters, rules)


def _merge_ranges(first: dict, second: dict) -> dict:
    bounds = dict(first)
    for op, bound in second.items():
        if op not in bounds:
            bounds[op] = bound
        elif op in ("gt", "gte"):
            bounds[op] = max(bounds[op], bound)
        else:
            bounds[op] = min(bounds[op], bound)
    return bounds


def _merge_value(first: object, second: object) -> object:
    if isinstance(first, dict) and isinstance(second, dict):
        return _merge_ranges(first, second)
    if isinstance(first, list) or isinstance(second, list):
        first_list = first if isinstance(first, list) else [first]
        second_list = second if isinstance(second, list) else [second]
        both = [value for value in first_list if value in second_list]
        if not both:
            raise _Nothing
        return both
    if first != second:
        raise _Nothing
    return first


def _merged(first: Mapping[str, object], second: Mapping[str, object]) -> dict[str, object]:
    """Both sets of filters must hold: lists intersect, ranges narrow, scalars agree."""
    merged = dict(first)
    for name, value in second.items():
        merged[name] = _merge_value(merged[name], value) if name in merged else value
    return merged


# --- Facet labels ----------------------------------------------------------------------

FACET_LABELS = {
    "township": lambda: str(TalentProfile._meta.get_field("hometown_township").verbose_name),
    "village": lambda: str(TalentProfile._meta.get_field("hometown_village").verbose_name),
    "education": lambda: str(TalentProfile._meta.get_field("education").verbose_name),
    "industry": lambda: str(TalentProfile._meta.get_field("industry").verbose_name),
    "willingness": lambda: str(TalentProfile._meta.get_field("willingness").verbose_name),
    "reserve_cadre_trained": lambda: str(
        TalentProfile._meta.get_field("reserve_cadre_trained").verbose_name
    ),
    "grade": lambda: str(TalentProfile._meta.get_field("latest_grade").verbose_name),
}
CHOICE_LABELS = {
    "education": Education,
    "industry": Industry,
    "willingness": Willingness,
    "grade": Grade,
}


def _selected(query: TalentQuery) -> dict[str, tuple]:
    trained = () if query.reserve_cadre_trained is None else (query.reserve_cadre_trained,)
    return {
        "township": query.townships,
        "village": query.villages,
        "education": (),  # a minimum, not a choice of values
        "industry": query.industries,
        "willingness": query.willingness,
        "reserve_cadre_trained": trained,
        "grade": query.grades,
    }


def _value_labels(name: str, values: Sequence[object]) -> dict[object, str]:
    if name in ("township", "village"):
        return dict(Organization.objects.filter(pk__in=values).values_list("pk", "name"))
    if name == "reserve_cadre_trained":
        return {True: _("Yes"), False: _("No")}
    choices = CHOICE_LABELS[name]
    return {value: str(label) for value, label in choices.choices}


# Ordered scales list in their order; the other facets list the largest count first.
SCALES = {
    "education": lambda value: value,
    "grade": lambda value: GRADE_ORDER.index(value) if value in GRADE_ORDER else len(GRADE_ORDER),
    "reserve_cadre_trained": lambda value: not value,
}


def _ordered_values(name: str, values: Mapping[object, int]) -> list[tuple[object, int]]:
    items = list(values.items())
    if name in SCALES:
        return sorted(items, key=lambda item: SCALES[name](item[0]))
    return sorted(items, key=lambda item: -item[1])


def _facets(counts: Mapping[str, Mapping[object, int]], query: TalentQuery) -> list[Facet]:
    selected = _selected(query)
    facets = []
    for name in FACETS:
        values = dict(counts.get(name, {}))
        for value in selected[name]:
            values.setdefault(value, 0)  # a selection stays visible, to be unselected
        labels = _value_labels(name, list(values))
        facets.append(
            Facet(
                name=name,
                label=FACET_LABELS[name](),
                values=[
                    FacetValue(
                        value=value,
                        label=labels.get(value, str(value)),
                        count=count,
                        selected=value in selected[name],
                    )
                    for value, count in _ordered_values(name, values)
                ],
            )
        )
    return facets


# --- Searching -------------------------------------------------------------------------


def _base(query: TalentQuery) -> BaseSearch | None:
    if query.base_search is None:
        return None
    base = BaseSearch.objects.filter(pk=query.base_search).first()
    if base is None:
        raise ValidationError({"base": _("Choose a base search from the list.")})
    return base


def _engine_filters(query: TalentQuery, base: BaseSearch | None, without: str = ""):
    own = {name: value for name, value in _query_filters(query).items() if name != without}
    return _merged(own, _base_filters(base)) if base else own


@dataclass(frozen=True)
class _Search:
    """A query as the engine runs it for one user: their scope and the base search's rules."""

    query: TalentQuery
    scope: dict[str, list[int]] | None
    base: BaseSearch | None

    @classmethod
    def prepare(cls, user, query: TalentQuery) -> "_Search":
        scope = _scope(user)  # refuses first, whatever else is wrong with the query
        if query.sort not in SORTS:
            raise ValidationError({"sort": _("Sort by relevance, age or study hours.")})
        return cls(query=query, scope=scope, base=_base(query))

    def run(self, *, without: str = "", **options):
        """The engine's results; raises _Nothing when the rules cannot all hold."""
        return document_search(
            index=INDEX,
            text=self.query.text,
            filters=_engine_filters(self.query, self.base, without),
            any_of=self.scope,
            sort=SORT_FIELDS[self.query.sort],
            **options,
        )

    def facet_counts(self, found: Mapping[str, dict]) -> dict[str, dict[object, int]]:
        """Each facet's counts (``found``: as the full query counted them); one the user
        filters on is counted without that filter, so its other values stay there to add."""
        counts = dict(found)
        for name, values in _selected(self.query).items():
            if values:
                try:
                    counts[name] = self.run(without=name, facets=[name], page_size=1).facets[name]
                except _Nothing:
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
    except _Nothing:  # the query's own choices contradict the base search
        return TalentSearchPage(
            hits=[],
            total=0,
            facets=_facets(search.facet_counts({}), query),
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
        facets=_facets(search.facet_counts(results.facets), query),
        page=query.page,
        page_size=query.page_size,
        num_pages=max(1, math.ceil(results.total / query.page_size)),
        query=query,
    )


def talent_search_keys(user, query: TalentQuery, *, limit: int) -> list[int]:
    """Every matching profile pk the user may see, in result order, up to ``limit`` (exports
    of a result set; the query's page is ignored)."""
    search = _Search.prepare(user, query)
    keys: list[int] = []
    page = 1
    while len(keys) < limit:
        try:
            results = search.run(page=page, page_size=KEYS_BATCH)
        except _Nothing:
            return []
        batch = [int(key) for key in results.keys]
        visible = set(_visible(search.scope).filter(pk__in=batch).values_list("pk", flat=True))
        keys.extend(key for key in batch if key in visible)
        if len(batch) < KEYS_BATCH:
            break
        page += 1
    return keys[:limit]
