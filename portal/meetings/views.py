"""The member's phone pages: upcoming meetings, signing in (the code read out, or the QR code
scanned) and asking for leave. A member reaches only meetings they are expected at."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.meetings import selectors, services
from portal.meetings.documents import attachment_serve
from portal.registry.forms import validation_errors_add
from portal.registry.selectors import member_for_user


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code read out by the secretary"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for leave"), max_length=200)


def _member(request):
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    return member


@login_required
def my_meetings(request):
    member = _member(request)
    upcoming, past = selectors.meetings_of_member(member)
    context = {"upcoming": upcoming, "past": past}
    return render(request, "portal/meetings/my_meetings.html", context)


@login_required
def my_meeting(request, pk: int):
    """One meeting: sign in with the code (action=code) or ask for leave (action=leave)."""
    member = _member(request)
    attendance = selectors.attendance_of_member(member, pk)
    if attendance is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    code_form = CodeForm(request.POST if action == "code" else None)
    leave_form = LeaveForm(request.POST if action == "leave" else None)
    form = {"code": code_form, "leave": leave_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "code":
                services.attendance_sign_in_code(
                    meeting=attendance.meeting, member=member, code=form.cleaned_data["code"]
                )
                messages.success(request, _("You are signed in. Thank you."))
            else:
                services.attendance_leave_request(
                    meeting=attendance.meeting, member=member, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Your request for leave was sent to the secretary."))
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            return redirect("my_meeting", pk)
    context = {
        "attendance": attendance,
        "attachments": attendance.meeting.attachments.select_related("document"),
        "code_form": code_form,
        "leave_form": leave_form,
    }
    return render(request, "portal/meetings/my_meeting.html", context)


@login_required
def my_meeting_scan(request):
    """Where the QR code leads: the member confirms, and is signed in."""
    member = _member(request)
    token = request.POST.get("t") or request.GET.get("t") or ""
    error = ""
    if request.method == "POST":
        try:
            attendance = services.attendance_sign_in_qr(member=member, token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("You are signed in. Thank you."))
            return redirect("my_meeting", attendance.meeting_id)
    return render(request, "portal/meetings/my_scan.html", {"token": token, "error": error})


@login_required
def my_meeting_document(request, pk: int, document_pk: int):
    """A document of the closed meeting's record, for a member expected at it."""
    attendance = selectors.attendance_of_member(_member(request), pk)
    if attendance is None:
        raise Http404
    return attachment_serve(request, attendance.meeting, document_pk)
