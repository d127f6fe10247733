"""Demo talent pool, added when portal's demo is built (portal.signals.demo_built): a bounded
number of profiles, some of consenting demo members and the rest non-members, so the pool
looks the same size whether the demo has 300 members or 100,000.

Built in bulk and only once: a pool that already has profiles is left as it is.
"""

import datetime
import random

from django.utils import timezone

from portal.models import Member, Organization
from portal.registry.identity import id_number_check_char
from talent.models import (
    CommitteeRole,
    Education,
    Industry,
    TalentProfile,
    TalentSkill,
    Willingness,
)

MEMBER_PROFILES = 100
NON_MEMBER_PROFILES = 200
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗龙吴"
GIVEN = ["建华", "志强", "秀英", "海燕", "国平", "小红", "明", "丽", "伟", "春梅", "德军", "玉兰"]
CITIES = ["贵阳", "广州", "深圳", "杭州", "宁波", "上海", "东莞", "遵义"]
OCCUPATIONS = ["电商运营", "厨师", "电工", "养殖户", "货车司机", "教师", "工程师", "个体户"]
SKILLS = ["电商", "养殖", "种植", "驾驶", "电工", "烹饪", "财务", "直播", "建筑", "管理"]


def _id_number(rng: random.Random, serial: int) -> tuple[str, datetime.date, str]:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(0, 12000))
    sequence = f"{(serial % 999) + 1:03d}"
    first17 = f"522699{birth:%Y%m%d}{sequence}"
    gender = "male" if int(sequence[-1]) % 2 else "female"
    return first17 + id_number_check_char(first17), birth, gender


def _common(rng: random.Random, villages: list[Organization]) -> dict:
    village = rng.choice(villages)
    return {
        "hometown_township": village.get_parent(),
        "hometown_village": village,
        "current_city": rng.choice(CITIES),
        "employer": f"{rng.choice(CITIES)}{rng.choice(['农业', '物流', '餐饮', '科技'])}有限公司",
        "industry": rng.choice(Industry.values),
        "occupation": rng.choice(OCCUPATIONS),
        "education": rng.choice(Education.values),
        "willingness": rng.choice(Willingness.values),
        "roles": rng.sample(CommitteeRole.values, rng.randint(0, 2)),
        "venture_employees": rng.choice([0, 0, 0, 3, 8, 20]),
        "self_introduction": "在外务工多年，愿意为家乡发展出一份力。",
    }


def demo_talent_build(*, county: Organization) -> int:
    """Add the demo pool; return how many profiles were made (0 when it exists already)."""
    if TalentProfile.objects.exists():
        return 0
    rng = random.Random(20260105)  # noqa: S311 - reproducible demo data, not secrets
    villages = list(Organization.objects.within([county]).filter(level="village"))
    if not villages:
        return 0
    now = timezone.now()
    profiles = [
        TalentProfile(member_id=member_id, consented_at=now, **_common(rng, villages))
        for member_id in Member.objects.order_by("pk").values_list("pk", flat=True)[
            :MEMBER_PROFILES
        ]
    ]
    for serial in range(NON_MEMBER_PROFILES):
        id_number, birth, gender = _id_number(rng, serial)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = f"137{serial:08d}"
        profiles.append(
            TalentProfile(
                name=name,
                id_number=id_number,
                birth_date=birth,
                gender=gender,
                phone=phone,
                **_common(rng, villages),
            )
        )
    created = TalentProfile.objects.bulk_create(profiles)
    _skills_add(rng, created)
    return len(created)


def _skills_add(rng: random.Random, profiles: list[TalentProfile]) -> None:
    from taggit.models import Tag

    tags = {
        name: Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in SKILLS
    }
    TalentSkill.objects.bulk_create(
        TalentSkill(content_object=profile, tag=tags[name])
        for profile in profiles
        for name in rng.sample(SKILLS, 2)
    )


def demo_built_receiver(sender, *, county, member, **kwargs) -> None:
    demo_talent_build(county=county)
