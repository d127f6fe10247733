"""GET /api/v1/talent/search with the filters on the person (gender, current city, province,
training), its refusal of parameters it does not read, and facet counts that a client can
trust: sending a facet's value finds as many people as it counted."""

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from talent.desk.search_query import SEARCH_PARAMS, talent_query_from_params

from ..desk import fixtures
from ..desk.wide_pool import wide_pool
from ..facet_rows import facet_count, rows

URL = "/api/v1/talent/search"
people = fixtures.people
__all__ = ["people", "wide_pool"]  # fixtures pytest finds by name


def get(user, params=None):
    client = Client()
    client.force_login(user)
    return client.get(URL, params or {})


def found(user, params) -> set[str]:
    response = get(user, params)
    assert response.status_code == 200, response.content.decode()
    return {result["name"] for result in response.json()["results"]}


def test_the_new_filters_answer_as_on_the_desk(wide_pool, people):
    admin = people.county_admin
    assert found(admin, {"city": "广东深圳"}) == {"张丽", "甲一党员"}
    assert found(admin, {"province": ["52", "31"]}) == {"李娜", "陈芳", "周红"}
    assert found(admin, {"training": "后备干部"}) == {"张丽", "黄敏", "甲一党员"}
    assert found(admin, {"gender": "male", "province": "44"}) >= {"王强", "孙浩"}
    assert found(people.recruiter_b, {"province": "52"}) == {"陈芳"}
    body = get(admin, {"city": "深圳"}).json()
    member = next(r for r in body["results"] if r["name"] == "甲一党员")
    assert member["current_city"] == "深圳"  # the record's host city, shown as written


@pytest.mark.parametrize("name", ["provinces", "keyword", "page_size", "City"])
def test_a_parameter_the_search_does_not_read_is_a_400_naming_it(wide_pool, people, name):
    response = get(people.county_admin, {name: "1", "province": "52"})
    assert response.status_code == 400
    assert response.json() == {
        name: [_("“%(name)s” is not a parameter of this search.") % {"name": name}]
    }


def test_unknown_and_bad_parameters_are_reported_together(wide_pool, people):
    response = get(people.county_admin, {"genders": "female", "gender": "女", "sort": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"genders", "gender", "sort"}
    assert response.json()["gender"] == [_("Choose a gender from the list.")]


def test_the_format_parameter_drf_reads_is_still_accepted(wide_pool, people):
    response = get(people.county_admin, {"format": "json", "province": "52"})
    assert response.status_code == 200
    assert response.json()["total"] == 2


def test_words_that_analyse_to_nothing_with_a_chosen_facet_find_nothing_without_an_error(
    wide_pool, people
):
    """Schemathesis found it: no searchable word and a facet chosen was a 500."""
    response = get(people.county_admin, {"q": "´·¯", "education": "4", "exclude_negative": "1"})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["total"] == 0


def test_someone_who_may_not_search_is_refused_before_any_parameter_is_read(wide_pool, people):
    assert get(people.member, {"nonsense": "1"}).status_code == 403


PARAMS = {
    "township": "township",
    "village": "village",
    "gender": "gender",
    "education": "education",
    "industry": "industry",
    "willingness": "willingness",
    "reserve_cadre_trained": "trained",
    "grade": "grade",
    "city": "city",
    "province": "province",
}


def _param_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@pytest.mark.parametrize("state", [{}, {"province": "44"}, {"gender": "female", "education": "3"}])
@pytest.mark.parametrize("who", ["county_admin", "recruiter_a"])
def test_every_facet_value_finds_as_many_as_it_counts(wide_pool, people, who, state):
    """For each facet the search did not filter on (and education, a minimum): sending the
    value finds its count, and the count is that of the rows."""
    user = getattr(people, who)
    body = get(user, state).json()
    query = talent_query_from_params(state)
    assert body["total"] == len(rows(user, query))
    assert {facet["name"] for facet in body["facets"]} == set(PARAMS)
    for facet in body["facets"]:
        name, param = facet["name"], PARAMS[facet["name"]]
        if param in state and param != "education":
            continue  # adding a value to those chosen finds more than it counts
        for value in facet["values"]:
            where = f"{name} {value['label']}"
            assert value["count"] == facet_count(user, query, name, value["value"]), where
            clicked = {**state, param: _param_value(value["value"])}
            assert get(user, clicked).json()["total"] == value["count"], where


def test_the_schema_documents_every_parameter_the_search_reads(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/talent/search"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == set(SEARCH_PARAMS)
    assert set(parameters["gender"]["schema"]["items"]["enum"]) == {"male", "female"}
    assert "52" in parameters["province"]["schema"]["items"]["enum"]
    assert len(parameters["province"]["schema"]["items"]["enum"]) == 34
    for name in ("city", "training"):
        assert parameters[name]["schema"]["type"] == "array"
        assert parameters[name]["description"]
