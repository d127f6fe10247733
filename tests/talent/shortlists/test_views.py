"""Shortlist and saved-search pages in the admin, per role: a department's recruiters share
its lists, county org admins read them, others get a 403, anonymous users the login page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Role
from portal.registry.factories import UserFactory
from portal.registry.services import role_grant
from talent.models import SavedSearch, Shortlist
from talent.shortlists.services import shortlist_create, shortlist_entries_add

from ..shortlist_helpers import PHONE, make_people, make_profiles, reindex

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, user_with_role):
    return make_people(tree, user_with_role)


@pytest.fixture
def profiles(tree):
    made = make_profiles(tree)
    reindex()
    return made


@pytest.fixture
def shortlist(people, profiles):
    shortlist = shortlist_create(user=people.recruiter_a, name="甲镇候选")
    shortlist_entries_add(
        user=people.recruiter_a, shortlist=shortlist, profile_ids=[profiles.a1.pk]
    )
    return shortlist


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_anonymous_users_are_sent_to_the_login_page(client, shortlist):
    for url in (
        reverse("talent_shortlists:index"),
        reverse("talent_shortlists:detail", args=[shortlist.pk]),
        reverse("talent_saved_searches:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("talent_shortlists:add"), {"profile": 1, "new_name": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert Shortlist.objects.count() == 1


def test_a_colleague_sees_the_list_with_the_phone_masked(client, people, profiles, shortlist):
    client.force_login(people.colleague_a)
    index = client.get(reverse("talent_shortlists:index"))
    assert index.status_code == 200
    assert list(index.context["shortlists"]) == [shortlist]
    detail = client.get(reverse("talent_shortlists:detail", args=[shortlist.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200 and detail.context["may_edit"]
    assert "甲一人才" in html
    assert PHONE not in html and profiles.a1.masked_phone in html


def test_another_departments_recruiter_gets_a_404(client, people, shortlist):
    client.force_login(people.recruiter_b)
    assert list(client.get(reverse("talent_shortlists:index")).context["shortlists"]) == []
    for name in ("detail", "delete"):
        url = reverse(f"talent_shortlists:{name}", args=[shortlist.pk])
        assert client.get(url).status_code == 404
    url = reverse("talent_shortlists:rename", args=[shortlist.pk])
    assert client.post(url, {"name": "改"}).status_code == 404
    shortlist.refresh_from_db()
    assert shortlist.name == "甲镇候选"


def test_a_county_org_admin_reads_but_may_not_change(client, people, shortlist):
    client.force_login(people.county_admin)
    detail = client.get(reverse("talent_shortlists:detail", args=[shortlist.pk]))
    assert detail.status_code == 200 and not detail.context["may_edit"]
    assert 'name="note"' not in detail.content.decode()
    assert not client.get(reverse("talent_shortlists:index")).context["may_create"]
    # Wagtail answers a PermissionDenied in the admin with a redirect to its home page.
    response = client.post(reverse("talent_shortlists:delete", args=[shortlist.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert Shortlist.objects.filter(pk=shortlist.pk).exists()


def test_members_and_other_admins_get_a_403(client, people, shortlist):
    for user in (people.member, people.township_admin):
        client.force_login(user)
        for url in (
            reverse("talent_shortlists:index"),
            reverse("talent_shortlists:detail", args=[shortlist.pk]),
            reverse("talent_saved_searches:index"),
        ):
            assert client.get(url).status_code in (302, 403)
        response = client.post(
            reverse("talent_saved_searches:save"), {"name": "x", "willingness": "yes"}
        )
        assert response.status_code in (302, 403)
        assert not SavedSearch.objects.exists()


def test_create_rename_and_delete(client, people):
    client.force_login(people.recruiter_a)
    response = client.post(reverse("talent_shortlists:create"), {"name": "新名单"})
    shortlist = Shortlist.objects.get(name="新名单")
    assert response.status_code == 302
    assert response["Location"] == reverse("talent_shortlists:detail", args=[shortlist.pk])
    url = reverse("talent_shortlists:rename", args=[shortlist.pk])
    assert client.post(url, {"name": "改名单"}).status_code == 302
    shortlist.refresh_from_db()
    assert shortlist.name == "改名单"
    delete = reverse("talent_shortlists:delete", args=[shortlist.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not Shortlist.objects.exists()


def test_a_taken_name_is_shown_on_the_form_in_chinese(client, people, shortlist):
    client.force_login(people.colleague_a)
    response = client.post(reverse("talent_shortlists:create"), {"name": "甲镇候选"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        _("The department already has a shortlist of this name.")
    ]
    assert Shortlist.objects.count() == 1


def test_the_desk_adds_people_to_a_chosen_or_new_shortlist(client, people, profiles, shortlist):
    client.force_login(people.colleague_a)
    back = reverse("talent_desk:index") + "?q=%E4%BA%BA%E6%89%8D"
    response = client.post(
        reverse("talent_shortlists:add"),
        {"profile": [profiles.a1.pk, profiles.a2.pk], "shortlist": shortlist.pk, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert set(shortlist.entries.values_list("profile_id", flat=True)) == {
        profiles.a1.pk,
        profiles.a2.pk,
    }
    response = client.post(
        reverse("talent_shortlists:add"), {"profile": [profiles.a2.pk], "new_name": "第二批"}
    )
    created = Shortlist.objects.get(name="第二批")
    assert response["Location"] == reverse("talent_shortlists:detail", args=[created.pk])
    assert list(created.entries.values_list("profile_id", flat=True)) == [profiles.a2.pk]


def test_adding_someone_not_visible_creates_nothing(client, people, profiles):
    """The new shortlist and the entries are one transaction: a refused person leaves no
    empty shortlist behind, and the message names the field in Chinese."""
    client.force_login(people.recruiter_a)
    response = client.post(
        reverse("talent_shortlists:add"),
        {
            "profile": [profiles.a1.pk, profiles.b1.pk],
            "new_name": "混合",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("talent_shortlists:index")
    assert not Shortlist.objects.exists()
    assert _messages(response) == [
        f"{_('candidates')}：{_('Some of the chosen people are not in the pool you may search.')}"
    ]


def test_adding_to_another_departments_shortlist_is_refused(client, people, profiles, shortlist):
    client.force_login(people.recruiter_b)
    response = client.post(
        reverse("talent_shortlists:add"), {"profile": [profiles.b1.pk], "shortlist": shortlist.pk}
    )
    assert response.status_code == 302
    assert _messages(response) == [f"{_('shortlist')}：{_('Choose a shortlist.')}"]
    assert shortlist.entries.count() == 1


def test_remove_and_note(client, people, profiles, shortlist):
    client.force_login(people.colleague_a)
    entry = shortlist.entries.get()
    note = reverse("talent_shortlists:note", args=[shortlist.pk, entry.pk])
    assert client.post(note, {"note": "下周面谈"}).status_code == 302
    entry.refresh_from_db()
    assert entry.note == "下周面谈"
    remove = reverse("talent_shortlists:remove", args=[shortlist.pk])
    assert client.post(remove, {"profile": profiles.a1.pk}).status_code == 302
    assert not shortlist.entries.exists()
    assert client.get(remove).status_code == 405


def test_saving_a_desk_search_and_listing_it(client, people, profiles, tree):
    client.force_login(people.recruiter_a)
    url = reverse("talent_saved_searches:save") + f"?township={tree.township_a.pk}&page=2"
    response = client.post(url, {"name": "甲镇", "notify": "1"})
    saved = SavedSearch.objects.get()
    assert saved.owner == people.recruiter_a and saved.notify
    assert saved.params == {"township": [str(tree.township_a.pk)]}
    assert response["Location"] == reverse("talent_desk:index") + f"?township={tree.township_a.pk}"
    index = client.get(reverse("talent_saved_searches:index"))
    html = index.content.decode()
    assert "甲镇党委" in html  # the township's name, not its id
    assert f"?township={tree.township_a.pk}" in html
    # Hidden POST fields work as well as the query string.
    client.post(reverse("talent_saved_searches:save"), {"name": "愿意", "willingness": "yes"})
    assert SavedSearch.objects.get(name="愿意").params == {"willingness": ["yes"]}


def test_a_bad_save_goes_back_to_the_search_with_a_chinese_message(client, people, profiles):
    client.force_login(people.recruiter_a)
    url = reverse("talent_saved_searches:save") + "?willingness=yes"
    response = client.post(url, {"name": ""})
    assert response["Location"] == reverse("talent_desk:index") + "?willingness=yes"
    assert _messages(response) == [f"{_('name')}：{_('Give the saved search a name.')}"]
    assert not SavedSearch.objects.exists()


def test_notify_toggle_and_delete_touch_only_ones_own(client, people, profiles):
    client.force_login(people.recruiter_a)
    client.post(reverse("talent_saved_searches:save"), {"name": "愿意", "willingness": "yes"})
    saved = SavedSearch.objects.get()
    notify = reverse("talent_saved_searches:notify", args=[saved.pk])
    delete = reverse("talent_saved_searches:delete", args=[saved.pk])
    client.force_login(people.colleague_a)
    assert client.post(notify, {"notify": "1"}).status_code == 404
    assert client.post(delete).status_code == 404
    assert client.get(reverse("talent_saved_searches:index")).context["rows"] == []
    client.force_login(people.recruiter_a)
    assert client.post(notify, {"notify": "1"}).status_code == 302
    assert SavedSearch.objects.get().notify
    assert client.post(delete).status_code == 302
    assert not SavedSearch.objects.exists()


def test_menu_items_show_only_to_those_who_use_them(client, people):
    client.force_login(people.recruiter_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("talent_shortlists:index") in html
    assert reverse("talent_saved_searches:index") in html
    client.force_login(people.township_admin)
    response = client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert reverse("talent_shortlists:index") not in html
    assert reverse("talent_saved_searches:index") not in html


def test_a_recruiter_of_two_departments_picks_one_on_the_form(client, tree):
    user = UserFactory(username="two_hats")
    for township in (tree.township_a, tree.township_b):
        role_grant(user=user, role=Role.RECRUITER, organization=township, actor=None)
    client.force_login(user)
    response = client.get(reverse("talent_shortlists:index"))
    html = response.content.decode()
    assert 'name="organization"' in html and "乙乡党委" in html
    response = client.post(reverse("talent_shortlists:create"), {"name": "名单"})
    assert response.status_code == 400
    assert response.context["form"].errors["organization"] == [
        _("Choose the recruiting department the shortlist is for.")
    ]
    client.post(
        reverse("talent_shortlists:create"), {"name": "名单", "organization": tree.township_b.pk}
    )
    assert Shortlist.objects.get().organization == tree.township_b
