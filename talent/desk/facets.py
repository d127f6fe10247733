"""The facets of a talent search page: Chinese labels, counts, the user's selections kept
visible, ordered scales in their order and the rest largest count first."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from learning.models.periods import Grade
from portal.models import Organization
from search.selectors import FacetValue
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


def selected_values(query: TalentQuery) -> dict[str, tuple]:
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


def facets_build(counts: Mapping[str, Mapping[object, int]], query: TalentQuery) -> list[Facet]:
    selected = selected_values(query)
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
