"""Candidates compared side by side on the desk: at most four, only those the recruiter sees."""

import re

from django.urls import reverse
from django.utils.translation import gettext

from talent.desk.compare import COMPARE_MAX, UNKNOWN
from talent.services import profile_create
from talent.shortlists.services import shortlist_create, shortlist_entries_add

from .desk_support import PHONE, index_talent, search

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


# --- A refused choice goes back to the list, ticks kept -----------------------------------


def _five_ticked(client, tree, people):
    profiles = [
        profile_create(name=f"候选{n}", hometown_village=tree.village_a1)
        for n in range(COMPARE_MAX + 1)
    ]
    index_talent()
    client.force_login(people.recruiter_a)
    here = search(client, q="候选").context["here"]
    keys = [profile.pk for profile in profiles]
    return keys, here, client.post(reverse("talent_desk:compare"), {"profile": keys, "next": here})


def test_five_ticked_go_back_to_the_desk_still_ticked_with_the_limit(client, tree, people):
    """Comparing five from the desk's results: back on the same search, the five rows still
    ticked, and a Chinese message naming the limit of four and the ticks kept."""
    keys, here, response = _five_ticked(client, tree, people)
    assert response.status_code == 302
    assert response["Location"].startswith(here.split("?")[0] + "?")
    desk_page = client.get(response["Location"])
    assert desk_page.status_code == 200
    html = desk_page.content.decode()
    for key in keys:
        assert re.search(rf'name="profile" value="{key}" checked', html), key
    shown = [str(message) for message in desk_page.context["messages"]]
    limit = gettext("Compare at most %(max)s candidates at a time; you chose %(count)s.") % {
        "max": COMPARE_MAX,
        "count": COMPARE_MAX + 1,
    }
    assert any(limit in line for line in shown)
    kept = gettext(
        "Your %(count)s ticks are kept: untick some (at most %(max)s) and compare again."
    ) % {"count": COMPARE_MAX + 1, "max": COMPARE_MAX}
    assert kept in shown and kept in html
    # The ticks ride only on the way back: paging and the search form do not carry them.
    assert "ticked=" not in (desk_page.context.get("next_url") or "")
    assert ("ticked", str(keys[0])) not in desk_page.context["export_params"]


def test_none_ticked_goes_back_with_a_message(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    here = search(client, q="养殖").context["here"]
    response = client.post(reverse("talent_desk:compare"), {"next": here}, follow=True)
    assert response.redirect_chain[-1][0].startswith(here.split("?")[0])
    shown = [str(message) for message in response.context["messages"]]
    assert any(gettext("Choose at least one candidate to compare.") in line for line in shown)


def test_a_foreign_next_is_not_followed(client, tree, people):
    """Only a local list is gone back to; anything else gets the comparison's own page."""
    keys, _here, _response = _five_ticked(client, tree, people)
    response = client.post(
        reverse("talent_desk:compare"), {"profile": keys, "next": "https://evil.example/"}
    )
    assert response.status_code == 400
    assert str(COMPARE_MAX) in response.context["errors"][0]


def test_the_shortlist_gets_its_ticks_back(client, desk_pool, people):
    """From a shortlist's page too: the refused ticks come back ticked on the shortlist."""
    client.force_login(people.recruiter_a)
    picks = [desk_pool.breeder.pk, desk_pool.farmer.pk]
    shortlist = shortlist_create(user=people.recruiter_a, name="养殖能手")
    shortlist_entries_add(user=people.recruiter_a, shortlist=shortlist, profile_ids=picks)
    url = reverse("talent_shortlists:detail", args=[shortlist.pk])
    page = client.get(url).content.decode()
    assert f'name="next" value="{url}"' in page
    response = client.get(reverse("talent_desk:compare"), {"profile": "x", "next": url})
    assert response.status_code == 302 and response["Location"].startswith(url)
    response = client.get(
        reverse("talent_desk:compare"), {"profile": [*picks, "999999"], "next": url}
    )
    back = client.get(response["Location"]).content.decode()
    for key in picks:
        assert re.search(rf'value="{key}" form="shortlist-compare" checked', back), key
