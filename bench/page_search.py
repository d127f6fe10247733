"""The site search box: rebuilding the "pages" index and answering /search/'s selector.

For each backend the script makes a scratch database, migrates it, and runs itself as a child
(`portal.settings.dev`) that publishes --pages pages in one organisation's section: study
materials (a summary and a rich-text body), micro-lectures (a speaker and a transcript) and
notices, two of three study pages behind the login, with text from bench/analysis.py's corpus.
Pages are added to the tree directly, without revisions, so the set-up is not timed. Then:

- rebuilds the index (`search.services.index_rebuild` over `portal.content.search_documents.PAGES`:
  the loader reads the pages, their privacy and section, and the analysis runs): pages per
  second, wall and CPU time;
- runs each query of QUERIES --repeat times through `portal.content.search_selectors.page_search`
  (engine search with facets, a second engine call when a facet is chosen, the hits re-read
  through the site's privacy rule) and reports the median wall milliseconds and the total.

    .venv/bin/python bench/page_search.py [--pages 1500] [--backend both] [--json]
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

# (reader, text, type): reader "visitor" is anonymous, "member" a logged-in user.
QUERIES = [
    ("visitor", "养殖", None),
    ("member", "养殖", None),
    ("member", "合同", "study_material"),
    ("member", "电商", None),  # a synonym: 电商 OR 电子商务
    ("member", "{speaker}", None),  # the first lecture's speaker, by the name's pinyin
    ("member", "的", None),  # analyses to nothing
]


def _publish(section, pages: int) -> None:
    from analysis import corpus
    from django.utils import timezone
    from wagtail.models import Page, PageViewRestriction
    from wagtail.rich_text import RichText

    from portal.models import MicroLecturePage, NoticePage, StudyMaterialPage

    restricted = []
    for number, (name, text) in enumerate(corpus(pages)):
        kind = number % 3
        if kind == 0:
            page = StudyMaterialPage(
                title=text[:20], summary=text[:80], body=[("paragraph", RichText(f"<p>{text}</p>"))]
            )
        elif kind == 1:
            page = MicroLecturePage(title=text[:20], speaker=name, transcript=text)
        else:
            page = NoticePage(title=text[:20], body=f"<p>{text}</p>")
        page.slug = f"page-{number}"
        section.add_child(instance=page)
        if kind != 2 and (number // 3) % 3 != 0:  # two of three study pages
            restricted.append(PageViewRestriction(page=page, restriction_type="login"))
    PageViewRestriction.objects.bulk_create(restricted)
    Page.objects.filter(depth__gt=section.depth).update(first_published_at=timezone.now())


def child(pages: int, repeat: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser

    from portal.content.search_documents import PAGES
    from portal.content.search_selectors import page_search
    from portal.models import Organization
    from portal.registry.factories import UserFactory
    from portal.registry.services import organization_create
    from search.services import index_rebuild

    county = organization_create(
        parent=None,
        name="测试县委",
        code="BENCH",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
        publishes=True,
    )
    _publish(county.section, pages)
    readers = {"visitor": AnonymousUser(), "member": UserFactory(username="13900000001")}
    page_search(user=readers["visitor"], text="预热")  # dictionaries load outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    indexed = index_rebuild(spec=PAGES)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would after the load
            cursor.execute("ANALYZE search_indexentry")
    result = {
        "pages": indexed,
        "index_wall_s": round(wall, 2),
        "index_cpu_s": round(cpu, 2),
        "pages_per_s": round(indexed / wall),
        "queries": [],
    }
    from analysis import corpus

    from search.pinyin import pinyin_tokens

    speaker = pinyin_tokens(corpus(2)[1][0])[0]
    for reader, text, page_type in QUERIES:
        text = text.format(speaker=speaker)
        times, total = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            results = page_search(user=readers[reader], text=text, page_type=page_type)
            total = results.total
            times.append((time.perf_counter() - start) * 1000)
        result["queries"].append(
            {
                "reader": reader,
                "query": text + (f" type={page_type}" if page_type else ""),
                "total": total,
                "median_ms": round(statistics.median(times), 1),
            }
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.pages, args.repeat)))
        return
    facts = machine()
    runs = child_runs(
        __file__,
        "guiyan_bench_pages",
        args.backend,
        ["--pages", str(args.pages), "--repeat", str(args.repeat)],
    )
    for backend, run in runs.items():
        print(
            f"{backend}: {run['pages']} pages indexed in {run['index_wall_s']} s wall, "
            f"{run['index_cpu_s']} s CPU ({run['pages_per_s']} pages/s)"
        )
        rows = [(q["reader"], q["query"], q["total"], q["median_ms"]) for q in run["queries"]]
        print_table(("reader", "query", "total", "median ms"), rows)
    if args.json:
        write_results("page_search", {"machine": facts, "runs": runs})


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    main()
