"""Long work done in the background (imports, exports), with the progress people watch."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Every kind of job, by value: portal's own below, the apps above portal declare theirs with
# ``job_kind_register`` where they define them (portal never names them).
_JOB_KINDS: dict[str, str] = {}


def job_kind_register(value: str, label: str) -> str:
    """Declare a kind of job; returns the value to store in ``Job.kind``."""
    if _JOB_KINDS.get(value, label) != label:
        raise ValueError(f"Job kind {value!r} is declared twice with different labels.")
    _JOB_KINDS[value] = label
    return value


def job_kind_choices() -> list[tuple[str, str]]:
    """The declared kinds, sorted by value so the order apps load in cannot matter."""
    return sorted(_JOB_KINDS.items())


class Job(models.Model):
    """One run of background work: what it is, how far it got, what came of it.

    The Celery task takes the job's primary key, moves it from pending to running to done
    or failed, and updates ``done`` of ``total`` as it goes; the page that started it polls.
    """

    class Kind:
        """Portal's own kinds of job."""

        MEMBER_IMPORT = job_kind_register("member_import", _("Member import"))
        VILLAGE_EXPORT = job_kind_register("village_export", _("Village sheet export"))
        TOWNSHIP_EXPORT = job_kind_register("township_export", _("Township workbook export"))

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=job_kind_choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.FileField(_("uploaded file"), upload_to="jobs/in/", blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/out/", blank=True)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    # Row errors of an import ({"row": n, "field": name, "message": text}), a summary.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
