"""Worker CPU per request of every member-facing page, logged in, against a reference page.

bench/versus.py compares our anonymous study material with bakerydemo's blog post; this does
the same for the pages a member uses, signed in as the demo member (13900000001, through the
login form), in the same run as the reference and as the anonymous study material:

    home, study material (anonymous and signed in), a micro-lecture step, a study-material
    step, a quiz, a track, my record, the inbox, the red-package catalog, my packages, my
    whereabouts, my activity certificate, my contact card, my micro-lectures.

Ours is served as in bench/versus.py (scratch database, `seed_demo`, the study material of
bench/study_material.py, `gunicorn -w 2`, portal.settings.production), with REDIS_URL set to
--redis-url when given: production runs with Redis (docs/deployment.md), which carries the
sessions and the caches every worker shares. The reference is served exactly as there, without
REDIS_URL. Each round measures the reference, then every page of ours, then the reference
again; a page's ratio is its worker CPU per request over the mean of the two reference
figures of its round. Every response must be a 200 with the page's marker (a signed-in page:
the tab bar), or the run fails.

    .venv/bin/python bench/versus_member.py --reference-dir /tmp/bakerydemo \\
        --reference-path /blog/bread-circuses/ --reference-title "Bread and Circuses" \\
        --backend postgres --redis-url redis://127.0.0.1:6379/6 [--port 8770] \\
        [--database-suffix _a] [--json]

--port and --database-suffix let two runs share the machine: ours listens on --port, the
reference on the next port, and the scratch databases' names end in the suffix.
"""

import argparse
import contextlib
import json
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
from home_page import log_in
from study_material import publish
from versus import CONN_MAX_AGE, SECRET, add_arguments, checked, serve_reference

SIGNED_IN_MARKER = 'class="tabbar"'
TARGETS = {"member": 0.2, "anonymous": 0.1}


@dataclass
class Page:
    """One page of ours to ask: its name, path, the cookie to send and what it must say."""

    name: str
    path: str
    cookie: str
    marker: str

    @property
    def target(self) -> float:
        return TARGETS["anonymous" if not self.cookie else "member"]


def main() -> None:
    args = parse_args()
    facts = machine()
    with contextlib.ExitStack() as stack:
        master, port, pages = stack.enter_context(serve_ours(args))
        reference = stack.enter_context(serve_reference(args))
        ref_page = Page("reference", reference.path, "", reference.marker)
        for page in pages:
            measure(master, port, page, args.warmup, args.clients)
        measure(reference.master, reference.port, ref_page, args.warmup, args.clients)
        rounds = []
        for number in range(args.rounds):
            rounds.append(one_round(number, (master, port, pages), reference, ref_page, args))
            latest = rounds[-1]
            ratios = ", ".join(f"{name} {ratio:.3f}" for name, ratio in latest["ratio"].items())
            print(
                f"round {number + 1}: reference {latest['reference_ms']} ms; {ratios}", flush=True
            )
    summary = summarise(rounds, pages)
    print_summary(summary)
    if args.json:
        settings = {**vars(args), "reference_dir": str(args.reference_dir)}
        data = {"machine": facts, "settings": settings, "rounds": rounds, "summary": summary}
        print(f"\nwritten to {write_results('versus_member', data).relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_arguments(parser)
    parser.add_argument("--requests", type=int, default=200, help="per page and round")
    parser.add_argument("--redis-url", default="", help="REDIS_URL for ours (as production)")
    parser.add_argument("--pages", default="", help="comma-separated names: only these")
    return checked(parser, parser.parse_args())


@contextlib.contextmanager
def serve_ours(args) -> Iterator[tuple[int, int, list[Page]]]:
    """Our site under gunicorn with the demo, signed in; yields (master, port, pages)."""
    static_root = Path(tempfile.mkdtemp(prefix="guiyan-versus-static-"))
    extra = {"REDIS_URL": args.redis_url} if args.redis_url else {}
    try:
        with scratch_database(args.backend, "guiyan_versus_member" + args.database_suffix) as url:
            env = child_env(
                url,
                "portal.settings.production",
                SECRET_KEY=SECRET,
                ALLOWED_HOSTS=HOST,
                STATIC_ROOT=str(static_root),
                DATABASE_CONN_MAX_AGE=CONN_MAX_AGE,
                **extra,
            )
            if args.redis_url:
                manage(
                    env, "shell", "-v0", "-c", "from django.core.cache import cache; cache.clear()"
                )
            manage(env, "migrate", "--no-input", "-v0")
            manage(env, "seed_demo", "--members", str(args.members))
            manage(env, "collectstatic", "--no-input", "-v0")
            material, title = publish(env)
            found = json.loads(manage(env, "shell", "-v0", "-c", PAGES_SCRIPT))
            with gunicorn(env, port=args.port) as (master, port):
                cookie = log_in(port)
                pages = [Page("study material (anonymous)", material, "", title)]
                pages.append(Page("study material", material, cookie, title))
                pages += [Page(name, path, cookie, SIGNED_IN_MARKER) for name, path in found]
                wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
                yield master, port, [p for p in pages if not wanted or p.name in wanted]
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def measure(master: int, port: int, page: Page, count: int, clients: int) -> dict:
    """Worker CPU ms per request and requests/s of `count` GETs; fail unless all were ok."""
    workers = worker_pids(master)
    before, start = cpu_seconds(workers), time.perf_counter()
    outcomes = load(port, page.path, page.cookie, page.marker, count, clients)
    wall, cpu = time.perf_counter() - start, cpu_seconds(workers) - before
    if worker_pids(master) != workers:
        raise SystemExit(f"{page.name}: a gunicorn worker was replaced during the round")
    failures = {k: v for k, v in outcomes.items() if k != "ok"}
    if failures:
        raise SystemExit(f"{page.name} ({page.path}): {outcomes['ok']} ok, failures {failures}")
    served = sum(outcomes.values())
    return {"cpu_ms": round(1000 * cpu / served, 2), "requests_per_s": round(served / wall, 1)}


def one_round(number: int, ours, reference, ref_page: Page, args) -> dict:
    master, port, pages = ours
    before = measure(reference.master, reference.port, ref_page, args.requests, args.clients)
    mine = {p.name: measure(master, port, p, args.requests, args.clients) for p in pages}
    after = measure(reference.master, reference.port, ref_page, args.requests, args.clients)
    ref_ms = (before["cpu_ms"] + after["cpu_ms"]) / 2
    ratios = {name: round(row["cpu_ms"] / ref_ms, 3) for name, row in mine.items()}
    return {"round": number + 1, "reference_ms": round(ref_ms, 2), "ours": mine, "ratio": ratios}


def summarise(rounds: list[dict], pages: list[Page]) -> dict:
    rows = {}
    for page in pages:
        ratios = [r["ratio"][page.name] for r in rounds]
        rows[page.name] = {
            "path": page.path,
            "median_cpu_ms": round(
                statistics.median(r["ours"][page.name]["cpu_ms"] for r in rounds), 2
            ),
            "median_ratio": round(statistics.median(ratios), 3),
            "max_ratio": max(ratios),
            "target": page.target,
        }
    reference_ms = round(statistics.median(r["reference_ms"] for r in rounds), 2)
    return {"median_reference_cpu_ms": reference_ms, "pages": rows}


def print_summary(summary: dict) -> None:
    header = ("page", "path", "ms/req", "median ratio", "max ratio", "target", "met")
    rows = [
        (
            name,
            row["path"],
            f"{row['median_cpu_ms']:.2f}",
            f"{row['median_ratio']:.3f}",
            f"{row['max_ratio']:.3f}",
            f"{row['target']:.2f}",
            "yes" if row["median_ratio"] <= row["target"] else "NO",
        )
        for name, row in summary["pages"].items()
    ]
    print_table(header, rows)
    print(f"\nreference (median of rounds): {summary['median_reference_cpu_ms']:.2f} ms/req")


# Prints [name, path] of each member page of the demo, as JSON.
PAGES_SCRIPT = r"""
import json
from learning.models import TrackPage, TrackStep
from portal.models import RedPackageCatalogPage

track = TrackPage.objects.live().filter(kind="monthly_pack", is_template=False).first()
steps = {s.kind: s for s in reversed(TrackStep.objects.filter(track=track))}
step_url = "/learning/tracks/{}/{}/{}/".format
catalog = RedPackageCatalogPage.objects.live().first()
print(json.dumps([
    ["home", "/"],
    ["micro-lecture step", step_url(track.pk, "steps", steps["lecture"].pk)],
    ["study-material step", step_url(track.pk, "steps", steps["material"].pk)],
    ["quiz", step_url(track.pk, "quiz", steps["quiz"].pk)],
    ["track", track.url],
    ["my record", "/learning/record/"],
    ["inbox", "/inbox/"],
    ["packages catalog", catalog.url],
    ["my packages", "/me/packages/"],
    ["whereabouts", "/me/whereabouts/"],
    ["certificate", "/me/certificate/"],
    ["contact card", "/me/contact-card/"],
    ["my micro-lectures", "/lectures/mine/"],
]))
"""


if __name__ == "__main__":
    main()
