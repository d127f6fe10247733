"""The monthly pack (一月一课一片一实践) made each month from a section's template.

Every track marked as a monthly template gets, once a month, a draft copy beside it in its
section, with the template's steps and assignments, for the section's editors to fill in and
submit through the section's moderation like any other page. A log entry on the copy records
which template and month it was made for, so running the job again (or the button in the
admin) makes nothing new, even if an editor has renamed or moved the copy since.
"""

import calendar
import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from portal.content.services import page_privacy_default
from portal.inbox.services import notifications_send
from portal.models import Notification, SectionPage

from .assignments import assignments_copy
from .models import TrackPage

LOG_ACTION = "learning.monthly_pack"


def _month(year: int | None, month: int | None) -> tuple[int, int]:
    today = timezone.localdate()  # TIME_ZONE is Asia/Shanghai: the month the county lives in
    return year or today.year, month or today.month


def _month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def monthly_pack_for(*, template: TrackPage, year: int, month: int) -> TrackPage | None:
    """The pack already made from the template for that month, if there is one."""
    entry = (
        PageLogEntry.objects.filter(
            action=LOG_ACTION,
            data__template_id=template.pk,
            data__month=_month_key(year, month),
        )
        .order_by("pk")
        .first()
    )
    if entry is None:
        return None
    return TrackPage.objects.filter(pk=entry.page_id).first()


def _already_made(template: TrackPage, year: int, month: int, slug: str) -> bool:
    key = _month_key(year, month)
    logged = PageLogEntry.objects.filter(
        action=LOG_ACTION, data__template_id=template.pk, data__month=key
    ).exists()
    return logged or template.get_parent().get_children().filter(slug=slug).exists()


def _editors_notify(pack: TrackPage, section: SectionPage) -> None:
    if section.editors_id is None:
        return
    notifications_send(
        recipient_ids=section.editors.user_set.filter(is_active=True).values_list("pk", flat=True),
        kind=Notification.Kind.REMINDER,
        title=_("This month's pack is waiting for you: %(title)s") % {"title": pack.title},
        body=_("A draft was made from the template. Fill it in and submit it for review."),
        url=reverse("wagtailadmin_pages:edit", args=[pack.pk]),
        source_key=f"monthly_pack:{pack.pk}",
    )


@transaction.atomic
def monthly_pack_create(*, template: TrackPage, year: int, month: int, user=None):
    """Make the template's draft copy for the month; None if it was made before."""
    template = TrackPage.objects.select_for_update().get(pk=template.pk)  # one copy at a time
    slug = f"{template.slug}-{year}-{month:02d}"
    if not template.is_template or _already_made(template, year, month, slug):
        return None
    section = template.get_parent().specific
    last_day = calendar.monthrange(year, month)[1]
    pack = template.copy(
        to=section,
        update_attrs={
            "title": f"{year}年{month}月 {template.title}",
            "slug": slug,
            "is_template": False,
            "kind": TrackPage.Kind.MONTHLY_PACK,
            "deadline": datetime.date(year, month, last_day),
        },
        keep_live=False,
        copy_revisions=False,
        user=user,
    ).specific
    page_privacy_default(page=pack, user=user)
    assignments_copy(source=template, target=pack)
    log(
        instance=pack,
        action=LOG_ACTION,
        user=user,
        data={"template_id": template.pk, "month": _month_key(year, month)},
    )
    _editors_notify(pack, section)
    return pack


def monthly_packs_create(*, year: int | None = None, month: int | None = None) -> int:
    """This month's pack (by default) from every template; returns how many were made."""
    year, month = _month(year, month)
    made = 0
    for template in TrackPage.objects.filter(is_template=True).order_by("pk"):
        made += monthly_pack_create(template=template, year=year, month=month) is not None
    return made
