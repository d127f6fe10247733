"""The rule's admin form: the trigger from the registry, the organisation within the user's
scope, where it is switched off, conditions and actions as validated lists."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.registry.models import Organization, Role
from portal.registry.selectors import organizations_for_role

from .models import Rule, RuleExclusion
from .registry import ACTIONS, CONDITIONS, TRIGGERS, trigger_choices


def _help(registry) -> str:
    return "；".join(f"{key}：{spec.label}" for key, spec in registry.items())


class PrettyJSONField(forms.JSONField):
    def prepare_value(self, value):
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return super().prepare_value(value)


class RuleForm(WagtailAdminModelForm):
    switched_off = forms.ModelMultipleChoiceField(
        label=_("switched off at"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The rule does not apply at these organisations and below them."),
    )

    class Meta:
        model = Rule
        fields = [
            "title",
            "description",
            "enabled",
            "trigger",
            "organization",
            "section",
            "conditions",
            "actions",
        ]
        field_classes = {"conditions": PrettyJSONField, "actions": PrettyJSONField}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["trigger"] = forms.ChoiceField(
            label=_("trigger"), choices=[("", "—"), *trigger_choices()]
        )
        scope = organizations_for_role(for_user, Role.ORG_ADMIN) if for_user else None
        if scope is not None:
            self.fields["organization"].queryset = scope
            self.fields["switched_off"].queryset = scope
            self.fields["organization"].required = not for_user.is_superuser
        self.fields["conditions"].help_text = _("A list of {key, params}; kinds: %s") % _help(
            CONDITIONS
        )
        self.fields["actions"].help_text = _("A list of {key, params}; kinds: %s") % _help(ACTIONS)
        self.fields["conditions"].required = False
        if self.instance.pk:
            self.fields["switched_off"].initial = [
                e.organization_id for e in self.instance.exclusions.all()
            ]

    def clean_conditions(self):
        return self.cleaned_data.get("conditions") or []

    def clean(self):
        cleaned = super().clean()
        trigger = TRIGGERS.get(cleaned.get("trigger") or "")
        if cleaned.get("section") and trigger and not trigger.for_pages:
            self.add_error("section", _("Only page triggers are assigned to a section."))
        org = cleaned.get("organization")
        for off in cleaned.get("switched_off") or []:
            if org and not off.is_descendant_of(org):
                self.add_error(
                    "switched_off", _("Switch a rule off only below where it is assigned.")
                )
        return cleaned

    def save(self, commit=True):
        rule = super().save(commit=commit)
        if commit:
            self.exclusions_save(rule)
        return rule

    def exclusions_save(self, rule: Rule) -> None:
        wanted = {org.pk for org in self.cleaned_data.get("switched_off") or []}
        rule.exclusions.exclude(organization_id__in=wanted).delete()
        for pk in wanted:
            RuleExclusion.objects.get_or_create(rule=rule, organization_id=pk)


class PreviewForm(forms.Form):
    """A sample event: an organisation concerned and, for page triggers, a page."""

    organization = forms.ModelChoiceField(
        label=_("organisation concerned"), queryset=Organization.objects.all()
    )
    page = forms.IntegerField(label=_("page ID"), required=False)
