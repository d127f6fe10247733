"""A talent query as the search engine's filters: one entry per index field, and a base
search's rules merged in (lists intersect, ranges narrow, scalars agree)."""

import datetime
from collections.abc import Mapping
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from search.analysis import normalize
from talent.desk.search_query import TalentQuery, talent_query_from_params
from talent.models import BaseSearch


class Nothing(Exception):
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


def training_filter(words: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Profiles with a training whose name holds one of ``words`` ("后备干部" finds
    "村级后备干部培训"): the index holds each training's name (search_documents.
    training_names), compared as search compares words, and a group of words per list, so
    that a base search's training and the query's merge as both holding."""
    return {"contains": [[normalize(word).strip() for word in words]]}


def query_filters(query: TalentQuery) -> dict[str, object]:
    """The engine filters of a query's own selections, one entry per index field."""
    filters: dict[str, object] = {}
    if query.townships:
        filters["township"] = list(query.townships)
    if query.villages:
        filters["village"] = list(query.villages)
    birth = _birth_range(query.age_min, query.age_max)
    if birth:
        filters["birth_date"] = birth
    if query.genders:
        filters["gender"] = list(query.genders)
    if query.education_min is not None:
        filters["education"] = {"gte": query.education_min}
    if query.industries:
        filters["industry"] = list(query.industries)
    if query.willingness:
        filters["willingness"] = list(query.willingness)
    if query.cities:
        filters["city"] = list(query.cities)
    if query.provinces:
        filters["province"] = list(query.provinces)
    if query.trainings:
        filters["training"] = training_filter(query.trainings)
    if query.reserve_cadre_trained is not None:
        filters["reserve_cadre_trained"] = query.reserve_cadre_trained
    if query.grades:
        filters["grade"] = list(query.grades)
    if query.exclude_negative:
        filters["negative"] = False
    return filters


def base_filters(base: BaseSearch) -> dict[str, object]:
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
    filters = query_filters(replace(stored, base_search=None))
    rules: dict[str, object] = {"grade": base.grades_allowed()}
    if base.max_age is not None:
        rules["birth_date"] = _birth_range(None, base.max_age)
    if base.min_education is not None:
        rules["education"] = {"gte": base.min_education}
    if base.exclude_negative_list:
        rules["negative"] = False
    return merged(filters, rules)


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
        if "contains" in first or "contains" in second:  # each group must be met
            return {"contains": [*first.get("contains", []), *second.get("contains", [])]}
        return _merge_ranges(first, second)
    if isinstance(first, list) or isinstance(second, list):
        first_list = first if isinstance(first, list) else [first]
        second_set = set(second) if isinstance(second, list) else {second}
        both = [value for value in first_list if value in second_set]
        if not both:
            raise Nothing
        return both
    if first != second:
        raise Nothing
    return first


def merged(first: Mapping[str, object], second: Mapping[str, object]) -> dict[str, object]:
    """Both sets of filters must hold: lists intersect, ranges narrow, scalars agree."""
    merged = dict(first)
    for name, value in second.items():
        merged[name] = _merge_value(merged[name], value) if name in merged else value
    return merged
