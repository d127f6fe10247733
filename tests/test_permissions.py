"""The permission matrix (tests/permission_matrix/) against the running site: every URL name
of this project's admin viewsets, site pages and /api/v1 has a row, and every role gets what
its row says, for an object in its scope and one outside it.

Writing the row of a new view: ``MATRIX_OBSERVE=/tmp/observed.json pytest
tests/test_permissions.py`` runs every row and the views without one, asserts nothing, and
writes what each role got; check it against the rules before copying it into a row."""

import json
import os
import re
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import permission_matrix as matrix
from tests.permission_world import ROLES, world_build

OBSERVE = os.environ.get("MATRIX_OBSERVE")
OBSERVED: dict = {}
PROJECT_NAMESPACES = ("portal_", "learning_", "talent_", "search_")


def url_names(patterns=None, namespace="", wagtail_admin=False) -> set[str]:
    """Every URL name the resolver knows that belongs to this project: the admin's viewsets
    of its apps (namespaces portal_, learning_, talent_, search_), the site's pages and the
    API. Wagtail's own admin and documents are Wagtail's."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            is_admin = (
                wagtail_admin or pattern.namespace is None and "admin" in str(pattern.pattern)
            )
            if pattern.namespace and pattern.namespace.startswith("wagtail"):
                continue
            names |= url_names(pattern.url_patterns, inner, is_admin)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}".lstrip(":")
            if wagtail_admin and not name.startswith(PROJECT_NAMESPACES):
                continue
            names.add(name)
    return {name for name in names if not name.startswith("wagtail")}


def test_every_view_has_a_row():
    """Adding a view without deciding who may open it fails here."""
    names = url_names()
    rows = {row.name for row in matrix.ROWS.values()}
    assert names - rows == set(), "views without a row in tests/permission_matrix/"
    assert rows - names == set(), "rows for views that no longer exist"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo county, built once for the module and rolled back after it; its uploads (a
    meeting's minutes) go to a temporary folder, not var/media."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = world_build()
            world.clients = {role: client_of(user) for role, user in world.users.items()}
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client_of(user) -> Client:
    """A client logged in as ``user`` for the whole module: its session row lives in the
    module's transaction, and its handler loads the middleware once, not per request."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def outcome(response) -> str:
    """What the user notices, in the matrix's words."""
    status = response.status_code
    if status in (200, 206):
        return matrix.OK
    if status in (301, 302):
        location = response["Location"]
        if "login" in location:
            return matrix.LOGIN
        if location.rstrip("/").endswith("/admin") or location.startswith("/admin/?"):
            return matrix.DENIED
        return matrix.REDIRECT
    return {403: matrix.DENIED, 404: matrix.MISSING, 405: matrix.NOT_ALLOWED}.get(
        status, str(status)
    )


def url_for(world, row: matrix.Row, scope: str) -> str:
    name = row.name
    kwargs = {}
    if row.kwargs_from:
        return reverse(name, args=[world.extra[row.kwargs_from]])
    params = re.findall(r"<(?:\w+:)?(\w+)>", _route_of(name))
    index = 0 if scope == matrix.IN else 1
    for param in params:
        if param == "pk" and row.kind and name not in matrix.PARAMS:
            kwargs[param] = world.objects.get(row.kind, (0, 0))[index] or NO_OBJECT[row.kind]
        else:
            source = matrix.PARAMS.get(name, {}).get(param, param)
            kwargs[param] = row.kwargs.get(param, world.extra.get(source, 0))
    return reverse(name, kwargs=kwargs) + row.query


# A key no object has, for kinds the demo does not build.
NO_OBJECT = defaultdict(int, job="00000000-0000-4000-8000-000000000000")
_ROUTES: dict[str, str] = {}


def _route_of(name: str) -> str:
    if not _ROUTES:
        _collect_routes(get_resolver().url_patterns, "", "")
    return _ROUTES[name]


def _collect_routes(patterns, namespace, prefix):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            _collect_routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif pattern.name:
            _ROUTES.setdefault(
                f"{namespace}:{pattern.name}".lstrip(":"), prefix + str(pattern.pattern)
            )


def expected_of(row, scope) -> dict:
    return {role: "" for role in ROLES} if OBSERVE else row.expected(scope)


def cases():
    rows = matrix.ROWS.values()
    if OBSERVE:
        covered = {row.name for row in rows}
        rows = [*rows, *(matrix.Row(name, {}) for name in sorted(url_names() - covered))]
    for row in rows:
        has_object = "<" in _route_of(row.name)
        for scope in (matrix.IN, matrix.OUT) if has_object else (matrix.IN,):
            if scope == matrix.OUT and row.kind not in matrix.SCOPED_KINDS:
                continue
            reason = row.xfail or (row.xfail_out if scope == matrix.OUT else "")
            marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
            yield pytest.param(row, scope, id=f"{row.key}-{scope}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "scope"), list(cases()))
def test_matrix(world, row, scope):
    """Each role gets the row's outcome: a page (ok), the login, a refusal or a 404."""
    url = url_for(world, row, scope)
    got = {}
    for role in ROLES:
        client, user = world.clients[role], world.users[role]
        if row.method == "POST":
            response = client.post(url, row.data(world, user) if row.data else {})
        else:
            response = client.get(url)
        got[role] = outcome(response)
        if expected_of(row, scope)[role] == matrix.ANY_REFUSAL and got[role] in matrix.REFUSALS:
            got[role] = matrix.ANY_REFUSAL
    if OBSERVE:
        OBSERVED[f"{row.key}|{scope}"] = got
        return
    expected = expected_of(row, scope)
    assert got == expected, f"{url}: got {letters(got)}, the row says {letters(expected)}"


@pytest.fixture(scope="module", autouse=True)
def _observed():
    yield
    if OBSERVE:
        with open(OBSERVE, "w") as out:
            json.dump(OBSERVED, out, ensure_ascii=False, indent=0)


def letters(outcomes: dict) -> str:
    """A result in the matrix's letters, in ROLES order."""
    names = {value: letter for letter, value in matrix.LETTERS.items()}
    return " ".join(names.get(outcomes[role], outcomes[role]) for role in ROLES)
