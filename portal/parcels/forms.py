"""Forms of the red-package admin: dispatch, cancel, assign and move stock."""

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from portal.content.models import RedPackagePage
from portal.parcels import selectors as parcel_selectors
from portal.parcels import services as parcels
from portal.registry.models import Member, Organization
from portal.registry.selectors import members_visible_to, organizations_managed_by


class DispatchForm(forms.Form):
    courier = forms.CharField(
        label=gettext_lazy("courier"),
        max_length=50,
        widget=forms.TextInput(attrs={"list": "couriers"}),
    )
    tracking_number = forms.CharField(label=gettext_lazy("tracking number"), max_length=40)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)


class BulkDispatchForm(forms.Form):
    courier = DispatchForm.base_fields["courier"]
    package = forms.ModelChoiceField(
        label=gettext_lazy("red package"),
        queryset=RedPackagePage.objects.order_by("title"),
        required=False,
    )


class AssignForm(forms.Form):
    package = forms.ModelChoiceField(
        label=gettext_lazy("red package"), queryset=RedPackagePage.objects.live().order_by("title")
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("branch"), queryset=Organization.objects.none()
    )
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("members"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(user)
        self.fields["members"].queryset = members_visible_to(user)


class StockMovementForm(forms.Form):
    package = forms.ModelChoiceField(
        label=gettext_lazy("red package"), queryset=RedPackagePage.objects.none()
    )
    change = forms.IntegerField(
        label=gettext_lazy("change"),
        help_text=gettext_lazy("Packages that came in; a negative number for a correction."),
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = parcel_selectors.packages_stocked_by(user).order_by(
            "title"
        )


def form_page_render(request, template: str, context: dict, status: int = 200):
    context.setdefault("couriers", parcels.COURIERS)
    return TemplateResponse(request, f"portal/parcels/admin/{template}", context, status=status)
