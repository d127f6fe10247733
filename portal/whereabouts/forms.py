"""Forms for whereabouts reports: the member's phone form and the secretary's admin form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.registry.models import Organization
from portal.whereabouts.models import WhereaboutsReport


class WhereaboutsForm(forms.ModelForm):
    """The member's monthly report, filled on a phone."""

    class Meta:
        model = WhereaboutsReport
        fields = ["city", "employer", "address", "phone", "host"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organization.objects.host_side()
        self.fields["host"].empty_label = _("None or not known")
        self.fields["host"].help_text = _(
            "The temporary branch or service centre where you now join organisational life."
        )


class MonthField(forms.DateField):
    """A month picked as YYYY-MM, stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class WhereaboutsOnBehalfForm(WhereaboutsForm):
    """A secretary enters a report for a member they keep, for any month so far."""

    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    month = MonthField(label=_("month"), initial=lambda: timezone.localdate().replace(day=1))

    class Meta(WhereaboutsForm.Meta):
        fields = ["member", "month", *WhereaboutsForm.Meta.fields]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.order_fields(["member", "month", *WhereaboutsForm.Meta.fields])
