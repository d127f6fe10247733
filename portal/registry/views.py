from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from portal.celery import app as celery_app
from portal.registry.forms import ActivationForm, SiteLoginForm
from portal.registry.selectors import member_for_user
from portal.registry.services import member_activate
from portal.registry.throttles import (
    activation_failure_record,
    activation_held_back,
    client_address,
    throttle_minutes,
)
from search.selectors import engine_status


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once a login is locked: when to try again, in minutes."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"cooloff_minutes": minutes}
    return render(request, "portal/locked_out.html", context, status=429)


class SiteLoginView(LoginView):
    form_class = SiteLoginForm
    template_name = "portal/login.html"
    redirect_authenticated_user = True


class SiteLogoutView(LogoutView):
    """Only a POST logs out (Django's LogoutView answers anything else 405, untouched)."""


class AdminLogoutView(WagtailLogoutView):
    """Wagtail's logout, but only for a POST: Wagtail deletes the session cookie and queues
    its message whatever the method, so a cross-site image (a GET) would log an admin out."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":  # OPTIONS too would pass through Wagtail's deletion
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address, phone = client_address(request), form.cleaned_data["phone"]
        if activation_held_back(address=address, phone=phone):
            context = {"minutes": throttle_minutes()}
            return render(request, "portal/activation_held_back.html", context, status=429)
        try:
            user = member_activate(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            if "code" in exc.message_dict:
                activation_failure_record(address=address, phone=phone)
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="portal.registry.backends.ModelBackend")
            return redirect("/")
    return render(request, "portal/activate.html", {"form": form})


@login_required
def me(request):
    """The 我的 tab: the member's own pages (whereabouts, activity certificate, micro-lectures)
    and logging out, one tap away. A login with no member record sees what applies to it."""
    return render(request, "portal/me.html", {"member": member_for_user(request.user)})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def _broker_status() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - kombu raises many transport-specific errors
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers; broker and search are reported, not required."""
    state = {"database": _database_status(), "broker": _broker_status(), "search": engine_status()}
    return JsonResponse(state, status=200 if state["database"] == "ok" else 503)
