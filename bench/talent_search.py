"""The talent search at county scale: 100,000 profiles on the database engine (issue 5).

Targets: p95 ≤ 50 ms per search for (a) text only, (b) text with three filters and five
facets, (c) filters (and five facets) without text; a full reindex in ≤ 60 s. Questions of
three to five words, of which three in four are needed (issue 13), are measured beside them.

For each backend (PostgreSQL by default, SQLite with --backend) the script makes a scratch
database, migrates it, and runs itself as a child (`portal.settings.dev`, the database
engine) that:

1. builds a county (4 townships of 6 villages and a community) and --profiles talent
   profiles with bulk_create: non-members in the pool, names, birth dates, occupations and
   employers by industry, 2–4 skills (taggit), ventures, honours, trainings and a
   self-introduction made up from a fixed seed;
2. rebuilds the index through `search.services.index_rebuild(spec=document_spec("talent"))`
   (falling back to a spec of the same shape registered here when the talent app has none),
   with SEARCH_REINDEX_WORKERS analysing processes, reporting wall time and the CPU time of
   the child, of the analysing processes and of the database server (analysing in the
   child, SEARCH_REINDEX_WORKERS=0, the child's CPU also splits into loading profiles,
   analysis with tokens per second, and writes); then ANALYZE, as autovacuum would after a
   bulk load, and one first search that loads the index's columns into memory;
3. runs a fixed set of searches of each kind through `search.selectors.document_search`,
   --repeat times each after one warm-up, and reports per kind the p50 and p95 of wall
   milliseconds and of CPU milliseconds per search (this process plus the database server
   process serving it, read from /proc/<pid>/schedstat, so waiting for a shared CPU does not
   count), and the CPU p50 as a ratio to a baseline in the same run: fetching one index entry
   by its key through the ORM.

    .venv/bin/python bench/talent_search.py [--profiles 100000] [--repeat 20]
        [--backend postgres|sqlite|both] [--json] [--database NAME] [--keep]

With --keep (PostgreSQL), the database is left in place after the run and a later run with
--keep reuses it when it already holds --profiles indexed profiles: steps 1 and 2 are
skipped (their figures are then missing from the output), only the searches are timed.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from common import (
    ROOT,
    child_runs,
    machine,
    print_table,
    write_results,
)
from talent_data import build_county, build_profiles
from talent_queries import local_spec, searches


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
    """index_rebuild as configured (SEARCH_REINDEX_WORKERS analysing processes beside this
    one): wall time, this process's CPU, the analysing processes' CPU and the server's.
    Analysing here (SEARCH_REINDEX_WORKERS=0), this process's CPU is also split into
    loading, analysis and writes."""
    import resource

    from django.conf import settings

    from search import services
    from search.engines.database import DatabaseEngine

    split = {"analysis": 0.0, "write": 0.0, "tokens": 0}
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

    def children_cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    services.document_prepare = counted_prepare
    DatabaseEngine.index = counted_index
    try:
        wall, cpu, served = time.perf_counter(), time.process_time(), server.ns()
        children = children_cpu()
        done = services.index_rebuild(spec=spec, engine=DatabaseEngine())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        children = children_cpu() - children
        served = (server.ns() - served) / 1e9
    finally:
        services.document_prepare, DatabaseEngine.index = prepare, index
    result = {
        "documents": done,
        "workers": settings.SEARCH_REINDEX_WORKERS,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "workers_cpu_s": round(children, 1),
        "server_cpu_s": round(served, 1),
        "cpu_write_s": round(split["write"], 1),
    }
    if split["tokens"]:  # analysed in this process
        result.update(
            cpu_load_s=round(cpu - split["analysis"] - split["write"], 1),
            cpu_analysis_s=round(split["analysis"], 1),
            tokens=split["tokens"],
            tokens_per_analysis_s=round(split["tokens"] / split["analysis"]),
        )
    return result


def columns_load(spec, server: ServerClock) -> dict:
    """A process's first search of the index: the filter columns (and, on PostgreSQL, the
    frequent terms) loaded into memory."""
    from search.engines import database
    from search.selectors import document_search

    database.forget_columns()
    wall, cpu = timed(lambda: document_search(index="talent", text="预热"), server)
    with database._columns_lock(spec):
        columns = database.current_columns(spec)
    return {
        "wall_ms": round(wall),
        "cpu_ms": round(cpu),
        "entries": len(columns),
        "terms_held": len(columns.terms),
    }


def built(profiles: int) -> bool:
    """Whether the database already holds `profiles` profiles, all of them indexed."""
    from search.models import IndexEntry
    from talent.models import TalentProfile

    return (
        TalentProfile.objects.count() == profiles
        and IndexEntry.objects.filter(index="talent").count() == profiles
    )


def training_filters(words: tuple[str, ...]) -> dict:
    """The engine filters of a recruiter's training filter, as the talent desk makes them."""
    from talent.desk.filters import query_filters
    from talent.desk.search_query import TalentQuery

    return query_filters(TalentQuery(trainings=words))


def child(profiles: int, repeat: int, reuse: bool) -> dict:
    import django

    django.setup()
    from django.db import connection

    from search.registry import document_spec
    from search.selectors import document_search

    result = {"profiles": profiles, "vendor": connection.vendor}
    if reuse and built(profiles):
        result["reused"] = True
        return searched(result, repeat)
    start = time.perf_counter()
    hometowns = build_county()
    build_profiles(profiles, hometowns)
    result["build_wall_s"] = round(time.perf_counter() - start, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load (this machine's server runs without it);
            # unanalysed, the talent loader's batches cost the server 14 s more.
            cursor.execute("ANALYZE")
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
            # As autovacuum would after a bulk load; the terms table's statistics name the
            # frequent terms the engine holds in memory.
            cursor.execute("ANALYZE search_indexentry")
            cursor.execute("ANALYZE search_indexterms")
    result["columns_load"] = columns_load(spec, server)
    return searched(result, repeat)


def searched(result: dict, repeat: int) -> dict:
    """The baseline and every kind of search, timed into result."""
    from portal.models import Organization
    from search.models import IndexEntry
    from search.selectors import document_search

    server = ServerClock()
    document_search(index="talent", text="预热")
    key = IndexEntry.objects.filter(index="talent").values_list("key", flat=True).first()

    def baseline():
        return list(IndexEntry.objects.filter(index="talent", key=key).values_list("text"))

    baseline_cpu = []
    for _ in range(repeat * 10):
        baseline_cpu.append(timed(baseline, server)[1])
    base = statistics.median(baseline_cpu)
    result["baseline_cpu_ms"] = round(base, 2)

    # The county's townships, and their communities and villages in the order built.
    levels = Organization.Level
    places = Organization.objects.order_by("pk")
    townships = list(places.filter(level=levels.TOWNSHIP).values_list("pk", flat=True))
    villages = list(
        places.filter(level__in=[levels.COMMUNITY, levels.VILLAGE]).values_list("pk", flat=True)
    )
    result["kinds"] = {}
    for kind, runs in searches(townships, villages).items():
        walls, cpus, hits, each = [], [], [], []
        for text, filters, facets, any_of, *more in runs:
            trainings = more[0] if more else ()

            def search(
                text=text, filters=filters, facets=facets, any_of=any_of, hits=hits, t=trainings
            ):
                wanted = {**filters, **training_filters(t)} if t else filters
                found = document_search(
                    index="talent", text=text, filters=wanted, facets=facets, any_of=any_of
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
            label += f" training={'/'.join(trainings)}" if trainings else ""
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
    parser.add_argument("--database", default="guiyan_bench_talent", help="PostgreSQL name")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database; reuse it if already built"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.profiles, args.repeat, args.keep)))
        return
    facts = machine()
    runs = child_runs(
        __file__,
        args.database,
        args.backend,
        ["--profiles", str(args.profiles), "--repeat", str(args.repeat)]
        + (["--keep"] if args.keep else []),
        env_drop=["ELASTICSEARCH_URL"],
        keep=args.keep,
    )
    for backend, run in runs.items():
        if run.get("reused"):
            print(f"{backend}: the kept database reused; baseline {run['baseline_cpu_ms']} ms CPU")
            report(run)
            continue
        r, c = run["reindex"], run["columns_load"]
        here = (
            f"load {r['cpu_load_s']}, analysis {r['cpu_analysis_s']} at "
            f"{r['tokens_per_analysis_s']} tokens/s, writes {r['cpu_write_s']}"
            if "cpu_analysis_s" in r
            else f"writes {r['cpu_write_s']}"
        )
        print(
            f"{backend}: {r['documents']} profiles ({run['spec']}) reindexed in {r['wall_s']} s "
            f"wall with {r['workers']} analysing processes; CPU {r['cpu_s']} s here ({here}) "
            f"+ {r['workers_cpu_s']} s analysing processes + {r['server_cpu_s']} s database "
            f"server; first search (columns load, {c['entries']} entries, {c['terms_held']} "
            f"terms held) {c['cpu_ms']} ms CPU; baseline {run['baseline_cpu_ms']} ms CPU"
        )
        report(run)
    if args.json:
        write_results("talent_search", {"machine": facts, "runs": runs})


def report(run: dict) -> None:
    """The table of each kind, then each search's hits and CPU."""
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


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    main()
