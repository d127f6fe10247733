"""Worker CPU per request of our study-material page against a reference page, in one run.

The issue's target is relative: the study-material page may cost at most one fifth of what
bakerydemo's blog post page costs on the same machine. Absolute CPU figures on our shared
machines move by more than that between runs, so this benchmark serves both pages at once and
measures them in alternating rounds (ours, reference, ours, reference, ...). The ratio of each
round compares figures taken seconds apart; the median of the rounds is the result.

Ours is set up as bench/home_page.py --page study-material does it: a scratch database,
`migrate`, `seed_demo --members 2000`, `collectstatic` into a temporary STATIC_ROOT, the study
material from bench/study_material.py, and `gunicorn portal.wsgi -w 2` with
portal.settings.production and DATABASE_CONN_MAX_AGE=600.

The reference is another Django project in --reference-dir with its own `.venv` (gunicorn
installed there), for instance a checkout of wagtail/bakerydemo. It gets its own scratch
database, then `manage.py migrate`, the --reference-load command (bakerydemo's
`load_initial_data` by default), `collectstatic`, and `gunicorn <--reference-wsgi> -w 2`, with
--reference-settings (bakerydemo.settings.production: DEBUG off, WhiteNoise). Its environment
has DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS=127.0.0.1 and CONN_MAX_AGE=600.

Both are asked anonymously, every request through `X-Forwarded-Proto: https` on a fresh
connection from --clients threads. Every response must be a 200 that contains the page's title
(ours: the material's; the reference's: --reference-title), or the run fails. Worker CPU is
utime + stime of each master's children from /proc, before and after each round.

    .venv/bin/python bench/versus.py --reference-dir ../bakerydemo \\
        --reference-path /blog/bread-circuses/ --reference-title "Bread and Circuses" [--json]
"""

import argparse
import contextlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from common import (
    HOST,
    ROOT,
    child_env,
    cpu_seconds,
    gunicorn,
    load,
    machine,
    manage,
    print_table,
    scratch_database,
    worker_pids,
    write_results,
)
from study_material import publish

CONN_MAX_AGE = "600"
SECRET = "guiyan-versus-only-not-a-secret"  # noqa: S105


@dataclass
class App:
    """One served page: its gunicorn master and port, the path to ask and what it must say."""

    name: str
    master: int
    port: int
    path: str
    marker: str


def main() -> None:
    args = parse_args()
    facts = machine()
    with contextlib.ExitStack() as stack:
        ours = stack.enter_context(serve_ours(args))
        reference = stack.enter_context(serve_reference(args))
        for app in (ours, reference):
            check(app, load_round(app, args.warmup, args.clients))
        rounds = [measure_round(number, ours, reference, args) for number in range(args.rounds)]
    summary = summarise(rounds)
    print_rounds(rounds, summary)
    if args.json:
        settings = {**vars(args), "reference_dir": str(args.reference_dir)}
        data = {"machine": facts, "settings": settings, "rounds": rounds, **summary}
        print(f"\nwritten to {write_results('versus', data).relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_arguments(parser)
    parser.add_argument("--requests", type=int, default=400, help="per app and round")
    return checked(parser, parser.parse_args())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options bench/versus.py and bench/versus_member.py share."""
    parser.add_argument("--reference-dir", type=Path, required=True)
    parser.add_argument("--reference-path", required=True, help="e.g. /blog/bread-circuses/")
    parser.add_argument("--reference-title", required=True, help="must be in every response")
    parser.add_argument("--reference-settings", default="bakerydemo.settings.production")
    parser.add_argument("--reference-wsgi", default="bakerydemo.wsgi")
    parser.add_argument(
        "--reference-load",
        default="load_initial_data",
        help="manage.py command (split on spaces) that loads the reference's content",
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, default=2000, help="our demo members")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=200, help="per app, unmeasured")
    parser.add_argument("--clients", type=int, default=2, help="concurrent client threads")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="ours listens on PORT, the reference on PORT + 1 (default: free ports)",
    )
    parser.add_argument(
        "--database-suffix",
        default="",
        help="appended to the scratch PostgreSQL databases' names, so that two runs can share "
        "a server",
    )


def checked(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    args.reference_dir = args.reference_dir.resolve()
    if not (args.reference_dir / ".venv" / "bin" / "gunicorn").exists():
        parser.error(f"{args.reference_dir}/.venv/bin/gunicorn not found")
    return args


@contextlib.contextmanager
def serve_ours(args) -> Iterator[App]:
    """Our study material under gunicorn, set up as bench/home_page.py does."""
    static_root = Path(tempfile.mkdtemp(prefix="guiyan-versus-static-"))
    try:
        with scratch_database(args.backend, "guiyan_versus_ours" + args.database_suffix) as url:
            env = child_env(
                url,
                "portal.settings.production",
                SECRET_KEY=SECRET,
                ALLOWED_HOSTS=HOST,
                STATIC_ROOT=str(static_root),
                DATABASE_CONN_MAX_AGE=CONN_MAX_AGE,
            )
            manage(env, "migrate", "--no-input", "-v0")
            manage(env, "seed_demo", "--members", str(args.members))
            manage(env, "collectstatic", "--no-input", "-v0")
            path, title = publish(env)
            with gunicorn(env, ready_path=path, port=args.port) as (master, port):
                yield App("ours", master, port, path, title)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


@contextlib.contextmanager
def serve_reference(args) -> Iterator[App]:
    """The reference project under its own gunicorn, on a scratch database of its own."""
    folder = args.reference_dir
    python, executable = folder / ".venv" / "bin" / "python", folder / ".venv" / "bin" / "gunicorn"
    with scratch_database(args.backend, "guiyan_versus_reference" + args.database_suffix) as url:
        env = child_env(
            url,
            args.reference_settings,
            DJANGO_SECRET_KEY=SECRET,
            DJANGO_ALLOWED_HOSTS=HOST,
            CONN_MAX_AGE=CONN_MAX_AGE,
        )
        env.pop("REDIS_URL", None)  # its production settings would use it otherwise
        for command in (["migrate", "--no-input", "-v0"], args.reference_load.split()):
            manage(env, *command, python=python, cwd=folder)
        manage(env, "collectstatic", "--no-input", "-v0", python=python, cwd=folder)
        server = gunicorn(
            env,
            args.reference_wsgi,
            folder,
            executable,
            ready_path=args.reference_path,
            port=args.port + 1 if args.port else 0,
        )
        with server as (master, port):
            yield App("reference", master, port, args.reference_path, args.reference_title)


def load_round(app: App, count: int, clients: int):
    return load(app.port, app.path, "", app.marker, count, clients)


def check(app: App, outcomes) -> None:
    """Fail the run unless every response was a 200 with the page's title."""
    failures = {k: v for k, v in outcomes.items() if k != "ok"}
    if failures:
        raise SystemExit(f"{app.name}: {outcomes['ok']} ok, failures {failures}")


def measure(app: App, args) -> dict:
    """One measured batch: worker CPU ms per request, requests per second."""
    workers = worker_pids(app.master)
    before = cpu_seconds(workers)
    start = time.perf_counter()
    outcomes = load_round(app, args.requests, args.clients)
    wall = time.perf_counter() - start
    cpu = cpu_seconds(workers) - before
    if worker_pids(app.master) != workers:
        raise SystemExit(f"{app.name}: a gunicorn worker was replaced during the round")
    check(app, outcomes)
    served = sum(outcomes.values())
    return {"cpu_ms": round(1000 * cpu / served, 2), "requests_per_s": round(served / wall, 1)}


def measure_round(number: int, ours: App, reference: App, args) -> dict:
    mine, theirs = measure(ours, args), measure(reference, args)
    ratio = mine["cpu_ms"] / theirs["cpu_ms"]
    return {"round": number + 1, "ours": mine, "reference": theirs, "ratio": round(ratio, 3)}


def summarise(rounds: list[dict]) -> dict:
    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    return {
        "median_ratio": median([r["ratio"] for r in rounds]),
        "median_ours_cpu_ms": median([r["ours"]["cpu_ms"] for r in rounds]),
        "median_reference_cpu_ms": median([r["reference"]["cpu_ms"] for r in rounds]),
    }


def print_rounds(rounds: list[dict], summary: dict) -> None:
    header = ("round", "ours ms/req", "reference ms/req", "ratio", "ours req/s", "ref req/s")
    rows = [
        (
            r["round"],
            f"{r['ours']['cpu_ms']:.2f}",
            f"{r['reference']['cpu_ms']:.2f}",
            f"{r['ratio']:.3f}",
            f"{r['ours']['requests_per_s']:.0f}",
            f"{r['reference']['requests_per_s']:.0f}",
        )
        for r in rounds
    ]
    print_table(header, rows)
    print(
        f"\nmedian: ours {summary['median_ours_cpu_ms']:.2f} ms, reference "
        f"{summary['median_reference_cpu_ms']:.2f} ms, ratio {summary['median_ratio']:.3f} "
        f"(target <= 0.2: {'met' if summary['median_ratio'] <= 0.2 else 'not met'})"
    )


if __name__ == "__main__":
    main()
