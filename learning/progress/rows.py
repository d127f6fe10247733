"""The rows a progress request reads, locks and writes, in plain SQL.

A phone reports one event every 15 s while a video plays, so a one-event request is the
site's hot path. Building an ORM query costs several times more CPU than running it (docs/
benchmarks.md), so the statements of that path are written here, from the models' own table
and column names, and kept per connection once written. Values go in through each field's
``get_db_prep_value``/``get_db_prep_save`` and come out through the converters the ORM would
apply, so what is stored and read is what the ORM stores and reads, on PostgreSQL and SQLite.

Everything here runs in the caller's transaction. ``for_update`` locks the selected rows where
the database has row locks (PostgreSQL); SQLite takes its write lock when the transaction
begins (``transaction_mode`` IMMEDIATE in the settings), so it needs none.

On PostgreSQL a batch's writes go as one statement (every UPDATE but the last statement in a
``WITH``), and the ids already received are read by the statement that locks the first
progress row: see ``progress_select_for_update`` for why that read is safe there.
"""

import uuid
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from portal.models import Member

from ..models import AttentionClock, ProgressEvent, StepProgress

# Statements and converters, per connection (each thread has its own) and shape of query.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _database():
    return connections[DEFAULT_DB_ALIAS]


def _kept(db, key: tuple, build):
    kept = _prepared.setdefault(db, {})
    if key not in kept:
        kept[key] = build()
    return kept[key]


@dataclass(frozen=True)
class _Select:
    """A SELECT of some of a model's fields, with the ORM's converters for each."""

    model: type[Model]
    sql: str
    conditions: tuple
    attnames: list[str]
    readers: list[tuple]  # per field: (the column expression, its converters)

    def params(self, db, values: Iterable) -> list:
        return [
            field.get_db_prep_value(value, db)
            for field, value in zip(self.conditions, values, strict=True)
        ]

    def instance(self, db, row: Sequence) -> Model:
        values = []
        for (column, converters), value in zip(self.readers, row, strict=False):
            for converter in converters:
                value = converter(value, column, db)
            values.append(value)
        return self.model.from_db(db.alias, self.attnames, values)


def _fields(model: type[Model], names: Sequence[str]) -> list:
    if not names:
        return list(model._meta.concrete_fields)
    return [model._meta.get_field(name) for name in names]


def _select(db, model, names: tuple, where: tuple, *, for_update: bool, extra: str) -> _Select:
    quote = db.ops.quote_name
    table = model._meta.db_table
    fields, conditions = _fields(model, names), _fields(model, where)
    columns = [quote(field.column) for field in fields]
    sql = "SELECT {}{} FROM {} WHERE {}".format(  # noqa: S608 - the model's quoted names
        ", ".join(columns),
        extra,
        quote(table),
        " AND ".join(f"{quote(field.column)} = %s" for field in conditions),
    )
    if for_update and db.features.has_select_for_update:
        sql += " FOR UPDATE"
    readers = []
    for field in fields:
        column = field.get_col(table)
        readers.append((column, db.ops.get_db_converters(column) + column.get_db_converters(db)))
    attnames = [field.attname for field in fields]
    return _Select(model, sql, tuple(conditions), attnames, readers)


def rows_select(
    model: type[Model],
    where: dict[str, object],
    *,
    names: Sequence[str] = (),
    for_update: bool = False,
) -> list[Model]:
    """Instances of ``model`` whose fields equal ``where``, loaded as the ORM loads them;
    with ``names``, only those fields (the others are deferred, as with ``only()``)."""
    db = _database()
    key = ("select", model, tuple(names), tuple(where), for_update)
    select = _kept(
        db,
        key,
        lambda: _select(db, model, tuple(names), tuple(where), for_update=for_update, extra=""),
    )
    with db.cursor() as cursor:
        cursor.execute(select.sql, select.params(db, where.values()))
        return [select.instance(db, row) for row in cursor.fetchall()]


# --- Writing --------------------------------------------------------------------------------


def _update(db, instance: Model, names: Iterable[str]) -> tuple[str, list]:
    meta = instance._meta
    fields = _fields(type(instance), sorted(names))
    quote = db.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - the model's quoted names
        quote(meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(meta.pk.column),
    )
    params = [field.get_db_prep_save(getattr(instance, field.attname), db) for field in fields]
    params.append(meta.pk.get_db_prep_value(instance.pk, db))
    return sql, params


def _insert(db, instances: Sequence[Model]) -> tuple[str, list]:
    meta = instances[0]._meta
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    quote = db.ops.quote_name
    row = "({})".format(", ".join(["%s"] * len(fields)))
    sql = "INSERT INTO {} ({}) VALUES {}".format(  # noqa: S608 - the model's quoted names
        quote(meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join([row] * len(instances)),
    )
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), db)
        for instance in instances
        for field in fields
    ]
    return sql, params


def rows_write(updates: Sequence[tuple[Model, Iterable[str]]], inserts: Sequence[Model]) -> None:
    """UPDATE the named fields of each instance, then INSERT the new ``inserts`` (of one
    model; their ids are not read back). No signal is sent: none listens to these rows.

    On PostgreSQL it is one statement: each statement but the last in a ``WITH``, which runs
    them all once; the rows each touches are distinct, so their order does not matter."""
    db = _database()
    statements = [_update(db, instance, names) for instance, names in updates if names]
    if inserts:
        statements.append(_insert(db, inserts))
    if len(statements) > 1 and db.vendor == "postgresql":
        ahead = ", ".join(f"w{n} AS ({sql})" for n, (sql, _p) in enumerate(statements[:-1]))
        params = [param for _sql, statement_params in statements for param in statement_params]
        statements = [(f"WITH {ahead} {statements[-1][0]}", params)]
    with db.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


# --- The progress path's own reads ----------------------------------------------------------


def member_of_user(user_id: int) -> Member | None:
    """The user's member with only the keys a progress request needs: its own and its
    organisations' (the rest loads on first use, as with ``only()``)."""
    found = rows_select(Member, {"user": user_id}, names=("id", "origin", "host"))
    return found[0] if found else None


def clock_select_for_update(member_id: int) -> AttentionClock | None:
    found = rows_select(AttentionClock, {"member": member_id}, for_update=True)
    return found[0] if found else None


def _seen_sql(db, count: int) -> str:
    quote = db.ops.quote_name
    member = ProgressEvent._meta.get_field("member")
    event_id = ProgressEvent._meta.get_field("event_id")
    return "SELECT {id} FROM {table} WHERE {member} = %s AND {id} IN ({ids})".format(  # noqa: S608
        id=quote(event_id.column),
        table=quote(ProgressEvent._meta.db_table),
        member=quote(member.column),
        ids=", ".join(["%s"] * count),
    )


def _seen_params(db, member_id: int, event_ids: Sequence[uuid.UUID]) -> list:
    field = ProgressEvent._meta.get_field("event_id")
    return [member_id, *(field.get_db_prep_value(value, db) for value in event_ids)]


def _uuids(values) -> set[uuid.UUID]:
    field = ProgressEvent._meta.get_field("event_id")
    return {field.to_python(value) for value in values}


def events_seen(member_id: int, event_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of the ids the member's client has sent before."""
    if not event_ids:
        return set()
    db = _database()
    sql = _kept(db, ("seen", len(event_ids)), lambda: _seen_sql(db, len(event_ids)))
    with db.cursor() as cursor:
        cursor.execute(sql, _seen_params(db, member_id, event_ids))
        return _uuids(row[0] for row in cursor.fetchall())


def progress_select_for_update(
    member_id: int, step_id: int, *, seen_among: Sequence[uuid.UUID] = ()
) -> tuple[StepProgress | None, set[uuid.UUID] | None]:
    """The member's progress row on the step, locked; and, on PostgreSQL when ``seen_among``
    is given and the row exists, which of those event ids the member sent before (else None).

    Reading the ids in this statement is safe because the caller holds the member's clock:
    every event is stored under that lock, so the events of any batch before this one are
    committed when the statement starts, and waiting for the progress row (held by a quiz,
    a reading note or an attendance, which store no events) cannot hide one."""
    db = _database()
    merge = bool(seen_among) and db.vendor == "postgresql"
    count = len(seen_among) if merge else 0
    select = _kept(
        db,
        ("progress", count),
        lambda: _select(
            db,
            StepProgress,
            (),
            ("member", "step"),
            for_update=True,
            extra=f", ARRAY({_seen_sql(db, count)})" if merge else "",
        ),
    )
    params = select.params(db, (member_id, step_id))
    if merge:
        params = _seen_params(db, member_id, seen_among) + params
    with db.cursor() as cursor:
        cursor.execute(select.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    return select.instance(db, row), (_uuids(row[-1]) if merge else None)
