"""Audit rows for records the seed writes in bulk, chained exactly like core.audit.record_event.

Entities, and leads and cases older than the workflow-driven demo window, are bulk-inserted (tens of
thousands to a million rows; one record_event per row would take hours). So that the rule "every create
of a lead, case or entity leaves an audit event" still holds, each bulk row gets one CREATE event stating
that it was loaded by the seed, with the state it was loaded in. The events are chained through
AuditChainHead in insertion order, so `core.audit.verify_chain` still passes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from silvershield.core.demo_data.fast_insert import assign_ids, insert_objects, reset_sequences
from silvershield.core.models import AuditChainHead, AuditEvent

IMPORT_REASON = "历史台账批量导入"


def import_event(
    *,
    subject_type: str,
    subject_id: int,
    at: datetime,
    actor_id: int | None,
    to_state: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """An unsaved CREATE event for one bulk-loaded row; append_events chains and saves it.

    The time is kept in UTC, as the database returns it, because the hash covers its ISO form.
    """
    return AuditEvent(
        at=at.astimezone(UTC),
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        action=AuditEvent.Action.CREATE,
        to_state=to_state,
        reason=IMPORT_REASON,
        changes={k: [None, v] for k, v in (changes or {}).items()},
    )


def append_events(events: list[AuditEvent]) -> None:
    """Chain `events` after the current head and insert them; runs in one transaction with the head locked."""
    if not events:
        return
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        previous = head.hash
        for event in events:
            event.previous_hash = previous
            event.hash = event.compute_hash()
            previous = event.hash
        assign_ids(AuditEvent, events)
        insert_objects(AuditEvent, events)
        AuditChainHead.objects.filter(id=1).update(hash=previous)
        reset_sequences([AuditEvent])
