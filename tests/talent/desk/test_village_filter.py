"""The desk's village filter: one select, a group per township of the organisation tree,
holding the villages the recruiter may filter on, in place of a hundred-line facet list."""

from bs4 import BeautifulSoup

from talent.desk.selectors import desk_villages_by_township

from .desk_support import listed, search


def _groups(response) -> dict[str, list[str]]:
    select = BeautifulSoup(response.content.decode(), "html.parser").select_one("#desk-village")
    return {
        group["label"]: [option.get_text(strip=True) for option in group.select("option")]
        for group in select.select("optgroup")
    }


def test_villages_grouped_under_their_township(client, desk_pool, people):
    client.force_login(people.county_recruiter)
    response = search(client)
    assert _groups(response) == {
        "甲镇党委": ["甲一村党支部", "甲二村党支部"],
        "乙乡党委": ["乙一村党支部"],
    }
    html = response.content.decode()
    assert 'data-facet="village"' not in html  # no second, ungrouped list beside it
    assert 'data-facet="township"' in html


def test_a_township_recruiter_gets_only_their_townships_villages(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    assert _groups(search(client)) == {"甲镇党委": ["甲一村党支部", "甲二村党支部"]}
    groups = desk_villages_by_township(people.recruiter_a)
    assert [group.township.name for group in groups] == ["甲镇党委"]


def test_choosing_villages_filters_and_stays_chosen(client, desk_pool, people, tree):
    client.force_login(people.county_recruiter)
    response = search(client, village=[tree.village_a2.pk, tree.village_b1.pk])
    assert listed(response) == {desk_pool.farmer.pk, desk_pool.coder.pk}
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    chosen = [option["value"] for option in soup.select("#desk-village option[selected]")]
    assert chosen == [str(tree.village_a2.pk), str(tree.village_b1.pk)]
    # The select sends the villages itself: the form does not repeat them as hidden inputs.
    hidden = soup.select('#desk-search input[type=hidden][name="village"]')
    assert hidden == []
