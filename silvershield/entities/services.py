"""Writes to the entity registry: register or correct an entity, keep the hazard ledger, record
inspections — each leaving an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from silvershield.core.audit import diff_fields, record_event, snapshot
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.identifiers import InvalidIdentifier, validate_phone, validate_uscc
from silvershield.core.models import AuditEvent, Division, User
from silvershield.entities.detection import Detector
from silvershield.entities.models import (
    CreditStatus,
    Entity,
    EntityStatus,
    HazardItem,
    HazardSource,
    HazardStatus,
    Inspection,
    InspectionOfficer,
    InspectionResult,
)

FIELDS = [
    "uscc", "name", "legal_representative", "address", "phone", "division", "business_scope", "status",
    "registration_date", "is_elderly_related", "credit_status",
]


def pinyin_initials(name: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if p).lower()[:100]


class _Initials(dict):
    """Pinyin initial by character, looked up once (pypinyin per whole name is 0.2 ms: 200 s for 10^6)."""

    def __missing__(self, ch: str) -> str:
        letters = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
        initial = self[ch] = letters[0][:1].lower() if letters else ""
        return initial


_initials = _Initials()


def char_initials(text: str) -> str:
    """Pinyin initials character by character (no phrase readings): what the import stores for every name
    and what entity linking compares core names by, so both sides agree."""
    return "".join(map(_initials.__getitem__, text))[:100]


def _clean(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out = dict(data)
    if not partial or "uscc" in out:
        try:
            out["uscc"] = validate_uscc(out.get("uscc") or "")
        except InvalidIdentifier as exc:
            raise InvalidInput(str(exc), field="uscc") from exc
    if not partial or "name" in out:
        out["name"] = (out.get("name") or "").strip()
        if not out["name"]:
            raise InvalidInput("请填写名称", field="name")
    if out.get("phone"):
        try:
            out["phone"] = validate_phone(out["phone"])
        except InvalidIdentifier as exc:
            raise InvalidInput(str(exc), field="phone") from exc
    if out.get("registration_date") and not hasattr(out["registration_date"], "year"):
        out["registration_date"] = _date(out["registration_date"], "registration_date", required=False)
    if "credit_status" in out and (out["credit_status"] or "") not in CreditStatus.values:
        raise InvalidInput("信用名单状态无效", field="credit_status")
    if "status" in out and out["status"] not in EntityStatus.values:
        raise InvalidInput("经营状态无效", field="status")
    if not partial or "division" in out:
        division = out.get("division")
        if not isinstance(division, Division):
            division = Division.objects.filter(code=division or "").first()
            if division is None:
                raise InvalidInput("行政区划代码无效", field="division")
        out["division"] = division
    return out


def _detect(entity: Entity, *, explicit_flag: bool | None) -> None:
    """Elderly-related detection from name and scope (entities.detection); an explicit flag wins."""
    found = Detector().detect(entity.name, entity.business_scope)
    entity.elderly_category = found.category
    entity.elderly_reasons = found.reasons
    entity.elderly_keywords = found.reason_text[:300]
    entity.is_elderly_related = found.elderly if explicit_flag is None else explicit_flag


def create_entity(*, actor: User | None, origin: str = "登记", **fields: Any) -> Entity:
    """Register an entity; a new elderly-related registration is flagged for a first visit."""
    from silvershield.entities.gates import check_deregistration, flag_first_visits
    from silvershield.entities.risk import recompute_risk

    explicit = fields.pop("is_elderly_related", None)
    data = _clean(fields, partial=False)
    data["name_initials"] = pinyin_initials(data["name"])
    try:
        with transaction.atomic():
            entity = Entity(**data)
            _detect(entity, explicit_flag=explicit)
            entity.save()
            data["is_elderly_related"] = entity.is_elderly_related
            record_event(
                subject=entity, actor=actor, action=AuditEvent.Action.CREATE,
                changes={k: (None, v) for k, v in data.items() if v not in ("", None)},
            )
            flag_first_visits([entity], actor=actor, origin=origin)
            check_deregistration([entity], actor=actor, origin=origin)
            recompute_risk([entity.pk])
    except IntegrityError as exc:
        raise InvalidInput("该统一社会信用代码已登记", field="uscc") from exc
    entity.refresh_from_db()
    return entity


def update_entity(*, entity: Entity, actor: User | None, origin: str = "更正登记信息", **fields: Any) -> Entity:
    """Correct an entity. A move to deregistration passes the deregistration gate (entities.gates)."""
    from silvershield.entities.gates import check_deregistration
    from silvershield.entities.risk import recompute_risk

    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise InvalidInput("不能修改这些字段：" + "、".join(sorted(unknown)), field=sorted(unknown)[0])
    data = _clean(fields, partial=True)
    if "name" in data:
        data["name_initials"] = pinyin_initials(data["name"])
    try:
        with transaction.atomic():
            locked = Entity.objects.select_for_update().get(pk=entity.pk)
            before = snapshot(locked, list(data))
            for key, value in data.items():
                setattr(locked, key, value)
            changes = diff_fields(before, data)
            if changes:
                if {"name", "business_scope"} & set(changes) or "is_elderly_related" in data:
                    _detect(locked, explicit_flag=data.get("is_elderly_related"))
                locked.updated_at = timezone.now()
                locked.save()
                record_event(subject=locked, actor=actor, action=AuditEvent.Action.UPDATE, changes=changes)
                if "status" in changes:
                    check_deregistration([locked], actor=actor, origin=origin)
                recompute_risk([locked.pk])
    except IntegrityError as exc:
        raise InvalidInput("该统一社会信用代码已登记", field="uscc") from exc
    return locked


# --- the risk and hazard ledger, inspections ----------------------------------------------------------


def _date(value: Any, field: str, *, required: bool) -> Any:
    from datetime import date

    if value in (None, ""):
        if required:
            raise InvalidInput("请填写日期", field=field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidInput("日期格式应为 YYYY-MM-DD", field=field) from exc


def _enter_hazard(
    *, entity: Entity, actor: User | None, description: str, found: Any, source: str, owner: User | None,
    due: Any,
) -> HazardItem:
    """The row and its audit event, inside the caller's transaction (risk recomputed by the caller)."""
    item = HazardItem.objects.create(
        entity=entity, description=description, found_on=found, source=source, owner=owner, due_on=due,
        created_by=actor,
    )
    record_event(
        subject=item, actor=actor, action=AuditEvent.Action.CREATE,
        changes={"entity": (None, entity.pk), "description": (None, description), "found_on": (None, found),
                 "source": (None, source), "owner": (None, owner), "due_on": (None, due)},
    )
    return item


def add_hazard(
    *, entity: Entity, actor: User | None, description: str, found_on: Any, source: str,
    owner: User | None = None, due_on: Any = None,
) -> HazardItem:
    """Enter a hazard in the entity's risk and hazard ledger (风险隐患台账)."""
    from silvershield.entities.risk import recompute_risk

    description = (description or "").strip()
    if not description:
        raise InvalidInput("请描述风险隐患", field="description")
    if source not in HazardSource.values:
        raise InvalidInput("来源无效", field="source")
    found = _date(found_on, "found_on", required=True)
    due = _date(due_on, "due_on", required=False)
    if due is not None and due < found:
        raise InvalidInput("整改期限不能早于发现日期", field="due_on")
    with transaction.atomic():
        item = _enter_hazard(
            entity=entity, actor=actor, description=description, found=found, source=source, owner=owner,
            due=due,
        )
        recompute_risk([entity.pk])
    return item


def update_hazard(
    *, item: HazardItem, actor: User | None, status: str | None = None, due_on: Any = "-",
    done_on: Any = "-", owner: Any = "-",
) -> HazardItem:
    """Change rectification status and dates or the owner; rectified needs the date it was done."""
    from silvershield.entities.risk import recompute_risk

    with transaction.atomic():
        locked = HazardItem.objects.select_for_update().get(pk=item.pk)
        before = snapshot(locked, ["status", "due_on", "done_on", "owner"])
        if status is not None:
            if status not in HazardStatus.values:
                raise InvalidInput("整改状态无效", field="status")
            locked.status = status
        if due_on != "-":
            locked.due_on = _date(due_on, "due_on", required=False)
        if done_on != "-":
            locked.done_on = _date(done_on, "done_on", required=False)
        if owner != "-":
            locked.owner = owner
        if locked.status == HazardStatus.RECTIFIED and locked.done_on is None:
            raise InvalidInput("已整改须填写整改完成日期", field="done_on")
        if locked.done_on is not None and locked.done_on < locked.found_on:
            raise InvalidInput("整改完成日期不能早于发现日期", field="done_on")
        changes = diff_fields(before, snapshot(locked, ["status", "due_on", "done_on", "owner"]))
        if changes:
            locked.save()
            record_event(subject=locked, actor=actor, action=AuditEvent.Action.UPDATE, changes=changes)
            recompute_risk([locked.entity_id])
    return locked


def record_inspection(
    *, entity: Entity, actor: User | None, inspected_on: Any, result: str, note: str = "",
    officers: Sequence[User] | None = None, hazards: Sequence[str] = (), rectify_by: Any = None,
) -> Inspection:
    """Record an inspection (or the first visit) of `entity`, all or nothing.

    The officers (default: the actor alone) must be active officers in an inspecting role whose bureau's
    jurisdiction covers the entity; they are kept in the order given, and the first of them is the leading
    inspector. The audit event lists them too. Problems found need their
    description (`note`). Each line of `hazards` becomes an item of the risk and hazard ledger (found
    through inspection, on the inspection date, owned by the leading inspector, to be rectified by
    `rectify_by`). The entity's open first-visit flag is resolved and names this inspection. Inspection
    results and open hazards are inputs of the risk score, which is recomputed.
    """
    from silvershield.entities.inspections import can_record_inspection, inspecting_officers
    from silvershield.entities.models import AlertKind, AlertState, GateAlert
    from silvershield.entities.risk import recompute_risk

    if actor is not None and not can_record_inspection(actor, entity):
        raise PermissionDenied("只有辖区内的执法人员、单位负责人或登记注册科可以登记检查")
    if result not in InspectionResult.values:
        raise InvalidInput("请选择检查结果", field="result")
    on = _date(inspected_on, "inspected_on", required=True)
    if on > timezone.localdate():
        raise InvalidInput("检查日期不能晚于今天", field="inspected_on")
    people = list(officers) if officers is not None else ([actor] if actor is not None else [])
    if not people:
        raise InvalidInput("请选择检查人员", field="officers")
    if len({p.pk for p in people}) != len(people):
        raise InvalidInput("检查人员重复", field="officers")
    if actor is not None:
        allowed = set(inspecting_officers(entity=entity, among=actor).values_list("pk", flat=True))
        for person in people:
            if person.pk not in allowed:
                message = f"{person.display_name}不是辖区覆盖该主体的在职执法人员，不能列为检查人员"
                raise InvalidInput(message, field="officers")
    note = (note or "").strip()
    if result != InspectionResult.OK and not note:
        raise InvalidInput("检查发现问题的，请写明发现的问题", field="note")
    found = [line.strip() for line in hazards if line and line.strip()]
    if found and result == InspectionResult.OK:
        raise InvalidInput("检查结果为“未发现问题”，不能同时登记风险隐患", field="hazards")
    due = _date(rectify_by, "rectify_by", required=False)
    if due is not None and not found:
        raise InvalidInput("未填写发现的风险隐患，无需整改期限", field="rectify_by")
    if due is not None and due < on:
        raise InvalidInput("整改期限不能早于检查日期", field="rectify_by")
    with transaction.atomic():
        inspection = Inspection.objects.create(
            entity=entity, inspected_on=on, result=result, note=note, inspector=people[0]
        )
        InspectionOfficer.objects.bulk_create(
            InspectionOfficer(inspection=inspection, officer=person, position=n)
            for n, person in enumerate(people)
        )
        items = [
            _enter_hazard(
                entity=entity, actor=actor, description=text, found=on, source=HazardSource.INSPECTION,
                owner=people[0], due=due,
            )
            for text in found
        ]
        record_event(
            subject=inspection, actor=actor, action=AuditEvent.Action.CREATE,
            changes={"entity": (None, entity.pk), "inspected_on": (None, on), "result": (None, result),
                     "note": (None, note), "officers": (None, [p.pk for p in people]),
                     "hazards": (None, [i.pk for i in items]), "rectify_by": (None, due)},
        )
        for alert in GateAlert.objects.select_for_update().filter(
            entity=entity, kind=AlertKind.FIRST_VISIT, state__in=(AlertState.OPEN, AlertState.ACKNOWLEDGED)
        ):
            old = alert.state
            alert.state, alert.resolved_by, alert.resolved_at = AlertState.RESOLVED, actor, timezone.now()
            alert.resolution = f"已于{on:%Y-%m-%d}首次走访"
            alert.detail = {**(alert.detail or {}), "inspection": inspection.pk}
            alert.save()
            record_event(
                subject=alert, actor=actor, action=AuditEvent.Action.TRANSITION, transition="resolved",
                from_state=old, to_state=AlertState.RESOLVED, reason=alert.resolution,
                changes={"inspection": (None, inspection.pk)},
            )
        recompute_risk([entity.pk])
    return inspection
