"""The gates of measure 4 (把好关口): deregistration with open matters, and the first visit.

Deregistration gate: when an entity moves to deregistration (注销/吊销, by import, API or service) while
leads or cases about it are open or a fine has been decided but not executed, a `GateAlert` is raised for
the registration section (登记注册科) of the divisions it belongs to. There is no penalty-payment model
in SilverShield yet: an "unexecuted penalty" is a case decided with a fine and not yet executed.

First-visit gate: a new registration whose scope is elderly-related gets a first-visit alert (a flag on
the registry page and the alerts page) until someone records the visit or resolves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from silvershield.core.audit import record_event
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.models import AuditEvent, Role, User
from silvershield.core.queries import reachable_division_codes
from silvershield.core.services import notify
from silvershield.entities.models import AlertKind, AlertState, Entity, EntityStatus, GateAlert

DEREGISTRATION_STATES = (EntityStatus.DEREGISTERING, EntityStatus.DEREGISTERED)
# A registration this recent (or with no date) counts as new for the first-visit gate; older entities
# brought in by a first import of the registry are not flagged.
FIRST_VISIT_WINDOW_DAYS = 180

ALERT_VIEW_ROLES = frozenset(
    {Role.REGISTRATION_SECTION, Role.LEGAL_OFFICER, Role.TASK_OFFICE, Role.UNIT_HEAD, Role.LEADER}
)
ALERT_ACT_ROLES = frozenset({Role.REGISTRATION_SECTION})
OPEN_STATES = (AlertState.OPEN, AlertState.ACKNOWLEDGED)


def open_matters(entity_ids: Iterable[int]) -> dict[int, tuple[int, int, int]]:
    """{entity id: (open leads, open cases, unexecuted penalties)} for the entities with any."""
    from silvershield.cases.models import Case
    from silvershield.entities.risk import CLOSED_CASE_STATES, CLOSED_LEAD_STATES
    from silvershield.leads.models import Lead

    ids = list(set(entity_ids))
    out: dict[int, list[int]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in (
            Lead.objects.filter(party_entity_id__in=chunk).exclude(state__in=CLOSED_LEAD_STATES)
            .values("party_entity_id").annotate(n=Count("id")).order_by()
        ):
            out.setdefault(row["party_entity_id"], [0, 0, 0])[0] = row["n"]
        for row in (
            Case.objects.filter(party_entity_id__in=chunk).exclude(state__in=CLOSED_CASE_STATES)
            .values("party_entity_id").annotate(
                n=Count("id"), unpaid=Count("id", filter=Q(state="decided", fine_amount__gt=0))
            ).order_by()
        ):
            entry = out.setdefault(row["party_entity_id"], [0, 0, 0])
            entry[1], entry[2] = row["n"], row["unpaid"]
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def _registration_users(division_id: str) -> list[User]:
    return [
        u for u in User.objects.filter(role=Role.REGISTRATION_SECTION, is_active=True).select_related("unit")
        if division_id in reachable_division_codes(u)
    ]


def check_deregistration(
    entities: Iterable[Entity], *, actor: User | None, origin: str
) -> list[GateAlert]:
    """Raise a deregistration alert for each entity (now in a deregistration state) with open matters.

    Runs inside the caller's transaction; an entity that already has an open deregistration alert gets
    no second one.
    """
    assert transaction.get_connection().in_atomic_block
    entities = [e for e in entities if e.status in DEREGISTRATION_STATES]
    if not entities:
        return []
    matters = open_matters(e.pk for e in entities)
    if not matters:
        return []
    already = set(
        GateAlert.objects.filter(
            entity_id__in=list(matters), kind=AlertKind.DEREGISTRATION, state__in=OPEN_STATES
        ).values_list("entity_id", flat=True)
    )
    alerts = []
    for entity in entities:
        if entity.pk not in matters or entity.pk in already:
            continue
        leads, cases, unpaid = matters[entity.pk]
        alert = GateAlert.objects.create(
            entity=entity, kind=AlertKind.DEREGISTRATION, to_status=entity.status, open_leads=leads,
            open_cases=cases, unpaid_penalties=unpaid, origin=origin[:100],
        )
        record_event(
            subject=alert, actor=actor, action=AuditEvent.Action.CREATE,
            reason=f"{entity.name}（{entity.uscc}）进入注销程序，尚有未办结线索{leads}条、案件{cases}件、未执行罚款{unpaid}件",
            changes={"entity": (None, entity.pk), "to_status": (None, entity.status), "origin": (None, origin)},
        )
        recipients = _registration_users(entity.division_id)
        if recipients:
            notify(
                recipients=recipients, subject=alert,
                message=f"注销关口提醒：{entity.name} 尚有未办结线索{leads}条、案件{cases}件，请核查后再办理注销",
            )
        alerts.append(alert)
    return alerts


def is_new_registration(registration_date: date | None, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return registration_date is None or registration_date >= today - timedelta(days=FIRST_VISIT_WINDOW_DAYS)


def flag_first_visits(entities: Iterable[Entity], *, actor: User | None, origin: str) -> list[GateAlert]:
    """A first-visit alert for each new, elderly-related entity that has none yet (inside the caller's
    transaction)."""
    entities = [
        e for e in entities
        if e.is_elderly_related and e.status == EntityStatus.ACTIVE and is_new_registration(e.registration_date)
    ]
    if not entities:
        return []
    already = set(
        GateAlert.objects.filter(entity_id__in=[e.pk for e in entities], kind=AlertKind.FIRST_VISIT)
        .values_list("entity_id", flat=True)
    )
    alerts = []
    for entity in entities:
        if entity.pk in already:
            continue
        alert = GateAlert.objects.create(
            entity=entity, kind=AlertKind.FIRST_VISIT, origin=origin[:100],
            detail={"keywords": entity.elderly_keywords},
        )
        record_event(
            subject=alert, actor=actor, action=AuditEvent.Action.CREATE,
            reason=f"新登记涉老市场主体（{entity.elderly_keywords}），待首次走访",
            changes={"entity": (None, entity.pk), "origin": (None, origin)},
        )
        alerts.append(alert)
    return alerts


# --- reads -------------------------------------------------------------------------------------------


def alerts_visible_to(user: User) -> QuerySet[GateAlert]:
    base = GateAlert.objects.select_related("entity", "entity__division")
    if not (user.is_authenticated and user.role in ALERT_VIEW_ROLES):
        return base.none()
    return base.filter(entity__division_id__in=reachable_division_codes(user))


def open_gate_alerts(user: User) -> QuerySet[GateAlert]:
    """Open (or acknowledged, not yet resolved) gate alerts the person may see; the board counts these:
    `open_gate_alerts(user).count()`, or `.filter(kind="deregistration")` for deregistration only."""
    return alerts_visible_to(user).filter(state__in=OPEN_STATES)


def get_alert_for_user(user: User, pk: int) -> GateAlert:
    return get_object_or_404(alerts_visible_to(user), pk=pk)


# --- acting on an alert ------------------------------------------------------------------------------


def _act(alert: GateAlert, actor: User, *, to: str, sources: tuple[str, ...], note: str) -> GateAlert:
    if actor.role not in ALERT_ACT_ROLES:
        raise PermissionDenied("只有登记注册科可以处理关口提醒")
    with transaction.atomic():
        locked = GateAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.state not in sources:
            raise InvalidInput("该提醒已处理，不能重复操作", field="state")
        old = locked.state
        now = timezone.now()
        locked.state = to
        if to == AlertState.ACKNOWLEDGED:
            locked.acknowledged_by, locked.acknowledged_at = actor, now
        else:
            locked.resolved_by, locked.resolved_at, locked.resolution = actor, now, note
        locked.save()
        record_event(
            subject=locked, actor=actor, action=AuditEvent.Action.TRANSITION, transition=to,
            from_state=old, to_state=to, reason=note,
        )
    return locked


def acknowledge_alert(*, alert: GateAlert, actor: User) -> GateAlert:
    return _act(alert, actor, to=AlertState.ACKNOWLEDGED, sources=(AlertState.OPEN,), note="")


def resolve_alert(*, alert: GateAlert, actor: User, note: str) -> GateAlert:
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请写明处理结果", field="resolution")
    return _act(alert, actor, to=AlertState.RESOLVED, sources=OPEN_STATES, note=note)
