"""The contact reveals report: who revealed whose contact, why and when. County org admins
read every reveal, a recruiter their own, anyone else is refused; numbers stay masked, on the
page and in the workbook, and the workbook runs no formula. The profile's history shows the
reason."""

import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.models import Role
from talent.desk.selectors import REVEAL_ACTION
from talent.models import TalentProfile
from talent.services import profile_create

URL = "/admin/reports/contact-reveals/"
PHONE_A, ID_A = "13900000177", "110105199003070025"
PHONE_B = "13900000288"


@pytest.fixture
def people(tree, user_with_role):
    return SimpleNamespace(
        recruiter_a=user_with_role(Role.RECRUITER, tree.township_a),
        county_recruiter=user_with_role(Role.RECRUITER, tree.county),
        county_admin=user_with_role(Role.ORG_ADMIN, tree.county),
        township_admin=user_with_role(Role.ORG_ADMIN, tree.township_a),
        editor=user_with_role(Role.EDITOR, tree.county),
    )


@pytest.fixture
def reveals(client, tree, people):
    """recruiter_a reveals a person from township A; the county recruiter one from B, with a
    reason that starts like a formula and holds a phone number."""
    from_a = profile_create(
        name="张养成",
        phone=PHONE_A,
        id_number=ID_A,
        hometown_township=tree.township_a,
        hometown_village=tree.village_a1,
    )
    from_b = profile_create(
        name="王乙",
        phone=PHONE_B,
        hometown_township=tree.township_b,
        hometown_village=tree.village_b1,
    )
    for user, profile, reason in [
        (people.recruiter_a, from_a, "请其回村参加两委换届座谈"),
        (people.county_recruiter, from_b, f'=HYPERLINK("http://x") 回电 {PHONE_B}'),
    ]:
        client.force_login(user)
        response = client.post(reverse("talent_desk:reveal", args=[profile.pk]), {"reason": reason})
        assert response.status_code == 200
    client.logout()
    return SimpleNamespace(from_a=from_a, from_b=from_b)


def _workbook(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _rows(response) -> list:
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_a_county_admin_reads_every_reveal_with_who_whose_why_and_when(client, people, reveals):
    client.force_login(people.county_admin)
    response = client.get(URL)
    rows = _rows(response)
    assert {row.profile_name for row in rows} == {"张养成", "王乙"}
    html = response.content.decode()
    assert "请其回村参加两委换届座谈" in html and people.recruiter_a.username in html
    for number in (PHONE_A, ID_A, PHONE_B):
        assert number not in html
    assert "139****0177" in html and "110105********0025" in html and "139****0288" in html
    assert str(reveals.from_a.hometown_township) in html
    assert "export=xlsx" in html


def test_a_recruiter_reads_only_their_own_reveals(client, people, reveals):
    client.force_login(people.recruiter_a)
    assert [row.profile_name for row in _rows(client.get(URL))] == ["张养成"]
    sheet = _workbook(client.get(URL, {"export": "xlsx"}))
    assert sheet.max_row == 2  # the heading and their own reveal


@pytest.mark.parametrize("name", ["township_admin", "editor"])
def test_others_are_refused(client, people, reveals, name):
    """The admin answers PermissionDenied with a redirect to its dashboard and a message."""
    client.force_login(getattr(people, name))
    for params in ({}, {"export": "xlsx"}):
        response = client.get(URL, params)
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    script = client.get(URL, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert script.status_code == 403


def test_the_menu_item_is_shown_to_those_who_may_read(client, people, reveals):
    client.force_login(people.recruiter_a)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(people.township_admin)
    assert URL not in client.get("/admin/").content.decode()


def test_filters_by_recruiter_date_and_township(client, people, reveals, tree):
    client.force_login(people.county_admin)
    by_user = _rows(client.get(URL, {"user": people.county_recruiter.pk}))
    assert [row.profile_name for row in by_user] == ["王乙"]
    by_township = _rows(client.get(URL, {"township": tree.township_a.pk}))
    assert [row.profile_name for row in by_township] == ["张养成"]
    ModelLogEntry.objects.filter(object_id=str(reveals.from_b.pk)).update(
        timestamp="2025-01-15T10:00:00Z"
    )
    in_2025 = _rows(client.get(URL, {"timestamp_from": "2025-01-01", "timestamp_to": "2025-01-31"}))
    assert [row.profile_name for row in in_2025] == ["王乙"]


def test_the_workbook_masks_numbers_and_runs_no_formula(client, people, reveals):
    client.force_login(people.county_admin)
    sheet = _workbook(client.get(URL, {"export": "xlsx"}))
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    text = " ".join(cells)
    for number in (PHONE_A, ID_A, PHONE_B):
        assert number not in text
    assert "139****0177" in text and "139****0288" in text
    assert not any(value.startswith(("=", "+", "-", "@")) for value in cells)
    assert any(value.startswith("'=HYPERLINK") for value in cells)


def test_the_profiles_history_shows_the_reason(client, people, reveals):
    client.force_login(people.county_admin)
    url = reverse("talent_profile:history", args=[reveals.from_a.pk])
    html = client.get(url).content.decode()
    assert "请其回村参加两委换届座谈" in html
    entry = ModelLogEntry.objects.get(action=REVEAL_ACTION, object_id=str(reveals.from_a.pk))
    assert "请其回村参加两委换届座谈" in entry.message
    assert TalentProfile.objects.filter(pk=reveals.from_a.pk).exists()
