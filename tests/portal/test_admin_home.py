"""The admin's home for a superuser: in Chinese, with the project's favicon, and without
reaching out to wagtail.org (no update check, no English "what's new" banner)."""

import pytest
from django.contrib.auth import get_user_model
from django.templatetags.static import static
from django.urls import reverse

FAVICON = static("portal/favicon.svg")


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("root-admin", password="x")
    client.force_login(user)
    return client


def test_the_superusers_home_does_not_check_for_wagtail_updates(settings, superuser_client):
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    html = superuser_client.get("/admin/").content.decode()
    assert 'data-controller="w-upgrade' not in html
    assert "w-whats-new" not in html


def test_the_admin_home_speaks_chinese(superuser_client):
    html = superuser_client.get("/admin/").content.decode()
    assert "搜索全部页面…" in html
    assert "个页面" in html  # the site summary: 1 个页面, not "1 Page"
    for english in ("Search all pages", "Privacy and access", "Pages <span"):
        assert english not in html


def test_the_admin_shows_the_projects_favicon(client, db):
    """On the login page (anonymous) and on the home page (signed in)."""
    pages = [client.get("/admin/login/")]
    client.force_login(get_user_model().objects.create_superuser("icon-admin", password="x"))
    pages.append(client.get("/admin/"))
    for page in pages:
        html = page.content.decode()
        assert f'<link rel="icon" href="{FAVICON}"' in html
        assert "wagtailadmin/images/favicon.ico" not in html


def test_the_site_shows_the_favicon_and_serves_it(client, db):
    response = client.get(reverse("portal:login"))
    assert f'<link rel="icon" href="{FAVICON}"' in response.content.decode()
    icon = client.get(FAVICON)
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_admin_login_labels_the_password_in_chinese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert 'for="id_password"' in html and "Password" not in html
