"""A county's talent pool for the talent benchmarks: 4 townships of 6 villages and a community,
and N talent profiles made up from a fixed seed (names, birth dates, occupations, employers and
skills by industry, ventures, honours, trainings and a self-introduction)."""

import datetime
import random

TOWNSHIPS = {
    "石桥镇": ["石桥", "柳河", "青山", "杨家湾", "大坪", "白沙"],
    "龙潭乡": ["龙潭", "新民", "高峰", "三合", "水口", "岩脚"],
    "平寨镇": ["平寨", "坡脚", "红岩", "田坝", "沙坝", "松林"],
    "清水乡": ["清水", "河边", "中寨", "上寨", "下寨", "马场"],
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾龙杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红海燕春梅德兰玉"
CITIES = "深圳 广州 东莞 杭州 宁波 苏州 上海 厦门 佛山 温州 贵阳 遵义".split()
# industry → (occupations, employer kinds, skills)
WORK = {
    "agriculture": (
        ["养殖户", "种植大户", "农技员", "合作社理事长"],
        ["生态农业", "畜牧养殖", "果蔬种植"],
        ["生猪养殖", "食用菌种植", "茶叶种植", "农机操作", "畜禽防疫"],
    ),
    "manufacturing": (
        ["生产线班组长", "电工", "焊工", "质检员", "数控车工"],
        ["电子", "机械制造", "服装"],
        ["电工", "焊接", "数控编程", "质量管理", "设备维修"],
    ),
    "construction": (
        ["施工员", "二级建造师", "木工", "项目经理"],
        ["建筑工程", "装饰工程", "路桥"],
        ["CAD制图", "工程预算", "施工管理", "测量"],
    ),
    "trade": (
        ["电商运营", "网店店主", "直播主播", "销售经理"],
        ["电子商务", "商贸", "供应链"],
        ["电商", "直播带货", "网店运营", "市场营销", "Excel"],
    ),
    "transport": (
        ["货车司机", "物流调度", "快递站长"],
        ["物流", "运输", "快递"],
        ["驾驶", "物流管理", "仓储"],
    ),
    "services": (
        ["厨师", "餐馆老板", "家政服务员", "理发师"],
        ["餐饮", "酒店管理", "家政服务"],
        ["烹饪", "餐饮管理", "面点制作", "客户服务"],
    ),
    "it": (
        ["程序员", "网络工程师", "运维工程师", "5G基站维护员"],
        ["科技", "软件", "通信技术"],
        ["Python", "Java", "网络维护", "数据分析", "APP开发"],
    ),
    "education": (
        ["教师", "乡村医生", "护士", "幼儿教师"],
        ["教育咨询", "医疗", "培训学校"],
        ["教学", "护理", "心理辅导", "普通话"],
    ),
    "other": (
        ["个体户", "保安", "财务"],
        ["商务服务", "物业管理", "财务咨询"],
        ["财务", "会计", "管理"],
    ),
}
INTRODUCTIONS = [
    "在{city}打拼{n}年，{occupation}出身，积累了{skill}方面的经验，",
    "外出务工多年，一直从事{occupation}工作，熟悉{skill}，",
    "{n}年前到{city}发展，做过{occupation}，后来自学{skill}，",
    "毕业后在{city}工作，现任{occupation}，擅长{skill}，",
]
WISHES = [
    "愿意为家乡发展出一份力，希望回村带领乡亲致富。",
    "关注家乡产业发展，可以帮助村里发展电子商务和特色产业。",
    "家人在村里，逢年过节回乡，愿意参加村两委换届。",
    "暂时在外地工作，但愿意为家乡招商引资牵线搭桥。",
    "参加过村级后备干部培训，考核合格，有返乡意愿。",
    "按时参加主题党日和三会一课，每月向党组织报告流动去向。",
]
VENTURES = ["{city}{kind}有限公司", "家乡{kind}合作社", "{kind}网店", "{kind}工作室"]
HONOURS = ["优秀共产党员", "致富带头人", "优秀农民工", "岗位能手", "返乡创业之星"]
TRAININGS = ["村级后备干部培训", "电商培训", "创业培训", "职业技能培训", "党员冬训"]
GRADES = ["excellent", "qualified", "qualified", "basic", ""]
WILLINGNESS = ["yes", "maybe", "maybe", "no", "unknown"]


def build_county():
    from portal.models import Organization
    from portal.registry.services import organization_create

    county = organization_create(
        parent=None,
        name="中共基准县委员会",
        code="B00",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
    )
    hometowns = []
    for number, (name, stems) in enumerate(TOWNSHIPS.items(), start=1):
        township = organization_create(
            parent=county,
            name=f"中共{name}委员会",
            code=f"B{number:02d}",
            kind=Organization.Kind.COMMITTEE,
            level=Organization.Level.TOWNSHIP,
        )
        community = organization_create(
            parent=township,
            name=f"{name[:2]}社区党支部",
            code=f"B{number:02d}-C01",
            kind=Organization.Kind.BRANCH,
            level=Organization.Level.COMMUNITY,
        )
        hometowns.append((township, community))
        for index, stem in enumerate(stems, start=1):
            village = organization_create(
                parent=township,
                name=f"{stem}村党支部",
                code=f"B{number:02d}-V{index:02d}",
                kind=Organization.Kind.BRANCH,
                level=Organization.Level.VILLAGE,
            )
            hometowns.append((township, village))
    return hometowns


def build_profiles(count: int, hometowns: list, seed: int = 20261202) -> None:
    from decimal import Decimal

    from taggit.models import Tag

    from talent.models import TalentProfile, TalentSkill

    rng = random.Random(seed)
    tags = {}
    for _occupations, _kinds, skills in WORK.values():
        for skill in skills:
            if skill not in tags:
                tags[skill] = Tag.objects.create(name=skill, slug=f"bench-{len(tags)}")
    industries = list(WORK)
    start = datetime.date(1965, 1, 1)
    batch_size = 2000
    for first in range(0, count, batch_size):
        profiles, skill_names = [], []
        for _ in range(min(batch_size, count - first)):
            township, village = rng.choice(hometowns)
            industry = rng.choice(industries)
            occupations, kinds, skills = WORK[industry]
            occupation, city = rng.choice(occupations), rng.choice(CITIES)
            mine = rng.sample(skills, k=min(len(skills), rng.randint(2, 4)))
            introduction = rng.choice(INTRODUCTIONS).format(
                city=city, n=rng.randint(2, 20), occupation=occupation, skill="、".join(mine)
            ) + rng.choice(WISHES)
            has_venture = rng.random() < 0.2
            profiles.append(
                TalentProfile(
                    name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
                    gender=rng.choice(["male", "female"]),
                    birth_date=start + datetime.timedelta(days=rng.randrange(0, 13000)),
                    # Some profiles give only the village: the township is derived.
                    hometown_township=township if rng.random() < 0.9 else None,
                    hometown_village=village,
                    current_city=city,
                    employer=f"{city}{rng.choice(kinds)}有限公司",
                    industry=industry,
                    occupation=occupation,
                    education=rng.choice([1, 2, 2, 3, 3, 4, 5]),
                    venture=(
                        rng.choice(VENTURES).format(city=city, kind=rng.choice(kinds))
                        if has_venture
                        else ""
                    ),
                    venture_employees=rng.choice([3, 8, 20]) if has_venture else 0,
                    honours=rng.choice(HONOURS) if rng.random() < 0.15 else "",
                    trainings="、".join(rng.sample(TRAININGS, k=rng.randint(0, 2))),
                    willingness=rng.choice(WILLINGNESS),
                    self_introduction=introduction,
                    study_hours_this_year=Decimal(rng.randint(0, 600)) / 10,
                    latest_grade=rng.choice(GRADES),
                    reserve_cadre_trained=rng.random() < 0.1,
                    on_negative_list=rng.random() < 0.01,
                )
            )
            skill_names.append(mine)
        created = TalentProfile.objects.bulk_create(profiles)
        TalentSkill.objects.bulk_create(
            TalentSkill(content_object=profile, tag=tags[name])
            for profile, names in zip(created, skill_names, strict=True)
            for name in names
        )
