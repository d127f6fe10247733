"""The Celery app. Broker, eager mode and the beat schedule come from Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("guiyan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
