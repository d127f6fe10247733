"""The attendance sheet of an offline session."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Member


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Those ticked get the session's credit. Un-ticking someone later records the "
            "absence but does not take back credit already granted: correct that with a "
            "reversal in the member's ledger."
        ),
    )
    listed = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(m.pk, m.name) for m in members]
        self.fields["present"].choices = choices
        self.fields["listed"].choices = choices
