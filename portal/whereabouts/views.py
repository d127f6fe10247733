"""The member's phone page for their monthly whereabouts report (一月一更新)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.registry.forms import validation_errors_add
from portal.registry.selectors import member_for_user
from portal.whereabouts.forms import WhereaboutsForm
from portal.whereabouts.selectors import whereabouts_form_initial, whereabouts_history
from portal.whereabouts.services import whereabouts_report_submit


@login_required
def whereabouts(request):
    """Report this month's whereabouts and see the reports so far, verified or not."""
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    form = WhereaboutsForm(request.POST or None, initial=whereabouts_form_initial(member))
    if request.method == "POST" and form.is_valid():
        try:
            whereabouts_report_submit(member=member, reported_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Thank you. Your branch will verify the report."))
            return redirect("whereabouts")
    context = {"form": form, "member": member, "reports": whereabouts_history(member)}
    return render(request, "portal/whereabouts/whereabouts.html", context)
