"""talent/desk/selectors.py: parameters, filters, facets, sorting, base searches and who may
search which part of the pool."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal.models import Role
from portal.registry.factories import UserFactory
from talent.desk.search_query import TalentQuery, talent_query_from_params, talent_query_params
from talent.desk.selectors import talent_search, talent_search_keys
from talent.models import BaseSearch, TalentProfile
from talent.selectors import can_search_talent
from talent.services import consent_withdraw, profile_update

from ..search_pool import make_pool, talent_reindex, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent_pool(tree, members):
    return make_pool(tree, members)


@pytest.fixture
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


@pytest.fixture
def recruiter_a(tree, user_with_role):
    return user_with_role(Role.RECRUITER, tree.township_a, "recruiter_a")


def names(page) -> list[str]:
    return sorted(hit.profile.display_name for hit in page.hits)


def ordered(page) -> list[str]:
    return [hit.profile.display_name for hit in page.hits]


def search(user, **query):
    return talent_search(user, TalentQuery(**query))


def facet(page, name) -> dict:
    (found,) = [f for f in page.facets if f.name == name]
    return {value.label: (value.count, value.selected) for value in found.values}


# --- Parameters ------------------------------------------------------------------------


def test_parameters_become_a_query_and_back(db):
    base = BaseSearch.objects.create(name="村两委基本条件")
    params = {
        "q": " 养殖 ",
        "township": ["2", "3"],
        "village": "7",
        "age_min": "25",
        "age_max": "45",
        "education": "2",
        "industry": ["agriculture", "trade"],
        "willingness": ["yes"],
        "trained": "1",
        "grade": ["excellent", "qualified"],
        "exclude_negative": "1",
        "base": str(base.pk),
        "sort": "-study_hours",
        "page": "3",
        "csrfmiddlewaretoken": "ignored",
    }
    query = talent_query_from_params(params)
    assert query == TalentQuery(
        text="养殖",
        townships=(2, 3),
        villages=(7,),
        age_min=25,
        age_max=45,
        education_min=2,
        industries=("agriculture", "trade"),
        willingness=("yes",),
        reserve_cadre_trained=True,
        grades=("excellent", "qualified"),
        exclude_negative=True,
        base_search=base.pk,
        sort="-study_hours",
        page=3,
    )
    assert talent_query_from_params(talent_query_params(query)) == query
    assert talent_query_params(TalentQuery()) == {}


def test_a_query_dict_with_empty_fields_is_the_default_query(db):
    """An unsubmitted form sends empty values: they mean "any"."""
    params = QueryDict("q=&township=&age_min=&trained=&grade=&sort=&page=&township=4")
    assert talent_query_from_params(params) == TalentQuery(townships=(4,))
    assert talent_query_from_params(QueryDict("trained=0")).reserve_cadre_trained is False


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"township": "甲镇"}, "township", "Choose townships from the list."),
        ({"township": ["1", "-2"]}, "township", "Choose townships from the list."),
        ({"village": "0"}, "village", "Choose villages from the list."),
        ({"age_min": "十八"}, "age_min", None),
        ({"age_max": "200"}, "age_max", None),
        ({"age_min": "50", "age_max": "40"}, "age_max", None),
        ({"education": "6"}, "education", "Choose an education level from the list."),
        ({"industry": "mining"}, "industry", "Choose industries from the list."),
        ({"willingness": "sure"}, "willingness", "Choose willingness to return from the list."),
        ({"trained": "yes"}, "trained", "Reserve-cadre training is 1 (completed) or 0 (not)."),
        ({"grade": "good"}, "grade", "Choose grades from the list."),
        ({"exclude_negative": "2"}, "exclude_negative", None),
        ({"base": "999"}, "base", "Choose a base search from the list."),
        ({"sort": "name"}, "sort", "Sort by relevance, age or study hours."),
        ({"page": "0"}, "page", None),
        ({"q": "养" * 201}, "q", None),
    ],
)
def test_each_bad_parameter_is_named_with_a_chinese_message(db, params, field, message):
    with pytest.raises(ValidationError) as error:
        talent_query_from_params(params)
    assert set(error.value.message_dict) == {field}
    (text,) = error.value.message_dict[field]
    if message:
        assert text == _(message)
    assert text  # the zh_Hans catalog holds these strings once merged


def test_all_bad_parameters_are_reported_at_once(db):
    with pytest.raises(ValidationError) as error:
        talent_query_from_params({"township": "x", "grade": "y", "sort": "z"})
    assert set(error.value.message_dict) == {"township", "grade", "sort"}


# --- Searching -------------------------------------------------------------------------


def test_text_and_filters_narrow_the_pool(talent_pool, county_admin, tree):
    assert search(county_admin).total == 5
    assert names(search(county_admin, text="養殖")) == ["王芳"]
    assert names(search(county_admin, townships=(tree.township_b.pk,))) == ["陈刚"]
    assert names(search(county_admin, text="养殖", townships=(tree.township_b.pk,))) == []
    assert names(search(county_admin, villages=(tree.village_a2.pk,))) == ["甲二党员", "赵强"]
    assert names(search(county_admin, education_min=3)) == ["张伟", "甲二党员", "陈刚"]
    assert names(search(county_admin, industries=("trade", "construction"))) == ["赵强", "陈刚"]
    assert names(search(county_admin, willingness=("no", "maybe"))) == ["赵强", "陈刚"]
    assert names(search(county_admin, reserve_cadre_trained=True)) == ["甲二党员"]
    assert names(search(county_admin, grades=("qualified",))) == ["王芳"]
    assert "张伟" not in names(search(county_admin, exclude_negative=True))
    assert search(county_admin, exclude_negative=True).total == 4


def test_an_age_range_counts_full_years(talent_pool, county_admin):
    """陈刚 turns 28 today, the member is 35, 王芳 42, 赵强 51, 张伟 was born in 1949."""
    assert talent_pool.shop.age == 28
    assert names(search(county_admin, age_min=28, age_max=28)) == ["陈刚"]
    assert names(search(county_admin, age_min=29, age_max=42)) == ["王芳", "甲二党员"]
    assert names(search(county_admin, age_max=27)) == []
    assert names(search(county_admin, age_min=70)) == ["张伟"]
    assert names(search(county_admin, text="养殖", age_min=43)) == []


def test_sorting_by_age_and_study_hours(talent_pool, county_admin):
    youngest_first = ["陈刚", "甲二党员", "王芳", "赵强", "张伟"]
    assert ordered(search(county_admin, sort="age")) == youngest_first
    assert ordered(search(county_admin, sort="-age")) == youngest_first[::-1]
    assert ordered(search(county_admin, sort="-study_hours"))[:2] == ["甲二党员", "王芳"]
    assert ordered(search(county_admin, sort="study_hours"))[-2:] == ["王芳", "甲二党员"]


def test_pages_hold_page_size_hits(talent_pool, county_admin):
    first = search(county_admin, sort="age", page_size=2)
    third = search(county_admin, sort="age", page_size=2, page=3)
    assert (first.total, first.num_pages, len(first.hits), len(third.hits)) == (5, 3, 2, 1)
    assert third.page == 3


def test_hits_carry_a_marked_snippet(talent_pool, county_admin):
    (hit,) = search(county_admin, text="合同").hits
    assert "<mark>合同</mark>" in hit.highlight
    assert search(county_admin).hits[0].highlight == ""


def test_facets_count_with_chinese_labels(talent_pool, county_admin, tree):
    page = search(county_admin)
    assert facet(page, "township") == {"甲镇党委": (4, False), "乙乡党委": (1, False)}
    # at least each level: 大专 and above are the two at 大专 and the one with a degree
    assert facet(page, "education")[_("Junior college or above")] == (3, False)
    assert facet(page, "industry")["农业与养殖"] == (1, False)
    assert facet(page, "willingness")["愿意回乡"] == (3, False)
    assert facet(page, "reserve_cadre_trained") == {"是": (1, False), "否": (4, False)}
    assert facet(page, "grade") == {"优秀": (1, False), "合格": (1, False)}
    labels = [f.label for f in page.facets]
    assert labels[:2] == ["户籍乡镇", "户籍村（社区）"]


def test_a_selected_facet_keeps_counting_its_other_values(talent_pool, county_admin, tree):
    """Choosing 乙乡 narrows the hits but still shows that 甲镇 holds four, to add it."""
    page = search(county_admin, townships=(tree.township_b.pk,))
    assert page.total == 1
    assert facet(page, "township") == {"甲镇党委": (4, False), "乙乡党委": (1, True)}
    assert facet(page, "willingness") == {"可以考虑回乡": (1, False)}
    narrowed = search(county_admin, text="养殖", willingness=("no",))
    assert narrowed.total == 0
    assert facet(narrowed, "willingness") == {"愿意回乡": (1, False), "不愿回乡": (0, True)}


# --- Base searches ---------------------------------------------------------------------


def test_a_base_search_applies_its_rules_on_top(talent_pool, county_admin):
    """Age limit, education, grade at least qualified, nothing on the negative list."""
    base = BaseSearch.objects.create(name="村两委", max_age=45, min_education=2)
    assert names(search(county_admin, base_search=base.pk)) == ["王芳", "甲二党员"]
    base.min_grade = "excellent"
    base.save()
    assert names(search(county_admin, base_search=base.pk, grades=("qualified",))) == []
    base.max_age, base.min_grade, base.exclude_negative_list = None, "unqualified", False
    base.save()
    profile_update(profile=talent_pool.cad, education=4)
    TalentProfile.objects.filter(pk=talent_pool.cad.pk).update(latest_grade="basic")
    talent_reindex()
    assert "张伟" in names(search(county_admin, base_search=base.pk))
    base.exclude_negative_list = True
    base.save()
    assert "张伟" not in names(search(county_admin, base_search=base.pk))


def test_a_base_search_filters_apply_like_parameters(talent_pool, county_admin):
    base = BaseSearch.objects.create(
        name="愿意回乡",
        min_grade="unqualified",
        exclude_negative_list=False,
        filters={"willingness": ["yes"], "industry": "agriculture"},
    )
    assert names(search(county_admin, base_search=base.pk)) == ["王芳"]
    # the user's own choice and the base's must both hold
    narrowed = search(county_admin, base_search=base.pk, willingness=("no",))
    assert names(narrowed) == []
    # the willingness facet counts without the user's choice, but within the base search
    assert facet(narrowed, "willingness") == {"愿意回乡": (1, False), "不愿回乡": (0, True)}
    broken = BaseSearch.objects.create(name="坏条件", filters={"grade": "best"})
    with pytest.raises(ValidationError) as error:
        search(county_admin, base_search=broken.pk)
    assert set(error.value.message_dict) == {"base"}
    with pytest.raises(ValidationError):
        search(county_admin, base_search=broken.pk + 100)


# --- Who searches what -----------------------------------------------------------------


def test_a_township_recruiter_searches_only_people_from_there(talent_pool, recruiter_a, tree):
    """Including a profile whose township was derived from its village."""
    assert names(search(recruiter_a)) == ["张伟", "王芳", "甲二党员", "赵强"]
    assert names(search(recruiter_a, text="电商")) == []
    assert names(search(recruiter_a, townships=(tree.township_b.pk,))) == []
    assert facet(search(recruiter_a), "township") == {"甲镇党委": (4, False)}


def test_a_village_recruiter_searches_that_village(talent_pool, tree, user_with_role):
    recruiter = user_with_role(Role.RECRUITER, tree.village_a1)
    assert names(search(recruiter)) == ["王芳"]


@pytest.mark.parametrize("level", ["county_recruiter", "county_admin", "superuser"])
def test_the_county_searches_the_whole_pool(talent_pool, tree, user_with_role, level):
    user = {
        "county_recruiter": lambda: user_with_role(Role.RECRUITER, tree.county),
        "county_admin": lambda: user_with_role(Role.ORG_ADMIN, tree.county),
        "superuser": lambda: UserFactory(is_superuser=True),
    }[level]()
    assert can_search_talent(user)
    assert search(user).total == 5


@pytest.mark.parametrize(
    "role", [Role.ORG_ADMIN, Role.MEMBER, Role.EDITOR, Role.REVIEWER, "anonymous"]
)
def test_everyone_else_is_refused(talent_pool, tree, user_with_role, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else user_with_role(role, tree.township_a)
    assert not can_search_talent(user)
    with pytest.raises(PermissionDenied):
        search(user)
    with pytest.raises(PermissionDenied):
        talent_search_keys(user, TalentQuery(), limit=10)


def test_a_stale_index_entry_never_shows(talent_pool, county_admin):
    """Consent withdrawn, the queue not drained yet: the profile is still not a hit."""
    consent_withdraw(profile=talent_pool.member)
    assert "甲二党员" not in names(search(county_admin))
    assert talent_pool.member.pk not in talent_search_keys(county_admin, TalentQuery(), limit=10)


def test_search_keys_list_every_match_in_order_up_to_the_limit(talent_pool, recruiter_a):
    keys = talent_search_keys(recruiter_a, TalentQuery(sort="age"), limit=100)
    page = talent_search(recruiter_a, TalentQuery(sort="age"))
    assert keys == [hit.profile.pk for hit in page.hits]
    assert len(keys) == 4
    assert talent_search_keys(recruiter_a, TalentQuery(sort="age"), limit=2) == keys[:2]
    assert talent_pool.shop.pk not in keys


def test_json_filters_may_hold_numbers_and_booleans(db):
    """A base search's filters are JSON a county admin typed: 3 and true read as "3" and "1"."""
    query = talent_query_from_params({"education": 3, "trained": True, "township": [2, None]})
    assert (query.education_min, query.reserve_cadre_trained, query.townships) == (3, True, (2,))
    with pytest.raises(ValidationError):
        talent_query_from_params({"page": "²"})


def test_scales_list_in_their_order(talent_pool, county_admin):
    page = search(county_admin)
    (education,) = [f for f in page.facets if f.name == "education"]
    assert [value.value for value in education.values] == [1, 2, 3, 4]
    (trained,) = [f for f in page.facets if f.name == "reserve_cadre_trained"]
    assert [value.value for value in trained.values] == [True, False]


def test_refusal_comes_before_any_complaint_about_the_query(talent_pool, tree, user_with_role):
    member = user_with_role(Role.MEMBER, tree.village_a1)
    with pytest.raises(PermissionDenied):
        search(member, base_search=12345)


def test_the_engine_is_asked_with_typed_filters_elasticsearch_also_reads(
    talent_pool, recruiter_a, tree, monkeypatch
):
    """What the engine receives: a recruiter's scope as any_of, the query's ranges narrowed
    by the base search, lists intersected; the same request builds an Elasticsearch body."""
    from search.engines.base import SearchRequest
    from search.engines.elasticsearch import search_body
    from search.registry import document_spec
    from search.synonyms import tokens_for_query
    from talent.desk import selectors

    asked = []
    real = selectors.document_search
    monkeypatch.setattr(
        selectors, "document_search", lambda **options: asked.append(options) or real(**options)
    )
    base = BaseSearch.objects.create(name="四十五岁以下", max_age=45, min_grade="qualified")
    search(
        recruiter_a,
        text="养殖",
        age_min=30,
        age_max=50,
        grades=("excellent", "basic"),
        base_search=base.pk,
        sort="age",
    )
    first = asked[0]
    assert first["any_of"]["township"] == first["any_of"]["village"]
    assert tree.township_a.pk in first["any_of"]["township"]
    assert tree.township_b.pk not in first["any_of"]["township"]
    assert first["filters"]["grade"] == ["excellent"]
    assert first["filters"]["birth_date"] == {
        "lte": years_ago(30).isoformat(),
        "gt": years_ago(46).isoformat(),
    }
    assert first["sort"] == "-birth_date"
    request = SearchRequest(
        query=tokens_for_query(first["text"]),
        filters=first["filters"],
        any_of=first["any_of"],
        facets=first["facets"],
        sort=first["sort"],
    )
    body = search_body("guiyan-talent", document_spec("talent"), request)
    assert {"range": {"birth_date": first["filters"]["birth_date"]}} in body["query"]["bool"][
        "filter"
    ]
