from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app as celery_app
from portal.registry.forms import ActivationForm, SiteLoginForm
from portal.registry.services import member_activate
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
    pass


def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = member_activate(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("/")
    return render(request, "portal/activate.html", {"form": form})


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
