"""The database engine: PostgreSQL full text or SQLite FTS5 over the analysed tokens.

Both store one IndexEntry per document with its tokens space-joined; migrations 0002 and
0003 add the vendor's full-text side (PostgreSQL: a stored, generated tsvector column under
a GIN index; SQLite: an FTS5 table kept in step by triggers). A Query becomes an AND of
clauses, each an OR of alternatives, each an AND of tokens, quoted so no token is read as an
operator. Filters read the entries' JSON. The total and the facets are counted in the
database, in one statement: the matches' facet values go into a materialised CTE once, and
each facet is a GROUP BY over it; the values come back typed as the spec declares them.
"""

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..analysis import Query
from ..models import IndexEntry
from ..registry import PreparedDocument, SearchDocument
from .base import (
    SearchEngine,
    SearchRequest,
    SearchResults,
    check_request,
    highlight,
)

FTS_TABLE = "search_indexentry_fts"


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
        return _any_value_q(name, list(value))
    return _any_value_q(name, [value])


def _any_value_q(name: str, values: list) -> Q:
    """The field holds one of the values. On PostgreSQL as JSON containment (filters @>
    '{"name": value}'), which the GIN index of migration 0003 serves, so a selective filter
    does not read every entry; SQLite compares the extracted value."""
    if not values:
        return Q(pk__in=[])
    if connection.vendor != "postgresql":
        return Q(**{f"filters__{name}__in": values})
    either = Q()
    for value in values:
        either |= Q(filters__contains={name: value})
    return either


def facet_value(kind: str, value: object) -> object:
    """A facet value as the database returns it (text on PostgreSQL, an SQL scalar on
    SQLite: 1/0 for booleans) → the type the spec declares, as Elasticsearch returns it."""
    if kind == "boolean":
        return value in (True, 1, "true")
    if kind == "integer":
        return int(value)  # type: ignore[call-overload]
    return str(value)


def _filter_value(name: str) -> RawSQL:
    """A filter's value as an SQL scalar; NULL when missing or JSON null. (Django's
    KeyTextTransform gives 'null' and 'true' as text on SQLite, where a string "null" would
    look the same.)"""
    if connection.vendor == "postgresql":
        return RawSQL("search_indexentry.filters ->> %s", [name])
    path = '$."' + name.replace('"', '""') + '"'
    return RawSQL("json_extract(search_indexentry.filters, %s)", [path])


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


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
        text = None
        if request.query is not None:
            if not request.query.clauses:
                return SearchResults(keys=[], total=0, facets={}, highlights={})
            text = self._query_text(request.query)
            entries = self._matching(entries, text)
        for name, value in request.filters.items():
            entries = entries.filter(_filter_q(name, value))
        if request.any_of:
            either = Q(pk__in=[])
            for name, values in request.any_of.items():
                either |= _any_value_q(name, list(values))
            entries = entries.filter(either)
        if request.facets:
            total, facets = self._counted(spec, entries, request.facets)
        else:
            total, facets = entries.count(), {}
        page = list(
            self._ordered(entries, request, text).values_list("key", "text")[
                request.offset : request.offset + request.page_size
            ]
        )
        terms = request.query.terms if request.query else []
        highlights = {key: highlight(text, terms) for key, text in page} if terms else {}
        return SearchResults(
            keys=[key for key, _text in page], total=total, facets=facets, highlights=highlights
        )

    @staticmethod
    def _query_text(query: Query) -> str:
        return tsquery(query) if connection.vendor == "postgresql" else fts5_match(query)

    def _matching(self, entries: QuerySet, text: str) -> QuerySet:
        if connection.vendor == "postgresql":
            # The stored column of migration 0003, under its GIN index.
            return entries.filter(
                RawSQL(
                    "search_indexentry.vector @@ %s::tsquery", [text], output_field=BooleanField()
                )
            )
        # The matching rowids, found by one FTS5 query (SQLite builds the IN list once);
        # the page's ordering joins the table again for bm25 (see _ordered).
        return entries.filter(
            id__in=RawSQL(
                "SELECT rowid FROM search_indexentry_fts WHERE search_indexentry_fts MATCH %s",
                [text],
            )
        )

    def _counted(
        self, spec: SearchDocument, entries: QuerySet, facets: Sequence[str]
    ) -> tuple[int, dict[str, dict[object, int]]]:
        """The total and each facet's counts per value, largest first, in one statement."""
        columns = {f"facet_{number}": name for number, name in enumerate(facets)}
        values = entries.annotate(
            **{column: _filter_value(name) for column, name in columns.items()}
        ).values_list(*columns)
        inner, params = values.query.sql_with_params()
        parts = ["SELECT -1, NULL, COUNT(*) FROM matches"]
        for number, column in enumerate(columns):
            quoted = _quote(column)
            parts.append(
                f"SELECT {number}, {quoted}, COUNT(*) FROM matches "  # noqa: S608 - see below
                f"WHERE {quoted} IS NOT NULL GROUP BY {quoted}"
            )
        # Column names are ours (facet_<n>); values and field names are parameters.
        sql = f"WITH matches AS MATERIALIZED ({inner}) " + " UNION ALL ".join(parts)  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = 0
        counts: dict[str, dict[object, int]] = {name: {} for name in facets}
        for number, value, count in rows:
            if number < 0:
                total = count
                continue
            name = facets[number]
            typed = facet_value(spec.filter_fields[name], value)
            counts[name][typed] = counts[name].get(typed, 0) + count
        return total, {
            name: dict(sorted(found.items(), key=lambda kv: (-kv[1], str(kv[0]))))
            for name, found in counts.items()
        }

    def _ordered(self, entries: QuerySet, request: SearchRequest, text: str | None) -> QuerySet:
        if request.sort:
            name = request.sort.lstrip("-")
            field = F(f"filters__{name}")
            order = (
                field.desc(nulls_last=True)
                if request.sort.startswith("-")
                else field.asc(nulls_last=True)
            )
            return entries.order_by(order, "key")
        if text is not None:
            # Lower is better on both: bm25 is negative for matches, ts_rank is negated.
            if connection.vendor == "postgresql":
                score = RawSQL(
                    "-ts_rank(search_indexentry.vector, %s::tsquery)",
                    [text],
                    output_field=FloatField(),
                )
            else:
                # One join, driven by the FTS5 MATCH: bm25 of the joined row, not a lookup
                # per matching row. (Only here: for counting, SQLite would rather probe the
                # FTS5 table once per entry of the index, which is far slower.)
                entries = entries.extra(  # noqa: S610 - fixed SQL; the text is a parameter
                    tables=[FTS_TABLE],
                    where=[f"{FTS_TABLE}.rowid = search_indexentry.id", f"{FTS_TABLE} MATCH %s"],
                    params=[text],
                )
                score = RawSQL("bm25(search_indexentry_fts)", [], output_field=FloatField())
            return entries.annotate(score=score).order_by("score", "key")
        return entries.order_by("key")
