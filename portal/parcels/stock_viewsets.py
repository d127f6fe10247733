"""Red-package stock in the admin: the stock list and its movements (restock, correct)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from portal.parcels import selectors as parcel_selectors
from portal.parcels import services as parcels
from portal.parcels.forms import StockMovementForm, form_page_render
from portal.parcels.models import RedPackageStock, StockMovement
from portal.parcels.permissions import keeps_stock, permission_require
from portal.registry.forms import validation_errors_add
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin


class ScopedStockMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        packages = parcel_selectors.packages_stocked_by(self.request.user)
        return RedPackageStock.objects.filter(package__in=packages).select_related("package")


class StockIndexView(ScopedStockMixin, generic.IndexView):
    def get_list_more_buttons(self, instance):
        url = reverse("portal_stock_movement:add") + f"?package={instance.pk}"
        return [ListingButton(_("Restock or correct"), url=url, icon_name="plus", priority=30)]


class StockViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedStockMixin
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


def stock_movement_add(request):
    permission_require(keeps_stock, request)
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
    return form_page_render(request, "stock_movement.html", context)


class ScopedMovementMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        packages = parcel_selectors.packages_stocked_by(self.request.user)
        return StockMovement.objects.filter(package__in=packages).select_related(
            "package", "made_by"
        )


class MovementIndexView(ScopedMovementMixin, generic.IndexView):
    add_item_label = gettext_lazy("Restock or correct")


class StockMovementViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedMovementMixin
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
