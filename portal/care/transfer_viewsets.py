"""Transfers of the membership relation (组织关系转接) in the Wagtail admin.

The origin side submits; the destination side accepts or rejects with a reason; the origin
side completes an accepted transfer, which moves the member's origin. Both sides see the
transfer and its steps, nobody else (``care_selectors.transfers_visible_to``); the state
machine and who may take each step are ``care``'s.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.care import selectors as care_selectors
from portal.care import services as care
from portal.care.case_viewsets import CareCaseViewSet
from portal.care.models import Transfer
from portal.care.viewsets import (
    KeptMemberFormMixin,
    LiaisonViewSet,
    ServiceValidatedForm,
    TalkViewSet,
    action_form_render,
    org_admin_require,
)
from portal.registry.models import Organization
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin, ServiceFormMixin

State = Transfer.State
# Each action: the state it leads to, its label, and the service that takes it.
ACTIONS = {
    "accept": (State.ACCEPTED, _("Accept"), care.transfer_accept),
    "reject": (State.REJECTED, _("Reject"), care.transfer_reject),
    "complete": (State.COMPLETED, _("Complete the transfer"), care.transfer_complete),
}


class TransferForm(KeptMemberFormMixin, ServiceValidatedForm):
    class Meta:
        model = Transfer
        fields = ["member", "destination", "reason"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["destination"].queryset = Organization.objects.home_side().filter(
            kind__in=care.DESTINATION_KINDS
        )
        self.fields["destination"].label_from_instance = lambda org: org.indented_name
        self.scope_member(care_selectors.transfer_members_for(for_user))


class ScopedTransferMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return care_selectors.transfers_visible_to(self.request.user)


class TransferIndexView(ScopedTransferMixin, generic.IndexView):
    pass


class TransferCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return care.transfer_submit(user=self.request.user, **self.form.cleaned_data)


def transfer_actions_for(transfer: Transfer, user) -> list[tuple[str, str]]:
    """The actions ``user`` may take on ``transfer`` now, as (name, label)."""
    return [
        (name, label)
        for name, (state, label, _service) in ACTIONS.items()
        if care.TRANSFER_MOVES[state] == transfer.state
        and care.transfer_side_allowed(transfer=transfer, user=user, state=state)
    ]


class TransferInspectView(ScopedTransferMixin, generic.InspectView):
    template_name = "portal/care/admin_transfer_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = self.object.steps.select_related("actor")
        context["actions"] = [
            (reverse("portal_transfer:act", args=[self.object.pk, name]), label)
            for name, label in transfer_actions_for(self.object, self.request.user)
        ]
        return context


class StepForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("transfer", "comment"),
        max_length=300,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )


def transfer_act(request, pk: int, action: str):
    """Accept, reject or complete a transfer the user sees; the service says whether they may."""
    org_admin_require(request)
    if action not in ACTIONS:
        raise PermissionDenied
    transfer = get_object_or_404(care_selectors.transfers_visible_to(request.user), pk=pk)
    state, label, service = ACTIONS[action]
    form = StepForm(request.POST or None)
    if action == "reject":
        form.fields["comment"].required = True
        form.fields["comment"].label = _("reason")
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if action == "reject":
                service(transfer=transfer, user=request.user, reason=comment)
            else:
                service(transfer=transfer, user=request.user, comment=comment)
        except ValidationError as exc:
            form.add_error("comment" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(request, _("The transfer is now %(state)s.") % {"state": state.label})
            return redirect("portal_transfer:inspect", transfer.pk)
    title = f"{label}: {transfer}"
    return action_form_render(request, form=form, title=title, icon="resubmit", obj=transfer)


def transfer_state(transfer: Transfer) -> str:
    return transfer.get_state_display()


class TransferViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedTransferMixin
    model = Transfer
    icon = "resubmit"
    menu_label = _("Membership transfers")
    url_prefix = "care/transfers"
    index_view_class = TransferIndexView
    add_view_class = TransferCreateView
    inspect_view_class = TransferInspectView
    inspect_view_enabled = True
    search_fields = ["member__name", "reason"]
    search_backend_name = None
    list_filter = ["state"]
    list_display = [
        TitleColumn("member", label=_("member"), url_name="portal_transfer:inspect"),
        Column("source", label=_("from")),
        Column("destination", label=_("to")),
        Column("state", label=_("state"), accessor=transfer_state),
        DateColumn("created_at", label=_("submitted at")),
    ]
    inspect_view_fields = ["member", "source", "destination", "reason", "state", "created_at"]

    def get_form_class(self, for_update=False):
        return TransferForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/<str:action>/", transfer_act, name="act"),
        ]


class CareViewSetGroup(ModelViewSetGroup):
    """The "Care" menu: liaisons, talks, the care ledger and transfers (here, since this module
    already builds on ``care_viewsets``)."""

    items = (
        LiaisonViewSet("portal_liaison"),
        TalkViewSet("portal_talk"),
        CareCaseViewSet("portal_care_case"),
        TransferViewSet("portal_transfer"),
    )
    menu_label = _("Care")
    menu_icon = "heart"
    menu_order = 215
