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
    field). ``talent.shortlists.selectors.shortlists_for_desk(user)`` lists the shortlists
    the user may add to, for the desk's select box.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.desk.compare import TICKED_PARAM, ticked_keys
from talent.forms import error_lines
from talent.models import Shortlist
from talent.shortlists import services
from talent.shortlists.forms import RenameForm, ShortlistForm
from talent.shortlists.selectors import (
    can_edit_shortlist,
    recruiting_departments,
    shortlist_entries_for,
    shortlists_editable_by,
    shortlists_visible_to,
)

FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "organization": gettext_lazy("recruiting department"),
    "profiles": gettext_lazy("candidates"),
    "shortlist": gettext_lazy("shortlist"),
    "note": gettext_lazy("note"),
}


def _require_post(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _message_errors(request, exc: ValidationError) -> None:
    for line in error_lines(exc, FIELD_LABELS):
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


def _index_context(request, form) -> dict:
    return {
        "shortlists": shortlists_visible_to(request.user).order_by("organization__path", "name"),
        "form": form,
        "may_create": recruiting_departments(request.user).exists(),
    }


def shortlist_index(request):
    form = ShortlistForm(user=request.user)
    return render(request, "talent/shortlists/index.html", _index_context(request, form))


def shortlist_create(request):
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
        # A refused comparison comes back here with its ticks (talent.desk.views).
        "ticked": ticked_keys(request.GET.getlist(TICKED_PARAM)),
        "here": reverse("talent_shortlists:detail", args=[shortlist.pk]),
    }


def shortlist_detail(request, pk):
    shortlist = _visible_shortlist(request, pk)
    return render(request, "talent/shortlists/detail.html", _detail_context(request, shortlist))


def shortlist_rename(request, pk):
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
    shortlist = _editable_shortlist(request, pk)
    if request.method == "POST":
        name = shortlist.name
        services.shortlist_delete(user=request.user, shortlist=shortlist)
        messages.success(request, _("Shortlist “%(name)s” deleted.") % {"name": name})
        return redirect("talent_shortlists:index")
    context = {"shortlist": shortlist, "count": shortlist.entries.count()}
    return render(request, "talent/shortlists/delete.html", context)


def shortlist_remove(request, pk):
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
