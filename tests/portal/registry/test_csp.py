"""Production sends a Content-Security-Policy: the site's pages allow only the site's own
scripts, and no page a member opens needs an inline script the policy would block; the admin
keeps working under its own policy."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from portal.registry.csp import ContentSecurityPolicyMiddleware
from portal.registry.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]
MIDDLEWARE_PATH = "portal.registry.csp.ContentSecurityPolicyMiddleware"
MEMBER_PAGES = ["/", "/me/whereabouts/", "/me/certificate/", "/inbox/", "/learning/record/"]
VISITOR_PAGES = ["/accounts/login/", "/accounts/activate/", "/verify/activity/"]


class InlineScripts(HTMLParser):
    """Collects what a policy without 'unsafe-inline' blocks: inline scripts, on* handlers and
    javascript: links."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            kind = attributes.get("type", "text/javascript")
            self._in_inline_script = kind in ("text/javascript", "module", "")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}>")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.blocked.append(data.strip()[:60])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def _blocked_by_site_policy(html: str) -> list[str]:
    parser = InlineScripts()
    parser.feed(html)
    return parser.blocked


@pytest.fixture
def with_policy():
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, MIDDLEWARE_PATH]):
        yield


@pytest.mark.once
def test_production_settings_put_the_policy_in():
    """The production settings module, loaded as a deployment loads it, has the middleware."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    env["SECRET_KEY"] = "k3Y-" + "x" * 56
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.MIDDLEWARE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert MIDDLEWARE_PATH in result.stdout, result.stderr


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_member_pages_render_under_the_site_policy(with_policy, member_client, url):
    response = member_client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert _blocked_by_site_policy(response.content.decode()) == []


@pytest.mark.parametrize("url", VISITOR_PAGES)
def test_visitor_pages_render_under_the_site_policy(with_policy, client, sections, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert _blocked_by_site_policy(response.content.decode()) == []


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/reports/site-history/"])
def test_the_admin_renders_under_its_own_policy(with_policy, client, sections, url):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self' 'unsafe-inline';" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_the_inline_script_check_finds_what_the_policy_blocks():
    """The checker itself: an inline script and a handler are found, src and JSON are not."""
    html = (
        '<script src="/static/a.js"></script><script type="application/json">{}</script>'
        '<script>alert(1)</script><button onclick="go()">x</button>'
    )
    assert _blocked_by_site_policy(html) == ["alert(1)", "<button onclick>"]


def test_a_response_that_sets_its_own_policy_keeps_it(rf):
    def view(request):
        from django.http import HttpResponse

        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "sandbox"
