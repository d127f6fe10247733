"""A pool wide enough to count: ten people of both genders, from all three villages, living in
four provinces and in a city the table does not know, at every education level, with and
without trainings, members and non-members. For the filter and facet tests of the desk and
the API."""

import datetime
from types import SimpleNamespace

import pytest

from portal.models import Member
from talent.models import Education, Industry, TalentProfile, Willingness
from talent.services import consent_record, profile_create

from .desk_support import index_talent

# A woman's ID number: the 17th digit is even.
ID_NUMBER_WOMAN = "110105199003070025"

# name, gender, village, current city, education, industry, willingness, trainings
PEOPLE = [
    ("张丽", "female", "a1", "深圳", 4, "it", "yes", "村级后备干部培训、电商培训"),
    ("王强", "male", "a1", "广东东莞", 2, "agriculture", "maybe", "职业技能培训"),
    ("李娜", "female", "a2", "贵阳市", 5, "education", "yes", "党员冬训"),
    ("赵军", "male", "a2", "杭州", 3, "trade", "no", ""),
    ("陈芳", "female", "b1", "遵义", 4, "services", "yes", "电商培训"),
    ("刘洋", "male", "b1", "昆山", 1, "manufacturing", "unknown", "焊工培训"),
    ("黄敏", "", "a1", "", None, "", "unknown", "后备干部轮训"),
    ("孙浩", "male", "a2", "广州", 2, "agriculture", "yes", ""),
]


def _village(tree, key: str):
    return {"a1": tree.village_a1, "a2": tree.village_a2, "b1": tree.village_b1}[key]


@pytest.fixture
def wide_pool(tree, members):
    """PEOPLE, then 周红 (a woman by her ID number, Shanghai) and the member 甲一党员 (her
    profile names no city: the record's host city 深圳 stands in; trained as a reserve cadre,
    and her trainings name it)."""
    made = {}
    for name, gender, village, city, education, industry, willing, trainings in PEOPLE:
        made[name] = profile_create(
            name=name,
            gender=gender,
            hometown_village=_village(tree, village),
            birth_date=datetime.date(1990, 1, 1),
            current_city=city,
            education=education,
            industry=industry,
            willingness=willing,
            trainings=trainings,
        )
    made["周红"] = profile_create(
        name="周红",
        id_number=ID_NUMBER_WOMAN,
        hometown_township=tree.township_b,
        current_city="上海浦东",
        education=Education.COLLEGE,
        industry=Industry.TRADE,
        willingness=Willingness.MAYBE,
        trainings="创业培训",
    )
    Member.objects.filter(pk=members.a1.pk).update(host_city="深圳")
    member = consent_record(
        profile=profile_create(
            member=members.a1,
            hometown_village=tree.village_a1,
            education=Education.BACHELOR,
            trainings="后备干部培训班",
        )
    )
    TalentProfile.objects.filter(pk=member.pk).update(reserve_cadre_trained=True)
    made["甲一党员"] = member
    index_talent()
    return SimpleNamespace(
        by_name={name: TalentProfile.objects.get(pk=p.pk) for name, p in made.items()}
    )
