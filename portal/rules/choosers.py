"""What a rule's entry may be set to in the admin, for the user at hand.

A kind's form (``portal.rules.registry``) says what its parameters mean and checks them the
same way wherever the rule runs. The admin builds that very form and narrows its fields here:

- a model choice field offers only what ``CHOOSER_SCOPES`` gives for its model and the user
  (organisations in the user's subtrees, the sections of those organisations);
- a field with a ``for_user(user)`` method narrows itself (a group's name, a user's login, the
  name of one of the triggers' numbers: stored as plain strings, chosen from a list);
- a multiple choice among a few options is shown as checkboxes.

A kind registered later gets the same: nothing here names a kind.
"""

from collections.abc import Callable

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.registry.identity import mask_login
from portal.registry.models import Organization, Role, RoleAssignment
from portal.registry.selectors import organizations_for_role

from .registry import TRIGGERS

CHECKBOXES_UP_TO = 12

CHOOSER_SCOPES: dict[type[Model], Callable[[QuerySet, object], QuerySet]] = {}


def chooser_scope_register(model: type[Model], scope: Callable[[QuerySet, object], QuerySet]):
    """``scope(queryset, user)`` narrows what a model choice field of ``model`` offers."""
    CHOOSER_SCOPES[model] = scope


def organizations_scope(queryset: QuerySet, user) -> QuerySet:
    return queryset.filter(pk__in=organizations_for_role(user, Role.ORG_ADMIN).values("pk"))


def sections_for(user) -> QuerySet[Page]:
    """The sections of the organisations in the user's subtrees (all sections for superusers)."""
    organizations = Organization.objects.all()
    if not (user.is_active and user.is_superuser):
        organizations = organizations_for_role(user, Role.ORG_ADMIN)
    # The reverse of SectionPage.organization, named so the rules wing imports no content.
    owned = organizations.filter(section__isnull=False).values("section")
    return Page.objects.filter(pk__in=owned).order_by("path")


def pages_scope(queryset: QuerySet, user) -> QuerySet:
    return queryset.filter(pk__in=sections_for(user).values("pk")).order_by("path")


chooser_scope_register(Organization, organizations_scope)
chooser_scope_register(Page, pages_scope)


class ChosenNameField(forms.CharField):
    """A name stored as a string; in the admin, chosen from ``names_for(user)``."""

    def names_for(self, user) -> list[tuple[str, str]]:
        raise NotImplementedError

    def for_user(self, user) -> None:
        choices = self.names_for(user)
        self.widget = forms.Select(choices=[("", "—"), *choices])
        allowed = {value for value, _label in choices}

        def offered(value):
            if value and value not in allowed:
                raise ValidationError(_("Choose one of the options offered."), code="invalid")

        self.validators = [*self.validators, offered]


class GroupNameField(ChosenNameField):
    def names_for(self, user) -> list[tuple[str, str]]:
        return [
            (name, name) for name in Group.objects.order_by("name").values_list("name", flat=True)
        ]


class UsernameField(ChosenNameField):
    """Users holding a role in the user's subtrees (anyone with a role, for superusers)."""

    def names_for(self, user) -> list[tuple[str, str]]:
        users = get_user_model().objects.filter(is_active=True)
        if user.is_active and user.is_superuser:
            users = users.filter(pk__in=RoleAssignment.objects.values("user_id")) | users.filter(
                is_superuser=True
            )
        else:
            scope = organizations_for_role(user, Role.ORG_ADMIN)
            users = users.filter(
                pk__in=RoleAssignment.objects.filter(organization__in=scope).values("user_id")
            )
        return [
            (u.username, f"{mask_login(u.username)}（{u.get_full_name()}）".replace("（）", ""))
            for u in users.distinct().order_by("username")
        ]


class NumberNameField(ChosenNameField):
    """The name of a number some trigger gives (``Trigger.numbers``)."""

    def names_for(self, user) -> list[tuple[str, str]]:
        names = sorted({name for trigger in TRIGGERS.values() for name in trigger.numbers})
        return [(name, f"{{{name}}}") for name in names]


def organization_label(organization: Organization) -> str:
    return organization.indented_name


def field_scope(field: forms.Field, user) -> None:
    """Narrow one field of an entry's (or the rule's) form to what ``user`` may pick."""
    if isinstance(field, forms.ModelChoiceField):
        model = field.queryset.model
        if model in CHOOSER_SCOPES:  # the model itself: a chooser of CollectionPage is not Page's
            field.queryset = CHOOSER_SCOPES[model](field.queryset, user)
        if issubclass(model, Organization):
            field.label_from_instance = organization_label
        field.widget.choices = field.choices
    elif hasattr(field, "for_user"):
        field.for_user(user)
    elif (
        isinstance(field, forms.MultipleChoiceField)
        and not isinstance(field.widget, forms.CheckboxSelectMultiple)
        and len(list(field.choices)) <= CHECKBOXES_UP_TO
    ):
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)


def form_scope(form: forms.Form, user) -> None:
    for field in form.fields.values():
        field_scope(field, user)
