import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from portal.celery import app
from portal.models import ActivationCode
from portal.registry import services, tasks
from portal.registry.factories import MemberFactory

ROOT = Path(__file__).resolve().parents[3]


def _expired_code(tree) -> None:
    member = MemberFactory(origin=tree.village_a1)
    services.member_account_issue(member=member, issued_by=None)
    ActivationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))


def test_purge_task_runs_in_process_and_twice_is_harmless(tree):
    _expired_code(tree)
    assert tasks.activation_codes_purge.delay().get() == 1
    assert tasks.activation_codes_purge.delay().get() == 0


def _database_url() -> str:
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def worker_queue():
    """A real Celery worker in its own process, on the Redis broker, on a queue of its own.

    It reads the test database, so the test that uses it must commit (transactional_db).
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": app.conf.broker_url,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    worker.terminate()
    output, _unused = worker.communicate(timeout=30)
    print(output)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_goes_through_a_real_worker_on_redis(tree, worker_queue):
    """Transactional, because the worker reads committed rows from another process."""
    _expired_code(tree)
    app.conf.task_always_eager = False
    try:
        tasks.activation_codes_purge.apply_async(queue=worker_queue)
    finally:
        app.conf.task_always_eager = True
    deadline = time.monotonic() + 60
    while ActivationCode.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not ActivationCode.objects.exists()


def test_every_beat_entry_names_a_registered_task(settings):
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
