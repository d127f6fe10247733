"""Shortlists (候选名单) in the admin: the department's lists, a list's candidates (masked
phone, note, remove), create, rename, delete, and the endpoint the desk's results use to put
people on a list.

Recruiters see and change their department's shortlists; county org admins read them all;
anyone else gets a 403, and a shortlist outside what the user sees is a 404.

For the recruiter desk (helper B) — putting candidates on a shortlist:

    POST {% url 'talent_shortlists:add' %}
        profile    a profile pk; repeat it for each person chosen (required)
        shortlist  the pk of one of the user's department's shortlists, or
        new_name   the name of a new shortlist to create and fill (used when shortlist is empty)
        next       where to go back to (the desk's URL with its query); optional, must be a
                   local URL; default the shortlist's page
    Answers with a redirect to ``next`` and a success or error message (Chinese, naming the
    field). ``talent.shortlist_views.shortlists_for_desk(user)`` lists the shortlists the
    user may add to, for the desk's select box.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from . import shortlists as services
from .models import Shortlist
from .shortlist_selectors import (
    can_edit_shortlist,
    can_use_shortlists,
    recruiting_departments,
    shortlist_entries_for,
    shortlists_editable_by,
    shortlists_visible_to,
)
from .viewsets import MenuViewSet

FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "organization": gettext_lazy("recruiting department"),
    "profiles": gettext_lazy("candidates"),
    "shortlist": gettext_lazy("shortlist"),
    "note": gettext_lazy("note"),
}


def shortlists_for_desk(user):
    """The shortlists ``user`` may add people to, for a select box on the desk."""
    return shortlists_editable_by(user).select_related("organization").order_by("name")


def _require(request) -> None:
    if not can_use_shortlists(request.user):
        raise PermissionDenied


def _require_post(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _error_lines(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        f"{FIELD_LABELS[field]}：{message}" if field in FIELD_LABELS else message
        for field, field_messages in exc.message_dict.items()
        for message in field_messages
    ]


def _message_errors(request, exc: ValidationError) -> None:
    for line in _error_lines(exc):
        messages.error(request, line)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, field_messages in exc.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


class ShortlistForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=services.NAME_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Give the shortlist a name.")},
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("recruiting department"),
        queryset=None,
        required=False,
        empty_label=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = recruiting_departments(user).order_by("path")
        self.fields["organization"].queryset = departments
        if len(departments) <= 1:
            del self.fields["organization"]


class RenameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=services.NAME_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Give the shortlist a name.")},
    )


def _index_context(request, form) -> dict:
    return {
        "shortlists": shortlists_visible_to(request.user).order_by("organization__path", "name"),
        "form": form,
        "may_create": recruiting_departments(request.user).exists(),
    }


def shortlist_index(request):
    _require(request)
    form = ShortlistForm(user=request.user)
    return render(request, "talent/shortlists/index.html", _index_context(request, form))


def shortlist_create(request):
    _require(request)
    if refused := _require_post(request):
        return refused
    form = ShortlistForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            shortlist = services.shortlist_create(
                user=request.user,
                name=form.cleaned_data["name"],
                organization=form.cleaned_data.get("organization"),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Shortlist “%(name)s” created.") % {"name": shortlist})
            return redirect("talent_shortlists:detail", shortlist.pk)
    context = _index_context(request, form)
    return render(request, "talent/shortlists/index.html", context, status=400)


def _visible_shortlist(request, pk) -> Shortlist:
    return get_object_or_404(shortlists_visible_to(request.user), pk=pk)


def _editable_shortlist(request, pk) -> Shortlist:
    shortlist = _visible_shortlist(request, pk)
    if not can_edit_shortlist(request.user, shortlist):
        raise PermissionDenied
    return shortlist


def _detail_context(request, shortlist, rename_form=None) -> dict:
    return {
        "shortlist": shortlist,
        "entries": shortlist_entries_for(request.user, shortlist),
        "may_edit": can_edit_shortlist(request.user, shortlist),
        "rename_form": rename_form or RenameForm(initial={"name": shortlist.name}),
    }


def shortlist_detail(request, pk):
    _require(request)
    shortlist = _visible_shortlist(request, pk)
    return render(request, "talent/shortlists/detail.html", _detail_context(request, shortlist))


def shortlist_rename(request, pk):
    _require(request)
    if refused := _require_post(request):
        return refused
    shortlist = _editable_shortlist(request, pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.shortlist_rename(
                user=request.user, shortlist=shortlist, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Shortlist renamed."))
            return redirect("talent_shortlists:detail", shortlist.pk)
    shortlist.refresh_from_db()
    context = _detail_context(request, shortlist, rename_form=form)
    return render(request, "talent/shortlists/detail.html", context, status=400)


def shortlist_delete(request, pk):
    _require(request)
    shortlist = _editable_shortlist(request, pk)
    if request.method == "POST":
        name = shortlist.name
        services.shortlist_delete(user=request.user, shortlist=shortlist)
        messages.success(request, _("Shortlist “%(name)s” deleted.") % {"name": name})
        return redirect("talent_shortlists:index")
    context = {"shortlist": shortlist, "count": shortlist.entries.count()}
    return render(request, "talent/shortlists/delete.html", context)


def shortlist_remove(request, pk):
    _require(request)
    if refused := _require_post(request):
        return refused
    shortlist = _editable_shortlist(request, pk)
    try:
        removed = services.shortlist_entries_remove(
            user=request.user, shortlist=shortlist, profile_ids=request.POST.getlist("profile")
        )
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Taken off the shortlist: %(count)d.") % {"count": removed})
    return redirect("talent_shortlists:detail", shortlist.pk)


def shortlist_note(request, pk, entry_pk):
    _require(request)
    if refused := _require_post(request):
        return refused
    shortlist = _editable_shortlist(request, pk)
    entry = get_object_or_404(shortlist_entries_for(request.user, shortlist), pk=entry_pk)
    try:
        services.shortlist_entry_note_set(
            user=request.user, entry=entry, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Note saved."))
    return redirect("talent_shortlists:detail", shortlist.pk)


def _target_shortlist(request) -> Shortlist:
    """The chosen shortlist, or a new one of the given name; inside the caller's transaction."""
    chosen = request.POST.get("shortlist", "").strip()
    if chosen:
        if not chosen.isdigit():
            raise ValidationError({"shortlist": _("Choose a shortlist.")})
        shortlist = shortlists_editable_by(request.user).filter(pk=int(chosen)).first()
        if shortlist is None:
            raise ValidationError({"shortlist": _("Choose a shortlist.")})
        return shortlist
    name = request.POST.get("new_name", "")
    if not name.strip():
        raise ValidationError({"shortlist": _("Choose a shortlist or name a new one.")})
    return services.shortlist_create(user=request.user, name=name)


def shortlist_add(request):
    """POST profile (repeated), shortlist or new_name, next: see the module's docstring."""
    _require(request)
    if refused := _require_post(request):
        return refused
    if not recruiting_departments(request.user).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            shortlist = _target_shortlist(request)
            added = services.shortlist_entries_add(
                user=request.user,
                shortlist=shortlist,
                profile_ids=request.POST.getlist("profile"),
            )
    except ValidationError as exc:
        _message_errors(request, exc)
        return redirect(_safe_next(request, reverse("talent_shortlists:index")))
    messages.success(
        request,
        _("Added to the shortlist “%(name)s”: %(count)d.") % {"name": shortlist, "count": added},
    )
    default = reverse("talent_shortlists:detail", args=[shortlist.pk])
    return redirect(_safe_next(request, default))


class ShortlistMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_shortlists(request.user)


class ShortlistViewSet(MenuViewSet):
    """候选名单: the recruiting department's shortlists, a top-level admin menu item."""

    icon = "list-ul"
    menu_label = gettext_lazy("Shortlists")
    menu_order = 231
    url_prefix = "talent/shortlists"
    menu_item_class = ShortlistMenuItem

    def get_urlpatterns(self):
        return [
            path("", shortlist_index, name="index"),
            path("new/", shortlist_create, name="create"),
            path("add/", shortlist_add, name="add"),
            path("<int:pk>/", shortlist_detail, name="detail"),
            path("<int:pk>/rename/", shortlist_rename, name="rename"),
            path("<int:pk>/delete/", shortlist_delete, name="delete"),
            path("<int:pk>/remove/", shortlist_remove, name="remove"),
            path("<int:pk>/entries/<int:entry_pk>/note/", shortlist_note, name="note"),
        ]
