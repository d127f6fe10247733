"""The conditions every rule may use: about the page, the member, or a number of the event."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, get_page_models

from portal.registry.models import Member, Organization

from .choosers import NumberNameField
from .registry import Condition, Event, condition_register


def _page_type_choices() -> list[tuple[str, str]]:
    return [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in get_page_models()
        if model is not Page
    ]


class PageTypeForm(forms.Form):
    page_types = forms.MultipleChoiceField(label=_("page types"), choices=_page_type_choices)


def _page_type(event: Event, params: dict) -> bool:
    page = event.page
    return page is not None and page.specific_class._meta.label_lower in params["page_types"]


class SectionForm(forms.Form):
    page = forms.ModelChoiceField(label=_("section"), queryset=Page.objects.all())


def _section(event: Event, params: dict) -> bool:
    page, section = event.page, params["page"]
    return page is not None and page.path.startswith(section.path)


class TagForm(forms.Form):
    tag = forms.CharField(label=_("tag"), max_length=100)


def _tag(event: Event, params: dict) -> bool:
    tags = getattr(event.page and event.page.specific, "tags", None)
    return tags is not None and tags.filter(name=params["tag"]).exists()


class MemberOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organization.objects.all()
    )


def _member_organization(event: Event, params: dict) -> bool:
    member, path = event.member, params["organization"].path
    if member is None:
        return False
    host = member.host.path if member.host_id else ""
    return member.origin.path.startswith(path) or host.startswith(path)


class FloatingStatusForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=_("floating status"), choices=Member.FloatingStatus.choices
    )


def _floating_status(event: Event, params: dict) -> bool:
    return event.member is not None and event.member.floating_status in params["statuses"]


class ThresholdForm(forms.Form):
    number = NumberNameField(label=_("number"), max_length=50)
    at_least = forms.DecimalField(label=_("at least"))


def _threshold(event: Event, params: dict) -> bool:
    value = event.numbers.get(params["number"])
    return value is not None and value >= float(params["at_least"])


def register_builtin_conditions() -> None:
    for key, label, form, check in (
        ("page_type", _("page type"), PageTypeForm, _page_type),
        ("section", _("in a section"), SectionForm, _section),
        ("tag", _("has a tag"), TagForm, _tag),
        (
            "member_organization",
            _("member in an organisation"),
            MemberOrganizationForm,
            _member_organization,
        ),
        ("floating_status", _("member's floating status"), FloatingStatusForm, _floating_status),
        ("threshold", _("a number at least"), ThresholdForm, _threshold),
    ):
        condition_register(Condition(key=key, label=label, form=form, check=check))
