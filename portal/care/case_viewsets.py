"""The care ledger (困难党员关怀台账) in the Wagtail admin: org admins open a case for a member
they keep, record visits and close it. Members never see it; another subtree's cases are 404.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from portal.care import selectors as care_selectors
from portal.care import services as care
from portal.care.models import CareCase, CareVisit
from portal.care.viewsets import (
    KeptMemberFormMixin,
    action_form_render,
    date_widget,
    org_admin_require,
)
from portal.registry.forms import validation_errors_add
from portal.registry.selectors import members_visible_to
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin, ServiceFormMixin

# --- The care ledger ------------------------------------------------------------------------


class CareCaseForm(KeptMemberFormMixin, WagtailAdminModelForm):
    class Meta:
        model = CareCase
        fields = ["member", "hardship", "description", "opened_on"]
        widgets = {"opened_on": date_widget()}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate
        self.scope_member(members_visible_to(for_user))


class CareCaseFilterSet(WagtailFilterSet):
    open = django_filters.BooleanFilter(
        label=_("open"), field_name="closed_on", lookup_expr="isnull"
    )

    class Meta:
        model = CareCase
        fields = ["hardship"]


class ScopedCareCaseMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return care_selectors.care_cases_visible_to(self.request.user)


class CareCaseIndexView(ScopedCareCaseMixin, generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.closed_on is None:
            for name, label, icon in (
                ("visit", _("Record a visit"), "plus"),
                ("close", _("Close the case"), "cross"),
            ):
                url = reverse(f"portal_care_case:{name}", args=[instance.pk])
                buttons.append(ListingButton(label, url=url, icon_name=icon))
        return buttons


class CareCaseCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return care.care_case_open(opened_by=self.request.user, **self.form.cleaned_data)


class CareCaseInspectView(ScopedCareCaseMixin, generic.InspectView):
    template_name = "portal/care/admin_case_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visits"] = self.object.visits.select_related("recorded_by")
        return context


class CareVisitForm(forms.ModelForm):
    class Meta:
        model = CareVisit
        fields = ["visited_on", "visitors", "help_given", "amount"]
        widgets = {"visited_on": date_widget()}

    def clean_amount(self):
        # On the field, before the model's check constraint reports it without naming it.
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(care.AMOUNT_POSITIVE_MESSAGE)
        return amount


def _open_case_or_404(request, pk: int) -> CareCase:
    org_admin_require(request)
    return get_object_or_404(care_selectors.care_cases_visible_to(request.user), pk=pk)


def care_visit_add(request, pk: int):
    case = _open_case_or_404(request, pk)
    form = CareVisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            care.care_visit_record(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("portal_care_case:inspect", case.pk)
    title = _("Record a visit: %(case)s") % {"case": case}
    return action_form_render(request, form=form, title=title, icon="plus", obj=case)


class CloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("closed on"), widget=date_widget(), initial=timezone.localdate
    )


def care_case_close(request, pk: int):
    case = _open_case_or_404(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            care.care_case_close(case=case, closed_on=form.cleaned_data["closed_on"])
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("portal_care_case:index")
    title = _("Close the case: %(case)s") % {"case": case}
    return action_form_render(request, form=form, title=title, icon="cross", obj=case)


def case_hardship(case: CareCase) -> str:
    return case.get_hardship_display()


class CareCaseViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedCareCaseMixin
    model = CareCase
    icon = "heart"
    menu_label = _("Care ledger")
    url_prefix = "care/cases"
    index_view_class = CareCaseIndexView
    add_view_class = CareCaseCreateView
    inspect_view_class = CareCaseInspectView
    inspect_view_enabled = True
    filterset_class = CareCaseFilterSet
    search_fields = ["member__name", "description"]
    search_backend_name = None
    list_display = [
        TitleColumn("member", label=_("member"), url_name="portal_care_case:inspect"),
        Column("member.masked_phone", label=_("phone")),
        Column("hardship", label=_("hardship"), accessor=case_hardship),
        DateColumn("opened_on", label=_("opened on")),
        DateColumn("closed_on", label=_("closed on")),
    ]
    inspect_view_fields = ["member", "hardship", "description", "opened_on", "closed_on"]

    def get_form_class(self, for_update=False):
        return CareCaseForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/visit/", care_visit_add, name="visit"),
            path("<int:pk>/close/", care_case_close, name="close"),
        ]
