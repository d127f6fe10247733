"""The actions every rule may use: notify people in the inbox, email them, log to the admin's
history. Messages are ``str.format`` templates over the event's plain values only: no
attribute or index lookups (checked when the rule is saved), and only masked numbers exist
among the values."""

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from portal.inbox.models import Notification
from portal.inbox.services import notifications_send
from portal.registry.models import Organization

from .choosers import GroupNameField, UsernameField
from .recipients import HERE, REACH_CHOICES
from .registry import RECIPIENTS, Action, Event, action_register, template_names

User = get_user_model()


class RuleBroken(Exception):  # noqa: N818 - reads as what happened to the rule
    """What a rule asks for cannot be done (a group or user that no longer exists)."""


class MessageForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("message title"), max_length=200, initial="{title}")
    body = forms.CharField(label=gettext_lazy("message"), required=False, widget=forms.Textarea)


class RoleForm(MessageForm):
    recipients = forms.ChoiceField(
        label=gettext_lazy("recipients"),
        choices=lambda: [(key, str(r.label)) for key, r in RECIPIENTS.items()],
    )
    reach = forms.ChoiceField(
        label=gettext_lazy("where"), choices=REACH_CHOICES, required=False, initial=HERE
    )
    level = forms.ChoiceField(
        label=gettext_lazy("only at level"),
        choices=[("", "—"), *Organization.Level.choices],
        required=False,
    )


class GroupForm(MessageForm):
    group = GroupNameField(label=gettext_lazy("group"), max_length=150)


class UserForm(MessageForm):
    username = UsernameField(label=gettext_lazy("user"), max_length=150)


def render(template: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; one the event lacks breaks the rule, with its name."""
    missing = template_names(template) - values.keys()
    if missing:
        raise RuleBroken(_("The message names {%s}, which this event lacks.") % min(missing))
    return template.format_map(values)


def _active(user_ids: Iterable[int], event: Event) -> list[int]:
    ids = set(user_ids) - {event.actor_id, None}
    found = list(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    return list(event.audience(found)) if event.audience is not None else found


def _by_link(event: Event, user_ids: list[int]) -> dict[str, list[int]]:
    """Staff are sent to the admin when the event says where; everyone else to the link."""
    if not event.staff_link:
        return {event.link: user_ids}
    groups: dict[str, list[int]] = {}
    for user in User.objects.filter(pk__in=user_ids):
        staff = user.has_perm("wagtailadmin.access_admin")
        groups.setdefault(event.staff_link if staff else event.link, []).append(user.pk)
    return groups


def notify(rule, event: Event, params: dict, user_ids: Iterable[int]) -> int:
    recipients = _active(user_ids, event)
    for link, ids in _by_link(event, recipients).items():
        values = {**event.values, "link": link}
        notifications_send(
            recipient_ids=ids,
            kind=event.kind if event.kind in Notification.Kind.values else "reminder",
            title=render(params["title"], values),
            body=render(params.get("body") or "", values),
            url=link,
            source_key=f"rule:{rule.pk}:{event.key}"[:100],
        )
    return len(recipients)


def recipients_for(event: Event, params: dict) -> list[int]:
    """Whom a notify action would reach (also what the admin's preview shows)."""
    if "recipients" in params:
        spec = RECIPIENTS[params["recipients"]]
        return _active(spec.resolve(event, params.get("reach") or HERE, params.get("level")), event)
    if "group" in params:
        group = Group.objects.filter(name=params["group"]).first()
        if group is None:
            raise RuleBroken(_("The group “%s” no longer exists.") % params["group"])
        return _active(group.user_set.values_list("pk", flat=True), event)
    if "username" not in params:
        return []  # an action that tells nobody (adding the page to a collection)
    user = User.objects.filter(username=params["username"]).first()
    if user is None:
        raise RuleBroken(_("The user “%s” no longer exists.") % params["username"])
    return _active([user.pk], event)


def _notify_run(rule, event: Event, params: dict) -> int:
    return notify(rule, event, params, recipients_for(event, params))


def _email_run(rule, event: Event, params: dict) -> int:
    if not getattr(settings, "EMAIL_HOST", ""):
        return 0
    ids = recipients_for(event, params)
    values = {**event.values, "link": event.link}
    subject, body = render(params["title"], values), render(params.get("body") or "", values)
    addresses = User.objects.filter(pk__in=ids).exclude(email="").values_list("email", flat=True)
    messages = [(subject, body, None, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)


class LogForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("note"), max_length=200, initial="{title}")


def _log_run(rule, event: Event, params: dict) -> int:
    if event.page is not None:
        values = {**event.values, "link": event.link}
        log(
            instance=event.page.specific,
            action="portal.rule",
            data={"rule": rule.title, "message": render(params["message"], values)},
        )
    return 0


def register_builtin_actions() -> None:
    for key, label, form, run, templates in (
        ("notify_role", gettext_lazy("notify a role"), RoleForm, _notify_run, ("title", "body")),
        ("notify_group", gettext_lazy("notify a group"), GroupForm, _notify_run, ("title", "body")),
        ("notify_user", gettext_lazy("notify a user"), UserForm, _notify_run, ("title", "body")),
        ("email_role", gettext_lazy("email a role"), RoleForm, _email_run, ("title", "body")),
        ("log", gettext_lazy("note in the page's history"), LogForm, _log_run, ("message",)),
    ):
        action_register(Action(key=key, label=label, form=form, run=run, templates=templates))
