"""The reading note a member writes on a red-package reading step."""

from django import forms
from django.utils.translation import gettext_lazy


class ReadingNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reading note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
