import gzip

from django.http import HttpResponse
from django.test import Client, RequestFactory
from wagtail.models import Page, Site

from portal.content.middleware import TextGZipMiddleware
from portal.models import HomePage
from portal.registry.factories import UserFactory


def test_site_lookup_is_cached_and_forgotten_when_a_site_changes(db):
    client = Client()
    assert client.get("/").status_code == 200  # fills the cache
    home = HomePage.objects.get()
    other = Page.get_first_root_node().add_child(
        instance=HomePage(title="另一个首页", slug="other")
    )
    Site.objects.filter(is_default_site=True).update(root_page=other)  # no signal: still cached
    assert "另一个首页" not in client.get("/").content.decode()
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()  # a save invalidates the cached lookups
    assert "另一个首页" in client.get("/").content.decode()
    site.root_page = home
    site.save()


def test_deep_pages_are_found_in_one_lookup(db, tree):
    """The home page finds /section/page/ by its url_path instead of one lookup per level."""
    from portal.content.services import section_create
    from portal.models import StudyMaterialPage

    section = section_create(organization=tree.county)
    page = section.add_child(
        instance=StudyMaterialPage(title="学习", slug="study", body=[], open_to_public=True)
    )
    page.save_revision().publish()
    client = Client()
    client.get(page.url)
    client.force_login(UserFactory())  # a member's request is rendered, not a visitor's copy
    response = client.get(page.url)
    assert response.status_code == 200
    assert response.context["page"] == page
    assert client.get(section.url + "rss-missing/").status_code == 404


def test_a_remembered_page_is_not_served_once_unpublished(db, tree):
    from portal.content.services import section_create
    from portal.models import StudyMaterialPage

    section = section_create(organization=tree.county)
    page = section.add_child(
        instance=StudyMaterialPage(title="学习", slug="study", body=[], open_to_public=True)
    )
    page.save_revision().publish()
    client = Client()
    assert client.get(page.url).status_code == 200  # its kind is now remembered
    url = page.url
    page.unpublish()
    assert client.get(url).status_code == 404


def test_pages_go_out_gzipped_to_a_browser_that_takes_it(db):
    """A page is gzipped for a client that accepts gzip, with
    Vary: Accept-Encoding so that no cache hands it to one that does not."""
    plain = Client().get("/")
    response = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode().count("<html") == 1
    assert len(response.content) < len(plain.content)
    assert not plain.has_header("Content-Encoding")


def test_videos_and_images_are_not_gzipped_again():
    """Compressed formats gain nothing, and a gzipped ranged video reply would break playback."""
    request = RequestFactory().get("/media/videos/a.mp4", HTTP_ACCEPT_ENCODING="gzip")
    for content_type in ("video/mp4", "image/jpeg", "application/pdf"):
        response = HttpResponse(b"x" * 5000, content_type=content_type)
        response = TextGZipMiddleware(lambda request, response=response: response)(request)
        assert not response.has_header("Content-Encoding"), content_type
    text = HttpResponse(b"x" * 5000, content_type="application/json")
    assert TextGZipMiddleware(lambda request: text)(request)["Content-Encoding"] == "gzip"


def _published(section, title: str, slug: str, **fields):
    from portal.models import StudyMaterialPage

    page = section.add_child(instance=StudyMaterialPage(title=title, slug=slug, body=[], **fields))
    page.save_revision().publish()
    return StudyMaterialPage.objects.get(pk=page.pk)


def test_each_path_is_served_its_own_page_from_the_remembered_routes(db, tree):
    from portal.content.services import section_create

    section = section_create(organization=tree.county)
    first, second = _published(section, "第一篇", "first"), _published(section, "第二篇", "second")
    client = Client()
    client.force_login(UserFactory())
    for _round in range(2):  # the second round is served from the remembered routes
        assert "第一篇" in client.get(first.url).content.decode()
        assert "第二篇" in client.get(second.url).content.decode()
        assert "第一篇" not in client.get(second.url).content.decode()


def test_a_remembered_route_still_asks_each_restriction_about_each_request(db, tree):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from portal.content.services import section_create

    section = section_create(organization=tree.county)
    page = _published(section, "支委学习", "committee")
    group = Group.objects.create(name="支委")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(group)
    insider, outsider = UserFactory(), UserFactory()
    insider.groups.add(group)
    inside, outside = Client(), Client()
    inside.force_login(insider)
    outside.force_login(outsider)
    assert inside.get(page.url).status_code == 200  # the route is remembered now
    assert outside.get(page.url).status_code != 200
    assert inside.get(page.url).status_code == 200
    restriction.delete()  # a new generation: everyone signed in may read it
    assert outside.get(page.url).status_code == 200


def test_visitors_share_a_cached_page_until_content_changes_and_members_never_get_it(db, tree):
    from portal.content.services import section_create

    section = section_create(organization=tree.county)
    page = _published(section, "公开学习", "open", open_to_public=True)
    visitor = Client()
    assert "公开学习" in visitor.get(page.url).content.decode()
    type(page).objects.filter(pk=page.pk).update(title="悄悄改名")  # no signal: still cached
    assert "公开学习" in visitor.get(page.url).content.decode()
    member = Client()
    member.force_login(UserFactory())
    html = member.get(page.url).content.decode()
    assert 'class="tabbar"' in html  # the signed-in member's own page
    assert 'class="tabbar"' not in visitor.get(page.url).content.decode()
    page.title = "新标题"
    page.save_revision().publish()  # content saved: a new generation for everyone
    assert "新标题" in visitor.get(page.url).content.decode()
    assert "新标题" in member.get(page.url).content.decode()
