"""Red packages on the member's phone: request one from its page, follow it, confirm it came.

The request form lives on the package page (``package_page_context`` fills the page's
context); its POST comes here, and a refusal shows the page again with the form's errors.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.content.middleware import pages_generation
from portal.content.models import RedPackageCatalogPage, RedPackagePage
from portal.content.page_views import page_view
from portal.content.selectors import pages_visible_to, red_package_catalogs, red_packages_in
from portal.parcels import selectors as parcel_selectors
from portal.parcels import services as parcels
from portal.parcels.models import RedPackageRequest
from portal.registry.forms import validation_errors_add
from portal.registry.member_fragments import member_fragments
from portal.registry.selectors import member_for_user


class PackageRequestForm(forms.Form):
    recipient = forms.CharField(label=gettext_lazy("Recipient"), max_length=50)
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=gettext_lazy("Where you live now: the package is mailed there."),
    )


@page_view(RedPackagePage)
def package_page_context(page: RedPackagePage, request, form=None) -> dict:
    """What the package page shows about requesting it to the visitor: the form when they
    may ask, their open request when they asked, or why they may not."""
    member = member_for_user(request.user)
    if member is None:
        return {"request_form": None, "open_request": None, "refusal": None}
    open_request = parcel_selectors.package_open_request(package=page, member=member)
    refusal = (
        None if open_request else parcel_selectors.package_refusal(package=page, member=member)
    )
    may_ask = open_request is None and refusal is None and page.available > 0
    if may_ask and form is None:
        form = PackageRequestForm(initial=parcel_selectors.shipping_initial(member))
    return {
        "request_form": form if may_ask else None,
        "open_request": open_request,
        "refusal": refusal,
    }


@page_view(RedPackageCatalogPage)
def catalog_page_context(page: RedPackageCatalogPage, request) -> dict:
    """The catalog's packages, and which of them this visitor may request: for a member,
    rendered once per change to their records, the content or the stock
    (portal.registry.member_fragments)."""
    member = member_for_user(request.user)
    if member is None:
        packages = red_packages_in(page, request.user)
        return {"packages": packages, "requestable": set(), "packages_html": None}

    def build() -> dict:
        packages = red_packages_in(page, request.user)
        context = {
            "packages": packages,
            "requestable": parcel_selectors.packages_requestable_by(packages, member),
        }
        html = render_to_string("portal/_catalog_packages.html", context, request)
        return {"packages_html": html}

    varies = (page.pk, pages_generation(request))
    return member_fragments(member, "catalog", build, *varies, request=request)


def _member_or_404(request):
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    return member


@never_cache
@login_required
@require_POST
def package_request(request, page_id: int):
    """Ask for the package; on a refusal the page again, with what to correct."""
    member = _member_or_404(request)
    pages = pages_visible_to(RedPackagePage.objects.live(), request.user)
    page = get_object_or_404(pages, pk=page_id)
    form = PackageRequestForm(request.POST)
    if form.is_valid():
        try:
            parcels.package_request_create(
                package=page, member=member, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Your request is in: the branch will mail the package."))
            return redirect("my_packages")
    context = page.get_context(request)
    context.update(package_page_context(page, request, form))
    context["request_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=400)


@never_cache
@login_required
@require_GET
def my_packages(request):
    """The member's requests and where to choose a package: rendered once per change to
    their records, the stock or the content (portal.registry.member_fragments). The kept
    HTML holds no CSRF token: each row's button names its action and submits the page's
    one form, which carries this request's token."""
    member = member_for_user(request.user)
    if member is None:
        context = {"member": None, "catalogs": red_package_catalogs(request.user)}
        return TemplateResponse(request, "portal/parcels/my_packages.html", context)

    def build() -> dict:
        requests = list(parcel_selectors.requests_of_member(member))
        context = {
            "package_requests": requests,
            "catalogs": red_package_catalogs(request.user),
            "State": RedPackageRequest.State,
        }
        html = render_to_string("portal/parcels/_packages.html", context, request)
        acting = {RedPackageRequest.State.WAITING, RedPackageRequest.State.DISPATCHED}
        return {"packages_html": html, "actionable": any(r.state in acting for r in requests)}

    varies = (request.user.pk, pages_generation(request))
    pieces = member_fragments(member, "packages", build, *varies, request=request)
    context = {"member": member, **pieces}
    return TemplateResponse(request, "portal/parcels/my_packages.html", context)


def _own_request(request, pk: int) -> RedPackageRequest:
    member = _member_or_404(request)
    return get_object_or_404(parcel_selectors.requests_of_member(member), pk=pk)


@login_required
@require_POST
def package_receive(request, pk: int):
    package_request = _own_request(request, pk)
    try:
        parcels.package_request_receive(request=package_request, member=package_request.member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Receipt confirmed. Thank you."))
    return redirect("my_packages")


@login_required
@require_POST
def package_cancel(request, pk: int):
    package_request = _own_request(request, pk)
    try:
        parcels.package_request_cancel(request=package_request, reason=_("Cancelled by the member"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request is cancelled."))
    return redirect("my_packages")
