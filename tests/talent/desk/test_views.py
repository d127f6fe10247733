"""The recruiter's desk, per role: who reaches it, and searching with filters, facets, sorting
and pages. Numbers stay masked."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from talent.desk.views import PARAM_LABELS, REVEAL_ACTION
from talent.models import Education, Industry
from talent.services import profile_create

from .desk_support import ID_NUMBER, PHONE, index_talent, listed, refused, search

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
