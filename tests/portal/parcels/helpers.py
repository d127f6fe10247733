"""Builders for the red-package tests: a package in a section's catalog, with stock, and
members with logins and an address."""

from portal.content.services import section_create
from portal.models import (
    RedPackageBook,
    RedPackageCatalogPage,
    RedPackagePage,
    RedPackageStock,
    SectionPage,
)
from tests.portal.content.helpers import publish

ADDRESS = "广东省深圳市南山区科技园路8号华润大厦1201室"


def section_of(organization) -> SectionPage:
    return section_create(organization=organization)  # the existing one when made before


def package_in(
    organization,
    *,
    stock: int | None = 10,
    title: str = "二十大学习包",
    eligibility: str = RedPackagePage.Eligibility.FLOATING,
    organizations=(),
) -> RedPackagePage:
    """A published red package in the organisation's section (its catalog made once)."""
    section = section_of(organization)
    catalog = RedPackageCatalogPage.objects.child_of(section).first() or publish(
        section, RedPackageCatalogPage(title="红色包裹")
    )
    package = RedPackagePage(title=title, summary="三本书", eligibility=eligibility)
    package.books = [RedPackageBook(title="党章", publisher="人民出版社", isbn="978-7-01-025443-2")]
    package.eligible_organizations = list(organizations)
    publish(catalog, package, private=True)
    if stock is not None:
        RedPackageStock.objects.create(package=package, available=stock)
    return package


def with_login(member, *, address: str = ADDRESS):
    """Give the member a login (their phone) and an address on record."""
    from portal.registry.factories import UserFactory

    member.user = UserFactory(username=member.phone)
    member.address = address
    member.save(update_fields=["user", "address"])
    return member


def shipping(member, **overrides) -> dict:
    data = {"recipient": member.name, "phone": member.phone, "address": ADDRESS}
    data.update(overrides)
    return data
