"""Writes to the entity registry: register or correct an entity, each leaving an audit event."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from silvershield.core.audit import diff_fields, record_event, snapshot
from silvershield.core.errors import InvalidInput
from silvershield.core.identifiers import InvalidIdentifier, validate_phone, validate_uscc
from silvershield.core.models import AuditEvent, Division, User
from silvershield.entities.models import Entity, EntityStatus

FIELDS = [
    "uscc", "name", "legal_representative", "address", "phone", "division", "business_scope", "status",
    "registration_date", "is_elderly_related",
]


def pinyin_initials(name: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if p).lower()[:100]


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


def create_entity(*, actor: User | None, **fields: Any) -> Entity:
    data = _clean(fields, partial=False)
    data["name_initials"] = pinyin_initials(data["name"])
    try:
        with transaction.atomic():
            entity = Entity.objects.create(**data)
            record_event(
                subject=entity, actor=actor, action=AuditEvent.Action.CREATE,
                changes={k: (None, v) for k, v in data.items() if v not in ("", None)},
            )
    except IntegrityError as exc:
        raise InvalidInput("该统一社会信用代码已登记", field="uscc") from exc
    return entity


def update_entity(*, entity: Entity, actor: User | None, **fields: Any) -> Entity:
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
                locked.updated_at = timezone.now()
                locked.save()
                record_event(subject=locked, actor=actor, action=AuditEvent.Action.UPDATE, changes=changes)
    except IntegrityError as exc:
        raise InvalidInput("该统一社会信用代码已登记", field="uscc") from exc
    return locked
