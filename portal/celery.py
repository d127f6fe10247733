"""The Celery app. Broker, eager mode and the beat schedule come from Django settings."""

import os

from celery import Celery
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

# What every task retries on, and how: broker, network and database hiccups, with backoff.
RETRY = {
    "autoretry_for": (ConnectionError, TimeoutError, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}

# The portal's wings keep their tasks beside their services; the other apps at their top,
# and learning's and talent's wings beside theirs too.
PORTAL_WINGS = (
    "registry",
    "content",
    "video",
    "parcels",
    "whereabouts",
    "care",
    "ledger",
    "meetings",
    "rules",
)
TALENT_WINGS = ("ledger", "saved_searches")
LEARNING_WINGS = ("tracks", "record", "periods", "assessment", "pace", "attendance")

app = Celery("guiyan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks([f"portal.{wing}" for wing in PORTAL_WINGS])
app.autodiscover_tasks([f"talent.{wing}" for wing in TALENT_WINGS])
app.autodiscover_tasks([f"learning.{wing}" for wing in LEARNING_WINGS])
