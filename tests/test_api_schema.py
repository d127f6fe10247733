"""Schemathesis against /api/v1/schema/: whatever a member or a recruiter sends to any
endpoint the schema describes, the API answers without a server error."""

import json

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from portal.models import Role
from portal.registry.factories import MemberFactory, UserFactory

# Generated examples per operation, beside the coverage phase's cases: both roles over every
# operation finish in well under a minute.
EXAMPLES_PER_OPERATION = 50
CSRF_TOKEN = "x" * 32  # Django accepts any 32-character alphanumeric token as the secret


def session_of(user) -> dict[str, str]:
    """A session cookie for ``user`` and a CSRF cookie, as a browser on the site holds them."""
    client = Client()
    client.force_login(user)
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
    }


@pytest.fixture
def api_member(tree):
    user = UserFactory(username="13900000009")
    MemberFactory(name="接口党员", origin=tree.village_a1, phone="13900000009", user=user)
    return user


@pytest.fixture
def api_recruiter(tree, user_with_role):
    return user_with_role(Role.RECRUITER, tree.county, "api_recruiter")


def served_schema() -> dict:
    """What /api/v1/schema/ serves, generated at collection, before any database is open
    (``test_the_schema_tested_is_the_one_served`` keeps the two the same)."""
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection(db):
    """As Django's test client does: a request through the WSGI app must not close the
    connection that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_schema_tested_is_the_one_served(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert json.loads(json.dumps(served_schema())) == response.json()


hypothesis_bounded = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def call_and_check(case, user) -> None:
    response = case.call(cookies=session_of(user), headers={"X-CSRFToken": CSRF_TOKEN})
    case.validate_response(response, checks=[not_a_server_error])


@schema.parametrize()
@hypothesis_bounded
def test_member_gets_no_server_error(case, api_member):
    """Generated requests as a member, valid and not, never answer 5xx."""
    call_and_check(case, api_member)


@schema.parametrize()
@hypothesis_bounded
def test_recruiter_gets_no_server_error(case, api_recruiter):
    """Generated requests as a recruiter, valid and not, never answer 5xx."""
    call_and_check(case, api_recruiter)
