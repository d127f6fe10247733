"""Content rules in the Wagtail admin: list, create, edit, copy, switch on and off, assign;
each rule's page shows its recent executions and a preview of whom it would reach.

Org admins keep the rules assigned in their subtrees, superusers all (and the site-wide
ones); editors and reviewers read the rules that touch their sections."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.registry.components import YesNoColumn
from portal.registry.identity import mask_login
from portal.registry.models import Role
from portal.registry.permissions import is_org_admin
from portal.registry.selectors import holds_role
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin

from .actions import RuleBroken, recipients_for
from .entries import entries_described
from .forms import PreviewForm, RuleForm
from .models import Rule
from .registry import ACTIONS, CONDITIONS, TRIGGERS, Event, entry_params
from .selectors import executions_recent, rules_editable_by, rules_visible_to

PREVIEW_LIMIT = 50


class RuleNoted(LogFormatter):
    label = _("Content rule")

    def format_message(self, log_entry):
        data = log_entry.data
        return _("Rule “%(rule)s”: %(message)s") % {
            "rule": data.get("rule", ""),
            "message": data.get("message", ""),
        }


class RulePolicy(BasePermissionPolicy):
    """Org admins and superusers write; editors and reviewers only read."""

    def _reads(self, user) -> bool:
        return user.is_active and (holds_role(user, Role.EDITOR) or holds_role(user, Role.REVIEWER))

    def user_has_permission(self, user, action):
        if is_org_admin(user):
            return action in ("add", "change", "delete", "view")
        return action == "view" and self._reads(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return rules_visible_to(user).filter(pk=instance.pk).exists()
        return self.user_has_permission(user, action) and (
            rules_editable_by(user).filter(pk=instance.pk).exists()
        )


register_permission_policy(Rule, RulePolicy(Rule))


class Visible(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return rules_visible_to(self.request.user).select_related("organization")


class Editable(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return rules_editable_by(self.request.user)


class RuleIndexView(Visible, generic.IndexView):
    pass


class RuleCopyView(generic.CopyView):
    def get_object(self, queryset=None):
        return get_object_or_404(rules_editable_by(self.request.user), pk=self.kwargs["pk"])


class RuleEditView(Editable, generic.EditView):
    @property
    def header_buttons(self):
        url = reverse("portal_rules:toggle", args=[self.object.pk])
        label = _("Switch off") if self.object.enabled else _("Switch on")
        return [*super().header_buttons, HeaderButton(label, url=url, icon_name="resubmit")]


class RuleDeleteView(Editable, generic.DeleteView):
    pass


def preview_event(rule: Rule, organization, page: Page | None) -> Event:
    trigger = TRIGGERS.get(rule.trigger)
    values = {name: f"{{{name}}}" for name in (trigger.fields if trigger else ())}
    return Event(
        trigger=rule.trigger, key="preview", organization=organization, page=page, values=values
    )


def preview_recipients(rule: Rule, event: Event) -> tuple[list[str], list[str]]:
    """Masked logins the rule's notify actions would reach, and what is broken."""
    users, errors = set(), []
    for entry in rule.actions:
        spec = ACTIONS.get(entry.get("key"))
        if spec is None or spec.key == "log":
            continue
        try:
            users.update(recipients_for(event, entry_params(entry, ACTIONS)))
        except (RuleBroken, ValueError) as exc:
            errors.append(str(exc))

    logins = get_user_model().objects.filter(pk__in=users).values_list("username", flat=True)
    return sorted(mask_login(login) for login in logins), errors


class RuleInspectView(Visible, generic.InspectView):
    template_name = "portal/admin/rule_inspect.html"
    fields = ["title", "description", "enabled", "trigger", "organization", "section"]

    def get_field_display_value(self, field_name, field):
        if field_name == "trigger":
            trigger = TRIGGERS.get(self.object.trigger)
            return trigger.label if trigger else self.object.trigger
        if field_name == "organization" and self.object.organization_id is None:
            return _("the whole site")
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["executions"] = executions_recent(self.object)
        context["exclusions"] = self.object.exclusions.select_related("organization")
        context["conditions"] = entries_described(self.object.conditions, CONDITIONS)
        context["actions"] = entries_described(self.object.actions, ACTIONS)
        form = PreviewForm(self.request.GET or None)
        context["preview_form"] = form
        if form.is_valid():
            page_id = form.cleaned_data.get("page")
            page = Page.objects.filter(pk=page_id).first() if page_id else None
            event = preview_event(self.object, form.cleaned_data["organization"], page)
            logins, errors = preview_recipients(self.object, event)
            context["preview"] = {
                "count": len(logins),
                "logins": logins[:PREVIEW_LIMIT],
                "errors": errors,
            }
        return context


@require_POST
def rule_toggle(request, pk):
    rule = get_object_or_404(rules_editable_by(request.user), pk=pk)
    if not is_org_admin(request.user):
        raise PermissionDenied
    rule.enabled = not rule.enabled
    rule.save(update_fields=["enabled", "updated_at"])
    log(instance=rule, action="wagtail.edit", user=request.user)
    return redirect("portal_rules:inspect", rule.pk)


def _trigger_label(rule: Rule) -> str:
    trigger = TRIGGERS.get(rule.trigger)
    return str(trigger.label) if trigger else rule.trigger


class RuleViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = Visible
    copy_view_enabled = True  # a rule holds no personal data: copying it is the quick way
    model = Rule
    icon = "cogs"
    menu_label = _("Content rules")
    url_prefix = "rules"
    add_to_admin_menu = True
    menu_order = 850
    form_fields = RuleForm.Meta.fields
    search_fields = ["title", "description"]
    search_backend_name = None
    index_view_class = RuleIndexView
    edit_view_class = RuleEditView
    copy_view_class = RuleCopyView
    delete_view_class = RuleDeleteView
    inspect_view_class = RuleInspectView
    inspect_view_enabled = True
    inspect_view_fields = RuleInspectView.fields  # the entries are said in words below them
    list_display = [
        TitleColumn("title", label=_("title"), url_name="portal_rules:inspect"),
        Column("trigger", label=_("trigger"), accessor=_trigger_label),
        Column("organization", label=_("assigned to")),
        YesNoColumn("enabled", label=_("enabled")),
    ]
    list_filter = ["enabled", "trigger"]

    def get_form_class(self, for_update=False):
        return RuleForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/toggle/", rule_toggle, name="toggle"),
        ]


rule_viewset = RuleViewSet("portal_rules")
