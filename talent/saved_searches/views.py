"""Saved searches (保存的检索) in the admin: one's own list (open on the desk, delete, turn
notifications of new matches on or off) and the endpoint the desk's "save this search" form
posts to. Only those who may search the pool (talent.selectors.can_search_talent, which
talent.saved_searches.viewsets asks before every view) get here; someone else's saved search
is a 404.

For the recruiter desk (helper B) — saving the current search:

    POST {% url 'talent_saved_searches:save' %}?{{ request.GET.urlencode }}
        name     the name to keep it under (required, unique per user)
        notify   "1" to be told of new matches each morning (optional)
        the desk's search parameters (q, township, village, age_min, ...) in the query
        string as above, or as hidden POST fields (as the export form sends them)
    Answers with a redirect back to the desk search with those parameters and a success or
    error message (Chinese, naming the field).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models.periods import Grade
from portal.models import Member, Organization
from talent.desk.regions import regions
from talent.desk.search_query import SEARCH_PARAM_LABELS
from talent.forms import error_lines
from talent.models import BaseSearch, Education, Industry, Willingness
from talent.saved_searches import selectors, services

# POST fields of the save form that are not search parameters.
FORM_FIELDS = {"csrfmiddlewaretoken", "name", "notify", "next"}
FIELD_LABELS = {"name": gettext_lazy("name"), **SEARCH_PARAM_LABELS}
SORT_LABELS = {
    "age": gettext_lazy("youngest first"),
    "-age": gettext_lazy("oldest first"),
    "study_hours": gettext_lazy("fewest study hours first"),
    "-study_hours": gettext_lazy("most study hours first"),
}


def _search_params(request) -> QueryDict:
    """The desk's parameters: the query string's, and any POST field that is not the form's."""
    params = request.GET.copy()
    for name, values in request.POST.lists():
        if name not in FORM_FIELDS:
            params.setlist(name, values)
    return params


def _organization_names(pks: list[str]) -> dict[str, str]:
    ids = [int(pk) for pk in pks if pk.isdigit()]
    return {
        str(pk): name
        for pk, name in Organization.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def _value_labels(params: dict) -> dict[str, dict[str, str]]:
    choices = {
        "gender": dict(Member.Gender.choices),
        "education": {str(value): label for value, label in Education.choices},
        "province": {code: province.name for code, province in regions().provinces.items()},
        "industry": dict(Industry.choices),
        "willingness": dict(Willingness.choices),
        "grade": dict(Grade.choices),
        "trained": {"1": _("completed"), "0": _("not completed")},
        "exclude_negative": {"1": _("left out")},
        "sort": SORT_LABELS,
        "base": {str(pk): name for pk, name in BaseSearch.objects.values_list("pk", "name")},
    }
    places = params.get("township", []) + params.get("village", [])
    names = _organization_names(places)
    choices["township"] = choices["village"] = names
    return choices


def saved_search_summary(params: dict) -> list[tuple[str, str]]:
    """The saved parameters as (label, values) pairs a person reads: names, not ids."""
    labels = _value_labels(params)
    summary = []
    for name, values in params.items():
        shown = [str(labels.get(name, {}).get(value, value)) for value in values]
        summary.append((str(FIELD_LABELS.get(name, name)), "、".join(shown)))
    return summary


def _error_lines(exc: ValidationError) -> list[str]:
    return error_lines(exc, FIELD_LABELS)


def saved_search_index(request):
    rows = [
        {
            "search": search,
            "url": selectors.desk_search_url(search.params),
            "summary": saved_search_summary(search.params),
        }
        for search in selectors.saved_searches_of(request.user)
    ]
    return render(request, "talent/shortlists/saved_searches.html", {"rows": rows})


def saved_search_save(request):
    """POST name, notify and the desk's parameters: see the module's docstring."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    params = _search_params(request)
    try:
        saved = services.saved_search_create(
            user=request.user,
            name=request.POST.get("name", ""),
            params=params,
            notify=request.POST.get("notify") == "1",
        )
    except ValidationError as exc:
        for line in _error_lines(exc):
            messages.error(request, line)
        params.pop("page", None)
        query = params.urlencode()
        return redirect(reverse(selectors.DESK_SEARCH_URL_NAME) + (f"?{query}" if query else ""))
    messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
    return redirect(selectors.desk_search_url(saved.params))


def _own_search(request, pk):
    return get_object_or_404(selectors.saved_searches_of(request.user), pk=pk)


def saved_search_delete(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = _own_search(request, pk)
    services.saved_search_delete(user=request.user, saved_search=saved)
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("talent_saved_searches:index")


def saved_search_notify(request, pk):
    """POST notify=1 to be told of new matches, anything else to stop."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = _own_search(request, pk)
    notify = request.POST.get("notify") == "1"
    try:
        services.saved_search_notify_set(user=request.user, saved_search=saved, notify=notify)
    except ValidationError as exc:
        for line in _error_lines(exc):
            messages.error(request, line)
    else:
        if notify:
            message = _("You will be told of new matches for “%(name)s”.")
        else:
            message = _("No more notifications for “%(name)s”.")
        messages.success(request, message % {"name": saved.name})
    return redirect("talent_saved_searches:index")
