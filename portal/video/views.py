"""The member's phone pages for their own micro-lectures: submit one, follow them all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.registry.forms import validation_errors_add
from portal.registry.selectors import member_for_user
from portal.video.forms import LectureSubmitForm
from portal.video.submissions import lecture_submissions_for
from portal.video.submissions import lecture_submit as lecture_submit_service


def _member_or_403(request):
    member = member_for_user(request.user)
    if member is None:
        raise PermissionDenied
    return member


@login_required
def lecture_submit(request):
    member = _member_or_403(request)
    form = LectureSubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            lecture_submit_service(member=member, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(
                request, _("Thank you. Your micro-lecture is being processed, then reviewed.")
            )
            return redirect("lecture_mine")
    return render(request, "portal/lecture_submit.html", {"form": form})


@login_required
def lecture_mine(request):
    member = _member_or_403(request)
    context = {"submissions": lecture_submissions_for(member)}
    return render(request, "portal/lecture_mine.html", context)
