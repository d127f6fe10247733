"""The rows a progress request reads, locks and writes, in plain SQL
(``portal.registry.rows``).

A phone reports one event every 15 s while a video plays, so a one-event request is the
site's hot path; building its statements with the ORM cost most of its CPU.

Everything here runs in the caller's transaction. On PostgreSQL the ids already received are
read by the statement that locks the first progress row (``progress_select_for_update`` says
why that is safe), and a batch's writes go as one statement
(``portal.registry.rows.rows_write``).
"""

import uuid
from collections.abc import Sequence

from portal.registry.rows import database, kept, rows_select, select

from ..models import AttentionClock, ProgressEvent, StepProgress


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
    db = database()
    sql = kept(db, ("learning-seen", len(event_ids)), lambda: _seen_sql(db, len(event_ids)))
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
    db = database()
    merge = bool(seen_among) and db.vendor == "postgresql"
    count = len(seen_among) if merge else 0
    extra = f", ARRAY({_seen_sql(db, count)})" if merge else ""
    statement = kept(
        db,
        ("learning-progress", count),
        lambda: select(db, StepProgress, (), ("member", "step"), for_update=True, extra=extra),
    )
    params = statement.params(db, (member_id, step_id))
    if merge:
        params = _seen_params(db, member_id, seen_among) + params
    with db.cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    return statement.reader.instance(db, row), (_uuids(row[-1]) if merge else None)
