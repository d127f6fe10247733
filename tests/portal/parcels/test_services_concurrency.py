"""The last ten red packages, asked for by a hundred members at once, on real PostgreSQL:
exactly ten requests are granted, the stock ends at zero, the other ninety are told it is
out of stock.

Transactional on purpose: each thread posts through its own database connection, so the
conditional UPDATE's row lock and READ COMMITTED behave as under gunicorn. At most
CONNECTIONS threads hold a connection at a time (PostgreSQL's default limit is 100, shared
with whatever else runs). SQLite serialises every writer, so the race cannot happen there
and the test is skipped.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from portal.models import RedPackageRequest, RedPackageStock
from portal.registry.factories import MemberFactory

from .helpers import package_in, shipping, with_login

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = 100
STOCK = 10
CONNECTIONS = 30


@pytest.fixture
def race(tree):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    package = package_in(tree.county, stock=STOCK)
    members = [with_login(MemberFactory(origin=tree.village_a1)) for _ in range(MEMBERS)]
    return package, members


def post_at_once(package, members) -> list[int]:
    url = reverse("package_request", args=[package.pk])
    statuses, errors = [], []
    start = threading.Barrier(len(members))
    slots = threading.BoundedSemaphore(CONNECTIONS)

    def worker(member):
        client = Client()
        try:
            start.wait()
            with slots:
                client.force_login(member.user)
                statuses.append(client.post(url, shipping(member)).status_code)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def test_a_hundred_members_racing_for_the_last_ten_packages_get_exactly_ten(race):
    package, members = race
    statuses = post_at_once(package, members)
    assert sorted(set(statuses)) == [302, 400]
    assert statuses.count(302) == STOCK
    assert RedPackageRequest.objects.filter(package=package).count() == STOCK
    assert RedPackageStock.objects.get(package=package).available == 0
