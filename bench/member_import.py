"""Importing a 50,000-member ledger with `manage.py import_members`, and exporting one
township's workbook (一乡一册), on PostgreSQL by default.

The script makes a scratch database (`guiyan_bench_import`, dropped afterwards; or a temporary
SQLite file), runs `manage.py migrate` and `manage.py seed_demo --members 0` (the demo county's
organisations), and writes a ledger of N members (.xlsx by default, or a GBK .csv) spread
evenly over the county's villages and communities, with a title row, Chinese headers, valid
ID numbers and unique phones. Then, each in a child process:

1. `import_members FILE`: every member is new;
2. `import_members FILE` again: every member is unchanged (the re-import check);
3. the export of the first township's workbook through `ledger_workbook_write`.

For each: wall time (start of the child to reaping it), CPU time of the child (user + sys
from os.wait4), peak resident memory (ru_maxrss). All include starting Python and Django
(about 1.5 s of CPU, 100 MiB); PostgreSQL's own work is not in the child's CPU. The member
count is checked after the import, and the export's sheets and rows are counted.

    .venv/bin/python bench/member_import.py [--members 50000] [--format xlsx|csv]
        [--backend postgres|sqlite|both] [--json]
"""

import argparse
import csv
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
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
from openpyxl import Workbook

sys.path.insert(0, str(ROOT))
from portal.registry.identity import id_number_check_char  # noqa: E402 — needs no settings

HEADERS = ["序号", "姓名", "性别", "身份证号", "手机号", "入党日期", "所在党支部", "流动状态"]
HEADERS += ["外出时间", "流入地", "工作单位", "住址"]
CITIES = ["深圳", "广州", "东莞", "长沙", "上海", "杭州"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建华国强明军伟芳秀英丽娟敏静磊洋勇艳杰涛"

VILLAGE_CODES = """
import json
from portal.models import Organization
villages = Organization.objects.filter(level__in=["village", "community"])
print(json.dumps(sorted(villages.values_list("code", flat=True))))
"""
COUNT_MEMBERS = "from portal.models import Member; print(Member.objects.count())"
EXPORT = """
import json, time
from portal.ledger.exports import ledger_workbook_write
from portal.models import Job, Organization
start = time.perf_counter()
counts = ledger_workbook_write(
    organization=Organization.objects.get(code="T01"), kind=Job.Kind.TOWNSHIP_EXPORT,
    target="{target}",
)
print(json.dumps({{"sheets": len(counts), "rows": sum(counts.values()),
                  "inner_s": round(time.perf_counter() - start, 2)}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="postgres")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    args = parser.parse_args()

    facts = machine()
    results = [run(backend, args.members, args.format) for backend in backends(args.backend)]
    print_results(results)
    if args.json:
        path = write_results("member_import", {"machine": facts, "results": results})
        print(f"\nwritten to {path.relative_to(ROOT)}")


def run(backend: str, members: int, file_format: str) -> list[dict]:
    with (
        tempfile.TemporaryDirectory() as folder,
        scratch_database(backend, "guiyan_bench_import") as url,
    ):
        env = child_env(url, LEDGER_IMPORT_MAX_ROWS=str(max(members, 100_000)))
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--members", "0")
        codes = json.loads(manage(env, "shell", "--no-imports", "-c", VILLAGE_CODES))
        ledger = Path(folder) / f"台账.{file_format}"
        write_ledger(ledger, members, codes)
        size_mib = ledger.stat().st_size / 2**20
        before = int(manage(env, "shell", "--no-imports", "-c", COUNT_MEMBERS))
        rows = []
        for step in ("import (all new)", "import again (unchanged)"):
            measured, output = measure(env, ["manage.py", "import_members", str(ledger)])
            rows.append(
                {
                    "backend": backend,
                    "step": step,
                    "file_mib": round(size_mib, 1),
                    "members": members,
                    **measured,
                    "report": output.strip(),
                }
            )
        count = int(manage(env, "shell", "--no-imports", "-c", COUNT_MEMBERS))
        if count != before + members:
            raise SystemExit(f"{backend}: expected {before + members} members, found {count}")
        target = Path(folder) / "township.xlsx"
        code = EXPORT.format(target=target)
        measured, output = measure(env, ["manage.py", "shell", "--no-imports", "-c", code])
        exported = json.loads(output.strip().splitlines()[-1])
        rows.append(
            {
                "backend": backend,
                "step": "export township T01",
                "members": exported["rows"],
                "sheets": exported["sheets"],
                "inner_s": exported["inner_s"],
                "file_mib": round(target.stat().st_size / 2**20, 1),
                **measured,
            }
        )
    return rows


def write_ledger(path: Path, members: int, codes: list[str]) -> None:
    """N valid rows, spread over the villages; numbers unique, names and cities varied."""
    rng = random.Random(20261122)
    rows = (ledger_row(n, codes[n % len(codes)], rng) for n in range(members))
    if path.suffix == ".csv":
        with path.open("w", encoding="gbk", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(HEADERS)
            writer.writerows(rows)
        return
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(["某县流动党员台账（基准测试）"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def ledger_row(n: int, origin: str, rng: random.Random) -> list:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 400)
    male = n % 2 == 0
    order = (n % 400) * 2 + (1 if male else 0)
    first17 = f"430124{birth:%Y%m%d}{order:03d}"
    floating = n % 10 != 0
    return [
        n + 1,
        rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        "男" if male else "女",
        first17 + id_number_check_char(first17),
        f"13{n:09d}",
        f"{birth.year + 25}-07-01",
        origin,
        "流动" if floating else "返乡",
        f"{2015 + n % 10}-{1 + n % 12:02d}" if floating else "",
        rng.choice(CITIES),
        f"某某公司{n % 500}",
        f"某市某区某路{n % 900}号",
    ]


def measure(env: dict, args: list[str]) -> tuple[dict, str]:
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            [str(PYTHON), *args], cwd=ROOT, env=env, stdout=output, stderr=errors
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        output.seek(0)
        text = output.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            print(text + errors.read().decode(errors="replace")[-3000:])
            raise SystemExit(f"{' '.join(args[:2])} failed")
    return {
        "wall_s": round(wall, 2),
        "cpu_user_s": round(usage.ru_utime, 2),
        "cpu_sys_s": round(usage.ru_stime, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
    }, text


def print_results(results: list[list[dict]]) -> None:
    header = ("backend", "step", "members", "file MiB", "wall s", "CPU s", "peak RSS MiB")
    rows = [
        (
            r["backend"],
            r["step"],
            f"{r['members']:,}",
            f"{r['file_mib']:.1f}",
            f"{r['wall_s']:.1f}",
            f"{r['cpu_s']:.1f}",
            f"{r['peak_rss_mib']:.0f}",
        )
        for run in results
        for r in run
    ]
    print_table(header, rows)
    for run in results:
        for r in run:
            if "report" in r:
                print(f"{r['backend']} {r['step']}: {r['report']}")


if __name__ == "__main__":
    main()
