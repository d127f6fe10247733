"""The rule's admin form: the trigger from the registry, the organisation and section within
the user's scope, where it is switched off, and the conditions and actions as one form per
entry, each its kind's own (``portal.rules.entries``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.registry.models import Organization, Role
from portal.registry.selectors import organizations_for_role

from .choosers import field_scope, sections_for
from .entries import EntriesWidget, entry_formset
from .models import Rule, RuleExclusion
from .registry import TRIGGERS, trigger_choices

ENTRIES = ("conditions", "actions")


class EntriesField(forms.Field):
    """Conditions or actions: the value comes from the entries' forms (``RuleForm.clean``)."""

    widget = EntriesWidget

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        super().__init__(**{**kwargs, "required": False, "show_hidden_initial": False})


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
        field_classes = {"conditions": EntriesField, "actions": EntriesField}

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
            for name in ("organization", "switched_off"):
                field_scope(self.fields[name], for_user)
            self.fields["section"] = forms.ModelChoiceField(
                label=self.fields["section"].label,
                help_text=self.fields["section"].help_text,
                queryset=sections_for(for_user),
                required=False,
            )
        trigger = self.data.get("trigger") if self.is_bound else self.initial.get("trigger")
        self.entries = {}
        for name in ENTRIES:
            formset = entry_formset(
                name,
                data=self.data if self.is_bound else None,
                initial=self.initial.get(name) or [],
                user=for_user,
            )
            self.entries[name] = formset
            widget = self.fields[name].widget
            widget.formset, widget.trigger = formset, trigger or ""
        if self.instance.pk:
            self.fields["switched_off"].initial = [
                e.organization_id for e in self.instance.exclusions.all()
            ]

    def clean(self):
        cleaned = super().clean()
        trigger = TRIGGERS.get(cleaned.get("trigger") or "")
        for name, formset in self.entries.items():
            entries, errors = formset.entries(trigger)
            if errors:
                self.add_error(name, errors)
            elif name == "actions" and not entries:
                self.add_error(name, _("A rule needs at least one action."))
            else:
                cleaned[name] = entries
        if cleaned.get("section") and trigger and not trigger.for_pages:
            self.add_error("section", _("Only page triggers are assigned to a section."))
        org = cleaned.get("organization")
        for off in cleaned.get("switched_off") or []:
            if org and not off.is_descendant_of(org):
                self.add_error(
                    "switched_off", _("Switch a rule off only below where it is assigned.")
                )
        return cleaned

    def _update_errors(self, errors):
        # The model checks the stored lists again; where an entry's form already said what is
        # wrong, the model would only add that the (unset) list is empty.
        if hasattr(errors, "error_dict"):
            kept = {
                name: found
                for name, found in errors.error_dict.items()
                if not (name in ENTRIES and name in self.errors)
            }
            if not kept:
                return
            errors = forms.ValidationError(kept)
        super()._update_errors(errors)

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
