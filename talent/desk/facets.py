"""The facets of a talent search page: Chinese labels, counts, the user's selections kept
visible, ordered scales in their order and the rest largest count first.

A value's count is the number of results choosing it gives: education is a minimum, so its
counts are cumulative (本科及以上: everyone with a bachelor's degree or more)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models.periods import Grade
from portal.models import Member, Organization
from search.selectors import FacetValue
from talent.desk.regions import city_key, place_of, regions
from talent.desk.search_documents import FACETS
from talent.desk.search_query import TalentQuery
from talent.models import GRADE_ORDER, Education, Industry, TalentProfile, Willingness


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


FACET_LABELS = {
    "township": lambda: str(TalentProfile._meta.get_field("hometown_township").verbose_name),
    "village": lambda: str(TalentProfile._meta.get_field("hometown_village").verbose_name),
    "gender": lambda: str(TalentProfile._meta.get_field("gender").verbose_name),
    "education": lambda: str(_("Education at least")),
    "industry": lambda: str(TalentProfile._meta.get_field("industry").verbose_name),
    "willingness": lambda: str(TalentProfile._meta.get_field("willingness").verbose_name),
    "reserve_cadre_trained": lambda: str(
        TalentProfile._meta.get_field("reserve_cadre_trained").verbose_name
    ),
    "grade": lambda: str(TalentProfile._meta.get_field("latest_grade").verbose_name),
    "city": lambda: str(TalentProfile._meta.get_field("current_city").verbose_name),
    "province": lambda: str(_("current province")),
}
# "At least" each level: what choosing it in the education facet finds.
EDUCATION_AT_LEAST = {
    Education.JUNIOR: gettext_lazy("Any education on record"),
    Education.SENIOR: gettext_lazy("Senior high or technical secondary school or above"),
    Education.COLLEGE: gettext_lazy("Junior college or above"),
    Education.BACHELOR: gettext_lazy("Bachelor's degree or above"),
    Education.POSTGRADUATE: gettext_lazy("Postgraduate"),
}
CHOICE_LABELS = {
    "gender": Member.Gender,
    "industry": Industry,
    "willingness": Willingness,
    "grade": Grade,
}


def selected_values(query: TalentQuery) -> dict[str, tuple]:
    trained = () if query.reserve_cadre_trained is None else (query.reserve_cadre_trained,)
    education = () if query.education_min is None else (query.education_min,)
    return {
        "township": query.townships,
        "village": query.villages,
        "gender": query.genders,
        "education": education,
        "industry": query.industries,
        "willingness": query.willingness,
        "reserve_cadre_trained": trained,
        "grade": query.grades,
        "city": query.cities,
        "province": query.provinces,
    }


def _value_labels(name: str, values: Sequence[object]) -> dict[object, str]:
    if name in ("township", "village"):
        return dict(Organization.objects.filter(pk__in=values).values_list("pk", "name"))
    if name == "reserve_cadre_trained":
        return {True: _("Yes"), False: _("No")}
    if name == "education":
        return {level: str(label) for level, label in EDUCATION_AT_LEAST.items()}
    if name == "province":
        return {code: regions().province_name(code) for code in values}
    if name == "city":
        return {city: city for city in values}
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


def at_least(counts: Mapping[object, int]) -> dict[object, int]:
    """Each level's count of results at that level or above (``counts``: at each level);
    a level nobody holds still counts those above it."""
    cumulative, total = {}, 0
    for level in sorted(Education.values, reverse=True):
        total += counts.get(level, 0)
        if total:
            cumulative[level] = total
    return cumulative


def facets_build(counts: Mapping[str, Mapping[object, int]], query: TalentQuery) -> list[Facet]:
    selected = selected_values(query)
    facets = []
    for name in FACETS:
        values = dict(counts.get(name, {}))
        if name == "education":
            values = at_least(values)
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


@dataclass(frozen=True)
class CityChoice:
    name: str
    count: int | None  # None when the search did not run (a parameter was wrong)
    selected: bool


@dataclass(frozen=True)
class CityGroup:
    province: str  # its name; "" for cities in no province the table knows
    cities: list[CityChoice]


def cities_by_province(facets: Sequence[Facet], chosen: Sequence[str]) -> list[CityGroup]:
    """The city facet's values under their province, for the desk's city select: the
    provinces with most people first, a city in none last; the chosen cities stay there
    (without a count when the search did not run)."""
    found = next((facet.values for facet in facets if facet.name == "city"), [])
    cities = {
        str(value.value): CityChoice(str(value.value), value.count, value.selected)
        for value in found
    }
    for city in filter(None, map(city_key, chosen)):
        cities.setdefault(city, CityChoice(city, None, True))
    groups: dict[str, list[CityChoice]] = {}
    for choice in cities.values():
        place = place_of(choice.name)
        groups.setdefault((place.province or "") if place else "", []).append(choice)
    table = regions()

    def weight(code: str) -> tuple:
        return (code == "", -sum(choice.count or 0 for choice in groups[code]), code)

    return [
        CityGroup(province=table.province_name(code) if code else "", cities=groups[code])
        for code in sorted(groups, key=weight)
    ]
