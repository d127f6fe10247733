"""Writing tracks: assigning them to an organisation's subtree (its members now and any who
join later) or to named members, and the monthly pack (一月一课一片一实践) made each month
from a section's template.

Every track marked as a monthly template gets, once a month, a draft copy beside it in its
section, with the template's steps and the assignments of the previous month's pack (a
template itself is assigned to no one), for the section's editors to fill in and submit
through the section's moderation like any other page. A log entry on the copy records
which template and month it was made for, so running the job again (or the button in the
admin) makes nothing new, even if an editor has renamed or moved the copy since.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from portal.content.services import page_privacy_default
from portal.inbox.services import notifications_send
from portal.models import Member, Notification, Organization, SectionPage

from ..models import TrackAssignment, TrackPage, TrackStep
from ..progress.selectors import step_facts_forget
from ..versions import learning_generation_advance
from .selectors import (
    LOG_ACTION,
    assignable_members,
    assignable_organizations,
    assignable_tracks,
    month_key,
)

# --- Assignments ------------------------------------------------------------------------


def _template_check(assignment: TrackAssignment) -> None:
    if assignment.track_id and assignment.track.is_template:
        message = _(
            "A monthly template is not assigned to anyone: assign the monthly packs made from it."
        )
        raise ValidationError({"track": message})


def _scope_check(assignment: TrackAssignment, user) -> None:
    if assignment.track_id and not assignable_tracks(user).filter(pk=assignment.track_id).exists():
        raise ValidationError({"track": _("You may not assign this track.")})
    track = assignment.track if assignment.track_id else None
    if assignment.organization_id:
        allowed = assignable_organizations(user, track=track)
        if not allowed.filter(pk=assignment.organization_id).exists():
            message = _("You may only assign tracks within the organisations you keep.")
            raise ValidationError({"organization": message})
    if assignment.member_id:
        allowed = assignable_members(user, track=track)
        if not allowed.filter(pk=assignment.member_id).exists():
            message = _("You may only assign tracks to members of the organisations you keep.")
            raise ValidationError({"member": message})


def _duplicate_check(assignment: TrackAssignment) -> None:
    existing = TrackAssignment.objects.filter(track_id=assignment.track_id)
    if (
        assignment.organization_id
        and existing.filter(organization_id=assignment.organization_id).exists()
    ):
        message = _("This track is already assigned to this organisation.")
        raise ValidationError({"organization": message})
    if assignment.member_id and existing.filter(member_id=assignment.member_id).exists():
        raise ValidationError({"member": _("This track is already assigned to this member.")})


def track_assign(
    *,
    track: TrackPage,
    organization: Organization | None = None,
    member: Member | None = None,
    user,
) -> TrackAssignment:
    """Assign the track to an organisation's subtree or to one member, within the user's
    scope; a monthly template, or a second assignment of the same track to the same target,
    is refused."""
    assignment = TrackAssignment(
        track=track, organization=organization, member=member, assigned_by=user
    )
    assignment.full_clean(validate_constraints=False)
    _template_check(assignment)
    _scope_check(assignment, user)
    _duplicate_check(assignment)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:  # the same assignment made at the same moment
        _duplicate_check(assignment)
        raise
    return assignment


def assignments_copy(*, source: TrackPage, target: TrackPage) -> int:
    """Give ``target`` the assignments of ``source`` (a monthly pack those of the previous
    pack)."""
    rows = [
        TrackAssignment(
            track=target,
            organization_id=a.organization_id,
            member_id=a.member_id,
            assigned_by_id=a.assigned_by_id,
        )
        for a in source.assignments.all()
    ]
    made = len(TrackAssignment.objects.bulk_create(rows, ignore_conflicts=True))
    _step_facts_forget_on_commit(target)  # bulk_create sends no post_save
    return made


def _step_facts_forget_on_commit(*tracks: TrackPage) -> None:
    step_ids = list(TrackStep.objects.filter(track__in=tracks).values_list("pk", flat=True))
    transaction.on_commit(lambda: step_facts_forget(step_ids))
    learning_generation_advance()  # the members' kept pages (learning/versions.py)


# --- Red packages: a received package brings its reading tracks ------------------------


def red_package_tracks_assign(*, member_id: int, package_id: int) -> int:
    """Assign to the member every live track with a reading step on the package they
    received (templates excepted); a track they already have by name is left as it is.
    Returns how many assignments were made."""
    tracks = (
        TrackPage.objects.live()
        .filter(is_template=False)
        .filter(steps__kind=TrackStep.Kind.READING, steps__page_id=package_id)
        .distinct()
    )
    held = TrackAssignment.objects.filter(member_id=member_id).values("track_id")
    rows = [TrackAssignment(track=t, member_id=member_id) for t in tracks.exclude(pk__in=held)]
    # A duplicate delivery racing this one is settled by the one-per-member constraint.
    TrackAssignment.objects.bulk_create(rows, ignore_conflicts=True)
    _step_facts_forget_on_commit(*(row.track for row in rows))
    return len(rows)


# --- Monthly packs --------------------------------------------------------------------


def _month(year: int | None, month: int | None) -> tuple[int, int]:
    today = timezone.localdate()  # TIME_ZONE is Asia/Shanghai: the month the county lives in
    return year or today.year, month or today.month


def _already_made(template: TrackPage, year: int, month: int, slug: str) -> bool:
    key = month_key(year, month)
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


def _pack_assignments_copy(template: TrackPage, pack: TrackPage) -> None:
    """The audience of the template's latest pack; assignments a template was given before
    templates were refused them are passed on too, as meant for its packs."""
    previous = (
        PageLogEntry.objects.filter(action=LOG_ACTION, data__template_id=template.pk)
        .order_by("-pk")
        .values_list("page_id", flat=True)
        .first()
    )
    for source in TrackPage.objects.filter(pk__in=[template.pk, previous or 0]):
        assignments_copy(source=source, target=pack)


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
    _pack_assignments_copy(template, pack)
    log(
        instance=pack,
        action=LOG_ACTION,
        user=user,
        data={"template_id": template.pk, "month": month_key(year, month)},
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
