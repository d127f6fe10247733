"""How long the county's oversight of organisational life takes (portal.meetings.oversight):
the figures per branch and township for the year, and the masked .xlsx.

For each backend (SQLite in a temporary file, PostgreSQL in a scratch database
`guiyan_bench_meetings`, dropped afterwards) the benchmark runs `manage.py migrate` and
`manage.py seed_demo --members N` (the demo holds a year of meetings up to 10,000 members in
all), then in a child process, as the county's org admin, computes the figures three times and the
workbook once. It reports the child's CPU time for the figures alone (time.process_time, the
best of three), the workbook's, and on PostgreSQL the CPU of the server process serving the
child; it checks that the figures add up to the attendance rows they count.

Target: the county's figures within 2 s of CPU (child plus server) at 5,000 members.

    .venv/bin/python bench/meetings_oversight.py [--members 5000] [--backend both] [--json]
"""

import argparse
import json
import subprocess
import sys
import time

from common import (
    PYTHON,
    ROOT,
    backends,
    child_env,
    cpu_seconds,
    machine,
    manage,
    print_table,
    scratch_database,
    write_results,
)

TARGET_CPU_SECONDS = 2.0


def child() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from portal.meetings import oversight
    from portal.models import Meeting, MeetingAttendance

    user = get_user_model().objects.get(username="county_admin")
    today = timezone.localdate()
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    runs = []
    for _ in range(3):
        server_before, start = cpu_seconds([pid]) if pid else 0.0, time.process_time()
        rows = oversight.oversight_branches(user, year=today.year, today=today)
        areas = oversight.oversight_areas(user, rows)
        cpu = time.process_time() - start
        runs.append((cpu, (cpu_seconds([pid]) - server_before) if pid else 0.0))
    start = time.process_time()
    book = oversight.oversight_workbook(branches=rows, areas=areas, year=today.year)
    workbook_cpu = time.process_time() - start
    closed = MeetingAttendance.objects.filter(
        meeting__state=Meeting.State.CLOSED, meeting__starts_at__year=today.year
    )
    best = min(runs, key=lambda run: run[0] + run[1])
    print(
        json.dumps(
            {
                "branches": len(rows),
                "rows": closed.count(),
                "counted": sum(row.expected for row in rows),
                "flagged": sum(len(row.flagged) for row in rows),
                "figures_cpu_s": round(best[0], 3),
                "server_cpu_s": round(best[1], 3),
                "workbook_cpu_s": round(workbook_cpu, 3),
                "workbook_kib": round(len(book) / 1024, 1),
            }
        )
    )


def run(backend: str, members: int) -> dict:
    with scratch_database(backend, "guiyan_bench_meetings") as url:
        env = child_env(url)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--members", str(members))
        done = subprocess.run(
            [str(PYTHON), __file__, "--child"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    result = {"backend": backend, "members": members + 1}
    result |= json.loads(done.stdout.strip().splitlines()[-1])
    if result["rows"] != result["counted"]:
        raise SystemExit(f"{backend}: the figures count {result['counted']} of {result['rows']}")
    cpu = result["figures_cpu_s"] + result["server_cpu_s"]
    return result | {"within_target": cpu <= TARGET_CPU_SECONDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    facts = machine()
    results = [run(backend, args.members) for backend in backends(args.backend)]
    columns = list(results[0])
    print_table(tuple(columns), [tuple(r[c] for c in columns) for r in results])
    if args.json:
        path = write_results("meetings_oversight", {"machine": facts, "results": results})
        print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
