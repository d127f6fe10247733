"""What the home page offers in one tap (site_shortcuts) and where to choose a red package
(red_package_catalogs): only what the reader may open, in one query each."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from portal.content.selectors import red_package_catalogs, site_shortcuts
from portal.models import CollectionPage, HomePage, RedPackageCatalogPage

from .helpers import draft, material, publish

pytestmark = pytest.mark.usefixtures("media_in_tmp")


@pytest.fixture
def home(sections):
    return HomePage.objects.live().get()


@pytest.fixture
def places(home, sections):
    monthly = publish(home, CollectionPage(title="本月学习"))
    county_list = publish(sections.county, CollectionPage(title="县委学习专题"))
    catalog = publish(sections.county, RedPackageCatalogPage(title="红色包裹"))
    hidden = publish(sections.other, CollectionPage(title="干部专用"))
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.GROUPS)
    draft(sections.township, CollectionPage(title="未发布专题"))
    publish(sections.county, material("学习党章"))  # content is not a shortcut
    return {"monthly": monthly, "county_list": county_list, "catalog": catalog}


def _titles(pages) -> list[str]:
    return [page.title for page in pages]


def test_shortcuts_are_the_collections_catalogs_and_sections_a_member_may_open(
    home, sections, places, member_client, django_assert_num_queries
):
    user = get_user_model().objects.get(username="13900000001")
    with django_assert_num_queries(1):
        shortcuts = site_shortcuts(home, user)
    assert _titles(shortcuts["collections"]) == ["本月学习", "县委学习专题"]
    assert _titles(shortcuts["catalogs"]) == ["红色包裹"]
    assert _titles(shortcuts["sections"]) == [
        sections.county.title,
        sections.township.title,
        sections.other.title,
    ]


def test_a_catalog_behind_a_login_is_no_shortcut_for_a_visitor(home, places):
    PageViewRestriction.objects.create(
        page=places["catalog"], restriction_type=PageViewRestriction.LOGIN
    )
    shortcuts = site_shortcuts(home, None)
    assert _titles(shortcuts["catalogs"]) == []
    assert red_package_catalogs(None) == []
    assert _titles(shortcuts["collections"]) == ["本月学习", "县委学习专题"]


def test_the_home_page_links_each_shortcut(member_client, places):
    html = member_client.get("/").content.decode()
    nav = html[html.index('id="shortcuts"') :].split("</nav>", 1)[0]
    for page in places.values():
        assert f'href="{page.url}"' in nav
    assert "干部专用" not in nav and "未发布专题" not in nav
