"""Realistic, invented demo data: one county, its townships and villages, host-city branches,
members with plausible names and ID numbers that pass validation, and a login for each role.

Everything is drawn from a seeded random generator, so two runs produce the same data.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.registry import services
from portal.registry.identity import id_number_check_char
from portal.registry.models import Member, Organization, Role

COUNTY_CODE = "QX"
COUNTY_NAME = "青溪县"
# An invented county's region code: a real province prefix (43) so numbers validate.
REGION_CODE = "433127"
DEMO_PASSWORD = "Guiyan@2026"  # noqa: S105 - printed for the demo on purpose
DEMO_MEMBER_PHONE = "13900000001"
DEMO_MEMBER_BRANCH = "T01-V01"
DEMO_GRANTS = [
    ("county_admin", Role.ORG_ADMIN, COUNTY_CODE),
    ("township_admin", Role.ORG_ADMIN, "T01"),
    ("secretary", Role.ORG_ADMIN, DEMO_MEMBER_BRANCH),
    ("host_secretary", Role.ORG_ADMIN, "H01-B01"),
    ("editor", Role.EDITOR, COUNTY_CODE),
    ("reviewer", Role.REVIEWER, COUNTY_CODE),
    ("recruiter", Role.RECRUITER, COUNTY_CODE),
]

TOWNSHIPS = ["青溪镇", "石门镇", "龙潭乡", "桃源镇", "白沙乡", "云台镇", "柳塘乡", "枫林镇"]
VILLAGE_STEMS = tuple(
    """
    石桥 杨家湾 龙井 枫树坪 大坪 下湾 上寨 黄泥塘 竹山 茶园 新田 高桥 水口 长岭 团山
    鹿鸣 金竹 青龙 白马 双河 荷塘 凉亭 马鞍 柏树 塘坊 樟木 花桥 梅溪 牛角 狮子
    凤凰 桂花 杉木 松林 油坊 沙坪 岩门 腊树 清水 合兴 新华 向阳 红星 和平 永安
    太平 兴隆 长乐 金星 五里 三合 四方 六合 七星 九龙 十里 百丈 千秋 东山 西冲
    南岭 北坡 中和 大湾 小溪 老屋 新屋 田心 坪上 坳背 岭脚 溪口 渡头 桥头 庙前
    观音 土桥 铁炉 瓦屋 石板 泉水 井湾 月塘 星火 联合 胜利 建设 光明 民主 团结
    幸福 富民 振兴 乐园 桃花 李家 周家 陈家 刘家 罗家 谢家 彭家 蒋家 唐家 邓家
    曾家 肖家 廖家 段家 易家 龚家 贺家 尹家 龙家 柑子 桐木 苦竹 乌石 黄土 杨柳
    """.split()
)
VILLAGES_PER_TOWNSHIP = [14, 14, 14, 14, 14, 14, 14, 12]  # with a community each: 118
HOST_CITIES = {"深圳": 3, "东莞": 2, "广州": 2, "株洲": 1, "海口": 1}
EMPLOYERS = {
    "深圳": ["鹏城电子科技有限公司", "南山精密模具厂", "龙岗物流园", "个体经营（餐饮）"],
    "东莞": ["华骏制衣厂", "长安五金制品有限公司", "个体经营（服装批发）"],
    "广州": ["穗通物流有限公司", "白云建材市场", "网约车驾驶员"],
    "株洲": ["湘航机械厂", "株洲轨道配件有限公司"],
    "海口": ["椰城建筑工程公司", "琼州热带农业合作社"],
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛龚邵"
    "万严覃戴莫向汤易伍"
)
MALE_CHARS = "伟强军勇杰涛明超刚平辉鹏华飞斌波志建国文俊峰磊洪林海东德成春亮松清红兵生祥永新华荣"
FEMALE_CHARS = "芳娟敏静丽艳娜秀英霞玲燕华梅兰桂琴云莉萍红凤洁琳雪慧丹颖倩婷玉珍翠春晓"


@dataclass
class DemoLogin:
    role: str
    username: str
    scope: str

    @property
    def role_label(self) -> str:
        if self.role == "superuser":
            return str(_("Superuser"))
        if self.role == "liaison":  # not a role: a login paired with members (1+N)
            return str(_("Liaison"))
        return str(Role(self.role).label)


class DemoBuilder:
    def __init__(self, *, members: int, seed: int = 20260701):
        self.member_count = members
        self.random = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.today = datetime.date.today()
        self.village_branches: list[Organization] = []
        self.host_branches: list[Organization] = []

    @staticmethod
    def exists() -> bool:
        return Organization.objects.filter(code=COUNTY_CODE).exists()

    def build(self) -> tuple[Organization, Member]:
        """The registry's part of the demo: the tree, the members and a login per role.
        Returns the county and the demo member, whom the other wings' demos build on."""
        county = self._build_tree()
        self._build_members()
        return county, self._build_logins(county)

    # --- organisations ---------------------------------------------------------------

    def _build_tree(self) -> Organization:
        county = services.organization_create(
            parent=None,
            name=f"中共{COUNTY_NAME}委员会",
            code=COUNTY_CODE,
            kind=Organization.Kind.COMMITTEE,
            level=Organization.Level.COUNTY,
            publishes=True,
        )
        stems = iter(VILLAGE_STEMS)
        townships = []
        for number, (name, villages) in enumerate(
            zip(TOWNSHIPS, VILLAGES_PER_TOWNSHIP, strict=True), start=1
        ):
            townships.append(self._build_township(county, number, name, villages, stems))
        self._build_host_side(county, townships)
        return county

    def _build_township(self, county, number, name, villages, stems) -> Organization:
        code = f"T{number:02d}"
        township = services.organization_create(
            parent=county,
            name=f"中共{name}委员会",
            code=code,
            kind=Organization.Kind.COMMITTEE,
            level=Organization.Level.TOWNSHIP,
            publishes=True,
        )
        community = services.organization_create(
            parent=township,
            name=f"{name[:2]}社区党支部",
            code=f"{code}-C01",
            kind=Organization.Kind.BRANCH,
            level=Organization.Level.COMMUNITY,
        )
        self.village_branches.append(community)
        for index in range(1, villages + 1):
            large = index % 7 == 0  # a few large villages have a general branch
            village = services.organization_create(
                parent=township,
                name=f"{next(stems)}村党{'总' if large else ''}支部",
                code=f"{code}-V{index:02d}",
                kind=Organization.Kind.GENERAL_BRANCH if large else Organization.Kind.BRANCH,
                level=Organization.Level.VILLAGE,
            )
            self.village_branches.append(village)
        return township

    def _build_host_side(self, county, townships) -> None:
        for city_number, (city, branches) in enumerate(HOST_CITIES.items(), start=1):
            centre = services.organization_create(
                parent=county,
                name=f"{COUNTY_NAME}驻{city}流动党员服务中心",
                code=f"H{city_number:02d}",
                kind=Organization.Kind.SERVICE_CENTRE,
                level=Organization.Level.HOST_CITY,
                city=city,
                publishes=True,
            )
            for index in range(1, branches + 1):
                branch = services.organization_create(
                    parent=centre,
                    name=f"{COUNTY_NAME}驻{city}流动党员第{'一二三四五'[index - 1]}临时党支部",
                    code=f"H{city_number:02d}-B{index:02d}",
                    kind=Organization.Kind.TEMPORARY_BRANCH,
                    level=Organization.Level.HOST_UNIT,
                    city=city,
                )
                self.host_branches.append(branch)
                township = townships[(len(self.host_branches) - 1) % len(townships)]
                services.pairing_create(
                    origin=township,
                    host=branch,
                    signed_on=datetime.date(2021, 3, 1),
                    note="双向共管结对函",
                )

    # --- members ---------------------------------------------------------------------

    def _build_members(self) -> None:
        batch: list[Member] = []
        for member in self._members():
            batch.append(member)
            if len(batch) == 5000:
                Member.objects.bulk_create(batch)
                batch = []
        Member.objects.bulk_create(batch)

    def _members(self) -> Iterator[Member]:
        id_numbers: set[str] = set()
        phones = {DEMO_MEMBER_PHONE}
        for _index in range(self.member_count):
            gender = "male" if self.random.random() < 0.7 else "female"
            birth_date = self._birth_date()
            id_number = self._unique(id_numbers, lambda g=gender, b=birth_date: self._id(g, b))
            phone = self._unique(phones, self._phone)
            yield self._member(gender, birth_date, id_number, phone)

    def _member(self, gender, birth_date, id_number, phone) -> Member:
        rand = self.random
        origin = rand.choice(self.village_branches)
        adult = birth_date.replace(year=birth_date.year + 19, day=min(birth_date.day, 28))
        joined = adult + datetime.timedelta(days=rand.randrange(0, (self.today - adult).days))
        status = rand.choices(["floating", "returned", "local"], weights=[85, 10, 5])[0]
        member = Member(
            name=self._name(gender),
            gender=gender,
            birth_date=birth_date,
            id_number=id_number,
            phone=phone,
            joined_party_on=joined,
            origin=origin,
            floating_status=status,
        )
        if status != "local":
            start = max(joined, datetime.date(2010, 1, 1))
            member.floating_since = start + datetime.timedelta(
                days=rand.randrange(0, max(1, (self.today - start).days))
            )
        if status == "floating":
            host = rand.choice(self.host_branches)
            member.host, member.host_city = host, host.city
            member.employer = rand.choice(EMPLOYERS[host.city])
        return member

    def _birth_date(self) -> datetime.date:
        start = datetime.date(1962, 1, 1)
        return start + datetime.timedelta(days=self.random.randrange(0, 365 * 40))

    def _id(self, gender: str, birth_date: datetime.date) -> str:
        sequence = self.random.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
        first17 = f"{REGION_CODE}{birth_date:%Y%m%d}{sequence:03d}"
        return first17 + id_number_check_char(first17)

    def _phone(self) -> str:
        prefix = self.random.choice(
            ["135", "137", "138", "139", "150", "152", "158", "177", "186", "188", "199"]
        )
        return f"{prefix}{self.random.randrange(0, 10**8):08d}"

    @staticmethod
    def _unique(seen: set, make) -> str:
        value = make()
        while value in seen:
            value = make()
        seen.add(value)
        return value

    def _name(self, gender: str) -> str:
        chars = MALE_CHARS if gender == "male" else FEMALE_CHARS
        given = "".join(self.random.choice(chars) for _ in range(self.random.choice([1, 2, 2])))
        return self.random.choice(SURNAMES) + given

    # --- logins ---------------------------------------------------------------------

    def _build_logins(self, county: Organization) -> Member:
        self._user("admin", superuser=True)
        for username, role, code in DEMO_GRANTS:
            user = self._user(username)
            organization = Organization.objects.get(code=code)
            services.role_grant(user=user, role=role, organization=organization, actor=None)
        village = Organization.objects.get(code=DEMO_MEMBER_BRANCH)
        host = Organization.objects.get(code="H01-B01")
        member = services.member_create(
            name="龙建华",
            id_number=self._id("male", datetime.date(1986, 5, 12)),
            phone=DEMO_MEMBER_PHONE,
            joined_party_on=datetime.date(2010, 7, 1),
            origin=village,
            floating_status=Member.FloatingStatus.FLOATING,
            floating_since=datetime.date(2015, 3, 1),
            host=host,
            host_city=host.city,
            employer="鹏城电子科技有限公司",
        )
        member.user = self._user(DEMO_MEMBER_PHONE)
        member.save(update_fields=["user"])
        services.role_grant(user=member.user, role=Role.MEMBER, organization=village, actor=None)
        return member

    @staticmethod
    def _user(username: str, *, superuser: bool = False):
        user = get_user_model()(username=username, is_superuser=superuser, is_staff=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user


def demo_logins(*, more: list[tuple[str, str, str]] = ()) -> list[DemoLogin]:
    """The demo's logins, one per role, with the organisation each one's role covers;
    ``more`` adds the logins other wings' demos make, as (username, role, code)."""
    grants = [
        ("admin", "superuser", COUNTY_CODE),
        *DEMO_GRANTS,
        (DEMO_MEMBER_PHONE, Role.MEMBER, DEMO_MEMBER_BRANCH),
        *more,
    ]
    codes = {code for _username, _role, code in grants}
    names = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        DemoLogin(role=str(role), username=username, scope=names.get(code, ""))
        for username, role, code in grants
    ]
