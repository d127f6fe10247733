"""Assigning a track in the admin: to an organisation, or to one member by phone."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import TrackAssignment
from . import selectors


class AssignmentForm(WagtailAdminModelForm):
    member_phone = forms.CharField(
        label=_("member's phone"),
        required=False,
        max_length=11,
        help_text=_("To assign the track to one member instead of an organisation."),
    )

    class Meta:
        model = TrackAssignment
        fields = ["track", "organization"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self.fields["track"].queryset = selectors.assignable_tracks(for_user).order_by("title")
        self.fields["track"].error_messages["invalid_choice"] = _(
            "Choose a track you may assign (a monthly template is not assigned: its packs are)."
        )
        self.fields["organization"].queryset = selectors.assignable_organizations(
            for_user
        ).order_by("path")
        self.fields["organization"].required = False
        if self.instance.member_id:
            self.initial["member_phone"] = self.instance.member.phone

    def _post_clean(self):
        """The model is validated by the service (learning.tracks.services.track_assign), with
        errors that name the field, not by the form's generic constraint check."""

    def clean_member_phone(self):
        phone = self.cleaned_data["member_phone"].strip()
        if not phone:
            return None
        member = selectors.assignable_members(self.for_user).filter(phone=phone).first()
        if member is None:
            raise ValidationError(_("No member you keep has this phone number."))
        return member
