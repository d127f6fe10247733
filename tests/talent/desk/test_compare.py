"""Candidates compared side by side on the desk: at most four, only those the recruiter sees."""

from django.urls import reverse
from django.utils.translation import gettext

from talent.desk.compare import COMPARE_MAX, UNKNOWN
from talent.services import profile_create

from .desk_support import PHONE

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
