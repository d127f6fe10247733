"""Forms of the credit admin: a rule's organisation, a correction by hand, a reversal."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.registry.selectors import members_visible_to, organizations_managed_by


class OrganizationScopedForm(WagtailAdminModelForm):
    """A rule form whose organisation is one the user keeps."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(for_user)


class CorrectionForm(forms.Form):
    member_phone = forms.CharField(label=_("member's phone"), max_length=11)
    occurred_on = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    hours = forms.DecimalField(label=_("study hours"), max_digits=5, decimal_places=1, initial=0)
    points = forms.IntegerField(label=_("points"), initial=0)
    deduction = forms.IntegerField(label=_("12-point deduction"), initial=0)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_member_phone(self):
        phone = self.cleaned_data["member_phone"].strip()
        member = members_visible_to(self.user).filter(phone=phone).first()
        if member is None:
            raise ValidationError(_("No member you keep has this phone number."))
        return member


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
