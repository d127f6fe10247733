"""CPU time per request for a page under gunicorn, anonymous and logged in as the demo member.

The page is the home page (--page home, the default) or a public study material with a full
body of text, an image, a quotation and a document (--page study-material; bench/study_material.py
publishes it after the demo data is loaded).

For each backend (SQLite in a temporary file, PostgreSQL in a scratch database
`guiyan_bench_home` dropped afterwards) the benchmark migrates, loads the demo data
(`seed_demo --members 2000`), collects static files into a temporary STATIC_ROOT and starts
`gunicorn portal.wsgi -w 2` on 127.0.0.1 with portal.settings.production (DEBUG off, WhiteNoise
compressed storage, locmem cache, DATABASE_CONN_MAX_AGE from --conn-max-age; production's own
default is 600). Every request says `X-Forwarded-Proto: https`, as the TLS-terminating
proxy in front of production does, so HTTPS redirects, secure cookies and CSRF's HTTPS
checks behave as they do there.

It logs in through /accounts/login/ as the demo member (13900000001) once and reuses the
session cookie. Then for each scenario (anonymous, member) it sends a warm-up, and then a
fixed number of GET / from a few client threads, each on a fresh connection (sync workers close
it). Every response must be 200 and carry the scenario's marker (the log-in link, or the
member's name); the counts are reported.

The figure that matters is the CPU time of the gunicorn workers (utime + stime from
/proc/<pid>/stat of the master's children, before and after) divided by the requests served:
CPU ms per request. SQLite's work is inside the worker; PostgreSQL's is not, so with
--conn-max-age above 0 (persistent connections, the same server processes all through the run)
the CPU of the run's PostgreSQL backends (from pg_stat_activity) is reported per request too.
With several ages (--conn-max-age 0,600) each gets its own gunicorn, one after the other.
Requests per second is secondary: the client shares the machine's two cores.

    .venv/bin/python bench/home_page.py [--backend both] [--requests 2000] [--json]
    .venv/bin/python bench/home_page.py --conn-max-age 0,600
"""

import argparse
import http.client
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from common import (
    HOST,
    ROOT,
    backends,
    child_env,
    cpu_seconds,
    gunicorn,
    load,
    machine,
    manage,
    postgres_backend_pids,
    print_table,
    request,
    scratch_database,
    worker_pids,
    write_results,
)

DATABASE = "guiyan_bench_home"
MEMBER_LOGIN = {"username": "13900000001", "password": "Guiyan@2026"}
HOME_MARKERS = {"anonymous": 'href="/accounts/login/"', "member": "龙建华"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=2000, help="demo members to load")
    parser.add_argument("--requests", type=int, default=2000, help="measured, per scenario")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured, per scenario")
    parser.add_argument("--clients", type=int, default=2, help="concurrent client threads")
    parser.add_argument(
        "--conn-max-age",
        default="0",
        help="DATABASE_CONN_MAX_AGE, or several separated by commas (production's default is 600)",
    )
    parser.add_argument("--page", choices=["home", "study-material"], default="home")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    args = parser.parse_args()

    facts = machine()
    static_root = Path(tempfile.mkdtemp(prefix="guiyan-bench-static-"))
    try:
        results = [row for b in backends(args.backend) for row in run(b, args, static_root)]
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    print_results(results)
    if args.json:
        data = {"machine": facts, "settings": vars(args), "results": results}
        name = args.page.replace("-", "_") + "_page"
        print(f"\nwritten to {write_results(name, data).relative_to(ROOT)}")
    if any(r["failures"] for r in results):
        raise SystemExit("some responses were not 200 with the expected page")


def run(backend: str, args, static_root: Path) -> list[dict]:
    """Load the demo into a scratch database, then serve it once per connection age."""
    with scratch_database(backend, DATABASE) as url:
        env = child_env(
            url,
            "portal.settings.production",
            SECRET_KEY="guiyan-bench-only-not-a-secret",  # noqa: S106
            ALLOWED_HOSTS=HOST,
            STATIC_ROOT=str(static_root),
        )
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--members", str(args.members))
        if not any(static_root.iterdir()):
            manage(env, "collectstatic", "--no-input", "-v0")
        page = page_under_test(env, args.page)
        rows = []
        for age in args.conn_max_age.split(","):
            for row in serve(backend, {**env, "DATABASE_CONN_MAX_AGE": age}, page, args):
                rows.append({"backend": backend, "conn_max_age": int(age), **row})
        return rows


@dataclass
class PageUnderTest:
    path: str
    markers: dict[str, str]  # what each scenario's page must contain


def page_under_test(env: dict, page: str) -> PageUnderTest:
    if page == "home":
        return PageUnderTest("/", HOME_MARKERS)
    from study_material import publish

    path, title = publish(env)
    return PageUnderTest(path, {"anonymous": title, "member": title})


def serve(backend: str, env: dict, page: PageUnderTest, args) -> list[dict]:
    """Start gunicorn, log in, and measure each scenario after its warm-up."""
    with gunicorn(env) as (master, port):
        cookies = {"anonymous": "", "member": log_in(port)}
        rows = []
        for scenario, cookie in cookies.items():
            marker = page.markers[scenario]
            load(port, page.path, cookie, marker, args.warmup, args.clients)
            row = measure(Target(master, port, backend, page.path), cookie, marker, args)
            rows.append({"scenario": scenario, **row})
        return rows


@dataclass
class Target:
    master: int
    port: int
    backend: str
    path: str

    def worker_pids(self) -> list[int]:
        return worker_pids(self.master)

    def database_pids(self) -> list[int]:
        """PostgreSQL's processes serving this run (none for SQLite, which runs in the worker)."""
        return postgres_backend_pids(DATABASE) if self.backend == "postgres" else []


def log_in(port: int) -> str:
    """Log in as the demo member through the login form; return the Cookie header to send."""
    response, page = request(port, "GET", "/accounts/login/", {})
    jar = cookies_from(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({**MEMBER_LOGIN, "csrfmiddlewaretoken": token})
    origin = f"https://{HOST}:{port}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Origin": origin,
        "Referer": f"{origin}/accounts/login/",
    }
    response, _page = request(port, "POST", "/accounts/login/", headers, body)
    jar.update(cookies_from(response))
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"log-in failed: status {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def cookies_from(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def measure(target: Target, cookie: str, marker: str, args) -> dict:
    """Send the measured requests; CPU of the workers (and of PostgreSQL's backends if the
    connections persist through the run, so that the same processes can be read after)."""
    workers, servers = target.worker_pids(), target.database_pids()
    worker_before, database_before = cpu_seconds(workers), cpu_seconds(servers)
    start = time.perf_counter()
    outcomes = load(target.port, target.path, cookie, marker, args.requests, args.clients)
    wall = time.perf_counter() - start
    worker_cpu = cpu_seconds(workers) - worker_before
    if target.worker_pids() != workers:
        raise RuntimeError("a gunicorn worker was replaced during the run")
    database_cpu = None
    if servers and target.database_pids() == servers:
        database_cpu = cpu_seconds(servers) - database_before
    served = sum(outcomes.values())
    return {
        "requests": served,
        "ok": outcomes["ok"],
        "failures": {k: v for k, v in outcomes.items() if k != "ok"},
        "worker_cpu_s": round(worker_cpu, 2),
        "cpu_ms_per_request": round(1000 * worker_cpu / served, 2),
        "db_cpu_ms_per_request": _per_request(database_cpu, served),
        "requests_per_s": round(served / wall, 1),
        "wall_s": round(wall, 2),
    }


def _per_request(seconds: float | None, served: int) -> float | None:
    return None if seconds is None else round(1000 * seconds / served, 2)


def print_results(results: list[dict]) -> None:
    header = (
        "backend",
        "CONN_MAX_AGE",
        "scenario",
        "requests",
        "200 ok",
        "worker CPU ms/req",
        "PG backend CPU ms/req",
        "req/s",
        "failures",
    )
    rows = [
        (
            r["backend"],
            r["conn_max_age"],
            r["scenario"],
            r["requests"],
            r["ok"],
            f"{r['cpu_ms_per_request']:.2f}",
            _database_cell(r),
            f"{r['requests_per_s']:.0f}",
            ", ".join(f"{k}: {v}" for k, v in r["failures"].items()) or "-",
        )
        for r in results
    ]
    print_table(header, rows)


def _database_cell(result: dict) -> str:
    if result["backend"] != "postgres":
        return "-"
    cpu = result["db_cpu_ms_per_request"]
    return "n/a (not persistent)" if cpu is None else f"{cpu:.2f}"


if __name__ == "__main__":
    main()
