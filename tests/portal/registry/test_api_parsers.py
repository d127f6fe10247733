"""The API's JSON parser: a body nested too deep is a 400 naming the limit, never a 500."""

import pytest
from django.test import Client
from django.utils import translation

from learning.models import ProgressEvent
from portal.registry.api_parsers import json_depth, too_deep_message
from tests.learning.api.test_progress import logged_in

PROGRESS_URL = "/api/v1/learning/progress"


def nested(depth: int) -> str:
    return '{"events": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [25, 100_000])
def test_a_deeply_nested_progress_batch_is_a_400_with_a_message(members, depth):
    """100,000 levels overflowed Python's parser (RecursionError, a 500); 25 is over the limit."""
    client = logged_in(members.a1, Client(HTTP_ACCEPT_LANGUAGE="zh-hans"))
    response = client.post(PROGRESS_URL, nested(depth), content_type="application/json")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert response.json() == {"detail": too_deep_message()}
    assert "20" in response.json()["detail"]
    assert not ProgressEvent.objects.exists()


def test_a_batch_within_the_limit_still_reaches_the_serializer(members):
    client = logged_in(members.a1)
    response = client.post(PROGRESS_URL, nested(5), content_type="application/json")
    assert response.status_code == 400
    assert "events" in response.json()  # the serializer's own answer, not the parser's


def test_depth_counts_lists_and_objects():
    assert json_depth(1) == 0
    assert json_depth({"a": [1, {"b": []}]}) == 4
