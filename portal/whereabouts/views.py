"""The member's phone page for their monthly whereabouts report (一月一更新)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.registry.forms import validation_errors_add
from portal.registry.member_fragments import member_fragments
from portal.registry.selectors import member_for_user
from portal.whereabouts.forms import WhereaboutsForm
from portal.whereabouts.selectors import whereabouts_form_initial, whereabouts_history
from portal.whereabouts.services import whereabouts_report_submit


@login_required
def whereabouts(request):
    """Report this month's whereabouts and see the reports so far, verified or not.

    The empty form (from the newest report) and the history are rendered once per change to
    the member's records (portal.registry.member_fragments); a refused report is shown live."""
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    fields = None
    if request.method == "POST":
        form = WhereaboutsForm(request.POST, initial=whereabouts_form_initial(member))
        if form.is_valid():
            try:
                whereabouts_report_submit(
                    member=member, reported_by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                validation_errors_add(form, exc)
            else:
                messages.success(request, _("Thank you. Your branch will verify the report."))
                return redirect("whereabouts")
        fields = render_to_string("portal/_form.html", {"form": form})
    pieces = member_fragments(member, "whereabouts", lambda: _pieces(member), request=request)
    context = {**pieces, "member": member, "fields": fields or pieces["fields"]}
    return render(request, "portal/whereabouts/whereabouts.html", context)


def _pieces(member) -> dict:
    form = WhereaboutsForm(initial=whereabouts_form_initial(member))
    history = {"reports": whereabouts_history(member)}
    return {
        "fields": render_to_string("portal/_form.html", {"form": form}),
        "history": render_to_string("portal/whereabouts/_history.html", history),
    }
