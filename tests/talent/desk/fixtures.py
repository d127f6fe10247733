"""Fixtures of the recruiter's desk tests: a small pool and one user per role (used here
through conftest.py, and by the talent export tests)."""

from types import SimpleNamespace

import pytest

from portal.models import Role
from talent.models import Education, Industry, TalentProfile, Willingness
from talent.services import profile_create

from .desk_support import ID_NUMBER, PHONE, _born, index_talent


@pytest.fixture
def desk_pool(tree):
    """Three people: a breeder from A1 (with numbers), a pig farmer from A2, a coder from B1."""
    breeder = profile_create(
        name="张养成",
        id_number=ID_NUMBER,
        phone=PHONE,
        hometown_township=tree.township_a,
        hometown_village=tree.village_a1,
        current_city="深圳",
        employer="鹏城生态农场",
        industry=Industry.AGRICULTURE,
        occupation="养殖技术员",
        education=Education.BACHELOR,
        willingness=Willingness.YES,
        skills=["养殖"],
        venture="养鸡场",
        venture_employees=12,
    )
    TalentProfile.objects.filter(pk=breeder.pk).update(
        reserve_cadre_trained=True, latest_grade="excellent", study_hours_this_year=12.5
    )
    farmer = profile_create(
        name="李明",
        hometown_village=tree.village_a2,
        birth_date=_born(50),
        industry=Industry.AGRICULTURE,
        occupation="生猪养殖",
        education=Education.SENIOR,
        willingness=Willingness.MAYBE,
    )
    coder = profile_create(
        name="王乙",
        hometown_village=tree.village_b1,
        birth_date=_born(28),
        industry=Industry.IT,
        occupation="程序员",
        education=Education.COLLEGE,
    )
    index_talent()
    return SimpleNamespace(
        breeder=TalentProfile.objects.get(pk=breeder.pk), farmer=farmer, coder=coder
    )


@pytest.fixture
def people(tree, user_with_role):
    """One user per role that matters here."""
    return SimpleNamespace(
        county_recruiter=user_with_role(Role.RECRUITER, tree.county),
        recruiter_a=user_with_role(Role.RECRUITER, tree.township_a),
        recruiter_b=user_with_role(Role.RECRUITER, tree.township_b),
        county_admin=user_with_role(Role.ORG_ADMIN, tree.county),
        secretary=user_with_role(Role.ORG_ADMIN, tree.village_a1),
        member=user_with_role(Role.MEMBER, tree.village_a1),
        editor=user_with_role(Role.EDITOR, tree.county),
    )
