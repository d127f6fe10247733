"""Care in the Wagtail admin, for org admins within their subtrees: 1+N liaison pairings, talks
and the members due one this quarter. The care ledger is in ``care_ledger_viewsets``,
transfers in ``transfer_viewsets``; both build on the policy, forms and chooser here.

Every list and object is read through the user's scope (``care_selectors``): what lies outside
is a 404. Anyone who is not an org admin is refused. Phones are masked everywhere here; only a
member's own liaison sees the full number, on their phone page.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy

from portal.care import selectors as care_selectors
from portal.care import services as care
from portal.care.models import CareCase, Liaison, Talk, Transfer
from portal.registry.forms import validation_errors_add
from portal.registry.identity import mask_phone
from portal.registry.models import Member
from portal.registry.permissions import OrgAdminPolicy, is_org_admin
from portal.registry.selectors import members_visible_to, organizations_managed_by
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin, ServiceFormMixin

User = get_user_model()
DUE_PER_PAGE = 50


# --- Who may: org admins only ---------------------------------------------------------------


# What org admins may do through the generic views; ending, visiting, closing and moving a
# transfer are views of their own that call a service. Nothing is edited or deleted in place.
for _model in (Liaison, Talk, CareCase, Transfer):
    register_permission_policy(_model, OrgAdminPolicy(_model, {"view", "add"}))


def org_admin_require(request) -> None:
    if not is_org_admin(request.user):
        raise PermissionDenied


class ServiceValidatedForm(WagtailAdminModelForm):
    """Constraints are checked by the service, with messages that name the field."""

    def validate_unique(self):
        pass


def action_form_render(request, *, form, title: str, icon: str, obj=None, back_url: str = ""):
    context = {"form": form, "title": title, "icon": icon, "object": obj, "back_url": back_url}
    return TemplateResponse(request, "portal/care/admin_form.html", context)


def date_widget():
    return forms.DateInput(attrs={"type": "date"})


# --- Choosing a member: only those the user keeps -------------------------------------------


class MemberSearchForm(BaseFilterForm):
    q = forms.CharField(label=_("Name or phone"), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(name__icontains=query) | Q(phone=query))
            self.is_searching, self.search_query = True, query
        return objects


class KeptMembersMixin:
    filter_form_class = MemberSearchForm

    def get_object_list(self):
        return members_visible_to(self.request.user).select_related("origin")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("origin", label=_("origin branch")),
            Column("masked_phone", label=_("phone")),
        ]


class CareMemberChooseView(KeptMembersMixin, chooser_views.ChooseView):
    pass


class CareMemberChooseResultsView(KeptMembersMixin, chooser_views.ChooseResultsView):
    pass


class CareMemberChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return get_object_or_404(members_visible_to(self.request.user), pk=pk)


class CareMemberChooserViewSet(ChooserViewSet):
    model = Member
    icon = "user"
    register_widget = False  # the member ledger's own forms keep their widgets
    choose_one_text = _("Choose a member")
    choose_another_text = _("Choose another member")
    choose_view_class = CareMemberChooseView
    choose_results_view_class = CareMemberChooseResultsView
    chosen_view_class = CareMemberChosenView


member_chooser_viewset = CareMemberChooserViewSet("portal_care_member_chooser")


class KeptMemberFormMixin:
    """The member is chosen among those the user keeps; anyone else is refused by the form."""

    def scope_member(self, queryset):
        self.fields["member"].queryset = queryset
        self.fields["member"].widget = member_chooser_viewset.widget_class()


# --- 1+N liaison pairings -------------------------------------------------------------------


def liaison_display(user) -> str:
    return user.get_full_name() or user.username


class LiaisonForm(KeptMemberFormMixin, ServiceValidatedForm):
    class Meta:
        model = Liaison
        fields = ["liaison", "member", "organization", "started_on"]
        widgets = {"started_on": date_widget()}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["liaison"].queryset = care_selectors.liaison_candidates(for_user)
        self.fields["liaison"].label_from_instance = liaison_display
        self.fields["organization"].queryset = organizations_managed_by(for_user).home_side()
        self.fields["started_on"].initial = timezone.localdate
        self.scope_member(members_visible_to(for_user))


class ScopedLiaisonMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return care_selectors.pairings_visible_to(self.request.user)


class LiaisonIndexView(ScopedLiaisonMixin, generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.ended_on is None:
            url = reverse("portal_liaison:end", args=[instance.pk])
            buttons.append(ListingButton(_("End pairing"), url=url, icon_name="cross"))
        return buttons


class LiaisonCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return care.liaison_pair(
            liaison=data["liaison"],
            member=data["member"],
            organization=data["organization"],
            started_on=data["started_on"],
        )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("until"), widget=date_widget(), initial=timezone.localdate)


def liaison_end(request, pk: int):
    org_admin_require(request)
    pairing = get_object_or_404(care_selectors.pairings_visible_to(request.user), pk=pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            care.liaison_end(pairing=pairing, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The pairing has ended; it stays in the history."))
            return redirect("portal_liaison:index")
    title = _("End the pairing %(pairing)s") % {"pairing": pairing}
    return action_form_render(request, form=form, title=title, icon="link", obj=pairing)


class CurrentFilterSet(WagtailFilterSet):
    """Filters on whether the row is still open: a pairing not ended, a case not closed."""

    current = django_filters.BooleanFilter(
        label=_("current"), field_name="ended_on", lookup_expr="isnull"
    )

    class Meta:
        model = Liaison
        fields = []


class LiaisonViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedLiaisonMixin
    model = Liaison
    icon = "link"
    menu_label = _("Liaisons (1+N)")
    url_prefix = "care/liaisons"
    form_class = LiaisonForm
    index_view_class = LiaisonIndexView
    add_view_class = LiaisonCreateView
    search_fields = ["member__name", "liaison__username", "liaison__first_name"]
    search_backend_name = None
    filterset_class = CurrentFilterSet
    list_display = [
        Column("liaison", label=_("liaison"), accessor=lambda obj: liaison_display(obj.liaison)),
        Column("member", label=_("member")),
        Column("member.masked_phone", label=_("phone")),
        Column("organization", label=_("appointed by")),
        DateColumn("started_on", label=_("since")),
        DateColumn("ended_on", label=_("until")),
    ]

    def get_form_class(self, for_update=False):
        return self.form_class

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/end/", liaison_end, name="end"),
        ]


# --- Talks and the members due one this quarter ---------------------------------------------


class TalkForm(KeptMemberFormMixin, WagtailAdminModelForm):
    class Meta:
        model = Talk
        fields = ["member", "held_on", "way", "summary"]
        widgets = {"held_on": date_widget()}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["held_on"].initial = timezone.localdate
        self.scope_member(members_visible_to(for_user))


class ScopedTalkMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return care_selectors.talks_visible_to(self.request.user)


class TalkIndexView(ScopedTalkMixin, generic.IndexView):
    @property
    def header_buttons(self):
        url = reverse("portal_talk:due")
        label = _("Members due a talk")
        return [*super().header_buttons, HeaderButton(label, url=url, icon_name="warning")]


class TalkCreateView(ServiceFormMixin, generic.CreateView):
    def get_initial(self):
        # "Record a talk" on the list of members due one names the member.
        member = members_visible_to(self.request.user).filter(pk=self.request.GET.get("member"))
        return {**super().get_initial(), "member": member.first()}

    def save_instance(self):
        return care.talk_record(talked_by=self.request.user, **self.form.cleaned_data)


class TalkInspectView(ScopedTalkMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.pk)


def talks_due(request):
    """Members the org admin keeps who had no talk this quarter, with their liaison."""
    org_admin_require(request)
    today = timezone.localdate()
    members = care_selectors.members_due_talk(request.user, today).order_by("origin__path", "name")
    page = Paginator(members, DUE_PER_PAGE).get_page(request.GET.get("p"))
    for member in page:
        member.phone_shown = mask_phone(member.phone)
    context = {
        "page": page,
        "since": care_selectors.quarter_start(today),
        "title": _("Members due a talk this quarter"),
    }
    return TemplateResponse(request, "portal/care/admin_talks_due.html", context)


def talk_way(talk: Talk) -> str:
    return talk.get_way_display()


class TalkViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedTalkMixin
    model = Talk
    icon = "comment"
    menu_label = _("Talks")
    url_prefix = "care/talks"
    form_fields = ["member", "held_on", "way", "summary"]
    index_view_class = TalkIndexView
    add_view_class = TalkCreateView
    inspect_view_class = TalkInspectView
    inspect_view_enabled = True
    search_fields = ["member__name", "summary"]
    search_backend_name = None
    list_filter = ["way"]
    list_display = [
        TitleColumn("member", label=_("member"), url_name="portal_talk:inspect"),
        Column("member.masked_phone", label=_("phone")),
        DateColumn("held_on", label=_("date")),
        Column("way", label=_("how"), accessor=talk_way),
        Column("talked_by", label=_("talked with by")),
    ]
    inspect_view_fields = ["member", "held_on", "way", "summary", "talked_by", "recorded_at"]

    def get_form_class(self, for_update=False):
        return TalkForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("due/", talks_due, name="due")]
