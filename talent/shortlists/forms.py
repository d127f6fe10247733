"""The shortlist pages' forms: a new shortlist (for which department, when there is a choice)
and a new name."""

from django import forms
from django.utils.translation import gettext_lazy

from talent.shortlists import services
from talent.shortlists.selectors import recruiting_departments


class ShortlistForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=services.NAME_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Give the shortlist a name.")},
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("recruiting department"),
        queryset=None,
        required=False,
        empty_label=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = recruiting_departments(user).order_by("path")
        self.fields["organization"].queryset = departments
        if len(departments) <= 1:
            del self.fields["organization"]


class RenameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=services.NAME_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Give the shortlist a name.")},
    )
