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
from silvershield.core.sql import insert_instance


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
    event = AuditEvent(
        actor=actor,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        action=action,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()},
        previous_hash=previous,
    )
    event.hash = event.compute_hash()
    insert_instance(event)  # append-only: always a new row
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD} SET hash = %s WHERE id = 1", [event.hash])
    return event


_HEAD = AuditChainHead._meta.db_table


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
