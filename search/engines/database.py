"""The database engine: PostgreSQL full text or SQLite FTS5 over the analysed tokens.

Both store one IndexEntry per document with its tokens space-joined; migration 0002 adds the
vendor's full-text side. A Query becomes an AND of clauses, each an OR of alternatives, each
an AND of tokens, quoted so no token is read as an operator. Filters and facets read the
entries' JSON: correct on both vendors; facets are counted in Python over the matches.
"""

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..analysis import Query
from ..models import IndexEntry
from ..registry import PreparedDocument, SearchDocument
from .base import (
    SearchEngine,
    SearchRequest,
    SearchResults,
    check_request,
    facet_counts,
    highlight,
)


def tsquery(query: Query) -> str:
    """'a' & ( 'b' | 'c' & 'd' ): tsquery input syntax, each token a quoted lexeme."""

    def lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    def alternative(tokens: Sequence[str]) -> str:
        return " & ".join(lexeme(token) for token in tokens)

    return " & ".join(
        "( " + " | ".join(f"( {alternative(alt)} )" for alt in clause) + " )"
        for clause in query.clauses
    )


def fts5_match(query: Query) -> str:
    """("a") AND (("b") OR ("c" AND "d")): FTS5 syntax, each token an FTS5 string."""

    def string(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def alternative(tokens: Sequence[str]) -> str:
        return "(" + " AND ".join(string(token) for token in tokens) + ")"

    return " AND ".join(
        "(" + " OR ".join(alternative(alt) for alt in clause) + ")" for clause in query.clauses
    )


def _filter_q(name: str, value: object) -> Q:
    lookup = f"filters__{name}"
    if isinstance(value, dict):
        bounds = {f"{lookup}__{op}": bound for op, bound in value.items() if bound is not None}
        unknown = {op for op in value} - {"gt", "gte", "lt", "lte"}
        if unknown:
            raise ValueError(f"{name}: unknown range operators {sorted(unknown)}")
        return Q(**bounds)
    if isinstance(value, list | tuple | set):
        return Q(**{f"{lookup}__in": list(value)})
    return Q(**{lookup: value})


class DatabaseEngine(SearchEngine):
    name = "database"

    def index(self, spec: SearchDocument, documents: Sequence[PreparedDocument]) -> None:
        entries = [
            IndexEntry(
                index=spec.name,
                key=document.key,
                tokens=" ".join(document.tokens),
                text=document.text,
                filters=document.filters,
            )
            for document in documents
        ]
        with transaction.atomic():
            IndexEntry.objects.filter(
                index=spec.name, key__in=[entry.key for entry in entries]
            ).delete()
            IndexEntry.objects.bulk_create(entries)

    def delete(self, spec: SearchDocument, keys: Sequence[str]) -> None:
        IndexEntry.objects.filter(index=spec.name, key__in=list(keys)).delete()

    def rebuild(self, spec: SearchDocument) -> None:
        IndexEntry.objects.filter(index=spec.name).delete()

    def status(self) -> dict:
        return {"engine": self.name, "vendor": connection.vendor, "status": "ok"}

    def search(self, spec: SearchDocument, request: SearchRequest) -> SearchResults:
        check_request(spec, request)
        entries = IndexEntry.objects.filter(index=spec.name)
        if request.query is not None:
            if not request.query.clauses:
                return SearchResults(keys=[], total=0, facets={}, highlights={})
            entries = self._matching(entries, request.query)
        for name, value in request.filters.items():
            entries = entries.filter(_filter_q(name, value))
        if request.any_of:
            either = Q(pk__in=[])
            for name, values in request.any_of.items():
                either |= Q(**{f"filters__{name}__in": list(values)})
            entries = entries.filter(either)
        total = entries.count()
        facets = facet_counts(
            spec,
            request.facets,
            entries.values_list("filters", flat=True) if request.facets else [],
        )
        page = list(
            self._ordered(entries, request).values_list("key", "text")[
                request.offset : request.offset + request.page_size
            ]
        )
        terms = request.query.terms if request.query else []
        highlights = {key: highlight(text, terms) for key, text in page} if terms else {}
        return SearchResults(
            keys=[key for key, _text in page], total=total, facets=facets, highlights=highlights
        )

    def _matching(self, entries: QuerySet, query: Query) -> QuerySet:
        if connection.vendor == "postgresql":
            text = tsquery(query)
            # The expression of the GIN index in migration 0002, so the index serves it.
            matching = RawSQL(
                "array_to_tsvector(string_to_array(search_indexentry.tokens, ' ')) @@ %s::tsquery",
                [text],
                output_field=BooleanField(),
            )
            score = RawSQL(
                "-ts_rank(array_to_tsvector(string_to_array(search_indexentry.tokens, ' ')), "
                "%s::tsquery)",
                [text],
            )
            return entries.filter(matching).annotate(score=score)
        text = fts5_match(query)
        matching = RawSQL(
            "SELECT rowid FROM search_indexentry_fts WHERE search_indexentry_fts MATCH %s",
            [text],
        )
        # bm25 is lower for better matches, as the PostgreSQL score above is.
        score = RawSQL(
            "(SELECT bm25(search_indexentry_fts) FROM search_indexentry_fts "
            "WHERE search_indexentry_fts MATCH %s AND rowid = search_indexentry.id)",
            [text],
        )
        return entries.filter(id__in=matching).annotate(score=score)

    def _ordered(self, entries: QuerySet, request: SearchRequest) -> QuerySet:
        if request.sort:
            name = request.sort.lstrip("-")
            field = F(f"filters__{name}")
            order = (
                field.desc(nulls_last=True)
                if request.sort.startswith("-")
                else field.asc(nulls_last=True)
            )
            return entries.order_by(order, "key")
        if request.query is not None:
            return entries.order_by("score", "key")
        return entries.order_by("key")
