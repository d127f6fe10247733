"""The rows a progress request reads, locks and writes, in plain SQL
(``portal.registry.rows``).

A phone reports one event every 15 s while a video plays, so a one-event request is the
site's hot path; building its statements with the ORM cost most of its CPU.

Everything here runs in the caller's transaction. On PostgreSQL one statement locks the clock
and the first progress row and reads the ids already received (``clock_and_progress_locked``
says when that read can be stale and what catches it), and a batch's writes go as one
statement (``portal.registry.rows.rows_write``).
"""

import uuid
from collections.abc import Sequence

from portal.registry.rows import database, kept, reader, rows_select, select

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


def _clock_and_progress_sql(db, count: int):
    quote = db.ops.quote_name
    clock, progress = reader(db, AttentionClock), reader(db, StepProgress)
    shape = (
        "SELECT {}, {}, ARRAY({}) FROM {} c, {} p"
        " WHERE c.{} = %s AND p.{} = %s AND p.{} = %s FOR UPDATE OF c, p"
    )
    sql = shape.format(  # noqa: S608 - the models' quoted names
        clock.columns(db, "c"),
        progress.columns(db, "p"),
        _seen_sql(db, count),
        quote(AttentionClock._meta.db_table),
        quote(StepProgress._meta.db_table),
        quote(AttentionClock._meta.get_field("member").column),
        quote(StepProgress._meta.get_field("member").column),
        quote(StepProgress._meta.get_field("step").column),
    )
    return sql, clock, progress


def clock_and_progress_locked(
    member_id: int, step_id: int, event_ids: Sequence[uuid.UUID]
) -> tuple[AttentionClock, StepProgress, set[uuid.UUID]] | None:
    """On PostgreSQL, when both rows exist: the member's clock and progress row on the step,
    locked in that order (``FOR UPDATE OF`` locks the tables in the order it names them), and
    which of ``event_ids`` the member sent before. Else None: the caller locks them one by one.

    The ids are read with the statement's snapshot, taken before the locks. If the statement
    waited for the clock, a batch committed meanwhile may hold one of them, and it is missed;
    storing that event again then breaks the unique constraint on (member, event id), and the
    caller runs the batch again with the clock locked first (``progress_events_record``)."""
    db = database()
    if db.vendor != "postgresql" or not event_ids:
        return None
    count = len(event_ids)
    sql, clock, progress = kept(
        db, ("learning-clock-progress", count), lambda: _clock_and_progress_sql(db, count)
    )
    member = StepProgress._meta.get_field("member")
    params = _seen_params(db, member_id, event_ids) + [
        AttentionClock._meta.pk.get_db_prep_value(member_id, db),
        member.get_db_prep_value(member_id, db),
        StepProgress._meta.get_field("step").get_db_prep_value(step_id, db),
    ]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(clock.attnames)
    end = split + len(progress.attnames)
    return (
        clock.instance(db, row[:split]),
        progress.instance(db, row[split:end]),
        _uuids(row[-1]),
    )
