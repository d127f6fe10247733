from django.test import Client
from wagtail.models import Page, Site

from portal.models import HomePage


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
