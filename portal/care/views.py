"""The liaison's phone pages (1+N): my members with their last talk, and recording a talk.

A liaison sees only the members currently paired with them; anyone else is refused, and a
member who is not theirs is a 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.care import selectors as care_selectors
from portal.care import services as care
from portal.care.models import Talk
from portal.registry.forms import validation_errors_add


class TalkForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ["held_on", "way", "summary"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"summary": gettext_lazy("What you talked about and anything to follow up.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate


def _members_or_403(request):
    if not care_selectors.is_liaison(request.user):
        raise PermissionDenied
    return care_selectors.liaison_members(request.user)


@login_required
def my_members(request):
    members = list(_members_or_403(request))
    today = timezone.localdate()
    for member in members:
        member.talk_due = care_selectors.talk_due(member, today)
    context = {
        "members": members,
        "due": [member for member in members if member.talk_due],
        "quarter_start": care_selectors.quarter_start(today),
    }
    return render(request, "portal/care/my_members.html", context)


@login_required
def talk_add(request, member_id: int):
    member = get_object_or_404(_members_or_403(request), pk=member_id)
    form = TalkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            care.talk_record(member=member, talked_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The talk with %(name)s is recorded.") % {"name": member})
            return redirect("care_members")
    context = {"member": member, "form": form, "talks": care_selectors.member_talks(member)}
    return render(request, "portal/care/talk_form.html", context)
