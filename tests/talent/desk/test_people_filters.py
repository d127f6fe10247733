"""The desk's filters on the person: gender, current city, its province and the trainings a
profile lists (members' and non-members' alike), as a recruiter uses them on the search page
and as the selector answers them, within the places the recruiter may see."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from talent.desk.search_query import TalentQuery, talent_query_from_params, talent_query_params
from talent.desk.selectors import talent_search
from talent.desk.views import PARAM_LABELS
from talent.models import BaseSearch, TalentProfile
from talent.services import profile_update

from .desk_support import index_talent, search

pytestmark = pytest.mark.django_db


def found(user, **query) -> set[str]:
    return {hit.profile.display_name for hit in talent_search(user, TalentQuery(**query)).hits}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return {hit.profile.display_name for hit in response.context["result"].hits}


def women(wide_pool, members) -> set[str]:
    """The member's gender comes from her record (her ID number)."""
    listed = {"张丽", "李娜", "陈芳", "周红"}
    return listed | ({"甲一党员"} if members.a1.gender == "female" else set())


def test_each_new_filter_narrows_the_pool(wide_pool, people, members):
    admin = people.county_admin
    assert found(admin, genders=("female",)) == women(wide_pool, members)
    assert found(admin, genders=("female", "male")) == found(admin) - {"黄敏"}
    # 甲一党员's profile names no city: her record's host city, 深圳, stands in
    assert found(admin, cities=("深圳市",)) == {"张丽", "甲一党员"}
    assert found(admin, provinces=("44",)) == {"张丽", "王强", "孙浩", "甲一党员"}
    assert found(admin, provinces=("52", "31")) == {"李娜", "陈芳", "周红"}
    assert found(admin, provinces=("65",)) == set()
    # a training's name, or part of it, in a member's trainings as in a non-member's
    assert found(admin, trainings=("后备干部",)) == {"张丽", "黄敏", "甲一党员"}
    assert found(admin, trainings=("电商", "焊工")) == {"张丽", "陈芳", "刘洋"}
    assert found(admin, trainings=("无人机",)) == set()
    assert found(admin, provinces=("44",), trainings=("后备干部",)) == {"张丽", "甲一党员"}


def test_a_recruiter_filters_only_the_people_of_their_places(wide_pool, people):
    assert found(people.recruiter_b, provinces=("52",)) == {"陈芳"}
    assert found(people.recruiter_b, trainings=("后备干部",)) == set()
    # 黄敏's 后备干部轮训 does not hold the word 培训
    assert found(people.recruiter_a, trainings=("培训",)) == {"张丽", "王强", "甲一党员"}


def test_the_index_follows_a_move_to_another_city(
    wide_pool, people, members, django_capture_on_commit_callbacks
):
    """A profile's own city, and a member's host city standing in for a blank one."""
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=wide_pool.by_name["赵军"], current_city="贵州省遵义市")
    assert found(people.county_admin, provinces=("52",)) == {"李娜", "陈芳", "赵军"}
    members.a1.refresh_from_db()
    members.a1.host_city = "贵阳"
    with django_capture_on_commit_callbacks(execute=True):
        members.a1.save()
    assert found(people.county_admin, cities=("贵阳市",)) == {"李娜", "甲一党员"}


def test_a_base_search_may_start_from_the_new_filters(wide_pool, people):
    TalentProfile.objects.update(latest_grade="qualified")
    index_talent()
    base = BaseSearch.objects.create(
        name="省内返乡人才",
        exclude_negative_list=False,
        filters={"province": ["52", "44"], "training": "培训"},
    )
    admin = people.county_admin
    assert found(admin, base_search=base.pk) == {"张丽", "王强", "陈芳", "甲一党员"}
    assert found(admin, base_search=base.pk, genders=("male",)) == {"王强"} | (
        {"甲一党员"} if wide_pool.by_name["甲一党员"].person_gender == "male" else set()
    )
    assert found(admin, base_search=base.pk, provinces=("33",)) == set()


def test_the_parameters_read_and_write_back(db):
    query = talent_query_from_params(
        {
            "gender": ["female", "female"],
            "city": ["深圳", "广东深圳", "昆山"],
            "province": ["52"],
            "training": [" 后备干部 ", "电商"],
        }
    )
    assert (query.genders, query.cities, query.provinces, query.trainings) == (
        ("female",),
        ("深圳市", "昆山"),
        ("52",),
        ("后备干部", "电商"),
    )
    assert talent_query_from_params(talent_query_params(query)) == query


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"gender": "女"}, "gender", "Choose a gender from the list."),
        ({"province": "99"}, "province", "Choose provinces from the list."),
        ({"province": "贵州"}, "province", "Choose provinces from the list."),
        ({"city": "深" * 51}, "city", None),
        ({"training": "培" * 51}, "training", None),
        ({"training": "后备\x00干部"}, "training", "Type words only, without control characters."),
        ({"city": "深\x07圳"}, "city", None),
    ],
)
def test_a_bad_value_of_a_new_filter_is_named(db, params, field, message):
    with pytest.raises(ValidationError) as error:
        talent_query_from_params(params)
    assert set(error.value.message_dict) == {field}
    if message:
        assert error.value.message_dict[field] == [_(message)]


# --- On the search page ----------------------------------------------------------------


def test_the_form_offers_the_cities_by_province_and_a_training(client, wide_pool, people):
    client.force_login(people.county_admin)
    page = search(client)
    groups = {group.province: group.cities for group in page.context["city_groups"]}
    assert [(city.name, city.count) for city in groups["广东省"]] == [
        ("深圳市", 2),
        ("东莞市", 1),
        ("广州市", 1),
    ]
    assert list(groups)[0] == "广东省"  # the province where most live first
    assert [city.name for city in groups[""]] == ["昆山"]  # no province known: last
    html = page.content.decode()
    assert '<optgroup label="广东省">' in html
    assert '<option value="深圳市">深圳市 (2)</option>' in html
    assert 'name="training"' in html


def test_a_recruiter_filters_by_city_and_training_from_the_form(client, wide_pool, people):
    client.force_login(people.recruiter_a)
    chosen = search(client, city=["深圳市", "杭州市"], training="后备干部", q="")
    assert names(chosen) == {"张丽", "甲一党员"}
    html = chosen.content.decode()
    assert '<option value="深圳市" selected>深圳市 (2)</option>' in html
    assert 'name="training" value="后备干部"' in html
    # a province the facets offer is kept as the form searches again
    kept = search(client, province="52", q="党员")
    assert ("province", "52") in kept.context["kept_params"]


def test_gender_and_province_are_counted_beside_the_results(client, wide_pool, people):
    client.force_login(people.recruiter_a)
    facets = {facet["name"]: facet for facet in search(client).context["facets"]}
    assert facets["gender"]["label"] == "性别"
    assert facets["province"]["label"] == _("current province")
    provinces = {item["label"]: item["count"] for item in facets["province"]["values"]}
    assert provinces == {"广东省": 4, "贵州省": 1, "浙江省": 1}
    genders = {item["label"]: item["count"] for item in facets["gender"]["values"]}
    assert sum(genders.values()) == 6  # 黄敏 gave none
    assert "city" not in facets and "village" not in facets  # the form's selects hold them


def test_a_bad_new_filter_is_shown_in_chinese_on_the_page(client, wide_pool, people):
    client.force_login(people.recruiter_a)
    response = search(client, gender="女", city="深圳")
    assert response.status_code == 400
    assert response.context["errors"] == [
        f"{PARAM_LABELS['gender']}：{_('Choose a gender from the list.')}"
    ]
    assert "性别：" in response.content.decode()
    # the chosen city stays in the form, without a count
    (group,) = response.context["city_groups"]
    assert [(city.name, city.count, city.selected) for city in group.cities] == [
        ("深圳市", None, True)
    ]
