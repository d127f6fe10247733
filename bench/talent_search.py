"""The talent search at county scale: 100,000 profiles on the database engine (issue 5).

Targets: p95 ≤ 50 ms per search for (a) text only, (b) text with three filters and five
facets, (c) filters (and five facets) without text; a full reindex in ≤ 60 s.

For each backend (PostgreSQL by default, SQLite with --backend) the script makes a scratch
database, migrates it, and runs itself as a child (`portal.settings.dev`, the database
engine) that:

1. builds a county (4 townships of 6 villages and a community) and --profiles talent
   profiles with bulk_create: non-members in the pool, names, birth dates, occupations and
   employers by industry, 2–4 skills (taggit), ventures, honours, trainings and a
   self-introduction made up from a fixed seed;
2. rebuilds the index through `search.services.index_rebuild(spec=document_spec("talent"))`
   (falling back to a spec of the same shape registered here when the talent app has none),
   reporting wall time, the child's CPU time and the database server's CPU time, and how the
   child's CPU splits into loading profiles, analysis (with tokens per second) and writes;
   then ANALYZE, as autovacuum would after a bulk load;
3. runs a fixed set of searches of each kind through `search.selectors.document_search`,
   --repeat times each after one warm-up, and reports per kind the p50 and p95 of wall
   milliseconds and of CPU milliseconds per search (this process plus the database server
   process serving it, read from /proc/<pid>/schedstat, so waiting for a shared CPU does not
   count), and the CPU p50 as a ratio to a baseline in the same run: fetching one index entry
   by its key through the ORM.

    .venv/bin/python bench/talent_search.py [--profiles 100000] [--repeat 20]
        [--backend postgres|sqlite|both] [--json]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import (
    PYTHON,
    ROOT,
    backends,
    child_env,
    machine,
    manage,
    print_table,
    scratch_database,
    write_results,
)

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

# Each search: (text, filters, facets). The filters name village/township ids by position,
# resolved in the child once the county exists.
FACETS = ("township", "village", "education", "industry", "willingness")
TEXT_ONLY = ["电商", "养殖", "厨师", "建造师", "后备干部", "深圳 电工", "zw", "直播带货"]


def searches(townships: list[int], villages: list[int]) -> dict[str, list[tuple]]:
    filters_3 = [
        {"township": townships[0], "education": {"gte": 3}, "willingness": ["yes", "maybe"]},
        {"township": townships[1], "birth_date": {"gte": "1985-01-01"}, "negative": False},
        {"village": villages[2], "education": {"gte": 2}, "industry": ["trade", "it"]},
        {"township": townships[3], "reserve_cadre_trained": True, "grade": ["excellent"]},
    ]
    return {
        "text": [(text, {}, (), {}) for text in TEXT_ONLY],
        "text + 3 filters + 5 facets": [
            (text, filters, FACETS, {})
            for text in ("电商", "养殖", "后备干部", "厨师")
            for filters in filters_3[:2]
        ]
        + [("电工", filters_3[2], FACETS, {}), ("合格", filters_3[3], FACETS, {})],
        "filters + 5 facets, no text": [("", filters, FACETS, {}) for filters in filters_3]
        + [
            ("", {"willingness": "yes"}, FACETS, {}),
            ("", {}, FACETS, {"township": townships[:2], "village": villages[:3]}),
            ("", {"education": {"gte": 4}, "negative": False}, FACETS, {}),
            ("", {"birth_date": {"gte": "1990-01-01", "lte": "1995-12-31"}}, FACETS, {}),
        ],
    }


def build_county():
    from portal.models import Organization
    from portal.services import organization_create

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
    import datetime
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


def local_spec():
    """The talent document's shape, for runs before the talent app registers its own."""
    from search.registry import SearchDocument, register
    from talent.models import TalentProfile

    def load(keys):
        profiles = (
            TalentProfile.objects.in_pool()
            .select_related("hometown_township", "hometown_village")
            .prefetch_related("skills")
            .order_by("pk")
        )
        if keys is not None:
            profiles = profiles.filter(pk__in=[int(key) for key in keys])
        for profile in profiles.iterator(chunk_size=500):
            places = [p for p in (profile.hometown_township, profile.hometown_village) if p]
            fields = {
                "name": profile.name,
                "occupation": profile.occupation,
                "employer": profile.employer,
                "current_city": profile.current_city,
                "skills": sorted(tag.name for tag in profile.skills.all()),
                "venture": profile.venture,
                "honours": profile.honours,
                "trainings": profile.trainings,
                "self_introduction": profile.self_introduction,
                "industry_label": str(profile.get_industry_display()),
                "hometown": [place.name for place in places],
                "township": profile.hometown_township_id,
                "village": profile.hometown_village_id,
                "birth_date": profile.birth_date.isoformat() if profile.birth_date else None,
                "education": profile.education,
                "industry": profile.industry or None,
                "willingness": profile.willingness or None,
                "reserve_cadre_trained": profile.reserve_cadre_trained,
                "grade": profile.latest_grade or None,
                "study_hours": int(profile.study_hours_this_year * 10),
                "negative": profile.on_negative_list,
            }
            yield str(profile.pk), {k: v for k, v in fields.items() if v is not None}

    return register(
        SearchDocument(
            name="talent",
            load=load,
            text_fields=(
                "name",
                "occupation",
                "employer",
                "current_city",
                "skills",
                "venture",
                "honours",
                "trainings",
                "self_introduction",
                "industry_label",
                "hometown",
            ),  # fmt: skip
            name_fields=("name",),
            filter_fields={
                "township": "integer",
                "village": "integer",
                "birth_date": "date",
                "education": "integer",
                "industry": "keyword",
                "willingness": "keyword",
                "reserve_cadre_trained": "boolean",
                "grade": "keyword",
                "study_hours": "integer",
                "negative": "boolean",
            },
            facets=(
                "township",
                "village",
                "education",
                "industry",
                "willingness",
                "reserve_cadre_trained",
                "grade",
            ),  # fmt: skip
            count=lambda: TalentProfile.objects.in_pool().count(),
        )
    )


class ServerClock:
    """CPU nanoseconds of the database server process behind this connection (PostgreSQL on
    this machine); 0 on SQLite, whose work is done in this process."""

    def __init__(self) -> None:
        from django.db import connection

        self.path = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Parallel workers' CPU would escape the count, and on two shared cores
                # they only compete with the other processes.
                cursor.execute("SET max_parallel_workers_per_gather = 0")
                cursor.execute("SELECT pg_backend_pid()")
                self.path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")

    def ns(self) -> int:
        return int(self.path.read_text().split()[0]) if self.path else 0


def timed(call, server: ServerClock) -> tuple[float, float]:
    """(wall ms, CPU ms of this process plus the server's) of one call."""
    wall, cpu, served = time.perf_counter(), time.process_time(), server.ns()
    call()
    cpu_ms = (time.process_time() - cpu) * 1000 + (server.ns() - served) / 1e6
    return (time.perf_counter() - wall) * 1000, cpu_ms


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def reindex(spec, server: ServerClock) -> dict:
    """index_rebuild, with the child's CPU split into loading, analysis and writes."""
    from search import services
    from search.engines.database import DatabaseEngine

    split = {"load": 0.0, "analysis": 0.0, "write": 0.0, "tokens": 0}
    prepare, index = services.document_prepare, DatabaseEngine.index

    def counted_prepare(spec, key, fields):
        start = time.process_time()
        document = prepare(spec, key, fields)
        split["analysis"] += time.process_time() - start
        split["tokens"] += len(document.tokens)
        return document

    def counted_index(self, spec, documents):
        start = time.process_time()
        index(self, spec, documents)
        split["write"] += time.process_time() - start

    services.document_prepare = counted_prepare
    DatabaseEngine.index = counted_index
    try:
        wall, cpu, served = time.perf_counter(), time.process_time(), server.ns()
        done = services.index_rebuild(spec=spec, engine=DatabaseEngine())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        served = (server.ns() - served) / 1e9
    finally:
        services.document_prepare, DatabaseEngine.index = prepare, index
    split["load"] = cpu - split["analysis"] - split["write"]
    return {
        "documents": done,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "server_cpu_s": round(served, 1),
        "cpu_load_s": round(split["load"], 1),
        "cpu_analysis_s": round(split["analysis"], 1),
        "cpu_write_s": round(split["write"], 1),
        "tokens": split["tokens"],
        "tokens_per_analysis_s": round(split["tokens"] / split["analysis"]),
    }


def child(profiles: int, repeat: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from search.models import IndexEntry
    from search.registry import document_spec
    from search.selectors import document_search

    result = {"profiles": profiles, "vendor": connection.vendor}
    start = time.perf_counter()
    hometowns = build_county()
    build_profiles(profiles, hometowns)
    result["build_wall_s"] = round(time.perf_counter() - start, 1)
    try:
        spec = document_spec("talent")
        result["spec"] = "talent app"
    except LookupError:
        spec = local_spec()
        result["spec"] = "bench (same shape)"
    server = ServerClock()
    document_search(index="talent", text="预热")  # dictionaries load outside the timing
    result["reindex"] = reindex(spec, server)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_indexentry")

    key = IndexEntry.objects.filter(index="talent").values_list("key", flat=True).first()

    def baseline():
        return list(IndexEntry.objects.filter(index="talent", key=key).values_list("text"))

    baseline_cpu = []
    for _ in range(repeat * 10):
        baseline_cpu.append(timed(baseline, server)[1])
    base = statistics.median(baseline_cpu)
    result["baseline_cpu_ms"] = round(base, 2)

    townships = sorted({township.pk for township, _place in hometowns})
    villages = [place.pk for _township, place in hometowns]
    result["kinds"] = {}
    for kind, runs in searches(townships, villages).items():
        walls, cpus, hits, each = [], [], [], []
        for text, filters, facets, any_of in runs:

            def search(text=text, filters=filters, facets=facets, any_of=any_of, hits=hits):
                found = document_search(
                    index="talent", text=text, filters=filters, facets=facets, any_of=any_of
                )
                hits.append(found.total)

            search()  # warm-up
            mine = []
            for _ in range(repeat):
                wall, cpu = timed(search, server)
                walls.append(wall)
                cpus.append(cpu)
                mine.append(cpu)
            label = " ".join([text, json.dumps(filters, ensure_ascii=False) if filters else ""])
            each.append(
                {
                    "search": (label + (" any_of" if any_of else "")).strip(),
                    "hits": hits[-1],
                    "cpu_p50_ms": round(percentile(mine, 0.5), 1),
                }
            )
        result["kinds"][kind] = {
            "searches": len(runs),
            "runs": len(walls),
            "hits_min": min(hits),
            "hits_max": max(hits),
            "wall_p50_ms": round(percentile(walls, 0.5), 1),
            "wall_p95_ms": round(percentile(walls, 0.95), 1),
            "cpu_p50_ms": round(percentile(cpus, 0.5), 1),
            "cpu_p95_ms": round(percentile(cpus, 0.95), 1),
            "cpu_p50_baselines": round(percentile(cpus, 0.5) / base, 1),
            "each": each,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="postgres")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.profiles, args.repeat)))
        return
    facts = machine()
    runs = {}
    for backend in backends(args.backend):
        with scratch_database(backend, "guiyan_bench_talent") as url:
            env = child_env(url)
            env.pop("ELASTICSEARCH_URL", None)
            manage(env, "migrate", "--no-input")
            command = [str(PYTHON), __file__, "--child", "--profiles", str(args.profiles)]
            command += ["--repeat", str(args.repeat)]
            done = subprocess.run(
                command, env=env, cwd=ROOT / "bench", capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                sys.stderr.write(done.stderr[-5000:])
                raise SystemExit(f"{backend}: the child failed with status {done.returncode}")
            runs[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    for backend, run in runs.items():
        r = run["reindex"]
        print(
            f"{backend}: {r['documents']} profiles ({run['spec']}) reindexed in {r['wall_s']} s "
            f"wall; CPU {r['cpu_s']} s here (load {r['cpu_load_s']}, analysis "
            f"{r['cpu_analysis_s']} at {r['tokens_per_analysis_s']} tokens/s, writes "
            f"{r['cpu_write_s']}) + {r['server_cpu_s']} s database server; "
            f"baseline {run['baseline_cpu_ms']} ms CPU"
        )
        rows = [
            (
                kind,
                f"{k['hits_min']}–{k['hits_max']}",
                k["runs"],
                k["wall_p50_ms"],
                k["wall_p95_ms"],
                k["cpu_p50_ms"],
                k["cpu_p95_ms"],
                k["cpu_p50_baselines"],
            )
            for kind, k in run["kinds"].items()
        ]
        header = ("kind", "hits", "runs", "wall p50", "wall p95", "CPU p50", "CPU p95", "× base")
        print_table(header, rows)
        for kind, k in run["kinds"].items():
            print(f"{kind}, each search: hits, CPU p50 ms")
            print_table(
                ("search", "hits", "CPU p50"),
                [(e["search"], e["hits"], e["cpu_p50_ms"]) for e in k["each"]],
            )
    if args.json:
        write_results("talent_search", {"machine": facts, "runs": runs})


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    main()
