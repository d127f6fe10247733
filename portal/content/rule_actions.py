"""The content rules' action "add the page to a collection": pins the event's page to a
collection page (``collection_pins``), which lists its pins first. The collection is the
action's one parameter, chosen in its form."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.content.collection_pins import collection_pin
from portal.content.models import CollectionPage
from portal.rules.actions import RuleBroken
from portal.rules.choosers import chooser_scope_register, sections_for
from portal.rules.registry import Action, Event, action_register


class CollectionForm(forms.Form):
    collection = forms.ModelChoiceField(
        label=pgettext_lazy("collection page", "collection"),
        queryset=CollectionPage.objects.order_by("path"),
        help_text=gettext_lazy("The page is pinned to it and listed first."),
    )


def _collection_add_run(rule, event: Event, params: dict) -> int:
    if event.page is None:
        raise RuleBroken(_("Only a page can be added to a collection: choose a page trigger."))
    collection_pin(collection=params["collection"], page=event.page)
    return 0


def collections_scope(queryset, user):
    """The collections inside the sections of the user's subtrees (every one for superusers:
    a site-wide collection such as 本月学习 sits under the home page, outside any section)."""
    if user.is_active and user.is_superuser:
        return queryset
    inside = Q(pk__in=[])
    for path in sections_for(user).values_list("path", flat=True):
        inside |= Q(path__startswith=path)
    return queryset.filter(inside)


def register_collection_action() -> None:
    chooser_scope_register(CollectionPage, collections_scope)
    action_register(
        Action(
            key="collection_add",
            label=gettext_lazy("add the page to a collection"),
            form=CollectionForm,
            run=_collection_add_run,
        )
    )
