"""Appending to the audit history (DESIGN.md section 5, "Audit").

`record_event` is the one way rows get into AuditEvent. It must run inside the transaction of the change
it records, so a change and its event commit or roll back together.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction

from silvershield.core.models import AuditChainHead, AuditEvent, User
from silvershield.core.sql import insert_instance, insert_statement, inserted, prepared_cursor


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def record_event(
    *,
    subject: models.Model,
    actor: User | None,
    action: str,
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event about `subject`, chained to the previous row's hash."""
    assert transaction.get_connection().in_atomic_block, "record_event must run inside the change's transaction"
    previous = _lock_chain_head()
    event = _event(subject, actor, action, transition, from_state, to_state, reason, changes)
    event.previous_hash = previous
    event.hash = event.compute_hash()
    insert_instance(event)  # append-only: always a new row
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD} SET hash = %s WHERE id = 1", [event.hash])
    return event


def _event(
    subject: models.Model, actor: User | None, action: str, transition: str, from_state: str, to_state: str,
    reason: str, changes: dict[str, Any] | None,
) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        action=action,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()},
    )


def create_with_event(
    obj: models.Model,
    *,
    actor: User | None,
    to_state: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> models.Model:
    """INSERT a new row and the CREATE event recording it, chained, both or neither.

    On PostgreSQL this is one statement: the chain head locked, the row, the event with its hash computed
    by the database (SHA-256 of exactly the text `AuditEvent.compute_hash` hashes) and the head moved on.
    Outside a transaction it commits by itself, so receiving a lead costs one round trip instead of six
    (BEGIN, the row, the head, the event, the head again, COMMIT). The row is selected from the locked
    head, so without a head row (a new database) nothing is written: the head is made and it runs again.
    Elsewhere (SQLite): `insert_instance` and `record_event` in a transaction."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            insert_instance(obj)
            record_event(subject=obj, actor=actor, action=AuditEvent.Action.CREATE, to_state=to_state,
                         reason=reason, changes=changes)
        return obj
    row_sql, row_params, _returning = insert_statement(obj, select_from="head")
    event = _event(obj, actor, AuditEvent.Action.CREATE, "", "", to_state, reason, changes)
    before_id, after_id = event.hash_text_around_subject()
    event_sql, event_params, _returning = insert_statement(
        event, select_from="subject, head", computed=_CHAINED, returning="id, subject_id, previous_hash, hash"
    )
    statement = (
        f"WITH head AS (SELECT hash FROM {_HEAD} WHERE id = 1 FOR UPDATE), subject AS ({row_sql}), "
        f"event AS ({event_sql}) "
        f"UPDATE {_HEAD} AS h SET hash = event.hash FROM event WHERE h.id = 1 "
        "RETURNING event.subject_id, event.id, event.previous_hash, event.hash"
    )
    with prepared_cursor() as cursor:
        cursor.execute(statement, [*row_params, *event_params, before_id, after_id])
        row = cursor.fetchone()
        if row is None:  # no chain head yet: nothing was written
            AuditChainHead.objects.get_or_create(id=1)
            cursor.execute(statement, [*row_params, *event_params, before_id, after_id])
            row = cursor.fetchone()
    subject_id, event.pk, event.previous_hash, event.hash = row
    inserted(obj, subject_id)
    event.subject_id = subject_id
    inserted(event, event.pk)
    return obj


_HEAD = AuditChainHead._meta.db_table
# The event's chained columns in create_with_event: its subject is the CTE `subject`, its predecessor the
# locked head; the two parameters are the hashed text before and after the subject's id.
_CHAINED = {
    "subject_id": "subject.id",
    "previous_hash": "head.hash",
    "hash": "encode(sha256(convert_to('[\"' || head.hash || '\", ' || %s || ', ' || subject.id || ', ' || %s, "
    "'UTF8')), 'hex')",
}


def _lock_chain_head() -> str:
    """The chain's last hash, with the head row locked until the transaction ends (every writer queues
    here, so the chain has one order). Plain SQL: it runs in every change of state."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite locks the database
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT hash FROM {_HEAD} WHERE id = 1{lock}", [])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    return head.hash


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs, as {field: (old, new)}."""
    return {k: (before.get(k), v) for k, v in after.items() if _plain(before.get(k)) != _plain(v)}


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def events_for(subject: models.Model):
    return (
        AuditEvent.objects.filter(subject_type=subject._meta.label_lower, subject_id=subject.pk)
        .select_related("actor")
        .order_by("at", "id")
    )


def verify_chain() -> tuple[bool, int | None]:
    """Walk the whole chain; return (intact, id of the first bad row)."""
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous or event.compute_hash() != event.hash:
            return False, event.pk
        previous = event.hash
    return True, None
