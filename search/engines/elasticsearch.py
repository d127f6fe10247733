"""The Elasticsearch engine, through elasticsearch.dsl.

The body builders (``index_body``, ``search_body``, ``bulk_actions``) are pure functions of
the spec and the request, so they are tested without a server. Our tokens are analysed
already: the token fields, one per weight (search.registry.TOKEN_FIELDS), use a
``whitespace`` analyzer and no filters, so Elasticsearch never segments or stems them
again. Words are looked up with ``combined_fields``, Elasticsearch's BM25F, with the weights
as the fields' boosts: the ranking the database engine computes (docs/adr/0023-ranking.md).
"""

from collections.abc import Iterable, Sequence
from functools import cached_property

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch import NotFoundError as ElasticsearchNotFoundError
from elasticsearch.dsl import (
    A,
    Boolean,
    Date,
    Index,
    Integer,
    Keyword,
    Mapping,
    Search,
    Text,
    analyzer,
)
from elasticsearch.dsl import Q as EsQ

from ..analysis import Query
from ..registry import TOKEN_FIELDS, WEIGHTS, PreparedDocument, SearchDocument
from .base import (
    SearchEngine,
    SearchEngineUnavailable,
    SearchRequest,
    SearchResults,
    check_request,
    highlight,
)
from .keywords import contains_groups

# A keyword field holds a list as well: "keywords" is mapped as one.
FIELD_TYPES = {
    "keyword": Keyword,
    "keywords": Keyword,
    "integer": Integer,
    "date": Date,
    "boolean": Boolean,
}
TOKENS_ANALYZER = analyzer("guiyan_tokens", tokenizer="whitespace")
FACET_SIZE = 100
# What a clause met adds to a document's score: far more than BM25 gives its words (tens at
# most), so documents meeting more clauses come first, as on the database engine, and BM25
# orders those meeting as many.
CLAUSE_SCORE = 1000.0
# The token fields, each boosted by its weight.
BOOSTED_FIELDS = [
    field if weight == 1 else f"{field}^{int(weight)}"
    for field, weight in zip(TOKEN_FIELDS, WEIGHTS, strict=True)
]
# A connection failure is a TransportError, a refusal by the server an ApiError.
ERRORS = (TransportError, ApiError, helpers.BulkIndexError)


def index_name(prefix: str, spec: SearchDocument) -> str:
    return f"{prefix}-search-{spec.name}".lower()


def _index(name: str, spec: SearchDocument) -> Index:
    mapping = Mapping()
    for field in TOKEN_FIELDS:
        mapping.field(field, Text(analyzer=TOKENS_ANALYZER))
    mapping.field("text", Text(index=False))
    for field, kind in spec.filter_fields.items():
        mapping.field(field, FIELD_TYPES[kind]())
    index = Index(name)
    index.settings(number_of_shards=1)
    index.mapping(mapping)
    return index


def index_body(name: str, spec: SearchDocument) -> dict:
    """Settings (the analyzer) and mappings for the spec's index."""
    return _index(name, spec).to_dict()


def _alternative(tokens: Sequence[str]) -> EsQ:
    """Every token, each in any token field (tokens hold no spaces: the whitespace analyzer
    gives them back one by one)."""
    return EsQ("combined_fields", query=" ".join(tokens), fields=BOOSTED_FIELDS, operator="and")


def _clause(clause: tuple[tuple[str, ...], ...]) -> EsQ:
    """Met by any alternative; scores CLAUSE_SCORE and the BM25 of the alternatives met."""
    alternatives = [_alternative(alt) for alt in clause]
    either = (
        alternatives[0]
        if len(alternatives) == 1
        else EsQ("bool", should=alternatives, minimum_should_match=1)
    )
    return EsQ(
        "bool",
        should=[EsQ("constant_score", filter=either, boost=CLAUSE_SCORE), *alternatives],
        minimum_should_match=1,
    )


def query_clause(query: Query) -> EsQ:
    """At least ``query.minimum_should_match`` of the clauses (the rule the database engine
    counts with too), each by one of its alternatives, an alternative by all its tokens."""
    return EsQ(
        "bool",
        should=[_clause(clause) for clause in query.clauses],
        minimum_should_match=query.minimum_should_match,
    )


def _wildcard_escaped(word: str) -> str:
    return "".join(f"\\{char}" if char in "\\*?" else char for char in word)


def _contains_clause(name: str, value: dict) -> EsQ:
    """A value containing one of the words, for each group (search/engines/keywords.py):
    a wildcard query, which Elasticsearch answers from the field's terms, not its documents."""
    groups = [
        EsQ(
            "bool",
            should=[
                EsQ("wildcard", **{name: {"value": f"*{_wildcard_escaped(word)}*"}})
                for word in group
                if word
            ],
            minimum_should_match=1,
        )
        for group in contains_groups(value)
    ]
    return groups[0] if len(groups) == 1 else EsQ("bool", filter=groups)


def _filter_clause(name: str, value: object, kind: str = "") -> EsQ:
    if isinstance(value, dict) and kind == "keywords":
        return _contains_clause(name, value)
    if isinstance(value, dict):
        return EsQ(
            "range", **{name: {op: bound for op, bound in value.items() if bound is not None}}
        )
    if isinstance(value, list | tuple | set):
        return EsQ("terms", **{name: list(value)})
    return EsQ("term", **{name: value})


def search_body(name: str, spec: SearchDocument, request: SearchRequest) -> dict:
    check_request(spec, request)
    must = [query_clause(request.query)] if request.query is not None else []
    filters = [
        _filter_clause(field, value, spec.filter_fields[field])
        for field, value in request.filters.items()
    ]
    if request.any_of:
        either = [EsQ("terms", **{field: list(values)}) for field, values in request.any_of.items()]
        filters.append(EsQ("bool", should=either, minimum_should_match=1))
    search = Search(index=name).query(EsQ("bool", must=must, filter=filters))
    for facet in request.facets:
        search.aggs.bucket(facet, A("terms", field=facet, size=FACET_SIZE))
    if request.sort:
        field = request.sort.lstrip("-")
        order = "desc" if request.sort.startswith("-") else "asc"
        search = search.sort({field: {"order": order, "missing": "_last"}}, {"_id": "asc"})
    elif request.query is None:
        search = search.sort({"_id": "asc"})
    else:
        search = search.sort("_score", {"_id": "asc"})
    search = search.extra(track_total_hits=True).source(["text"])
    return search[request.offset : request.offset + request.page_size].to_dict()


def bulk_actions(name: str, documents: Iterable[PreparedDocument]) -> list[dict]:
    return [
        {
            "_op_type": "index",
            "_index": name,
            "_id": document.key,
            "_source": {
                **{
                    field: " ".join(tokens)
                    for field, tokens in zip(TOKEN_FIELDS, document.weighted_tokens, strict=True)
                },
                "text": document.text,
                **document.filters,
            },
        }
        for document in documents
    ]


def delete_actions(name: str, keys: Iterable[str]) -> list[dict]:
    return [{"_op_type": "delete", "_index": name, "_id": key} for key in keys]


def parse_response(response: dict, spec: SearchDocument, request: SearchRequest) -> SearchResults:
    hits = response["hits"]
    keys = [hit["_id"] for hit in hits["hits"]]
    terms = request.query.terms if request.query else []
    highlights = (
        {
            hit["_id"]: highlight(hit.get("_source", {}).get("text", ""), terms)
            for hit in hits["hits"]
        }
        if terms
        else {}
    )
    facets = {}
    for facet in request.facets:
        buckets = response.get("aggregations", {}).get(facet, {}).get("buckets", [])
        facets[facet] = {_bucket_value(spec, facet, b): b["doc_count"] for b in buckets}
    return SearchResults(
        keys=keys, total=hits["total"]["value"], facets=facets, highlights=highlights
    )


def _bucket_value(spec: SearchDocument, facet: str, bucket: dict) -> object:
    kind = spec.filter_fields[facet]
    if kind == "boolean":
        return bool(bucket["key"])
    if kind == "date":
        return bucket["key_as_string"][:10]
    return bucket["key"]


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, url: str, *, prefix: str = "guiyan", timeout: int = 5) -> None:
        self.url, self.prefix, self.timeout = url, prefix, timeout

    @cached_property
    def client(self) -> Elasticsearch:
        return Elasticsearch(self.url, request_timeout=self.timeout)

    def _name(self, spec: SearchDocument) -> str:
        return index_name(self.prefix, spec)

    def _bulk(self, actions: list[dict]) -> None:
        try:
            # A delete of a document never indexed is not an error: the queue may repeat work.
            helpers.bulk(self.client, actions, raise_on_error=True, ignore_status=(404,))
        except ERRORS as error:
            raise SearchEngineUnavailable(str(error)) from error

    def index(self, spec: SearchDocument, documents: Sequence[PreparedDocument]) -> None:
        self._ensure(spec)
        self._bulk(bulk_actions(self._name(spec), documents))

    def delete(self, spec: SearchDocument, keys: Sequence[str]) -> None:
        self._bulk(delete_actions(self._name(spec), keys))

    def _ensure(self, spec: SearchDocument) -> None:
        index = _index(self._name(spec), spec)
        try:
            if not index.exists(using=self.client):
                index.create(using=self.client)
        except ERRORS as error:
            raise SearchEngineUnavailable(str(error)) from error

    def rebuild(self, spec: SearchDocument) -> None:
        try:
            self.client.indices.delete(index=self._name(spec))
        except ElasticsearchNotFoundError:
            pass
        except ERRORS as error:
            raise SearchEngineUnavailable(str(error)) from error
        self._ensure(spec)

    def status(self) -> dict:
        try:
            reachable = bool(self.client.ping())
        except ERRORS:
            reachable = False
        return {"engine": self.name, "status": "ok" if reachable else "down"}

    def search(self, spec: SearchDocument, request: SearchRequest) -> SearchResults:
        if request.query is not None and not request.query.clauses:
            return SearchResults.nothing(request)
        name = self._name(spec)
        try:
            response = self.client.search(index=name, body=search_body(name, spec, request))
        except ERRORS as error:
            raise SearchEngineUnavailable(str(error)) from error
        return parse_response(dict(response), spec, request)
