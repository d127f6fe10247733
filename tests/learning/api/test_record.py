from decimal import Decimal

import pytest
from django.utils import timezone

from learning.models import Certificate, CreditEntry
from portal.registry.factories import UserFactory

from ..quiz_helpers import member_login, ordered_setup, track_complete

URL = "/api/v1/me/record"


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def test_the_member_gets_their_own_record(client, setup, members):
    member_login(client, members.a1)
    before = client.get(URL).json()
    assert before["hours"] == "0.0" and before["points"] == 0
    assert [item["track_id"] for item in before["due"]] == [setup.track.pk]
    track_complete(members.a1, setup)
    data = client.get(URL).json()
    assert data["year"] == timezone.localdate().year
    assert Decimal(data["hours"]) == Decimal("2.0")
    assert Decimal(data["required_hours"]) == Decimal("32")
    points = sum(CreditEntry.objects.filter(member=members.a1).values_list("points", flat=True))
    assert points >= 20 and data["points"] == points
    assert len(data["points_by_month"]) == 12 and sum(data["points_by_month"]) == points
    assert data["due"] == []
    [completed] = data["completed"]
    assert completed["title"] == "十一月学习包" and completed["points"] == 20
    certificate = Certificate.objects.get(completion__member=members.a1)
    assert completed["certificate"]["code"] == certificate.code
    assert completed["certificate"]["verify_url"] == (
        f"http://testserver/learning/verify/{certificate.code}/"
    )


def test_another_members_record_never_shows(client, setup, members):
    track_complete(members.a1, setup)
    member_login(client, members.a2)
    data = client.get(URL, {"member": members.a1.pk}).json()
    assert data["points"] == 0 and data["completed"] == []


def test_anonymous_and_users_without_a_member_are_refused(client, db):
    assert client.get(URL).status_code == 403
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_the_schema_documents_the_record(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/me/record"]["get"]
    assert operation["operationId"] == "me_record"
    record = schema["components"]["schemas"]["Record"]
    assert {
        "year",
        "hours",
        "required_hours",
        "points",
        "points_by_month",
        "completed",
        "due",
    } <= set(record["properties"])
