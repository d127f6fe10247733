"""The recruiter's desk in the admin: search the pool, read a profile, reveal a contact for a
stated reason (logged), compare candidates side by side, export a result set.

Only recruiters and county org admins reach it (``talent.selectors.can_search_talent``,
which talent.desk.viewsets asks before every view); anyone else is refused with
PermissionDenied, which the admin answers as it does everywhere (back to the dashboard with a
message; a 403 for a script; the login page for those without the admin). A profile outside
what the user may see is a 404, as in the pool's own admin. Lists show masked numbers; the
full phone and ID number appear only on the page a logged reveal answers with, and are never
written to the log. Who may reveal: ``talent.selectors.can_reveal_contact``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from wagtail.log_actions import log

from talent.desk import search_query, selectors
from talent.desk.compare import (
    COMPARE_MAX,
    TICKED_PARAM,
    UNKNOWN,
    compare_keys_parse,
    compare_profiles,
    compare_rows,
    profile_facts,
    ticked_keys,
)
from talent.desk.facets import cities_by_province
from talent.desk.forms import RevealForm
from talent.desk.search_query import SEARCH_PARAM_LABELS
from talent.desk.selectors import REVEAL_ACTION
from talent.forms import error_lines
from talent.ledger.services import talent_export_start
from talent.models import BaseSearch, Education, TalentProfile
from talent.selectors import can_reveal_contact, profiles_visible_to
from talent.shortlists.selectors import (
    recruiting_departments,
    shortlists_for_desk,
    shortlists_visible_to,
)

# The search's GET parameters and the desk's own fields, named in Chinese when a value is wrong.
PARAM_LABELS = {
    **SEARCH_PARAM_LABELS,
    "page": gettext_lazy("page number"),
    "profile": gettext_lazy("candidates"),
    "reason": gettext_lazy("reason"),
}
# Facet name -> the GET parameter it toggles; single-valued ones replace, others add.
FACET_PARAMS = {
    "township": "township",
    "village": "village",
    "gender": "gender",
    "education": "education",
    "industry": "industry",
    "willingness": "willingness",
    "reserve_cadre_trained": "trained",
    "grade": "grade",
    "province": "province",
    "city": "city",
}
# Facets with too many values for a list: the form's selects hold them.
IN_THE_FORM = {"village", "city"}
SINGLE_VALUED = {"education", "trained"}
SORTS = (
    ("relevance", gettext_lazy("Relevance")),
    ("age", gettext_lazy("Youngest first")),
    ("-age", gettext_lazy("Oldest first")),
    ("-study_hours", gettext_lazy("Most study hours")),
    ("study_hours", gettext_lazy("Fewest study hours")),
)


def errors_named(exc: ValidationError) -> list[str]:
    """Each message prefixed with the Chinese name of the parameter it is about."""
    return error_lines(exc, PARAM_LABELS)


def _toggle_url(params: QueryDict, name: str, value: str, selected: bool) -> str:
    query = params.copy()
    query.pop("page", None)
    query.pop(TICKED_PARAM, None)
    if name in SINGLE_VALUED:
        query.pop(name, None)
        if not selected:
            query[name] = value
    else:
        values = [item for item in query.getlist(name) if item != value]
        if not selected:
            values.append(value)
        query.setlist(name, values)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _param_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _facets_for_display(params: QueryDict, facets) -> list[dict]:
    shown = []
    for facet in facets:
        if facet.name in IN_THE_FORM:
            continue
        name = FACET_PARAMS.get(facet.name, facet.name)
        values = []
        for item in facet.values:
            value = _param_value(item.value)
            # "Education at least" is a minimum, not a choice: the chosen level is the one
            # in the parameter.
            selected = params.get(name) == value if name in SINGLE_VALUED else item.selected
            url = _toggle_url(params, name, value, selected)
            values.append(
                {"label": item.label, "count": item.count, "selected": selected, "url": url}
            )
        shown.append({"name": facet.name, "label": facet.label, "values": values})
    return shown


def _page_url(params: QueryDict, number: int) -> str:
    query = params.copy()
    query.pop(TICKED_PARAM, None)
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def _hidden_params(params: QueryDict, skip: set[str]) -> list[tuple[str, str]]:
    skip = {*skip, TICKED_PARAM}
    return [(name, value) for name, value in params.lists() for value in value if name not in skip]


def _search_context(request, params: QueryDict) -> dict:
    return {
        "params": params,
        "village_groups": selectors.desk_villages_by_township(request.user),
        "villages_chosen": params.getlist("village"),
        "city_groups": cities_by_province([], params.getlist("city")),
        "trainings_chosen": [value for value in params.getlist("training") if value.strip()],
        "base_searches": BaseSearch.objects.all(),
        "educations": Education.choices,
        "sorts": SORTS,
        "errors": [],
        "result": None,
        "export_max": settings.TALENT_EXPORT_MAX_ROWS,
        "export_params": _hidden_params(params, {"page"}),
        # The plain form resubmits the facet choices it does not show itself.
        "kept_params": _hidden_params(
            params,
            {
                *("q", "village", "city", "training", "age_min", "age_max", "education"),
                *("trained", "base", "sort", "page"),
            },
        ),
    }


def desk_search(request):
    params = request.GET
    context = _search_context(request, params)
    try:
        query = search_query.talent_query_from_params(params)
        result = selectors.talent_search(request.user, query)
    except ValidationError as exc:
        context["errors"] = errors_named(exc)
        return render(request, "talent/desk/search.html", context, status=400)
    context["result"] = result
    context["facets"] = _facets_for_display(params, result.facets)
    context["city_groups"] = cities_by_province(result.facets, params.getlist("city"))
    # Recruiters put ticked rows on one of their department's shortlists (or a new one).
    context["may_shortlist"] = recruiting_departments(request.user).exists()
    context["shortlists"] = shortlists_for_desk(request.user)
    context["here"] = request.get_full_path()
    context["ticked"] = ticked_keys(params.getlist(TICKED_PARAM))
    if result.page > 1:
        context["previous_url"] = _page_url(params, result.page - 1)
    if result.page < result.num_pages:
        context["next_url"] = _page_url(params, result.page + 1)
    return render(request, "talent/desk/search.html", context)


def _visible_profile(request, pk) -> TalentProfile:
    return get_object_or_404(
        profiles_visible_to(request.user).select_related("hometown_township"), pk=pk
    )


@never_cache
def desk_profile(request, pk):
    profile = _visible_profile(request, pk)
    context = {
        "profile": profile,
        "facts": profile_facts(profile),
        "form": RevealForm(),
        "may_reveal": can_reveal_contact(request.user, profile),
        "revealed": None,
    }
    return render(request, "talent/desk/profile.html", context)


@never_cache
def desk_reveal(request, pk):
    """POST a reason: the response (and only it) shows the full numbers; the log says who,
    when and why, never the numbers themselves."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    profile = _visible_profile(request, pk)
    if not can_reveal_contact(request.user, profile):
        raise PermissionDenied
    form = RevealForm(request.POST)
    context = {
        "profile": profile,
        "facts": profile_facts(profile),
        "form": form,
        "may_reveal": True,
        "revealed": None,
    }
    if not form.is_valid():
        return render(request, "talent/desk/profile.html", context, status=400)
    log(
        instance=profile,
        action=REVEAL_ACTION,
        user=request.user,
        data={"reason": form.cleaned_data["reason"]},
    )
    member = profile.member
    context["revealed"] = {
        "phone": (member.phone if member else profile.phone) or str(UNKNOWN),
        "id_number": (member.id_number if member else profile.id_number) or str(UNKNOWN),
    }
    context["form"] = RevealForm()
    return render(request, "talent/desk/profile.html", context)


def _ticks_kept_url(request, target: str, ticked: list[str]) -> str | None:
    """``target`` (a local URL) with the candidates still ticked, or None if it is not local."""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    path, _sep, query = target.partition("?")
    params = QueryDict(query, mutable=True)
    params.setlist(TICKED_PARAM, [str(key) for key in ticked_keys(ticked)])
    encoded = params.urlencode()
    return f"{path}?{encoded}" if encoded else path


def _compare_refused(request, exc: ValidationError, ticked: list[str], back: str):
    """Back to the list the ticks came from, still ticked, with what was wrong in Chinese."""
    kept = len(ticked_keys(ticked))
    for line in errors_named(exc):
        messages.error(request, line)
    if kept:
        messages.info(
            request,
            _("Your %(count)s ticks are kept: untick some (at most %(max)s) and compare again.")
            % {"count": kept, "max": COMPARE_MAX},
        )
    return redirect(back)


def desk_compare(request):
    """GET or POST ``profile`` (repeated): the desk's results post their ticked rows, a
    shortlist's page links with them. With ``next`` (the list's own URL), a refused choice
    (none, too many, one not visible) goes back there with the ticks kept and a message."""
    context = {"errors": [], "profiles": [], "rows": []}
    data = request.POST if request.method == "POST" else request.GET
    ticked = data.getlist("profile")
    try:
        keys = compare_keys_parse(ticked)
        profiles = compare_profiles(request.user, keys)
    except ValidationError as exc:
        back = _ticks_kept_url(request, data.get("next", ""), ticked)
        if back:
            return _compare_refused(request, exc, ticked, back)
        context["errors"] = errors_named(exc)
        return render(request, "talent/desk/compare.html", context, status=400)
    context["profiles"] = profiles
    context["rows"] = compare_rows(profiles)
    return render(request, "talent/desk/compare.html", context)


def desk_export(request):
    """POST the search's parameters: a background job writes every hit (up to the cap)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    try:
        query = search_query.talent_query_from_params(params)
        job = talent_export_start(user=request.user, query=query)
    except ValidationError as exc:
        context = {**_search_context(request, params), "errors": errors_named(exc)}
        return render(request, "talent/desk/search.html", context, status=400)
    back = reverse("talent_desk:index")
    return redirect(f"{reverse('portal_jobs:detail', args=[job.pk])}?back={back}")


def desk_shortlist_export(request, pk):
    """POST: a background job writes the shortlist's people the user may see."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    shortlist = get_object_or_404(shortlists_visible_to(request.user), pk=pk)
    job = talent_export_start(user=request.user, shortlist=shortlist)
    back = reverse("talent_shortlists:detail", args=[shortlist.pk])
    return redirect(f"{reverse('portal_jobs:detail', args=[job.pk])}?back={back}")
