"""A rule's conditions or actions in the admin: one form per entry, the kind's own ``form``.

Each entry of the stored list ``[{"key": ..., "params": {...}}]`` becomes a form of its kind
(from ``CONDITIONS`` or ``ACTIONS``), prefixed ``conditions-0-`` and so on, with three fields
of the list's own: the kind (hidden), its place (``ORDER``) and whether it was removed
(``DELETE``), as in a Django formset. An empty form of every registered kind is rendered in a
``<template>``; ``static/portal/rule_entries.js`` copies one in to add an entry, and moves or
removes entries (ADR 0022). Errors stay on the entry's field that is wrong.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.db.models import Model
from django.forms.forms import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet, formset_factory
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .choosers import form_scope
from .registry import ACTIONS, CONDITIONS, TRIGGERS, RuleTemplateError, Trigger, template_check

KIND = "kind"


class UnknownKindForm(forms.Form):
    """An entry whose kind is no longer (or was never) registered: it cannot be kept."""

    def __init__(self, *args, known: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def clean(self):
        raise forms.ValidationError(_("Unknown kind; one of %(known)s") % {"known": self.known})


def param_value(value):
    """A cleaned value as the stored parameters hold it (what the kind's form accepts)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return [param_value(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


class EntryFormSet(BaseFormSet):
    """Forms of different kinds in one list; ``registry`` maps each kind to its spec."""

    deletion_widget = forms.HiddenInput
    ordering_widget = forms.HiddenInput

    def __init__(self, *args, registry: Mapping, user, where: str, **kwargs):
        self.registry, self.user, self.where = registry, user, where
        super().__init__(*args, **kwargs)
        self.form = self._form_build  # one class per entry, chosen by its kind

    def _kind(self, i: int | None) -> str:
        if i is None:
            return ""
        if self.is_bound:
            return self.data.get(f"{self.add_prefix(i)}-{KIND}", "")
        return self.initial[i].get(KIND, "") if self.initial and i < len(self.initial) else ""

    def _construct_form(self, i, **kwargs):
        # Every entry is checked, even one just added and left as it came.
        return super()._construct_form(i, empty_permitted=False, **kwargs)

    def _form_build(self, *, prefix, **kwargs):
        index = prefix.rsplit("-", 1)[-1]
        key = kwargs.pop("kind", None) or (self._kind(int(index)) if index.isdigit() else "")
        spec = self.registry.get(key)
        if spec is None:
            form = UnknownKindForm(prefix=prefix, known="、".join(self.registry), **kwargs)
        else:
            form = spec.form(prefix=prefix, **kwargs)
            if self.user is not None:
                form_scope(form, self.user)
        form.fields[KIND] = forms.CharField(widget=forms.HiddenInput, initial=key)
        form.spec = spec
        return form

    def empty_form_of(self, key: str) -> forms.Form:
        form = self._form_build(
            prefix=self.add_prefix("__prefix__"),
            kind=key,
            auto_id=self.auto_id,
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def live_forms(self) -> list[forms.Form]:
        """The entries not removed, in the order the page put them."""
        if not self.is_bound:
            return list(self.forms)
        self.errors  # noqa: B018 - cleans every entry once

        def place(form):
            order = getattr(form, "cleaned_data", {}).get("ORDER")
            return (order is None, order or 0)

        return sorted((f for f in self.forms if not self._should_delete_form(f)), key=place)

    def entries(self, trigger: Trigger | None) -> tuple[list[dict], list[str]]:
        """The stored list, and the errors naming each entry and field (empty when valid)."""
        errors = [str(error) for error in self.non_form_errors()]
        stored = []
        for number, form in enumerate(self.live_forms(), 1):
            where = self.where % {"number": number}
            if form.spec is not None:
                where = f"{where}（{form.spec.label}）"
                if form.is_valid():
                    self._templates_check(form, trigger)
            for name, messages in list(form.errors.items()):
                field = form.fields.get(name)
                text = " ".join(messages)
                if field is None or name == NON_FIELD_ERRORS:
                    errors.append(
                        _("%(where)s is wrong: %(error)s") % {"where": where, "error": text}
                    )
                    continue
                errors.append(
                    _("%(where)s, %(field)s: %(error)s")
                    % {"where": where, "field": field.label, "error": text}
                )
                form.errors[name] = form.error_class(
                    [
                        _("%(field)s is wrong: %(error)s") % {"field": field.label, "error": m}
                        for m in messages
                    ]
                )
            if not form.errors:
                params = {
                    name: param_value(value)
                    for name, value in form.cleaned_data.items()
                    if name not in (KIND, "ORDER", "DELETE")
                }
                stored.append({"key": form.spec.key, "params": params})
        return stored, errors

    def _templates_check(self, form: forms.Form, trigger: Trigger | None) -> None:
        if trigger is None:
            return
        for name in getattr(form.spec, "templates", ()):
            try:
                template_check(str(form.cleaned_data.get(name) or ""), trigger)
            except RuleTemplateError as exc:
                form.add_error(name, str(exc))


def entry_formset(name: str, *, data, initial: list, user) -> EntryFormSet:
    """The formset for ``name`` ("conditions" or "actions") of a rule."""
    registry, where = {
        "conditions": (CONDITIONS, _("Condition %(number)s")),
        "actions": (ACTIONS, _("Action %(number)s")),
    }[name]
    formset_class = formset_factory(
        forms.Form, formset=EntryFormSet, extra=0, can_order=True, can_delete=True
    )
    rows = [
        {KIND: entry.get("key", ""), **(entry.get("params") or {})}
        for entry in initial or []
        if isinstance(entry, dict)
    ]
    return formset_class(
        data=data,
        initial=rows,
        prefix=name,
        registry=registry,
        user=user,
        where=where,
    )


def placeholders() -> dict[str, list[str]]:
    """Per trigger, the placeholders its messages may use."""
    return {
        key: [f"{{{name}}}" for name in ("link", *trigger.fields)]
        for key, trigger in TRIGGERS.items()
    }


class EntriesWidget(forms.Widget):
    """Renders a rule's formset of entries (set by the form as ``formset``); the field's value
    is read from the formset, not from this widget."""

    template = "portal/admin/rule_entries.html"

    class Media:
        js = ["portal/rule_entries.js"]

    formset: EntryFormSet | None = None
    trigger: str = ""

    def value_from_datadict(self, data, files, name):
        return None

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        formset = self.formset
        current = placeholders().get(self.trigger or "", [])
        entries = [
            {
                "form": form,
                "deleted": formset.is_bound and formset._should_delete_form(form),
                "templates": getattr(form.spec, "templates", ()),
            }
            for form in formset.forms
        ]
        kinds = [
            {
                "key": key,
                "label": spec.label,
                "form": formset.empty_form_of(key),
                "templates": getattr(spec, "templates", ()),
            }
            for key, spec in formset.registry.items()
        ]
        return render_to_string(
            self.template,
            {
                "name": name,
                "formset": formset,
                "entries": entries,
                "kinds": kinds,
                "placeholders": current,
                "all_placeholders": placeholders(),
                "placeholders_id": f"rule-{name}-placeholders",
            },
        )


def _shown(field: forms.Field, value) -> str:
    """A cleaned value as a person reads it: a choice's label, an object's name."""
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "model"):
        return "、".join(str(item) for item in value)
    if isinstance(field, forms.ModelChoiceField):  # a value no longer found: as stored
        return "" if value is None else str(value)
    labels = {str(key): str(label) for key, label in getattr(field, "choices", ()) or ()}
    if isinstance(value, list | tuple):
        return "、".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(str(value), "" if value is None else str(value))


def entries_described(entries: list, registry: Mapping) -> list[dict]:
    """A rule's stored entries in words, for its page: each kind's label, and its fields'."""
    described = []
    for entry in entries:
        spec = registry.get(entry.get("key")) if isinstance(entry, dict) else None
        if spec is None:
            described.append({"label": str(entry), "fields": []})
            continue
        form = spec.form(data=entry.get("params") or {})
        values = form.cleaned_data if form.is_valid() else {}
        fields = [
            (field.label, _shown(field, values.get(name, (entry.get("params") or {}).get(name))))
            for name, field in form.fields.items()
        ]
        described.append({"label": spec.label, "fields": [(k, v) for k, v in fields if v]})
    return described
