"""Red packages in the Wagtail admin: requests to dispatch, stock, and the counts panel.

Who sees what (see ``portal.parcels.services``): org admins list and dispatch the requests of the
members they keep and assign packages to them; editors and org admins of a package's section
organisation (or above it) keep its stock. Everything else is a 404.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from portal.content.models import RedPackagePage
from portal.parcels import selectors as parcel_selectors
from portal.parcels import services as parcels
from portal.parcels.forms import (
    AssignForm,
    BulkDispatchForm,
    CancelForm,
    DispatchForm,
    form_page_render,
)
from portal.parcels.models import RedPackageRequest
from portal.parcels.permissions import keeps_members, permission_require
from portal.parcels.stock_viewsets import StockMovementViewSet, StockViewSet
from portal.registry.forms import validation_errors_add
from portal.registry.identity import mask_phone
from portal.registry.models import Member, Organization
from portal.registry.selectors import members_visible_to, organizations_managed_by
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin

User = get_user_model()
ASSIGN_LIST_LIMIT = 500
BULK_LIST_LIMIT = 100
State = RedPackageRequest.State


# --- Requests: the list to dispatch from --------------------------------------------------


def _townships(request):
    return organizations_managed_by(request.user).filter(level=Organization.Level.TOWNSHIP)


class RequestFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Township"), queryset=_townships, method="filter_township"
    )
    package = django_filters.ModelChoiceFilter(
        label=gettext_lazy("red package"), queryset=RedPackagePage.objects.order_by("title")
    )

    class Meta:
        model = RedPackageRequest
        fields = ["state", "source", "package"]

    def filter_township(self, queryset, name, value):
        return queryset.filter(member__origin__path__startswith=value.path)


class ScopedRequestMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return parcel_selectors.requests_dispatchable_by(self.request.user)


class RequestIndexView(ScopedRequestMixin, generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.state == State.WAITING:
            for label, name, icon in (
                (_("Dispatch"), "dispatch", "mail"),
                (_("Cancel"), "cancel", "cross"),
            ):
                url = reverse(f"portal_parcel_request:{name}", args=[instance.pk])
                buttons.append(ListingButton(label, url=url, icon_name=icon, priority=30))
        return buttons

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Assign a package"), url=reverse("portal_parcel_request:assign"), icon_name="plus"
            ),
            HeaderButton(
                _("Dispatch several"), url=reverse("portal_parcel_request:bulk"), icon_name="mail"
            ),
        ]


class RequestInspectView(ScopedRequestMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.pk)


def request_dispatch(request, pk: int):
    """Record the courier and tracking number of one waiting request."""
    permission_require(keeps_members, request)
    item = get_object_or_404(parcel_selectors.requests_dispatchable_by(request.user), pk=pk)
    form = DispatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parcels.package_request_dispatch(request=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Dispatched to %(name)s.") % {"name": item.member.name})
            return redirect("portal_parcel_request:index")
    context = {"form": form, "item": item, "heading": _("Dispatch a red package")}
    return form_page_render(request, "dispatch.html", context)


def request_cancel(request, pk: int):
    """Cancel a waiting request; its package goes back into stock."""
    permission_require(keeps_members, request)
    item = get_object_or_404(parcel_selectors.requests_dispatchable_by(request.user), pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parcels.package_request_cancel(request=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The request is cancelled and back in stock."))
            return redirect("portal_parcel_request:index")
    context = {"form": form, "item": item, "heading": _("Cancel a request")}
    return form_page_render(request, "cancel.html", context)


def request_bulk_dispatch(request):
    """Waiting requests with a tracking-number box each, one courier for all of them."""
    permission_require(keeps_members, request)
    form = BulkDispatchForm(request.POST or request.GET or None)
    waiting = parcel_selectors.requests_dispatchable_by(request.user).filter(state=State.WAITING)
    package = form.cleaned_data.get("package") if form.is_valid() else None
    if package:
        waiting = waiting.filter(package=package)
    waiting = list(waiting.order_by("requested_at", "pk")[:BULK_LIST_LIMIT])
    errors = {}
    if request.method == "POST" and form.is_valid():
        numbers = {item.pk: request.POST.get(f"tracking-{item.pk}", "") for item in waiting}
        sent, errors = parcels.packages_dispatch_many(
            tracking_numbers=numbers, courier=form.cleaned_data["courier"], user=request.user
        )
        if sent:
            messages.success(request, _("%(count)d packages dispatched.") % {"count": sent})
        if not errors:
            return redirect("portal_parcel_request:index")
    rows = [
        {
            "item": item,
            "errors": errors.get(item.pk, []),
            "number": request.POST.get(f"tracking-{item.pk}", ""),
        }
        for item in waiting
    ]
    return form_page_render(request, "bulk_dispatch.html", {"form": form, "rows": rows})


def _branch_members(user, organization: Organization | None) -> list[Member]:
    if organization is None:
        return []
    members = members_visible_to(user).filter(Q(origin=organization) | Q(host=organization))
    return list(members.select_related("origin").order_by("name")[:ASSIGN_LIST_LIMIT])


def request_assign(request):
    """Send a package to chosen members of a branch the secretary keeps, to the address on
    their record; the branch is chosen first (GET), then its members are ticked (POST)."""
    permission_require(keeps_members, request)
    form = AssignForm(request.POST or request.GET or None, user=request.user)
    organization = None
    if form.is_bound and not form.is_valid() and "organization" not in form.errors:
        organization = form.cleaned_data.get("organization")
    elif form.is_bound and form.is_valid():
        organization = form.cleaned_data["organization"]
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["members"])
        if not chosen:
            form.add_error("members", _("Tick at least one member."))
        else:
            made, refused = parcels.package_assign(
                package=form.cleaned_data["package"], members=chosen, user=request.user
            )
            for member, reason in refused.items():
                messages.error(request, f"{member.name}：{reason}")
            if made:
                message = _("%(count)d packages assigned.") % {"count": len(made)}
                messages.success(request, message)
            if not refused:
                return redirect("portal_parcel_request:index")
    context = {"form": form, "branch_members": _branch_members(request.user, organization)}
    return form_page_render(request, "assign.html", context)


class RequestViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedRequestMixin
    model = RedPackageRequest
    icon = "mail"
    menu_label = gettext_lazy("Requests")
    url_prefix = "red-packages/requests"
    index_view_class = RequestIndexView
    inspect_view_class = RequestInspectView
    inspect_view_enabled = True
    filterset_class = RequestFilterSet
    search_fields = ["member__name", "recipient", "tracking_number"]
    search_backend_name = None
    ordering = ["-requested_at", "-pk"]
    list_display = [
        "member",  # the title column: it carries the row's buttons
        Column("package", label=gettext_lazy("red package")),
        Column("member.origin", label=gettext_lazy("origin branch")),
        Column("recipient", label=gettext_lazy("recipient")),
        Column("masked_phone", label=gettext_lazy("phone"), accessor=lambda r: mask_phone(r.phone)),
        Column("get_state_display", label=gettext_lazy("state")),
        Column("tracking_number", label=gettext_lazy("tracking number")),
        DateColumn("requested_at", label=gettext_lazy("requested at")),
    ]
    inspect_view_fields = [
        "package",
        "member",
        "source",
        "state",
        "recipient",
        "address",
        "requested_by",
        "requested_at",
        "courier",
        "tracking_number",
        "dispatched_by",
        "dispatched_at",
        "received_at",
        "cancelled_at",
        "cancel_reason",
    ]

    def get_form_class(self, for_update=False):  # requests are made by the views below
        return None

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/dispatch/", request_dispatch, name="dispatch"),
            path("<int:pk>/cancel/", request_cancel, name="cancel"),
            path("dispatch/", request_bulk_dispatch, name="bulk"),
            path("assign/", request_assign, name="assign"),
        ]


# --- Stock --------------------------------------------------------------------------------


class ParcelViewSetGroup(ModelViewSetGroup):
    items = (
        RequestViewSet("portal_parcel_request"),
        StockViewSet("portal_stock"),
        StockMovementViewSet("portal_stock_movement"),
    )
    menu_label = gettext_lazy("Red packages")
    menu_icon = "mail"
    menu_order = 220
