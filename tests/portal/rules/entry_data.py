"""The rule form as a browser sends it: plain fields, then each entry under its prefix."""

from django import forms

from portal.rules.forms import ENTRIES, RuleForm


def entries_data(name: str, entries: list[tuple[str, dict]], *, deleted=()) -> dict:
    """POST data for ``entries``, a list of (kind, {field: value}) in order."""
    data = {f"{name}-TOTAL_FORMS": len(entries), f"{name}-INITIAL_FORMS": 0}
    for index, (kind, params) in enumerate(entries):
        prefix = f"{name}-{index}"
        data[f"{prefix}-kind"] = kind
        data[f"{prefix}-ORDER"] = index + 1
        if index in deleted:
            data[f"{prefix}-DELETE"] = "1"
        for field, value in params.items():
            data[f"{prefix}-{field}"] = value
    return data


def rule_data(org, *, conditions=(), actions=(), **overrides) -> dict:
    data = {
        "title": "通知村支部书记",
        "description": "",
        "enabled": "on",
        "trigger": "page_published",
        "organization": org.pk if org else "",
        "section": "",
        **entries_data("conditions", list(conditions)),
        **entries_data("actions", list(actions)),
    }
    return {**data, **overrides}


def secretaries_below(**params) -> tuple[str, dict]:
    return (
        "notify_role",
        {
            "recipients": "secretary",
            "reach": "below",
            "level": "village",
            "title": "新通知：{title}",
            "body": "",
            **params,
        },
    )


def bound_value(bound: forms.BoundField):
    """What a browser sends for a field as the page shows it."""
    value = bound.value()
    if isinstance(bound.field, forms.BooleanField):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def form_as_sent(form: RuleForm) -> dict:
    """POST data for an unbound rule form exactly as it shows its values (a round trip)."""
    data = {}
    for name, bound in ((n, form[n]) for n in form.fields if n not in ENTRIES):
        value = bound_value(bound)
        if value not in ("", []):
            data[name] = value
    for name in ENTRIES:
        formset = form.entries[name]
        data.update(
            {
                f"{name}-TOTAL_FORMS": formset.total_form_count(),
                f"{name}-INITIAL_FORMS": formset.initial_form_count(),
            }
        )
        for entry in formset.forms:
            for field in entry:
                data[field.html_name] = bound_value(field)
    return data


def sample_value(field: forms.Field, name: str):
    """A valid value for an entry's field, from what the form offers (its first choice)."""
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        assert first is not None, f"nothing to choose for {name}"
        return [str(first.pk)] if isinstance(field, forms.ModelMultipleChoiceField) else first.pk
    choices = [value for value, _label in getattr(field.widget, "choices", ()) if value != ""]
    if isinstance(field, forms.MultipleChoiceField):
        assert choices, f"nothing to choose for {name}"
        return [str(choices[0])]
    if isinstance(field, forms.ChoiceField) or isinstance(field.widget, forms.Select):
        assert choices, f"nothing to choose for {name}"
        return str(choices[0])
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "3"
    return "{title}"
