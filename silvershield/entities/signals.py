"""Keeping risk tiers current: when a lead, case or ad finding about an entity is created or changes,
the entity's risk is recomputed once, after the transaction commits.

Workflows change states with a compare-and-swap UPDATE (no post_save), but every change of a lead or
case leaves an AuditEvent (core/audit.py). So the trigger is the saved AuditEvent, plus post_save of the
models themselves for writes that leave none. Entity ids are gathered per transaction and recomputed in
one `recompute_risk` call on commit, so a workflow step with several writes costs one recomputation.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction

logger = logging.getLogger(__name__)
_pending = threading.local()

WATCHED = {"leads.lead", "cases.case", "ads.finding"}


def _entity_of(subject_type: str, subject_id: int) -> int | None:
    if subject_type == "leads.lead":
        from silvershield.leads.models import Lead

        return Lead.objects.filter(pk=subject_id).values_list("party_entity_id", flat=True).first()
    if subject_type == "cases.case":
        from silvershield.cases.models import Case

        return Case.objects.filter(pk=subject_id).values_list("party_entity_id", flat=True).first()
    if subject_type == "ads.finding":
        from silvershield.ads.models import Finding

        return Finding.objects.filter(pk=subject_id).values_list("ad__advertiser_entity_id", flat=True).first()
    return None


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    _pending.ids = None
    if not ids:
        return
    from silvershield.entities.risk import recompute_risk

    try:
        recompute_risk(ids)
    except Exception:  # a derived figure must never break the officer's own work
        logger.exception("risk recomputation failed for entities %s", sorted(ids))


def schedule(entity_ids) -> None:
    ids = {int(i) for i in entity_ids if i}
    if not ids:
        return
    current = getattr(_pending, "ids", None)
    if current is None:
        current = _pending.ids = set()
    current.update(ids)
    connection = transaction.get_connection()
    # One callback per transaction; a rolled-back transaction drops its callbacks, so look, don't remember.
    if not any(entry[1] is _flush for entry in connection.run_on_commit):
        transaction.on_commit(_flush)


def on_audit_event(sender, instance, created, **kwargs) -> None:
    if not created or instance.subject_type not in WATCHED:
        return
    if instance.action == "create":  # the subject's own post_save has scheduled its entity already
        return
    ids = {_entity_of(instance.subject_type, instance.subject_id)}
    moved = (instance.changes or {}).get("party_entity")
    if isinstance(moved, list):
        ids.update(v for v in moved if isinstance(v, int))
    schedule(ids)


def on_lead_or_case_saved(sender, instance, **kwargs) -> None:
    schedule([getattr(instance, "party_entity_id", None)])


def on_finding_saved(sender, instance, **kwargs) -> None:
    schedule([_entity_of("ads.finding", instance.pk)])


def connect() -> None:
    from django.db.models.signals import post_save

    from silvershield.ads.models import Finding
    from silvershield.cases.models import Case
    from silvershield.core.models import AuditEvent
    from silvershield.leads.models import Lead

    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="entities-risk-audit")
    post_save.connect(on_lead_or_case_saved, sender=Lead, dispatch_uid="entities-risk-lead")
    post_save.connect(on_lead_or_case_saved, sender=Case, dispatch_uid="entities-risk-case")
    post_save.connect(on_finding_saved, sender=Finding, dispatch_uid="entities-risk-finding")
