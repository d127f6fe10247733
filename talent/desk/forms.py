"""The desk's form: the reason a recruiter gives to see a contact (kept in the log)."""

from django import forms
from django.utils.translation import gettext_lazy

REVEAL_REASON_MIN_LENGTH = 5


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        min_length=REVEAL_REASON_MIN_LENGTH,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Why you need to contact this person; it is kept in the log."),
        error_messages={
            "required": gettext_lazy("State why you need the contact details."),
            "min_length": gettext_lazy(
                "Say a little more about why: at least %(limit_value)d characters."
            ),
        },
    )
