"""Background work for publishing: scheduled publishing. What publishing tells people is the
content rules' (``portal/rules``), raised by ``portal/signal_handlers.py``."""

from celery import shared_task

from portal.celery import RETRY
from portal.content import services


# Beat runs it every minute; a run that overlaps the next only finds less to do.
@shared_task(**RETRY)
def pages_publish_scheduled() -> None:
    services.pages_publish_scheduled()
