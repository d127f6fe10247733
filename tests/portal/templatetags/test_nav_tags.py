"""The member's tab bar: five tabs on every page for a logged-in user, the current one marked,
the unread count on 消息, and no query of its own beyond that count."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from portal.models import (
    CollectionPage,
    Notification,
    RedPackageCatalogPage,
    RedPackagePage,
    StudyMaterialPage,
)
from portal.registry.factories import MemberFactory, UserFactory
from portal.templatetags.nav_tags import tab_of

TAB_HREFS = {
    "home": "/",
    "study": "/learning/record/",
    "packages": "/me/packages/",
    "inbox": "/inbox/",
    "me": "/me/",
}


@pytest.mark.parametrize(
    ("path", "tab"),
    [
        ("/", "home"),
        ("/learning/record/", "study"),
        ("/learning/tracks/3/steps/4/", "study"),
        ("/me/packages/", "packages"),
        ("/packages/7/request/", "packages"),
        ("/inbox/", "inbox"),
        ("/me/", "me"),
        ("/me/whereabouts/", "me"),
        ("/me/certificate/", "me"),
        ("/lectures/mine/", "me"),
        ("/search/", ""),
    ],
)
def test_a_path_belongs_to_its_tab(path, tab):
    assert tab_of(path, None) == tab


@pytest.mark.parametrize(
    ("model", "tab"),
    [
        (RedPackageCatalogPage, "packages"),
        (RedPackagePage, "packages"),
        (CollectionPage, "study"),
        (StudyMaterialPage, "study"),
    ],
)
def test_a_cms_page_belongs_to_the_tab_of_its_kind(db, model, tab):
    assert tab_of("/xian/some-page/", model(title="某页")) == tab


def _tabs(html: str) -> dict:
    """Each tab's anchor, by the name in its class, as the text of its opening tag."""
    found = {}
    for anchor in html.split("<a ")[1:]:
        name = anchor.split('class="tab-', 1)[1].split('"', 1)[0]
        found[name] = anchor.split(">", 1)[0]
    return found


@pytest.fixture
def member_user(tree):
    user = UserFactory(username="13900000001")
    MemberFactory(name="龙建华", origin=tree.village_a1, phone="13900000001", user=user)
    return user


def test_every_tab_links_its_page_and_marks_the_current_one(client, member_user):
    client.force_login(member_user)
    html = client.get("/inbox/").content.decode()
    tabs = _tabs(html[html.index('<nav class="tabbar"') : html.index("</nav>")])
    assert set(tabs) == set(TAB_HREFS)
    for name, href in TAB_HREFS.items():
        assert f'href="{href}"' in tabs[name]
        assert ('aria-current="page"' in tabs[name]) == (name == "inbox")


def test_a_page_below_a_tab_marks_it_as_current_but_not_as_the_page(client, member_user):
    client.force_login(member_user)
    html = client.get("/me/whereabouts/").content.decode()
    tabs = _tabs(html[html.index('<nav class="tabbar"') : html.index("</nav>")])
    assert 'aria-current="true"' in tabs["me"]
    assert not any("aria-current" in tabs[name] for name in TAB_HREFS if name != "me")


def test_visitors_get_the_login_link_and_no_tab_bar(client, db):
    html = client.get("/").content.decode()
    assert 'class="tabbar"' not in html
    assert 'href="/accounts/login/"' in html


def test_the_inbox_tab_shows_the_unread_count(client, member_user):
    for n, title in enumerate(("新学习资料", "审核结果")):
        Notification.objects.create(
            recipient=member_user, kind=Notification.Kind.PUBLISHED, title=title, source_key=n
        )
    client.force_login(member_user)
    html = client.get("/me/").content.decode()
    inbox = html[html.index('class="tab-inbox"') :].split("</a>", 1)[0]
    assert '<span class="badge"' in inbox and ">2</span>" in inbox


def test_the_tab_bar_costs_one_query_the_unread_count_and_none_without_it(
    member_user, django_assert_num_queries
):
    request = RequestFactory().get("/me/whereabouts/")
    request.user = member_user
    template = Template("{% load nav_tags %}{% member_tabs %}")
    page = Page(title="any")
    counted = SimpleLazyObject(lambda: Notification.objects.filter(recipient=member_user).count())
    with django_assert_num_queries(1):
        template.render(Context({"request": request, "page": page, "inbox_unread_count": counted}))
    with django_assert_num_queries(0):
        html = template.render(Context({"request": request, "page": page}))
    assert 'class="tab-me" aria-current="true"' in html
