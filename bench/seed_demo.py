"""How long `manage.py seed_demo --members N` takes on a fresh database, and how much memory.

For each backend (SQLite in a temporary file, and PostgreSQL in a scratch database
`guiyan_bench_seed` that is dropped afterwards) the benchmark runs `manage.py migrate`, then
`manage.py seed_demo --members N` in a child process, and measures the seed step alone:

* wall time, from starting the child to reaping it;
* CPU time of that child (user + sys), from its own rusage as returned by os.wait4;
* peak resident memory of that child (ru_maxrss).

All three include starting Python and Django (about 1.5 s of CPU). The target is 100,000
members within a minute of wall time. The machines are noisy: CPU time is the steadier figure.
SQLite works inside the child, so its work is in the child's CPU; PostgreSQL's server work is
not, and shows only in the wall time. The children run with portal.settings.dev and
DATABASE_URL set; the seed's member count is checked afterwards.

    .venv/bin/python bench/seed_demo.py [--members 100000] [--backend both] [--json]
"""

import argparse
import os
import subprocess
import tempfile
import time

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

TARGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    args = parser.parse_args()

    facts = machine()
    results = [run(backend, args.members) for backend in backends(args.backend)]
    print_results(results)
    if args.json:
        path = write_results("seed_demo", {"machine": facts, "results": results})
        print(f"\nwritten to {path.relative_to(ROOT)}")


def run(backend: str, members: int) -> dict:
    with scratch_database(backend, "guiyan_bench_seed") as url:
        env = child_env(url)
        manage(env, "migrate", "--no-input", "-v0")
        result = measure_seed(env, members)
        count = manage(env, "shell", "--no-imports", "-c", COUNT_MEMBERS).strip()
    if int(count) != members + 1:  # the demo member comes on top
        raise SystemExit(f"{backend}: expected {members + 1} members, found {count}")
    return {"backend": backend, "members": members, **result}


COUNT_MEMBERS = "from portal.models import Member; print(Member.objects.count())"


def measure_seed(env: dict, members: int) -> dict:
    command = [str(PYTHON), "manage.py", "seed_demo", "--members", str(members)]
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            output.seek(0)
            print(output.read().decode(errors="replace"))
            raise SystemExit(f"seed_demo failed with status {child.returncode}")
    return {
        "wall_s": round(wall, 2),
        "cpu_user_s": round(usage.ru_utime, 2),
        "cpu_sys_s": round(usage.ru_stime, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "within_target": wall <= TARGET_SECONDS,
    }


def print_results(results: list[dict]) -> None:
    header = ("backend", "members", "wall s", "CPU s", "user s", "sys s", "peak RSS MiB", "≤60 s")
    rows = [
        (
            r["backend"],
            f"{r['members']:,}",
            f"{r['wall_s']:.1f}",
            f"{r['cpu_s']:.1f}",
            f"{r['cpu_user_s']:.1f}",
            f"{r['cpu_sys_s']:.1f}",
            f"{r['peak_rss_mib']:.0f}",
            "yes" if r["within_target"] else "NO",
        )
        for r in results
    ]
    print_table(header, rows)


if __name__ == "__main__":
    main()
