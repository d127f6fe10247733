"""Accepted progress events per second: POST /api/v1/learning/progress under gunicorn and
PostgreSQL.

The benchmark creates a scratch PostgreSQL database `guiyan_bench_progress` (dropped
afterwards), migrates it, and sets up through `manage.py shell`: one organisation with a
section, a micro-lecture whose ready video is 600 s long, a track with that lecture as its
only step assigned to the organisation, and --members members, each with a user, a logged-in
database session, and the lecture step opened. Each member's requests then come every
second or so, so their attention clock (ADR 0012) grows as they report; a part it cannot pay
yet waits on the row, and the event is still "accepted".

It then starts `gunicorn portal.wsgi -w 2` with portal.settings.production (DEBUG off,
DATABASE_CONN_MAX_AGE=600, so each worker keeps its PostgreSQL connection, and REDIS_URL from
--redis-url for the cache and the sessions, as docs/deployment.md runs it) and, after a
warm-up, sends --requests requests from --clients client threads. Each request is one
member's batch of --batch "segments" events, each with a fresh UUID and the next
--segment seconds of the video (then the member's next batch carries on from there), a
position and rate 1, with the member's session cookie, the CSRF cookie and X-CSRFToken, as
progress.js sends them. Members take turns, so one member's batches seldom overlap.

It runs twice on the same server: batches of --batch events (the target), then
--single-requests requests of one event each (what a phone sends every 15 s while a video
plays). Last, a `manage.py shell` child replays --single-requests one-event requests through
Django's handler in-process (the whole middleware stack, no gunicorn) and reports the CPU time
(time.process_time) of each request and of the lean view alone (`learning.api.progress_lean`,
which answers a well-formed one-event request; before it, ProgressView's dispatch), and the
statements it sends (counted by an execute wrapper: BEGIN and COMMIT are not among them),
after a warm-up that gives every member one request (a worker that has run a while keeps
their step facts), and prints the last request's statements. --profile writes a cProfile of
the replay, timed in CPU.

Reported: accepted events per second (every event must come back "accepted"; the counts of
anything else are printed), requests per second, gunicorn worker CPU ms per event (utime +
stime of the workers from /proc) and PostgreSQL backend CPU ms per event (the backends of
this database, persistent through the run). The client threads run on the same two cores as
gunicorn and PostgreSQL, so the rates are a lower bound of what the server alone could do;
the CPU per event is the figure to compare.

    .venv/bin/python bench/progress_events.py [--requests 1500] [--batch 20]
        [--single-requests 1000] [--clients 4] [--redis-url URL|''] [--profile FILE] [--json]
"""

import argparse
import copy
import itertools
import json
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from common import (
    HOST,
    ROOT,
    child_env,
    cpu_seconds,
    gunicorn,
    in_threads,
    machine,
    manage,
    postgres_backend_pids,
    print_table,
    request,
    scratch_database,
    worker_pids,
    write_results,
)
from progress_in_process import in_process, print_in_process

DATABASE = "guiyan_bench_progress"
ENDPOINT = "/api/v1/learning/progress"
CSRF_TOKEN = "b" * 32  # the cookie's value; X-CSRFToken repeats it, as progress.js does

SETUP_SCRIPT = r"""
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.utils import timezone
from learning.models import TrackAssignment, TrackPage, TrackStep
from learning.progress.services import progress_open
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory
from portal.models import MicroLecturePage, Video
from portal.content.services import section_create

organization = OrganizationFactory(
    name="基准测试县委", code="BENCH", kind="committee", level="county"
)
section = section_create(organization=organization)
video = Video.objects.create(
    title="基准测试视频", file=ContentFile(b"\x00", "bench.mp4"), organization=organization,
    status=Video.Status.READY, progress=100, duration=600.0, plays_on_phones=True,
)
lecture = section.add_child(instance=MicroLecturePage(title="微党课：基准", video=video))
lecture.save_revision().publish()
track = TrackPage(title="基准学习包", study_hours="1.0", points=5)
track.steps = [TrackStep(kind=TrackStep.Kind.LECTURE, page=lecture, sort_order=0)]
section.add_child(instance=track)
track.save_revision().publish()
TrackAssignment.objects.create(track=track, organization=organization)
step = track.steps.get()
opened = timezone.now()
for n in range(MEMBERS):
    user = UserFactory(username=f"bench{n:05d}")
    member = MemberFactory(name=f"基准党员{n}", origin=organization, user=user)
    progress_open(member=member, step=step, at=opened)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "portal.registry.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(session.session_key, step.pk, sep="\t")
"""


class Member:
    """One member's session and how far into the video their client has played."""

    def __init__(self, session: str, step: int):
        self.session, self.step, self.position = session, step, 0.0
        self.lock = threading.Lock()

    def batch(self, size: int, segment: float) -> list[dict]:
        events = []
        for _ in range(size):
            start, self.position = self.position, self.position + segment
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "step": self.step,
                    "kind": "segments",
                    "segments": [[round(start, 3), round(self.position, 3)]],
                    "position": round(self.position, 3),
                    "rate": 1,
                }
            )
        return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--requests", type=int, default=1500, help="measured")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured")
    parser.add_argument("--batch", type=int, default=20, help="events per request")
    parser.add_argument(
        "--single-requests", type=int, default=1000, help="measured one-event requests"
    )
    parser.add_argument("--segment", type=float, default=0.05, help="video seconds per event")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="REDIS_URL, as production runs (cache and sessions in Redis; this database is "
        "cleared); '' runs the embedded default (a cache per process, sessions in the database)",
    )
    parser.add_argument(
        "--profile",
        default="",
        help="write a cProfile of the in-process requests to this file (its CPU is then "
        "inflated: read where the time goes, not how much)",
    )
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    args = parser.parse_args()

    facts = machine()
    static_root = Path(tempfile.mkdtemp(prefix="guiyan-bench-static-"))
    media_root = Path(tempfile.mkdtemp(prefix="guiyan-bench-media-"))
    try:
        results, in_process = run(args, static_root, media_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(media_root, ignore_errors=True)
    print_results(results)
    print_in_process(in_process)
    if args.json:
        data = {
            "machine": facts,
            "settings": vars(args),
            "results": results,
            "in_process": in_process,
        }
        print(f"\nwritten to {write_results('progress_events', data).relative_to(ROOT)}")
    if any(result["not_accepted"] for result in results) or set(in_process["outcomes"]) != {
        "accepted"
    }:
        raise SystemExit("some events were not accepted")


def run(args, static_root: Path, media_root: Path) -> tuple[list[dict], dict]:
    with scratch_database("postgres", DATABASE) as url:
        env = child_env(
            url,
            "portal.settings.production",
            SECRET_KEY="guiyan-bench-only-not-a-secret",  # noqa: S106
            ALLOWED_HOSTS=HOST,
            STATIC_ROOT=str(static_root),
            MEDIA_ROOT=str(media_root),
            DATABASE_CONN_MAX_AGE="600",
            **({"REDIS_URL": args.redis_url} if args.redis_url else {}),
        )
        if args.redis_url:
            manage(env, "shell", "-v0", "-c", "from django.core.cache import cache; cache.clear()")
        manage(env, "migrate", "--no-input", "-v0")
        script = SETUP_SCRIPT.replace("MEMBERS", str(args.members))
        rows = [line.split("\t") for line in manage(env, "shell", "-v0", "-c", script).split("\n")]
        members = [Member(row[0], int(row[1])) for row in rows if len(row) == 2]
        with gunicorn(env) as (master, port):
            turns = itertools.cycle(members)
            send(port, turns, args.warmup, args)
            results = [measure(master, port, turns, args)]
            single = copy.copy(args)
            single.batch, single.requests, single.segment = 1, args.single_requests, 1.0
            results.append(measure(master, port, turns, single))
        return results, in_process(env, members, args.single_requests, args.profile)


def send(port: int, turns, count: int, args) -> Counter:
    """`count` requests from `args.clients` threads, each the next member's next batch."""
    lock = threading.Lock()
    origin = f"https://{HOST}:{port}"

    def one() -> Counter:
        with lock:
            member = next(turns)
        with member.lock:  # a member's batches follow each other, as from one phone
            events = member.batch(args.batch, args.segment)
            headers = {
                "Content-Type": "application/json",
                "Cookie": f"sessionid={member.session}; csrftoken={CSRF_TOKEN}",
                "X-CSRFToken": CSRF_TOKEN,
                "Origin": origin,
            }
            try:
                response, text = request(
                    port, "POST", ENDPOINT, headers, json.dumps({"events": events})
                )
            except OSError as exc:
                return Counter({type(exc).__name__: len(events)})
        if response.status != 200:
            return Counter({f"status {response.status}": len(events)})
        outcomes = Counter(result["outcome"] for result in json.loads(text)["results"])
        outcomes["requests"] += 1
        return outcomes

    return in_threads(count, args.clients, one)


def measure(master: int, port: int, turns, args) -> dict:
    workers, servers = worker_pids(master), postgres_backend_pids(DATABASE)
    worker_before, database_before = cpu_seconds(workers), cpu_seconds(servers)
    start = time.perf_counter()
    outcomes = send(port, turns, args.requests, args)
    wall = time.perf_counter() - start
    worker_cpu = cpu_seconds(workers) - worker_before
    if worker_pids(master) != workers:
        raise RuntimeError("a gunicorn worker was replaced during the run")
    database_cpu = None
    if postgres_backend_pids(DATABASE) == servers:
        database_cpu = cpu_seconds(servers) - database_before
    accepted = outcomes["accepted"]
    per_event = max(accepted, 1)
    return {
        "requests": outcomes["requests"],
        "batch": args.batch,
        "clients": args.clients,
        "accepted": accepted,
        "not_accepted": {k: v for k, v in outcomes.items() if k not in ("accepted", "requests")},
        "events_per_s": round(accepted / wall, 1),
        "requests_per_s": round(outcomes["requests"] / wall, 1),
        "worker_cpu_ms_per_event": round(1000 * worker_cpu / per_event, 3),
        "db_cpu_ms_per_event": (
            None if database_cpu is None else round(1000 * database_cpu / per_event, 3)
        ),
        "wall_s": round(wall, 2),
    }


def print_results(results: list[dict]) -> None:
    header = (
        "batch",
        "clients",
        "requests",
        "accepted events",
        "events/s",
        "req/s",
        "worker CPU ms/event",
        "PG CPU ms/event",
        "not accepted",
    )
    rows = [
        (
            r["batch"],
            r["clients"],
            r["requests"],
            r["accepted"],
            f"{r['events_per_s']:.0f}",
            f"{r['requests_per_s']:.0f}",
            f"{r['worker_cpu_ms_per_event']:.3f}",
            "n/a" if r["db_cpu_ms_per_event"] is None else f"{r['db_cpu_ms_per_event']:.3f}",
            ", ".join(f"{k}: {v}" for k, v in r["not_accepted"].items()) or "-",
        )
        for r in results
    ]
    print_table(header, rows)


if __name__ == "__main__":
    main()
