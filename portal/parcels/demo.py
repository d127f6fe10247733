"""Demo red packages: the demo member's package, sent and received, and a few requests of
members of the same branch, assigned by their secretary: waiting, and one sent.

Bounded whatever the member count (SAMPLE members at most), and made once: a second run
finds the requests and adds nothing. The receipt's ``red_package_received`` fires when the
demo's transaction commits, so learning assigns the package's reading track as it would
for anyone.
"""

import io

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from portal.content.demo import demo_page_publish
from portal.content.models import RedPackageBook, RedPackageCatalogPage, RedPackagePage, SectionPage
from portal.content.models.catalog import isbn_normalize
from portal.parcels import services as parcels
from portal.parcels.models import RedPackageRequest, RedPackageStock
from portal.registry.models import Member, Organization

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


def _isbn13(group_publisher_title: str) -> str:
    """978-… with its check digit computed, hyphenated as printed on a book."""
    first12 = "978" + isbn_normalize(group_publisher_title)
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return f"978-{group_publisher_title}-{(10 - total % 10) % 10}"


# Synthetic ISBNs: 人民出版社's real prefix (7-01) with invented title numbers, so they pass
# validation but name no real edition.
BOOKS = [
    ("党的二十大报告", "人民出版社", _isbn13("7-01-025101")),
    ("中国共产党章程", "人民出版社", _isbn13("7-01-025102")),
    ("习近平新时代中国特色社会主义思想专题摘编", "人民出版社", _isbn13("7-01-025103")),
]


def _cover() -> Image:
    """A plain red cover with a gold band, drawn here so the demo needs no image files."""
    picture = PILImage.new("RGB", (480, 640), (168, 22, 27))
    ImageDraw.Draw(picture).rectangle((0, 420, 480, 470), fill=(230, 180, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    file = ImageFile(buffer, name="red-package.jpg")
    return Image.objects.create(title="红色包裹封面", file=file)


def demo_catalog_build(*, county: Organization) -> None:
    """The county's red-package catalog with one package of three books, 200 in stock."""
    section = SectionPage.objects.get(organization=county)
    catalog = demo_page_publish(
        section,
        RedPackageCatalogPage(
            title="红色包裹",
            slug="hongse-baoguo",
            intro="县委组织部为在外流动党员免费寄送学习书籍，送学上门。",
        ),
    )
    package = RedPackagePage(
        title="二十大学习红色包裹",
        slug="ershida-hongse-baoguo",
        summary="党的二十大报告、党章和专题摘编各一本，寄到流入地。",
        cover=_cover(),
        eligibility=RedPackagePage.Eligibility.FLOATING,
    )
    package.books = [
        RedPackageBook(title=title, publisher=publisher, isbn=isbn, sort_order=order)
        for order, (title, publisher, isbn) in enumerate(BOOKS)
    ]
    demo_page_publish(catalog, package)
    RedPackageStock.objects.get_or_create(package=package, defaults={"available": 200})
