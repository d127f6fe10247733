"""Wagtail's sites in the admin, through the project's viewset: Wagtail's URL names reach it,
and adding, changing and deleting a site work as in Wagtail."""

import pytest
from django.urls import resolve, reverse
from wagtail.models import Site

from portal.registry.site_viewsets import SiteIndexView

pytestmark = pytest.mark.django_db


def site_data(**changes) -> dict:
    home = Site.objects.get(is_default_site=True).root_page
    return {
        "hostname": "dangjian.example.cn",
        "port": "443",
        "site_name": "党建门户",
        "root_page": home.pk,
        **changes,
    }


def test_wagtails_url_names_reach_the_projects_views():
    """The settings menu and the explorer link to Wagtail's names; they land here."""
    site = Site.objects.get(is_default_site=True)
    assert resolve(reverse("wagtailsites:index")).func.view_class is SiteIndexView
    for name, args in (("add", []), ("edit", [site.pk]), ("delete", [site.pk])):
        assert resolve(reverse(f"wagtailsites:{name}", args=args)).namespace == "portal_sites"


def test_an_admin_adds_changes_and_deletes_a_site(admin_client):
    response = admin_client.post(reverse("wagtailsites:add"), site_data())
    assert response.status_code == 302
    site = Site.objects.get(hostname="dangjian.example.cn")
    assert (site.port, site.site_name) == (443, "党建门户")

    response = admin_client.post(
        reverse("wagtailsites:edit", args=[site.pk]), site_data(site_name="党建门户网站")
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.site_name == "党建门户网站"
    assert "党建门户网站" in admin_client.get(reverse("wagtailsites:index")).content.decode()

    response = admin_client.post(reverse("wagtailsites:delete", args=[site.pk]))
    assert response.status_code == 302
    assert not Site.objects.filter(pk=site.pk).exists()
