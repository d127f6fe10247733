"""The database search engine: indexing and query time on SQLite FTS5 and PostgreSQL.

For each backend the script makes a scratch database, migrates it, and runs itself as a child
(`portal.settings.dev`) that registers a synthetic document kind — the made-up talent
profiles of bench/analysis.py, with a village, an age, a birth date and a willingness flag as
filters — and then:

- rebuilds the index through `search.services.index_rebuild` (analysis and writes, batches of
  500): documents per second, wall and CPU time of the child;
- runs each query of QUERIES --repeat times through `search.selectors.document_search`
  (text, filters, facets, first page of 20) and reports the median wall milliseconds and the
  hit count. On PostgreSQL the table is ANALYZEd first, as autovacuum would after the load.

    .venv/bin/python bench/search_engine.py [--documents 10000] [--backend both] [--json]
"""

import argparse
import json
import os
import statistics
import sys
import time

from common import (
    ROOT,
    child_runs,
    machine,
    print_table,
    write_results,
)

QUERIES = [
    ("党章", {}, ()),
    ("养殖", {}, ("village",)),
    ("电商", {}, ("village", "willing")),  # a synonym: 电商 OR 电子商务
    ("合同", {"willing": True}, ("village",)),
    ("后备干部 合格", {"age": {"gte": 30, "lte": 45}}, ("village",)),
    ("excel", {}, ()),
    ("zw", {}, ()),  # a name by its initials
    ("", {"village": "石桥村"}, ("willing",)),  # filters alone
]


def child(documents: int, repeat: int) -> dict:
    import django

    django.setup()
    from analysis import VILLAGES, corpus

    from search.registry import SearchDocument, register
    from search.selectors import document_search
    from search.services import index_rebuild

    profiles = corpus(documents)

    def load(keys):
        wanted = range(len(profiles)) if keys is None else map(int, keys)
        for number in wanted:
            name, text = profiles[number]
            yield (
                str(number),
                {
                    "text": text,
                    "name": name,
                    "village": VILLAGES[number % len(VILLAGES)],
                    "age": 25 + number % 30,
                    "born": f"{1970 + number % 30}-0{1 + number % 9}-15",
                    "willing": number % 3 != 0,
                },
            )

    spec = register(
        SearchDocument(
            name="bench",
            load=load,
            text_fields=("text",),
            name_fields=("name",),
            filter_fields={
                "village": "keyword",
                "age": "integer",
                "born": "date",
                "willing": "boolean",
            },
            facets=("village", "willing"),
            count=lambda: len(profiles),
        )
    )
    document_search(index="bench", text="预热")  # loads the dictionaries outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    index_rebuild(spec=spec)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; without statistics on the expression
        # index the planner scans every row instead of using the GIN index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_indexentry")
    result = {
        "documents": documents,
        "index_wall_s": round(wall, 2),
        "index_cpu_s": round(cpu, 2),
        "documents_per_s": round(documents / wall),
        "queries": [],
    }
    for text, filters, facets in QUERIES:
        times, hits = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            hits = document_search(index="bench", text=text, filters=filters, facets=facets).total
            times.append((time.perf_counter() - start) * 1000)
        label = " ".join([text, json.dumps(filters, ensure_ascii=False) if filters else ""]).strip()
        result["queries"].append(
            {
                "query": label,
                "facets": list(facets),
                "hits": hits,
                "median_ms": round(statistics.median(times), 1),
            }
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.documents, args.repeat)))
        return
    runs = child_runs(
        __file__,
        "guiyan_bench_search",
        args.backend,
        ["--documents", str(args.documents), "--repeat", str(args.repeat)],
    )
    for backend, run in runs.items():
        print(
            f"{backend}: {run['documents']} documents indexed in {run['index_wall_s']} s wall, "
            f"{run['index_cpu_s']} s CPU ({run['documents_per_s']} documents/s)"
        )
        rows = [
            (q["query"], ",".join(q["facets"]), q["hits"], q["median_ms"]) for q in run["queries"]
        ]
        print_table(("query", "facets", "hits", "median ms"), rows)
    if args.json:
        write_results("search_engine", {"machine": machine(), "runs": runs})


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    main()
