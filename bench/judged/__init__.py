"""The project's judged set: made-up talent profiles and pages written by hand, the queries
members and recruiters type over them, and how well each document answers each query (0–2),
judged by reading the documents (queries.yaml says how).

Both kinds are indexed under names of their own (``judged-talent``, ``judged-pages``) with
the real documents' specs (talent/desk/search_documents.py, portal/content/search_documents.py)
and their loaders replaced, so the fields, filters and whatever weights the specs carry are
the ones production searches with. bench/relevance.py prints the figures per engine;
tests/search/test_relevance.py holds each engine to the floors in floors.yaml.
"""

import dataclasses
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
INDEXES = {"talent": "judged-talent", "pages": "judged-pages"}
NDCG_AT = 10
RECALL_AT = 20
GENDERS = {"m": "male", "f": "female"}
# Measures where less is better: floors.yaml bounds them from above.
CEILINGS = ("zero",)
# The order categories are reported in.
CATEGORIES = (
    "short",
    "inside",
    "synonym",
    "boundary",
    "name",
    "mixed",
    "traditional",
    "filter",
    "question",
)


@functools.cache
def _read(name: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{name}.yaml").read_text("utf-8"))


def documents(kind: str) -> list[dict]:
    """The raw documents of ``kind`` ("talent" or "pages"), as written."""
    return _read(kind)


def queries() -> list[dict]:
    return _read("queries")


def floors() -> dict:
    """engine → {"all" or a category → {metric → floor}}."""
    return yaml.safe_load((HERE / "floors.yaml").read_text("utf-8"))


# --- Documents as the real loaders would yield them --------------------------------------


def talent_fields(raw: Mapping) -> dict:
    """As talent.desk.search_documents.talent_fields makes them (the industry a filter only,
    not text)."""
    from talent.desk.regions import place_of
    from talent.desk.search_documents import training_names

    place = place_of(raw["current_city"])
    fields = {
        name: raw.get(name, "")
        for name in (
            "name",
            "occupation",
            "employer",
            "current_city",
            "venture",
            "honours",
            "trainings",
            "self_introduction",
        )
    }
    fields |= {
        "skills": list(raw.get("skills", [])),
        "training": training_names(raw.get("trainings", "")),
        "gender": GENDERS[raw["gender"]],
        "education": raw["education"],
        "industry": raw["industry"],
        "willingness": raw["willingness"],
        "reserve_cadre_trained": "后备干部" in raw.get("trainings", ""),
        "negative": False,
    }
    if place is not None:
        fields["city"] = place.city
        if place.province:
            fields["province"] = place.province
    return fields


def page_fields(raw: Mapping) -> dict:
    return {
        "title": raw["title"],
        "summary": raw["summary"],
        "body": raw["body"],
        "tags": list(raw.get("tags", [])),
        "speaker": raw.get("speaker", ""),
        "type": raw["type"],
        "public": True,
        "audience": "public",
    }


FIELDS: dict[str, Callable[[Mapping], dict]] = {"talent": talent_fields, "pages": page_fields}


def _loader(kind: str):
    def load(keys):
        wanted = None if keys is None else set(keys)
        for raw in documents(kind):
            if wanted is None or raw["id"] in wanted:
                yield raw["id"], FIELDS[kind](raw)

    return load


def specs() -> dict:
    """kind → the real spec under the judged index's name, loading the judged documents."""
    from search.registry import document_spec

    return {
        kind: dataclasses.replace(
            document_spec(kind),
            name=INDEXES[kind],
            load=_loader(kind),
            count=functools.partial(len, documents(kind)),
        )
        for kind in INDEXES
    }


def build() -> None:
    """Register the judged indexes and index them with the engine settings choose."""
    from search.registry import register
    from search.services import index_rebuild

    for spec in specs().values():
        register(spec)
        index_rebuild(spec=spec)


def unregister_all() -> None:
    from search.registry import unregister

    for name in INDEXES.values():
        unregister(name)


def query_filters(query: Mapping) -> dict:
    """A query's filters as the search API would pass them."""
    from talent.desk.regions import place_of

    filters = {}
    for name, value in (query.get("filters") or {}).items():
        if name == "gender":
            value = GENDERS[value]
        elif name == "city":
            value = place_of(value).city
        elif name == "province":
            value = place_of(value).province
        filters[name] = value
    return filters


def engine_ranking(query: Mapping) -> list[str]:
    """The first RECALL_AT keys the engine settings choose returns for the query."""
    from search.selectors import document_search

    results = document_search(
        index=INDEXES[query["index"]],
        text=query["text"],
        filters=query_filters(query),
        page_size=RECALL_AT,
    )
    return results.keys


# --- Measures ----------------------------------------------------------------------------


def ndcg(ranking: list[str], judged: Mapping[str, int], at: int = NDCG_AT) -> float:
    """Normalised discounted cumulative gain, gains 2^grade − 1, log2 discount."""
    gains = [2 ** judged.get(key, 0) - 1 for key in ranking[:at]]
    ideal = sorted((2**grade - 1 for grade in judged.values()), reverse=True)[:at]
    best = _dcg(ideal)
    return _dcg(gains) / best if best else 0.0


def _dcg(gains: Iterable[int]) -> float:
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))


def recall(ranking: list[str], judged: Mapping[str, int], at: int = RECALL_AT) -> float:
    relevant = {key for key, grade in judged.items() if grade > 0}
    return len(relevant & set(ranking[:at])) / len(relevant) if relevant else 0.0


def evaluate(rank: Callable[[Mapping], list[str]]) -> dict[str, dict[str, float]]:
    """ "all" and each category → mean nDCG@10, mean recall@20, share of queries finding
    nothing, and how many queries."""
    rows = defaultdict(list)
    for query in queries():
        ranking = rank(query)
        row = (ndcg(ranking, query["judged"]), recall(ranking, query["judged"]), not ranking)
        rows["all"].append(row)
        rows[query["category"]].append(row)
    return {
        group: {
            "ndcg10": sum(row[0] for row in group_rows) / len(group_rows),
            "recall20": sum(row[1] for row in group_rows) / len(group_rows),
            "zero": sum(row[2] for row in group_rows) / len(group_rows),
            "queries": len(group_rows),
        }
        for group, group_rows in sorted(rows.items(), key=lambda item: _order(item[0]))
    }


def _order(group: str) -> int:
    return -1 if group == "all" else CATEGORIES.index(group)


def below_floors(engine: str, measured: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Each figure of ``measured`` past its bound for ``engine``, described: nDCG@10 and
    recall@20 below their floors, the share of queries finding nothing above its ceiling."""
    misses = []
    for group, metrics in floors().get(engine, {}).items():
        for metric, bound in metrics.items():
            value = measured[group][metric]
            if metric in CEILINGS and value > bound:
                misses.append(f"{engine} {group} {metric}: {value:.3f} > ceiling {bound}")
            elif metric not in CEILINGS and value < bound:
                misses.append(f"{engine} {group} {metric}: {value:.3f} < floor {bound}")
    return misses
