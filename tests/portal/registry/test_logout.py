"""Logging out takes a POST: a GET (a cross-site image) changes no cookie, on the site and in
the admin."""

import pytest
from django.conf import settings

from portal.registry.factories import UserFactory

ADMIN_LOGOUT = "/admin/logout/"
SITE_LOGOUT = "/accounts/logout/"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="county-admin", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("url", [ADMIN_LOGOUT, SITE_LOGOUT])
@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_non_post_logout_changes_no_cookie_and_keeps_the_login(client, admin_user, url, method):
    client.force_login(admin_user)
    response = getattr(client, method)(url)
    assert response.status_code == (200 if (method, url) == ("options", SITE_LOGOUT) else 405)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "messages" not in response.cookies
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("url", [ADMIN_LOGOUT, SITE_LOGOUT])
def test_a_post_logs_out(client, admin_user, url):
    client.force_login(admin_user)
    response = client.post(url)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
