"""The content rules' trigger "a talent profile newly matches a base search" (raised by
``saved_searches.base_matches``) and the recipient role "recruiters".

The organisation concerned is the profile's home village (else its home township), so a rule
assigned to a township hears of its own people. Whoever a rule names, only those who may see
the profile in the pool are told (the event's audience: recruiters whose scope holds it,
county organisation admins). The placeholders carry the name, the home places, the base
search and the masked phone; never a full phone or ID number.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Role
from portal.rules.recipients import _role_holders
from portal.rules.registry import Event, Recipient, Trigger, recipient_register, trigger_register
from talent.models import BaseSearch, TalentProfile
from talent.saved_searches.base_matches import TRIGGER
from talent.selectors import can_search_talent, profiles_visible_to

FIELDS = ("title", "name", "base_search", "township", "village", "masked_phone")


def talent_audience(profile_id: int):
    """Of some users, those who may see the profile in the pool now."""

    def allowed(user_ids: list[int]) -> list[int]:
        users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
        return [
            user.pk
            for user in users
            if can_search_talent(user) and profiles_visible_to(user).filter(pk=profile_id).exists()
        ]

    return allowed


def _load(*, event_key: str, base_search_id: int, profile_id: int, **_context) -> Event | None:
    base = BaseSearch.objects.filter(pk=base_search_id).first()
    profile = (
        TalentProfile.objects.in_pool()
        .select_related("member", "hometown_village", "hometown_township")
        .filter(pk=profile_id)
        .first()
    )
    if base is None or profile is None:
        return None  # deleted, or consent withdrawn meanwhile: nobody hears of it
    village, township = profile.hometown_village, profile.hometown_township
    link = reverse("talent_profile:inspect", args=[profile.pk])
    return Event(
        trigger=TRIGGER,
        key=event_key,
        organization=village or township,
        values={
            "title": _("New match for the base search “%(search)s”: %(name)s")
            % {"search": base.name, "name": profile.display_name},
            "name": profile.display_name,
            "base_search": base.name,
            "township": township.name if township else "",
            "village": village.name if village else "",
            "masked_phone": profile.masked_phone,
        },
        link=link,
        staff_link=link,
        audience=talent_audience(profile.pk),
    )


def register_talent_rules() -> None:
    trigger_register(
        Trigger(
            key=TRIGGER,
            label=gettext_lazy("a talent profile newly matches a base search"),
            load=_load,
            fields=FIELDS,
        )
    )
    recipient_register(
        Recipient(
            key="recruiters",
            label=gettext_lazy("recruiters"),
            resolve=_role_holders(Role.RECRUITER),
        )
    )
