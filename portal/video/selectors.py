"""What reads videos for a view: the publishing organisations a user works for."""

from django.db.models import QuerySet

from portal.registry.models import Organization, Role, RoleAssignment
from portal.video.models import Video


def video_organizations_for(user) -> QuerySet[Organization]:
    """Publishing organisations whose videos the user sees, uploads and chooses: those whose
    section they edit or review; the county's reviewers, every one (as in publishing).
    """
    published = Organization.objects.filter(section__isnull=False)
    if not user.is_authenticated or not user.is_active:
        return published.none()
    if user.is_superuser:
        return published
    held = RoleAssignment.objects.filter(user=user, role__in=[Role.EDITOR, Role.REVIEWER])
    if held.filter(role=Role.REVIEWER, organization__depth=1).exists():
        return published
    return published.filter(pk__in=held.values("organization_id"))


def videos_visible_to(user) -> QuerySet[Video]:
    return Video.objects.filter(organization__in=video_organizations_for(user))
