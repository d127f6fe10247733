"""Meetings in the Wagtail admin, for the org admins (branch secretaries) of the branch that
holds them: plan, show the code and QR code, grant leave, close, correct, and read a kept
member's attendance on either side. Oversight and its export are in ``admin_views``.

Every object is looked up through ``meetings_visible_to``: a meeting outside the user's
subtrees is a 404, and a host branch sees only its own meetings. No delete or copy view: a
held meeting is a record, and a correction is a revision (see ``services.meeting_correct``).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from portal.meetings import admin_views, selectors, services
from portal.meetings.models import Meeting
from portal.registry.permissions import OrgAdminPolicy
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin, ServiceFormMixin

MEETING_POLICY = OrgAdminPolicy(Meeting, {"view", "add", "change"})
register_permission_policy(Meeting, MEETING_POLICY)

FIELDS = [
    "organization",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "agenda",
    "study_page",
]


class MeetingForm(WagtailAdminModelForm):
    online_link = forms.URLField(
        label=_("online link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Meeting
        fields = FIELDS
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["organization"].queryset = selectors.organizations_meeting_for(for_user)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def validate_unique(self):
        pass  # the service checks, with messages that name the field

    def _post_clean(self):
        pass  # the service cleans the instance it builds (place or link, branch kind)


class ScopedMeetingMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return selectors.meetings_visible_to(self.request.user)


class MeetingIndexView(ScopedMeetingMixin, generic.IndexView):
    @property
    def header_buttons(self):
        url = reverse("portal_meeting:oversight")
        label = _("Oversight")
        return [*super().header_buttons, HeaderButton(label, url=url, icon_name="table")]


class MeetingCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return services.meeting_plan(user=self.request.user, **self.form.cleaned_data)

    def get_success_url(self):
        return reverse("portal_meeting:detail", args=[self.object.pk])


class MeetingEditView(ScopedMeetingMixin, ServiceFormMixin, generic.EditView):
    def get_object(self, queryset=None):
        meeting = super().get_object(queryset)
        if meeting.is_closed:
            raise PermissionDenied  # corrected through the close form, as a revision
        return meeting

    def save_instance(self):
        return services.meeting_update(meeting=self.object, **self.form.cleaned_data)

    def get_success_url(self):
        return reverse("portal_meeting:detail", args=[self.object.pk])


def meeting_state(meeting: Meeting) -> str:
    return meeting.get_state_display()


class MeetingViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedMeetingMixin
    model = Meeting
    icon = "date"
    menu_label = _("Meetings")
    url_prefix = "meetings"
    form_fields = FIELDS
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    edit_view_class = MeetingEditView
    search_fields = ["title", "organization__name"]
    search_backend_name = None
    list_filter = ["kind", "state"]
    ordering = ["-starts_at"]
    list_display = [
        TitleColumn("title", label=_("title"), url_name="portal_meeting:detail"),
        Column("kind", label=_("kind"), accessor="get_kind_display"),
        Column("organization", label=_("branch")),
        Column("starts_at", label=_("starts at"), accessor=admin_views.local_time),
        Column("state", label=_("state"), accessor=meeting_state),
    ]

    def get_form_class(self, for_update=False):
        return MeetingForm

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("<int:pk>/edit/", self.edit_view, name="edit"),
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
            path("<int:pk>/usage/", self.usage_view, name="usage"),
            path("<int:pk>/", admin_views.meeting_detail, name="detail"),
            path("<int:pk>/code/", admin_views.meeting_code, name="code"),
            path("<int:pk>/leave/", admin_views.meeting_leave_grant, name="leave"),
            path("<int:pk>/close/", admin_views.meeting_close, name="close"),
            path(
                "<int:pk>/documents/<int:document_pk>/",
                admin_views.meeting_document,
                name="document",
            ),
            path("members/<int:pk>/", admin_views.member_attendance, name="member"),
            path("oversight/", admin_views.oversight, name="oversight"),
            path("oversight/export/", admin_views.oversight_export, name="oversight_export"),
        ]


class MeetingViewSetGroup(ViewSetGroup):
    items = (MeetingViewSet("portal_meeting"),)
    menu_label = _("Organisational life")
    menu_icon = "date"
    menu_order = 207
