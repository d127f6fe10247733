"""Relevance on the judged set (bench/judged/): nDCG@10, recall@20 and the share of queries
finding nothing, per category of query and per engine.

For each database (SQLite FTS5, PostgreSQL) the script makes a scratch database, migrates it
and runs itself as a child that indexes the judged talent profiles and pages with the real
documents' specs and searches each judged query through ``search.selectors.document_search``
(first 20 results). With ELASTICSEARCH_URL set, Elasticsearch is measured too (a third child,
on SQLite, searching Elasticsearch). A plain jieba + BM25 baseline (bench/judged/baseline.py)
is computed in Python over the same documents for comparison.

    .venv/bin/python bench/relevance.py [--backend both] [--json] [--queries]

``--queries`` also lists each query's nDCG@10 per engine, to see what a change moved.
"""

import argparse
import importlib.util
import json
import os
import sys

from common import ROOT, child_runs, machine, print_table, write_results

ENGINE_ORDER = ("sqlite", "postgresql", "elasticsearch", "baseline")


def child(baseline: bool) -> dict:
    import django

    django.setup()
    from django.db import connection
    from judged import build, engine_ranking, evaluate, ndcg, queries

    from search.selectors import search_engine

    build()
    engine = "elasticsearch" if search_engine().name == "elasticsearch" else connection.vendor
    if engine == "elasticsearch":
        search_engine().client.indices.refresh(index="_all")
    runs = {engine: engine_ranking}
    if baseline:
        from judged.baseline import baseline_ranking

        runs["baseline"] = baseline_ranking
    result = {"figures": {}, "queries": {}}
    for name, rank in runs.items():
        result["figures"][name] = evaluate(rank)
        result["queries"][name] = {
            query["id"]: round(ndcg(rank(query), query["judged"]), 3) for query in queries()
        }
    return result


def report(runs: dict) -> dict:
    figures, per_query = {}, {}
    for run in runs.values():
        figures.update(run["figures"])
        per_query.update(run["queries"])
    engines = [engine for engine in ENGINE_ORDER if engine in figures]
    groups = list(figures[engines[0]])
    header = ("category", "queries", *(f"{e} nDCG@10 / R@20 / zero" for e in engines))
    rows = [
        (
            group,
            figures[engines[0]][group]["queries"],
            *(
                "{ndcg10:.3f} / {recall20:.3f} / {zero:.2f}".format(**figures[engine][group])
                for engine in engines
            ),
        )
        for group in groups
    ]
    print_table(header, rows)
    return {"engines": engines, "figures": figures, "queries": per_query}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--queries", action="store_true", help="list nDCG@10 per query")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.baseline)))
        return
    runs = {}
    for backend in ("sqlite", "postgres"):
        if args.backend in (backend, "both"):
            # The baseline needs rank_bm25 (the "bench" extra); without it, the engines alone.
            extra = ["--baseline"] if not runs and importlib.util.find_spec("rank_bm25") else []
            run = child_runs(
                __file__, "guiyan_bench_relevance", backend, extra, env_drop=["ELASTICSEARCH_URL"]
            )
            runs.update(run)
    if os.environ.get("ELASTICSEARCH_URL"):
        elasticsearch = child_runs(__file__, "guiyan_bench_relevance", "sqlite", [])
        runs["elasticsearch"] = elasticsearch["sqlite"]
    summary = report(runs)
    if args.queries:
        rows = [
            (query_id, *(summary["queries"][engine][query_id] for engine in summary["engines"]))
            for query_id in summary["queries"][summary["engines"][0]]
        ]
        print_table(("query", *summary["engines"]), rows)
    if args.json:
        write_results("relevance", {"machine": machine(), **summary})


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    main()
