"""The desk's facet counts mean what clicking them does: on the recruiter's search page, every
value's count is the number of people holding it among the rows the other filters leave,
and following its link shows that many results (education counts "at least": 本科及以上)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from talent.desk.search_query import talent_query_from_params
from talent.desk.views import SINGLE_VALUED

from ..facet_rows import facet_count, rows
from .desk_support import search

pytestmark = pytest.mark.django_db


def total(response) -> int:
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["result"].total


def params_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# States a recruiter reaches by clicking: nothing chosen, one facet chosen, a minimum and
# two values of another, and one through the form's filters.
STATES = [
    {},
    {"gender": ["female"]},
    {"education": ["3"], "province": ["44", "52"]},
    {"city": ["深圳市"], "industry": ["it", "agriculture"]},
    {"training": ["后备干部"], "willingness": ["yes"]},
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", ["county_admin", "recruiter_a"])
def test_every_facet_value_counts_the_rows_and_its_link_finds_as_many(
    client, wide_pool, people, who, state
):
    user = getattr(people, who)
    client.force_login(user)
    page = search(client, **state)
    now = total(page)
    query = talent_query_from_params(state)
    assert now == len(rows(user, query))
    shown = page.context["facets"]
    assert {facet["name"] for facet in shown} >= {"gender", "province", "education"}
    for facet in shown:
        name = facet["name"]
        param = {"reserve_cadre_trained": "trained"}.get(name, name)
        chosen = [item for item in facet["values"] if item["selected"]]
        for item, value in zip(facet["values"], _values(page, name), strict=True):
            where = f"{name} {item['label']}"
            assert item["count"] == facet_count(user, query, name, value), where
            clicked = params_of(item["url"])
            after = total(client.get(reverse("talent_desk:index") + item["url"]))
            assert after == len(rows(user, talent_query_from_params(clicked))), where
            if param in SINGLE_VALUED and not item["selected"]:
                assert after == item["count"], where  # the choice replaces the last one
            elif not chosen:
                assert after == item["count"], where
            elif not item["selected"]:
                assert after == now + item["count"], where  # added to the values chosen


def _values(page, name: str) -> list:
    (facet,) = [facet for facet in page.context["result"].facets if facet.name == name]
    return [value.value for value in facet.values]


def test_education_counts_at_least_each_level_and_says_so(client, wide_pool, people):
    """Levels 1, 2, 2, 3, 3, 4, 4, 4, 5 (and one unknown): 本科及以上 holds four, not three."""
    client.force_login(people.county_admin)
    page = search(client)
    (education,) = [f for f in page.context["facets"] if f["name"] == "education"]
    assert education["label"] == _("Education at least")
    counts = {item["label"]: item["count"] for item in education["values"]}
    assert counts == {
        _("Any education on record"): 9,
        _("Senior high or technical secondary school or above"): 8,
        _("Junior college or above"): 6,
        _("Bachelor's degree or above"): 4,
        _("Postgraduate"): 1,
    }
    chosen = search(client, education="4")
    assert total(chosen) == 4
    (education,) = [f for f in chosen.context["facets"] if f["name"] == "education"]
    # the other levels still count at least themselves, to move the minimum
    assert [(item["count"], item["selected"]) for item in education["values"]] == [
        (9, False),
        (8, False),
        (6, False),
        (4, True),
        (1, False),
    ]
