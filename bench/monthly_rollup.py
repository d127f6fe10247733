"""How long the monthly tally (learning.periods.tally.monthly_tally) takes for 100,000 members.

For each backend (SQLite in a temporary file, and PostgreSQL in a scratch database
`guiyan_bench_rollup` that is dropped afterwards) the benchmark runs `manage.py migrate` and
`manage.py seed_demo --members N` (as bench/seed_demo.py does), then inserts ENTRIES credit
entries per member in October 2026 with one INSERT ... SELECT per entry (hours, points and a
deduction now and then), and then tallies October in a child process, twice: the first run
inserts every member's row, the second updates them all (as a re-run after a correction).

For each run it reports:

* wall time of the child, from starting it to reaping it, and its CPU (user + sys) from its
  own rusage as returned by os.wait4 — both include starting Python and Django (about 1.5 s);
* the tally alone, timed inside the child (perf_counter around the call);
* on PostgreSQL, the CPU of the server process that served the child's connection, read from
  /proc/<pid>/stat before and after the call (the server runs on this machine).

The target is 100,000 members within 30 s. The children run with portal.settings.dev.

    .venv/bin/python bench/monthly_rollup.py [--members 100000] [--backend both] [--json]
"""

import argparse
import json
import os
import subprocess
import tempfile
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

TARGET_SECONDS = 30.0
ENTRIES = 5
YEAR, MONTH = 2026, 10


# --- In the children (Django set up from the environment) ------------------------------


def child_setup() -> None:
    import sys

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def child_insert_entries() -> None:
    """ENTRIES entries for every member, one INSERT ... SELECT each: day 2k+1 of the month,
    half an hour and 3 points, and a 1-mark deduction for every tenth member."""
    import datetime

    from django.db import connection

    from learning.models import CreditEntry

    statement = (
        "INSERT INTO learning_creditentry (member_id, source, source_key, activity, hours,"
        " points, deduction, description, reason, occurred_on, created_at)"
        " SELECT id, 'correction', 'bench:' || id || ':' || %s, '', 0.5, 3,"
        " CASE WHEN id %% 10 = 0 THEN 1 ELSE 0 END, '', '', %s, CURRENT_TIMESTAMP"
        " FROM portal_member"
    )
    with connection.cursor() as cursor:
        for k in range(1, ENTRIES + 1):
            cursor.execute(statement, [str(k), datetime.date(YEAR, MONTH, 2 * k + 1)])
    print(CreditEntry.objects.count())


def child_tally() -> None:
    """The tally alone, and on PostgreSQL the CPU of this connection's server process."""
    from django.db import connection

    from learning.periods.tally import monthly_tally

    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    before = cpu_seconds([pid]) if pid else 0.0
    start = time.perf_counter()
    count = monthly_tally(year=YEAR, month=MONTH)
    elapsed = time.perf_counter() - start
    server = (cpu_seconds([pid]) - before) if pid else 0.0
    print(json.dumps({"tallied": count, "tally_s": elapsed, "server_cpu_s": server}))


def child_check() -> None:
    """Tallies, their points, and the ledger's points of the month (the demo has some too)."""
    from django.db.models import Sum

    from learning.models import CreditEntry, MonthlyTally

    rows = MonthlyTally.objects.filter(year=YEAR, month=MONTH)
    ledger = CreditEntry.objects.filter(occurred_on__year=YEAR, occurred_on__month=MONTH)
    total = Sum("points")
    print(rows.count(), rows.aggregate(p=total)["p"], ledger.aggregate(p=total)["p"])


CHILDREN = {"insert": child_insert_entries, "tally": child_tally, "check": child_check}


def child(env: dict, name: str) -> str:
    return subprocess.run(
        [str(PYTHON), __file__, "--child", name],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


# --- The benchmark ----------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_setup()
        CHILDREN[args.child]()
        return

    facts = machine()
    results = [r for backend in backends(args.backend) for r in run(backend, args.members)]
    print_results(results)
    if args.json:
        path = write_results("monthly_rollup", {"machine": facts, "results": results})
        print(f"\nwritten to {path.relative_to(ROOT)}")


def run(backend: str, members: int) -> list[dict]:
    with scratch_database(backend, "guiyan_bench_rollup") as url:
        env = child_env(url)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--members", str(members))
        entries = int(child(env, "insert").strip())
        results = [
            {"backend": backend, "run": run_name, "members": members + 1, "entries": entries}
            | measure_tally(env)
            for run_name in ("first", "again")
        ]
        rows, points, ledger = child(env, "check").split()
    if int(rows) != members + 1 or points != ledger:  # the demo member comes on top of the N
        raise SystemExit(f"{backend}: {rows} tallies, {points} points; ledger {ledger}")
    return results


def measure_tally(env: dict) -> dict:
    command = [str(PYTHON), __file__, "--child", "tally"]
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        output.seek(0)
        text = output.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        print(text)
        raise SystemExit("monthly_tally failed")
    inside = json.loads(text.strip().splitlines()[-1])
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "tally_s": round(inside["tally_s"], 2),
        "server_cpu_s": round(inside["server_cpu_s"], 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "within_target": wall <= TARGET_SECONDS,
    }


def print_results(results: list[dict]) -> None:
    header = (
        "backend",
        "run",
        "members",
        "entries",
        "wall s",
        "child CPU s",
        "tally s",
        "PG CPU s",
        "peak RSS MiB",
        "≤30 s",
    )
    rows = [
        (
            r["backend"],
            r["run"],
            f"{r['members']:,}",
            f"{r['entries']:,}",
            f"{r['wall_s']:.1f}",
            f"{r['cpu_s']:.1f}",
            f"{r['tally_s']:.1f}",
            f"{r['server_cpu_s']:.1f}" if r["backend"] == "postgres" else "–",
            f"{r['peak_rss_mib']:.0f}",
            "yes" if r["within_target"] else "NO",
        )
        for r in results
    ]
    print_table(header, rows)


if __name__ == "__main__":
    main()
