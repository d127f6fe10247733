"""The meeting's own admin pages (routed by ``viewsets.MeetingViewSet``): the meeting with its
attendance, the code and QR code to show, leave granted, closing and correcting, a kept
member's attendance on either side, and the oversight page with its .xlsx export.

Each view looks its object up through the user's scope (``selectors``): outside, a 404.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser

from portal.meetings import oversight as figures
from portal.meetings import selectors, services
from portal.meetings.documents import attachment_serve, documents_attachable
from portal.meetings.models import MINUTES_FEATURES, Meeting, MeetingAttendance
from portal.meetings.qr import meeting_qr_svg
from portal.registry.components import EMPTY, local_datetime
from portal.registry.forms import validation_errors_add
from portal.registry.permissions import is_org_admin
from portal.registry.selectors import members_visible_to

Status = MeetingAttendance.Status


def local_time(meeting: Meeting) -> str:
    return local_datetime(meeting.starts_at)


def _org_admin_require(request) -> None:
    if not is_org_admin(request.user):
        raise PermissionDenied


def _meeting(request, pk: int) -> Meeting:
    _org_admin_require(request)
    return get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)


def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    context = {
        "meeting": meeting,
        "rows": selectors.attendance_rows(meeting),
        "title": meeting.title,
        "revisions": meeting.revisions.order_by("-created_at").select_related("user")[:10],
        "attachments": meeting.attachments.select_related("document"),
    }
    return TemplateResponse(request, "portal/meetings/admin_meeting.html", context)


def meeting_code(request, pk: int):
    """GET shows the code and QR code; POST shows a new one (the old stops working)."""
    meeting = _meeting(request, pk)
    if request.method == "POST":
        try:
            meeting = services.meeting_code_issue(meeting=meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("portal_meeting:detail", meeting.pk)
        return redirect("portal_meeting:code", meeting.pk)
    fresh = meeting.code and meeting.code_issued_at + services.CODE_TTL > timezone.now()
    context = {
        "meeting": meeting,
        "title": meeting.title,
        "fresh": fresh,
        "qr": meeting_qr_svg(request, meeting) if fresh else "",
        "valid_until": meeting.code_issued_at + services.CODE_TTL if fresh else None,
    }
    return TemplateResponse(request, "portal/meetings/admin_code.html", context)


@require_POST
def meeting_leave_grant(request, pk: int):
    meeting = _meeting(request, pk)
    attendance = get_object_or_404(meeting.attendances, pk=request.POST.get("attendance") or 0)
    try:
        services.attendance_leave_grant(attendance=attendance)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Leave granted to %(name)s.") % {"name": attendance.member})
    return redirect("portal_meeting:detail", meeting.pk)


def _minutes_widget():
    """Wagtail's rich text editor; a posted value that is not the editor's JSON (a form sent
    by hand) counts as no minutes rather than a server error."""
    widget = get_rich_text_editor_widget(features=MINUTES_FEATURES)
    read = widget.value_from_datadict

    def value_from_datadict(data, files, name):
        try:
            return read(data, files, name)
        except ValueError:
            return ""

    widget.value_from_datadict = value_from_datadict
    return widget


class CloseForm(forms.Form):
    minutes = forms.CharField(label=_("minutes"), required=False)
    decisions = forms.CharField(label=_("decisions"), required=False, widget=forms.Textarea)

    def __init__(self, *args, rows, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget = _minutes_widget()
        choices = [(s, Status(s).label) for s in services.FINAL_STATUSES]
        self.rows = []
        for row in rows:
            name = f"member_{row.member_id}"
            self.fields[name] = forms.ChoiceField(
                label=row.member.name, choices=choices, initial=proposed.get(row.member_id)
            )
            self.rows.append((row, name))

    def statuses(self) -> dict[int, str]:
        return {row.member_id: self.cleaned_data[name] for row, name in self.rows}


class AttachmentForm(forms.Form):
    """One document of the record, chosen with Wagtail's document chooser."""

    document = forms.ModelChoiceField(
        label=_("document"),
        queryset=get_document_model().objects.none(),
        required=False,
        widget=AdminDocumentChooser,
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents


AttachmentFormSet = forms.formset_factory(AttachmentForm, extra=2, can_order=True, can_delete=True)


def attachment_formset(request, meeting: Meeting):
    """The record's documents as they stand (a correction starts from them), in order, and
    two empty rows; the order field reorders, the delete box detaches. A form posted without
    the attachments part leaves them as they are."""
    initial = [{"document": a.document} for a in meeting.attachments.select_related("document")]
    documents = documents_attachable(request.user, meeting)
    bound = request.method == "POST" and "attachments-TOTAL_FORMS" in request.POST
    return AttachmentFormSet(
        request.POST if bound else None,
        prefix="attachments",
        initial=initial,
        form_kwargs={"documents": documents},
    )


def attachments_chosen(formset) -> list | None:
    if not formset.is_bound:
        return None
    return [
        f.cleaned_data["document"] for f in formset.ordered_forms if f.cleaned_data.get("document")
    ]


def meeting_close(request, pk: int):
    """Close a planned meeting, or correct a closed one (a new revision, logged)."""
    meeting = _meeting(request, pk)
    attachments = attachment_formset(request, meeting)
    rows = list(selectors.attendance_rows(meeting))
    if meeting.is_closed:
        proposed = {row.member_id: row.status for row in rows}
        initial = {"minutes": meeting.minutes, "decisions": meeting.decisions}
    else:
        proposed, initial = services.attendance_proposed(meeting), {}
    form = CloseForm(request.POST or None, rows=rows, proposed=proposed, initial=initial)
    attachments_valid = not attachments.is_bound or attachments.is_valid()
    if request.method == "POST" and form.is_valid() and attachments_valid:
        service = services.meeting_correct if meeting.is_closed else services.meeting_close
        try:
            service(
                meeting=meeting,
                user=request.user,
                statuses=form.statuses(),
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                attachments=attachments_chosen(attachments),
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The meeting's record is saved."))
            return redirect("portal_meeting:detail", meeting.pk)
    title = _("Correct the record") if meeting.is_closed else _("Close the meeting")
    context = {"meeting": meeting, "form": form, "attachments": attachments, "title": title}
    return TemplateResponse(request, "portal/meetings/admin_close.html", context)


def meeting_document(request, pk: int, document_pk: int):
    """A document of a closed meeting's record, for an org admin who keeps the meeting or a
    member expected at it (the home branch reading its member's host-side meeting)."""
    _org_admin_require(request)
    meeting = get_object_or_404(selectors.meetings_seen_by(request.user), pk=pk)
    return attachment_serve(request, meeting, document_pk)


def member_attendance(request, pk: int):
    """A kept member's meetings on both sides: the home branch sees the host's too."""
    _org_admin_require(request)
    member = get_object_or_404(members_visible_to(request.user), pk=pk)
    rows = selectors.attendances_of_member_visible_to(request.user, member.pk).prefetch_related(
        "meeting__attachments__document"
    )
    seen = selectors.meetings_seen_by(request.user).filter(pk__in=[r.meeting_id for r in rows])
    context = {
        "member": member,
        "rows": rows,
        "title": member.name,
        "empty": EMPTY,
        "documents_shown": set(seen.values_list("pk", flat=True)),
    }
    return TemplateResponse(request, "portal/meetings/admin_member.html", context)


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year else today.year


def _figures(request):
    _org_admin_require(request)
    year, today = _year(request), timezone.localdate()
    branches = figures.oversight_branches(request.user, year=year, today=today)
    return year, branches, figures.oversight_areas(request.user, branches)


BAR_WIDTH = 320


def rate_bars(rows) -> list[dict]:
    """Attendance rate as bars on a 0–100 % scale, for the inline SVG chart."""
    rated = [row for row in rows if row.rate is not None]
    return [
        {
            "label": row.organization.name,
            "text": f"{row.rate}%",
            "width": round(BAR_WIDTH * row.rate / 100),
            "y": index * 24,
        }
        for index, row in enumerate(rated)
    ]


def _area_opened(request, areas) -> int | None:
    """The township (or host city) whose branches are opened below its row (``?area=``):
    one of the user's, or a 404."""
    wanted = request.GET.get("area")
    if not wanted:
        return None
    for area in areas:
        if str(area.organization.pk) == wanted:
            return area.organization.pk
    raise Http404


def oversight(request):
    year, branches, areas = _figures(request)
    shown = [row for row in branches if row.expected or row.held or row.flagged]
    bars = rate_bars(areas or shown)
    context = {
        "opened": _area_opened(request, areas),
        "title": _("Organisational life"),
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        "branches": shown,
        "areas": areas,
        "flagged": [flag for row in branches for flag in row.flagged],
        "short": [row for row in branches if row.short()],
        "kinds": Meeting.Kind.choices,
        "bars": bars,
        "bars_height": 24 * len(bars),
    }
    return TemplateResponse(request, "portal/meetings/admin_oversight.html", context)


def oversight_export(request):
    year, branches, areas = _figures(request)
    content = figures.oversight_workbook(branches=branches, areas=areas, year=year)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="meetings-{year}-{stamp}.xlsx"'
    return response
