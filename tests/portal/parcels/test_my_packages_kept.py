""" "My packages" kept per member (portal.registry.member_fragments): a change shows on the
next request, one member never sees another's requests, and the kept rows hold no CSRF
token while the page's one form still needs it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import RedPackagePage, RedPackageRequest
from portal.parcels import services as parcels

from .helpers import package_in, shipping, with_login

State = RedPackageRequest.State
pytestmark = pytest.mark.django_db
MINE = "/me/packages/"


@pytest.fixture
def package(tree):
    return package_in(tree.county, stock=5)


@pytest.fixture
def a1(members):
    return with_login(members.a1)


@pytest.fixture
def b1(members):
    return with_login(members.b1)


def _html(client, member) -> str:
    client.force_login(member.user)
    response = client.get(MINE)
    assert response.status_code == 200
    return response.content.decode()


def _rows(html: str) -> dict[str, str]:
    """Request id → state, as the page shows them."""
    return dict(re.findall(r'data-request="(\d+)" data-state="(\w+)"', html))


def _ask(member, package) -> RedPackageRequest:
    return parcels.package_request_create(
        package=package, member=member, user=member.user, **shipping(member)
    )


def test_a_kept_page_reads_nothing_of_its_own(client, a1, package):
    _ask(a1, package)
    _html(client, a1)
    with CaptureQueriesContext(connection) as kept:
        html = _html(client, a1)
    statements = " ".join(q["sql"] for q in kept.captured_queries)
    assert "portal_redpackagerequest" not in statements
    assert "portal_redpackagecatalogpage" not in statements
    assert list(_rows(html).values()) == ["waiting"]


def test_every_change_to_a_request_shows_on_the_next_request(
    client, a1, package, org_admin_a, tree
):
    assert _rows(_html(client, a1)) == {}
    made = _ask(a1, package)
    assert _rows(_html(client, a1)) == {str(made.pk): "waiting"}
    parcels.package_request_dispatch(
        request=made, courier="中国邮政EMS", tracking_number="EA123456789CN", user=org_admin_a
    )
    html = _html(client, a1)
    assert _rows(html) == {str(made.pk): "dispatched"} and "EA123456789CN" in html
    client.post(reverse("package_receive", args=[made.pk]))
    assert _rows(_html(client, a1)) == {str(made.pk): "received"}
    again = _ask(a1, package_in(tree.county, title="党史学习包"))
    assert _rows(_html(client, a1))[str(again.pk)] == "waiting"
    parcels.package_request_cancel(request=again, reason="地址有误")
    html = _html(client, a1)
    assert _rows(html)[str(again.pk)] == "cancelled" and "地址有误" in html


def test_a_renamed_package_and_catalog_show_at_once(client, a1, package):
    # The page shows no stock; what it shows of the content follows the content generation.
    _ask(a1, package)
    assert "二十大学习包" in _html(client, a1)
    page = RedPackagePage.objects.get(pk=package.pk)
    page.title = "党章学习包"
    page.save_revision().publish()
    catalog = page.get_parent().specific
    catalog.title = "红色包裹（2027）"
    catalog.save_revision().publish()
    html = _html(client, a1)
    assert "党章学习包" in html and "二十大学习包" not in html
    assert "红色包裹（2027）" in html


def test_one_member_never_sees_anothers_requests(client, a1, b1, package):
    mine, theirs = _ask(a1, package), _ask(b1, package)
    first = _html(client, a1)
    second = _html(client, b1)
    assert _rows(first) == {str(mine.pk): "waiting"}
    assert _rows(second) == {str(theirs.pk): "waiting"}
    parcels.package_request_cancel(request=theirs)
    assert _rows(_html(client, a1)) == {str(mine.pk): "waiting"}
    assert _rows(_html(client, b1)) == {str(theirs.pk): "cancelled"}


def test_the_kept_rows_hold_no_token_and_the_one_form_still_needs_it(a1, package):
    made = _ask(a1, package)
    client = Client(enforce_csrf_checks=True)
    client.force_login(a1.user)
    html = client.get(MINE).content.decode()
    rows = html[html.index('class="list card parcels"') : html.index("</ul>")]
    assert "csrfmiddlewaretoken" not in rows
    cancel = reverse("package_cancel", args=[made.pk])
    assert f'form="parcel-action" formaction="{cancel}"' in rows
    form = re.search(r'<form id="parcel-action" method="post"[^>]*>(.*?)</form>', html).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    assert client.post(cancel).status_code == 403
    made.refresh_from_db()
    assert made.state == State.WAITING
    assert client.post(cancel, {"csrfmiddlewaretoken": token}).status_code == 302
    made.refresh_from_db()
    assert made.state == State.CANCELLED
    # Nothing left to act on: no form either.
    assert 'id="parcel-action"' not in client.get(MINE).content.decode()
