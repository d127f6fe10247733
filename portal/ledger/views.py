"""Background jobs in the admin: the list of one's own jobs, a progress page that polls a small
JSON endpoint, and the download of a job's result. Only the job's creator sees any of it;
anyone else's job is a 404. Generic: imports and exports of every app use these views.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from portal.ledger.jobs import job_for_user, job_status, jobs_started_by

JOB_LIST_LIMIT = 50


def job_index(request):
    jobs = jobs_started_by(request.user).select_related("organization")[:JOB_LIST_LIMIT]
    return render(request, "portal/jobs/index.html", {"jobs": jobs})


def job_detail(request, pk):
    job = job_for_user(request.user, pk)
    back = request.GET.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("portal_jobs:index")
    context = {"job": job, "status": job_status(job), "back_url": back}
    return render(request, "portal/jobs/progress.html", context)


def job_status_view(request, pk):
    response = JsonResponse(job_status(job_for_user(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


def job_download(request, pk):
    job = job_for_user(request.user, pk)
    if not job.result:
        raise Http404
    name = job.summary.get("download_name") or job.result.name.rsplit("/", 1)[-1]
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=name)


class JobViewSet(ViewSet):
    """The user's own background jobs: under the ledger menu, reachable by every admin user."""

    icon = "resubmit"
    menu_label = _("My background jobs")
    url_prefix = "jobs"

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")

    def get_urlpatterns(self):
        return [
            path("", job_index, name="index"),
            path("<uuid:pk>/", job_detail, name="detail"),
            path("<uuid:pk>/status/", job_status_view, name="status"),
            path("<uuid:pk>/download/", job_download, name="download"),
        ]
