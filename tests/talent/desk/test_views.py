"""The recruiter's desk, per role: search with filters and facets, a profile with its logged
contact reveal, and candidates compared side by side. Numbers stay masked everywhere but on
the page a reveal answers with."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from portal.models import Role
from portal.registry.factories import UserFactory
from search.registry import document_spec
from search.services import index_rebuild
from talent.desk.compare import COMPARE_MAX, UNKNOWN
from talent.desk.views import PARAM_LABELS, REVEAL_ACTION
from talent.models import Education, Industry, TalentProfile, Willingness
from talent.services import profile_create

PHONE = "13900000177"
ID_NUMBER = "110105199003070025"
PASSWORD = "Guiyan@2026"


def index_talent() -> None:
    index_rebuild(spec=document_spec("talent"))


def _born(years_ago: int) -> datetime.date:
    today = datetime.date.today()
    return today.replace(year=today.year - years_ago, day=1)


@pytest.fixture
def desk_pool(tree):
    """Three people: a breeder from A1 (with numbers), a pig farmer from A2, a coder from B1."""
    breeder = profile_create(
        name="张养成",
        id_number=ID_NUMBER,
        phone=PHONE,
        hometown_township=tree.township_a,
        hometown_village=tree.village_a1,
        current_city="深圳",
        employer="鹏城生态农场",
        industry=Industry.AGRICULTURE,
        occupation="养殖技术员",
        education=Education.BACHELOR,
        willingness=Willingness.YES,
        skills=["养殖"],
        venture="养鸡场",
        venture_employees=12,
    )
    TalentProfile.objects.filter(pk=breeder.pk).update(
        reserve_cadre_trained=True, latest_grade="excellent", study_hours_this_year=12.5
    )
    farmer = profile_create(
        name="李明",
        hometown_village=tree.village_a2,
        birth_date=_born(50),
        industry=Industry.AGRICULTURE,
        occupation="生猪养殖",
        education=Education.SENIOR,
        willingness=Willingness.MAYBE,
    )
    coder = profile_create(
        name="王乙",
        hometown_village=tree.village_b1,
        birth_date=_born(28),
        industry=Industry.IT,
        occupation="程序员",
        education=Education.COLLEGE,
    )
    index_talent()
    return SimpleNamespace(
        breeder=TalentProfile.objects.get(pk=breeder.pk), farmer=farmer, coder=coder
    )


@pytest.fixture
def people(tree, user_with_role):
    """One user per role that matters here."""
    return SimpleNamespace(
        county_recruiter=user_with_role(Role.RECRUITER, tree.county),
        recruiter_a=user_with_role(Role.RECRUITER, tree.township_a),
        recruiter_b=user_with_role(Role.RECRUITER, tree.township_b),
        county_admin=user_with_role(Role.ORG_ADMIN, tree.county),
        secretary=user_with_role(Role.ORG_ADMIN, tree.village_a1),
        member=user_with_role(Role.MEMBER, tree.village_a1),
        editor=user_with_role(Role.EDITOR, tree.county),
    )


def search(client, **params):
    return client.get(reverse("talent_desk:index"), params)


def listed(response) -> set[int]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return {hit.profile.pk for hit in response.context["result"].hits}


# --- Who reaches the desk --------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["county_recruiter", "recruiter_a", "county_admin"], ids=lambda name: name
)
def test_recruiters_and_county_admins_reach_every_desk_page(client, desk_pool, people, name):
    client.force_login(getattr(people, name))
    assert search(client).status_code == 200
    assert (
        client.get(reverse("talent_desk:profile", args=[desk_pool.breeder.pk])).status_code == 200
    )
    compare = client.get(reverse("talent_desk:compare"), {"profile": [desk_pool.breeder.pk]})
    assert compare.status_code == 200


def refused(response) -> bool:
    """The admin's answer to PermissionDenied: back to the dashboard with a message (a 403
    for a script)."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", ["secretary", "editor"])
def test_other_admin_users_are_refused(client, desk_pool, people, name):
    """A village branch secretary or an editor has the admin, not the desk: refused everywhere."""
    client.force_login(getattr(people, name))
    pk = desk_pool.breeder.pk
    assert refused(search(client))
    assert refused(client.get(reverse("talent_desk:profile", args=[pk])))
    reveal = client.post(reverse("talent_desk:reveal", args=[pk]), {"reason": "联系村两委换届事宜"})
    assert refused(reveal)
    assert refused(client.get(reverse("talent_desk:compare"), {"profile": [pk]}))
    assert refused(client.post(reverse("talent_desk:export"), {"q": "养殖"}))
    script = client.get(
        reverse("talent_desk:index"), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert script.status_code == 403
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("talent_desk:index") not in menu


def test_members_and_anonymous_visitors_do_not_get_in(client, desk_pool, people):
    pk = desk_pool.breeder.pk
    login = reverse("wagtailadmin_login")
    gets = [
        reverse("talent_desk:index"),
        reverse("talent_desk:profile", args=[pk]),
        reverse("talent_desk:compare") + f"?profile={pk}",
    ]
    posts = [reverse("talent_desk:reveal", args=[pk]), reverse("talent_desk:export")]
    for user in (None, people.member):
        if user:
            client.force_login(user)
        for url in gets:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(login)
        for url in posts:
            response = client.post(url, {"reason": "联系换届事宜", "q": "养殖"})
            assert response.status_code == 302 and response["Location"].startswith(login)
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()


def test_the_menu_shows_the_desk_to_a_recruiter(client, people):
    client.force_login(people.recruiter_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("talent_desk:index") in home


# --- Searching ---------------------------------------------------------------------------


def test_a_township_recruiter_finds_only_people_from_there(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    assert listed(search(client, q="养殖")) == {desk_pool.breeder.pk, desk_pool.farmer.pk}
    assert listed(search(client)) == {desk_pool.breeder.pk, desk_pool.farmer.pk}
    client.force_login(people.county_admin)
    assert desk_pool.coder.pk in listed(search(client))


def test_rows_show_the_masked_phone_and_highlight_matches(client, desk_pool, people):
    client.force_login(people.county_recruiter)
    response = search(client, q="养殖")
    html = response.content.decode()
    assert PHONE not in html and ID_NUMBER not in html
    assert desk_pool.breeder.masked_phone in html
    assert "<mark>" in html  # the engine's highlight is rendered as HTML, not escaped
    assert response.context["result"].total == 2


def test_names_are_found_by_pinyin_and_initials(client, desk_pool, people):
    client.force_login(people.county_admin)
    assert desk_pool.farmer.pk in listed(search(client, q="liming"))
    assert desk_pool.farmer.pk in listed(search(client, q="lm"))


def test_filters_by_education_age_and_hometown(client, desk_pool, people, tree):
    client.force_login(people.county_admin)
    at_least_college = listed(search(client, education=Education.COLLEGE))
    assert at_least_college == {desk_pool.breeder.pk, desk_pool.coder.pk}
    assert listed(search(client, age_min=40)) == {desk_pool.farmer.pk}
    assert listed(search(client, township=tree.township_b.pk)) == {desk_pool.coder.pk}
    assert listed(search(client, village=tree.village_a2.pk)) == {desk_pool.farmer.pk}
    assert listed(search(client, trained="1")) == {desk_pool.breeder.pk}


def test_facets_count_and_toggle(client, desk_pool, people, tree):
    """Each facet value links to the search with that value added, or removed when chosen."""
    client.force_login(people.county_admin)
    response = search(client)
    facets = {facet["name"]: facet for facet in response.context["facets"]}
    industry = {item["label"]: item for item in facets["industry"]["values"]}
    agriculture = industry[str(Industry.AGRICULTURE.label)]
    assert agriculture["count"] == 2 and not agriculture["selected"]
    chosen = client.get(reverse("talent_desk:index") + agriculture["url"])
    assert listed(chosen) == {desk_pool.breeder.pk, desk_pool.farmer.pk}
    again = {f["name"]: f for f in chosen.context["facets"]}["industry"]["values"]
    selected = next(item for item in again if item["selected"])
    assert "industry=" not in selected["url"]  # the link now takes the choice away
    html = chosen.content.decode()
    assert str(Industry.AGRICULTURE.label) in html and "(2)" in html


def test_a_base_search_applies_its_rules(client, desk_pool, people):
    from talent.models import BaseSearch

    rule = BaseSearch.objects.create(name="四十五岁以下", max_age=45, min_grade="basic")
    client.force_login(people.county_admin)
    html = search(client).content.decode()
    assert "四十五岁以下" in html
    # The farmer is 50; the others have no grade, and the rule wants one at least basic.
    assert listed(search(client, base=rule.pk)) == {desk_pool.breeder.pk}


def test_sorting_by_study_hours(client, desk_pool, people):
    client.force_login(people.county_admin)
    hits = search(client, sort="-study_hours").context["result"].hits
    assert hits[0].profile.pk == desk_pool.breeder.pk


def test_results_are_paginated(client, tree, people):
    for number in range(23):
        profile_create(name=f"候选{number:02d}", hometown_village=tree.village_a1)
    index_talent()
    client.force_login(people.county_admin)
    first = search(client)
    result = first.context["result"]
    assert (result.total, len(result.hits), result.num_pages) == (23, 20, 2)
    assert "page=2" in first.context["next_url"]
    second = search(client, page=2)
    assert len(second.context["result"].hits) == 3
    assert "page=1" in second.context["previous_url"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"age_min": "老"}, "age_min"),
        ({"education": "9"}, "education"),
        ({"sort": "salary"}, "sort"),
        ({"base": "999999"}, "base"),
        ({"page": "-1"}, "page"),
    ],
)
def test_bad_parameters_are_named_not_a_crash(client, desk_pool, people, params, field):
    client.force_login(people.county_recruiter)
    response = search(client, **params)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert errors and any(line.startswith(str(PARAM_LABELS[field])) for line in errors)
    assert str(PARAM_LABELS[field]) in response.content.decode()


# --- A profile and the reveal of its contact ----------------------------------------------


def test_the_profile_page_masks_the_numbers(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    html = client.get(reverse("talent_desk:profile", args=[desk_pool.breeder.pk])).content.decode()
    assert PHONE not in html and ID_NUMBER not in html
    assert desk_pool.breeder.masked_phone in html and "鹏城生态农场" in html


def test_a_profile_outside_ones_area_is_not_found(client, desk_pool, people):
    client.force_login(people.recruiter_b)
    pk = desk_pool.breeder.pk
    assert client.get(reverse("talent_desk:profile", args=[pk])).status_code == 404
    reveal = client.post(reverse("talent_desk:reveal", args=[pk]), {"reason": "联系换届事宜"})
    assert reveal.status_code == 404
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()


@pytest.mark.parametrize("reason", ["", "   ", "看看"])
def test_a_reveal_needs_a_reason(client, desk_pool, people, reason):
    client.force_login(people.recruiter_a)
    response = client.post(
        reverse("talent_desk:reveal", args=[desk_pool.breeder.pk]), {"reason": reason}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert PHONE not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()


@pytest.mark.parametrize("name", ["recruiter_a", "county_admin"])
def test_a_reveal_with_a_reason_shows_the_numbers_once_and_is_logged(
    client, desk_pool, people, name
):
    user = getattr(people, name)
    client.force_login(user)
    url = reverse("talent_desk:reveal", args=[desk_pool.breeder.pk])
    response = client.post(url, {"reason": "请其回村参加两委换届座谈"})
    assert response.status_code == 200
    html = response.content.decode()
    assert PHONE in html and ID_NUMBER in html
    assert "no-store" in response["Cache-Control"]
    entry = ModelLogEntry.objects.get(action=REVEAL_ACTION)
    assert entry.user_id == user.pk and entry.object_id == str(desk_pool.breeder.pk)
    assert entry.data == {"reason": "请其回村参加两委换届座谈"}
    assert PHONE not in str(entry.data) + entry.label and ID_NUMBER not in str(entry.data)
    # The page of the profile itself goes back to masked numbers.
    again = client.get(reverse("talent_desk:profile", args=[desk_pool.breeder.pk]))
    assert PHONE not in again.content.decode()
    assert client.get(url).status_code == 405


def test_a_member_profile_reveals_the_member_record_numbers(client, people, members, tree):
    from talent.services import consent_record

    profile = consent_record(
        profile=profile_create(member=members.a1, hometown_village=tree.village_a1)
    )
    client.force_login(people.recruiter_a)
    response = client.post(
        reverse("talent_desk:reveal", args=[profile.pk]), {"reason": "核实其返乡创业意向"}
    )
    assert members.a1.phone in response.content.decode()


def test_the_reveal_has_a_label_in_the_admin_logs(client, desk_pool, people):
    assert log_registry.get_action_label(REVEAL_ACTION) == gettext("Reveal contact")
    client.force_login(people.recruiter_a)
    client.post(
        reverse("talent_desk:reveal", args=[desk_pool.breeder.pk]), {"reason": "联系换届事宜"}
    )
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200
    assert gettext("Reveal contact") in report.content.decode()
    assert PHONE not in report.content.decode()


# --- Comparing candidates ------------------------------------------------------------------


def test_two_candidates_side_by_side_with_unknowns(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    keys = [desk_pool.breeder.pk, desk_pool.farmer.pk]
    response = client.get(reverse("talent_desk:compare"), {"profile": keys})
    assert response.status_code == 200
    assert [profile.pk for profile in response.context["profiles"]] == keys
    rows = {row.label: row.values for row in response.context["rows"]}
    assert rows[gettext("employer")] == ["鹏城生态农场", str(UNKNOWN)]
    assert rows[gettext("completed reserve-cadre training")] == [gettext("Yes"), gettext("No")]
    html = response.content.decode()
    assert "张养成" in html and "李明" in html and "养鸡场" in html
    assert PHONE not in html


def test_more_than_four_is_refused_in_chinese(client, tree, people):
    profiles = [
        profile_create(name=f"候选{n}", hometown_village=tree.village_a1)
        for n in range(COMPARE_MAX + 1)
    ]
    client.force_login(people.recruiter_a)
    response = client.get(
        reverse("talent_desk:compare"), {"profile": [profile.pk for profile in profiles]}
    )
    assert response.status_code == 400
    assert response.context["errors"] and not response.context["profiles"]
    assert str(COMPARE_MAX) in response.context["errors"][0]


def test_compare_only_visible_candidates(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    response = client.get(
        reverse("talent_desk:compare"),
        {"profile": [desk_pool.breeder.pk, desk_pool.coder.pk]},
    )
    assert response.status_code == 400
    assert "王乙" not in response.content.decode()
    assert client.get(reverse("talent_desk:compare"), {"profile": "x"}).status_code == 400
    assert client.get(reverse("talent_desk:compare")).status_code == 400


def test_the_desk_saves_the_current_search(client, desk_pool, people, tree):
    """The save form carries the search's parameters to the saved-search endpoint."""
    from talent.models import SavedSearch

    client.force_login(people.recruiter_a)
    page = search(client, q="养殖", township=tree.township_a.pk, page=1)
    assert reverse("talent_saved_searches:save") in page.content.decode()
    fields = dict(page.context["export_params"])
    assert fields == {"q": "养殖", "township": str(tree.township_a.pk)}
    response = client.post(
        reverse("talent_saved_searches:save"), {**fields, "name": "甲镇养殖", "notify": "1"}
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(owner=people.recruiter_a)
    assert saved.name == "甲镇养殖" and saved.notify
    assert saved.params["q"] == ["养殖"]
