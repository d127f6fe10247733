"""A small talent pool, indexed by the database engine, for the search tests; each test
module wraps ``make_pool`` in its own fixture."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.test import override_settings
from django.utils import timezone

from portal.models import Member
from search.registry import document_spec
from search.services import index_rebuild
from talent.models import TalentProfile
from talent.services import consent_record, negative_entry_add, profile_create
from tests.search.helpers import search_backends

PHONE = "13900000077"
ID_NUMBER = "11010519491231002X"


def years_ago(years: int, days: int = 0) -> datetime.date:
    """A birth date that makes someone ``years`` old today, ``days`` after the birthday."""
    today = timezone.localdate()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - datetime.timedelta(days=days)


def talent_reindex() -> None:
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends("database")):
        index_rebuild(spec=document_spec("talent"))


def make_pool(tree, members) -> SimpleNamespace:
    """Four non-members, a consenting member with record signals, and one who did not consent.

    farmer 王芳 (A1, township derived, 42), shop 陈刚 (B, 28 today), colleague 赵强 (A2, 51),
    cad 张伟 (township A only, on the negative list, phone and ID number, born 1949), member
    甲二党员 (A2, 35, excellent, trained, 32.5 hours), silent (B1, no consent)."""
    Member.objects.filter(pk=members.a2.pk).update(birth_date=years_ago(35, days=10))
    members.a2.refresh_from_db()
    farmer = profile_create(
        name="王芳",
        hometown_village=tree.village_a1,
        birth_date=years_ago(42, days=30),
        occupation="养殖场场长",
        industry="agriculture",
        education=2,
        willingness="yes",
        skills=["生态养殖", "农机"],
        self_introduction="在家乡发展生态养殖，带动村民致富",
    )
    shop = profile_create(
        name="陈刚",
        hometown_township=tree.township_b,
        hometown_village=tree.village_b1,
        birth_date=years_ago(28),
        current_city="杭州",
        industry="trade",
        education=4,
        willingness="maybe",
        venture="返乡创业做电子商务，开网店",
        skills=["直播"],
    )
    colleague = profile_create(
        name="赵强",
        hometown_village=tree.village_a2,
        birth_date=years_ago(51, days=200),
        industry="construction",
        education=1,
        willingness="no",
        self_introduction="配合同事完成工作",
    )
    cad = profile_create(
        name="张伟",
        id_number=ID_NUMBER,
        phone=PHONE,
        hometown_township=tree.township_a,
        industry="manufacturing",
        education=3,
        willingness="yes",
        employer="深圳精工机械厂",
        self_introduction="签订劳动合同，熟练使用Excel和CAD",
    )
    negative_entry_add(profile=cad, reason="违反村规民约")
    member = consent_record(
        profile=profile_create(
            member=members.a2,
            hometown_village=tree.village_a2,
            occupation="电工",
            willingness="yes",
            education=3,
        )
    )
    TalentProfile.objects.filter(pk=member.pk).update(
        latest_grade="excellent", study_hours_this_year=Decimal("32.5"), reserve_cadre_trained=True
    )
    TalentProfile.objects.filter(pk=farmer.pk).update(
        latest_grade="qualified", study_hours_this_year=Decimal("4")
    )
    silent = profile_create(member=members.b1, hometown_village=tree.village_b1, occupation="养殖")
    talent_reindex()
    return SimpleNamespace(
        farmer=farmer, shop=shop, colleague=colleague, cad=cad, member=member, silent=silent
    )
