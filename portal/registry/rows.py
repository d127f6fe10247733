"""Plain SQL for the hottest paths: statements written once per connection from the models'
own table and column names, values in and out through the fields.

Building an ORM query costs several times more CPU than running it (about 0.5 ms against
0.1 ms for a one-row statement on the 2-core machine, docs/benchmarks.md). A request that
every signed-in page makes (loading the user) or that every phone sends every 15 s (a study
progress event) uses these instead. Values go in through each field's ``get_db_prep_value``
or ``get_db_prep_save`` and come out through the converters the ORM would apply, so what is
stored and read is exactly what the ORM stores and reads, on PostgreSQL and SQLite alike.
Nothing here sends a signal.
"""

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# What was written, per connection (each thread has its own) and shape of statement.
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def database():
    return connections[DEFAULT_DB_ALIAS]


def kept(db, key: tuple, build: Callable):
    """``build()``, written once for this connection and ``key``."""
    statements = _kept.setdefault(db, {})
    if key not in statements:
        statements[key] = build()
    return statements[key]


def model_fields(model: type[Model], names: Sequence[str] = ()) -> list:
    """The named fields, or every concrete field in the model's column order."""
    if not names:
        return list(model._meta.concrete_fields)
    return [model._meta.get_field(name) for name in names]


@dataclass(frozen=True)
class Reader:
    """Turns the columns of some of a model's fields into an instance, as the ORM loads it
    (the fields not read are deferred, as with ``only()``)."""

    model: type[Model]
    attnames: list[str]
    readers: list[tuple]  # per field: (its column expression, its converters)

    def instance(self, db, values: Sequence) -> Model:
        converted = []
        for (column, converters), value in zip(self.readers, values, strict=False):
            for converter in converters:
                value = converter(value, column, db)
            converted.append(value)
        return self.model.from_db(db.alias, self.attnames, converted)

    def columns(self, db, alias: str = "") -> str:
        """The fields' columns for a SELECT list, qualified with ``alias`` if given."""
        quote = db.ops.quote_name
        prefix = f"{quote(alias)}." if alias else ""
        return ", ".join(prefix + quote(column.target.column) for column, _c in self.readers)


def reader(db, model: type[Model], names: Sequence[str] = ()) -> Reader:
    table = model._meta.db_table
    readers = []
    for field in model_fields(model, names):
        column = field.get_col(table)
        readers.append((column, db.ops.get_db_converters(column) + column.get_db_converters(db)))
    return Reader(model, [column.target.attname for column, _c in readers], readers)


@dataclass(frozen=True)
class Select:
    """A SELECT of one model's rows by equal fields."""

    sql: str
    conditions: tuple
    reader: Reader

    def params(self, db, values: Iterable) -> list:
        return [
            field.get_db_prep_value(value, db)
            for field, value in zip(self.conditions, values, strict=True)
        ]


def select(
    db,
    model: type[Model],
    names: Sequence[str],
    where: Sequence[str],
    *,
    for_update: bool,
    extra: str = "",
) -> Select:
    """``SELECT <names> [extra] FROM <model> WHERE <each of where> = %s``; ``for_update``
    locks the rows where the database has row locks (SQLite takes its write lock when the
    transaction begins, ``transaction_mode`` IMMEDIATE in the settings)."""
    quote = db.ops.quote_name
    read = reader(db, model, names)
    conditions = model_fields(model, where)
    sql = "SELECT {}{} FROM {} WHERE {}".format(  # noqa: S608 - the model's quoted names
        read.columns(db),
        extra,
        quote(model._meta.db_table),
        " AND ".join(f"{quote(field.column)} = %s" for field in conditions),
    )
    if for_update and db.features.has_select_for_update:
        sql += " FOR UPDATE"
    return Select(sql, tuple(conditions), read)


def rows_select(
    model: type[Model],
    where: dict[str, object],
    *,
    names: Sequence[str] = (),
    for_update: bool = False,
) -> list[Model]:
    """Instances of ``model`` whose fields equal ``where``, loaded as the ORM loads them;
    with ``names``, only those fields (the others are deferred)."""
    db = database()
    shape = (model, tuple(names), tuple(where))
    statement = kept(
        db, ("select", *shape, for_update), lambda: select(db, *shape, for_update=for_update)
    )
    with db.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(db, where.values()))
        return [statement.reader.instance(db, row) for row in cursor.fetchall()]


# --- Writing --------------------------------------------------------------------------------


def _update(db, instance: Model, names: Iterable[str]) -> tuple[str, list]:
    meta = instance._meta
    fields = model_fields(type(instance), sorted(names))
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
    model; their ids are not read back).

    On PostgreSQL it is one statement, each statement but the last in a ``WITH``, which runs
    every one of them once. They see the same snapshot and none sees the others' effects, so
    each must touch rows the others do not."""
    db = database()
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
