"""Red packages in the Wagtail admin: requests to dispatch, stock, and the counts panel.

Who sees what (see ``portal.parcels.services``): org admins list and dispatch the requests of the
members they keep and assign packages to them; editors and org admins of a package's section
organisation (or above it) keep its stock. Everything else is a 404.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.parcels import selectors as parcel_selectors
from portal.parcels import services as parcels
from portal.parcels.models import RedPackagePage, RedPackageRequest, RedPackageStock, StockMovement
from portal.registry.forms import validation_errors_add
from portal.registry.identity import mask_phone
from portal.registry.models import Member, Organization, Role
from portal.registry.selectors import members_visible_to, organizations_managed_by
from portal.registry.viewsets import ScopedQuerysetMixin

User = get_user_model()
ASSIGN_LIST_LIMIT = 500
BULK_LIST_LIMIT = 100
State = RedPackageRequest.State


# --- Who may ------------------------------------------------------------------------------


def keeps_members(user) -> bool:
    """Org admins (and superusers): they dispatch and assign. Cached for the request."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_guiyan_keeps_members"):
        user._guiyan_keeps_members = organizations_managed_by(user).exists()
    return user._guiyan_keeps_members


def keeps_stock(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_guiyan_keeps_stock"):
        user._guiyan_keeps_stock = parcel_selectors.user_keeps_stock(user)
    return user._guiyan_keeps_stock


class ParcelPermissionPolicy(BasePermissionPolicy):
    """``actions`` for whoever ``allowed(user)``; the views' scope says on what."""

    def __init__(self, model, actions, allowed, roles):
        super().__init__(model)
        self.actions, self.allowed, self.roles = frozenset(actions), allowed, roles

    def user_has_permission(self, user, action):
        return action in self.actions and self.allowed(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions.intersection(actions)) and self.allowed(user)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return User.objects.none()
        holders = Q(is_superuser=True) | Q(role_assignments__role__in=self.roles)
        return User.objects.filter(holders, is_active=True).distinct()


STOCK_ROLES = [Role.EDITOR, Role.ORG_ADMIN]
register_permission_policy(
    RedPackageRequest,
    ParcelPermissionPolicy(RedPackageRequest, {"view"}, keeps_members, [Role.ORG_ADMIN]),
)
register_permission_policy(
    RedPackageStock, ParcelPermissionPolicy(RedPackageStock, {"view"}, keeps_stock, STOCK_ROLES)
)
register_permission_policy(
    StockMovement,
    ParcelPermissionPolicy(StockMovement, {"view", "add"}, keeps_stock, STOCK_ROLES),
)


def _require(allowed, request) -> None:
    if not allowed(request.user):
        raise PermissionDenied


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


class DispatchForm(forms.Form):
    courier = forms.CharField(
        label=gettext_lazy("courier"),
        max_length=50,
        widget=forms.TextInput(attrs={"list": "couriers"}),
    )
    tracking_number = forms.CharField(label=gettext_lazy("tracking number"), max_length=40)


def _render_form(request, template: str, context: dict, status: int = 200):
    context.setdefault("couriers", parcels.COURIERS)
    return TemplateResponse(request, f"portal/parcels/admin/{template}", context, status=status)


def request_dispatch(request, pk: int):
    """Record the courier and tracking number of one waiting request."""
    _require(keeps_members, request)
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
    return _render_form(request, "dispatch.html", context)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)


def request_cancel(request, pk: int):
    """Cancel a waiting request; its package goes back into stock."""
    _require(keeps_members, request)
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
    return _render_form(request, "cancel.html", context)


class BulkDispatchForm(forms.Form):
    courier = DispatchForm.base_fields["courier"]
    package = forms.ModelChoiceField(
        label=gettext_lazy("red package"),
        queryset=RedPackagePage.objects.order_by("title"),
        required=False,
    )


def request_bulk_dispatch(request):
    """Waiting requests with a tracking-number box each, one courier for all of them."""
    _require(keeps_members, request)
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
    return _render_form(request, "bulk_dispatch.html", {"form": form, "rows": rows})


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


def _branch_members(user, organization: Organization | None) -> list[Member]:
    if organization is None:
        return []
    members = members_visible_to(user).filter(Q(origin=organization) | Q(host=organization))
    return list(members.select_related("origin").order_by("name")[:ASSIGN_LIST_LIMIT])


def request_assign(request):
    """Send a package to chosen members of a branch the secretary keeps, to the address on
    their record; the branch is chosen first (GET), then its members are ticked (POST)."""
    _require(keeps_members, request)
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
    return _render_form(request, "assign.html", context)


class RequestViewSet(ModelViewSet):
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


class ScopedStockMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        packages = parcel_selectors.packages_stocked_by(self.request.user)
        return RedPackageStock.objects.filter(package__in=packages).select_related("package")


class StockIndexView(ScopedStockMixin, generic.IndexView):
    def get_list_more_buttons(self, instance):
        url = reverse("portal_stock_movement:add") + f"?package={instance.pk}"
        return [ListingButton(_("Restock or correct"), url=url, icon_name="plus", priority=30)]


class StockViewSet(ModelViewSet):
    model = RedPackageStock
    icon = "folder-inverse"
    menu_label = gettext_lazy("Stock")
    url_prefix = "red-packages/stock"
    index_view_class = StockIndexView
    search_fields = ["package__title"]
    search_backend_name = None
    ordering = ["package__title"]
    list_display = [
        "package",
        Column("available", label=gettext_lazy("packages in stock")),
        DateColumn("updated_at", label=gettext_lazy("updated at")),
    ]

    def get_form_class(self, for_update=False):
        return None


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


def stock_movement_add(request):
    _require(keeps_stock, request)
    initial = {"package": request.GET.get("package")}
    form = StockMovementForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            movement = parcels.package_stock_move(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            message = _("%(package)s: %(count)d in stock.")
            count = movement.package.available
            messages.success(request, message % {"package": movement.package, "count": count})
            return redirect("portal_stock:index")
    context = {"form": form, "heading": _("Restock or correct")}
    return _render_form(request, "stock_movement.html", context)


class ScopedMovementMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        packages = parcel_selectors.packages_stocked_by(self.request.user)
        return StockMovement.objects.filter(package__in=packages).select_related(
            "package", "made_by"
        )


class MovementIndexView(ScopedMovementMixin, generic.IndexView):
    add_item_label = gettext_lazy("Restock or correct")


class StockMovementViewSet(ModelViewSet):
    model = StockMovement
    icon = "history"
    menu_label = gettext_lazy("Stock movements")
    url_prefix = "red-packages/stock-movements"
    index_view_class = MovementIndexView
    list_filter = ["package"]
    ordering = ["-made_at", "-pk"]
    list_display = [
        Column("package", label=gettext_lazy("red package")),
        Column("change", label=gettext_lazy("change")),
        Column("reason", label=gettext_lazy("reason")),
        Column("made_by", label=gettext_lazy("made by")),
        DateColumn("made_at", label=gettext_lazy("made at")),
    ]

    def get_form_class(self, for_update=False):
        return None

    @property
    def add_view(self):
        return stock_movement_add


class ParcelViewSetGroup(ModelViewSetGroup):
    items = (
        RequestViewSet("portal_parcel_request"),
        StockViewSet("portal_stock"),
        StockMovementViewSet("portal_stock_movement"),
    )
    menu_label = gettext_lazy("Red packages")
    menu_icon = "mail"
    menu_order = 220
