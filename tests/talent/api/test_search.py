"""GET /api/v1/talent/search: results and facets as JSON, per role, with nothing of a
person's phone or ID number, and its place in the OpenAPI schema."""

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from portal.models import Role
from portal.registry.factories import UserFactory
from portal.registry.identity import mask_id_number, mask_phone

from ..search_pool import ID_NUMBER, PHONE, make_pool

URL = "/api/v1/talent/search"


@pytest.fixture
def talent_pool(tree, members):
    return make_pool(tree, members)


@pytest.fixture
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


@pytest.fixture
def recruiter_a(tree, user_with_role):
    return user_with_role(Role.RECRUITER, tree.township_a, "recruiter_a")


RESULT_FIELDS = {
    "id",
    "name",
    "gender",
    "age",
    "hometown_township",
    "hometown_village",
    "current_city",
    "industry",
    "occupation",
    "education",
    "willingness",
    "study_hours_this_year",
    "latest_grade",
    "reserve_cadre_trained",
    "highlight",
}


def get(user, params=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(URL, params or {})


def test_a_county_admin_gets_results_and_facets(talent_pool, county_admin):
    response = get(county_admin, {"q": "合同"})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["num_pages"]) == (1, 1, 1)
    (result,) = body["results"]
    assert set(result) == RESULT_FIELDS
    assert result["id"] == talent_pool.cad.pk
    assert result["name"] == "张伟"
    assert result["hometown_township"] == "甲镇党委"
    assert result["hometown_village"] == ""
    assert (result["industry"], result["education"], result["willingness"]) == (
        "manufacturing",
        3,
        "yes",
    )
    assert result["age"] == talent_pool.cad.age
    assert result["study_hours_this_year"] == "0.0"
    assert "<mark>合同</mark>" in result["highlight"]
    names = [facet["name"] for facet in body["facets"]]
    assert names == [
        "township",
        "village",
        "education",
        "industry",
        "willingness",
        "reserve_cadre_trained",
        "grade",
        "gender",
        "province",
        "city",
    ]
    township = body["facets"][0]
    assert township["label"] == "户籍乡镇"
    assert township["values"] == [
        {
            "value": talent_pool.cad.hometown_township_id,
            "label": "甲镇党委",
            "count": 1,
            "selected": False,
        }
    ]


def test_a_member_profile_shows_the_record_signals(talent_pool, county_admin):
    body = get(county_admin, {"q": "电工"}).json()
    (result,) = body["results"]
    assert result["name"] == "甲二党员"
    assert result["gender"] in ("male", "female")
    assert (result["latest_grade"], result["study_hours_this_year"]) == ("excellent", "32.5")
    assert result["reserve_cadre_trained"] is True
    assert result["age"] == 35


def test_no_phone_or_id_number_leaves_the_api(talent_pool, county_admin, members):
    body = get(county_admin).content.decode()
    member = members.a2
    for secret in (PHONE, ID_NUMBER, member.phone, member.id_number):
        assert secret not in body
    for masked in (mask_phone(PHONE), mask_id_number(ID_NUMBER), mask_phone(member.phone)):
        assert masked not in body
    assert "phone" not in body and "id_number" not in body


def test_filters_sorting_and_pages(talent_pool, county_admin, tree):
    body = get(county_admin, {"township": [tree.township_a.pk], "sort": "age", "page": "2"}).json()
    assert (body["total"], body["page"], body["num_pages"]) == (4, 2, 1)
    assert body["results"] == []
    body = get(county_admin, {"township": [tree.township_a.pk], "sort": "age"}).json()
    assert [r["name"] for r in body["results"]] == ["甲二党员", "王芳", "赵强", "张伟"]
    selected = [v for v in body["facets"][0]["values"] if v["selected"]]
    assert selected == [
        {"value": tree.township_a.pk, "label": "甲镇党委", "count": 4, "selected": True}
    ]
    body = get(county_admin, {"trained": "1", "grade": ["excellent", "basic"]}).json()
    assert [r["name"] for r in body["results"]] == ["甲二党员"]


def test_bad_parameters_get_400_with_chinese_errors_by_field(talent_pool, county_admin):
    response = get(county_admin, {"township": "甲镇", "sort": "name", "age_min": "-1"})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"township", "sort", "age_min"}
    assert errors["township"] == [_("Choose townships from the list.")]
    assert errors["sort"] == [_("Sort by relevance, age or study hours.")]


def test_a_township_recruiter_gets_only_people_from_there(talent_pool, recruiter_a):
    body = get(recruiter_a).json()
    assert body["total"] == 4
    assert talent_pool.shop.pk not in {result["id"] for result in body["results"]}
    assert get(recruiter_a, {"q": "电商"}).json()["total"] == 0


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.MEMBER, Role.EDITOR, Role.REVIEWER])
def test_other_roles_are_refused(talent_pool, tree, user_with_role, role):
    response = get(user_with_role(role, tree.township_a), {"q": "养殖"})
    assert response.status_code == 403
    assert "王芳" not in response.content.decode()


def test_anonymous_visitors_and_users_without_a_role_are_refused(talent_pool):
    assert get(None).status_code == 403
    assert get(UserFactory()).status_code == 403


def test_the_schema_documents_the_search(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/talent/search"]["get"]
    assert operation["operationId"] == "talent_search"
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {
        "q",
        "township",
        "village",
        "age_min",
        "age_max",
        "education",
        "industry",
        "willingness",
        "trained",
        "grade",
        "exclude_negative",
        "base",
        "sort",
        "page",
    } <= parameters
    assert {"200", "400", "403"} <= set(operation["responses"])
    result = schema["components"]["schemas"]["TalentResult"]
    assert set(result["properties"]) == RESULT_FIELDS
