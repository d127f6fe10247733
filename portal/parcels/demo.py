"""Demo red packages: the demo member's package, sent and received, and a few requests of
members of the same branch, assigned by their secretary: waiting, and one sent.

Bounded whatever the member count (SAMPLE members at most), and made once: a second run
finds the requests and adds nothing. The receipt's ``red_package_received`` fires when the
demo's transaction commits, so learning assigns the package's reading track as it would
for anyone.
"""

from django.contrib.auth import get_user_model

from portal.parcels import services as parcels
from portal.parcels.models import RedPackagePage, RedPackageRequest
from portal.registry.models import Member

PACKAGE_SLUG = "ershida-hongse-baoguo"  # demo_content's package
SAMPLE = 3


def _ask(package, member, *, user, source=RedPackageRequest.Source.REQUESTED):
    return parcels.package_request_create(
        package=package,
        member=member,
        recipient=member.name,
        phone=member.phone,
        address=member.address or f"{member.host_city or '深圳'}市城区务工人员公寓",
        user=user,
        source=source,
    )


def demo_parcels_build(*, member: Member, secretary_username: str) -> None:
    package = RedPackagePage.objects.filter(slug=PACKAGE_SLUG).first()
    if package is None or RedPackageRequest.objects.filter(package=package).exists():
        return
    secretary = get_user_model().objects.get(username=secretary_username)
    mine = _ask(package, member, user=member.user)
    parcels.package_request_dispatch(
        request=mine, courier="中国邮政EMS", tracking_number="EA204561378CN", user=secretary
    )
    parcels.package_request_receive(request=mine, member=member)
    neighbours = (
        Member.objects.filter(origin=member.origin, floating_status=Member.FloatingStatus.FLOATING)
        .exclude(pk=member.pk)
        .order_by("pk")[:SAMPLE]
    )
    assigned = RedPackageRequest.Source.ASSIGNED
    for index, neighbour in enumerate(neighbours):
        asked = _ask(package, neighbour, user=secretary, source=assigned)
        if index == 0:
            parcels.package_request_dispatch(
                request=asked, courier="顺丰速运", tracking_number="SF1402876935021", user=secretary
            )
