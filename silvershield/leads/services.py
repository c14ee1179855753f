"""Writes to leads other than state changes: receiving a lead and correcting its registration data.

Every create and update leaves an audit event with the changed fields (issue 2, item 8).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from silvershield.core.audit import create_with_event, diff_fields, record_event, snapshot
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.identifiers import InvalidIdentifier, validate_id_number, validate_phone
from silvershield.core.models import AuditEvent, Division, OrgUnit, User
from silvershield.core.queries import division_by_code, reachable_division_codes
from silvershield.leads.models import Channel, FraudCategory, Lead, LeadState, ProductDomain
from silvershield.leads.permissions import can_edit_lead

EDITABLE_FIELDS = [
    "channel", "received_date", "sender", "category", "product_domain", "summary", "party_name",
    "party_entity", "party_address", "division", "reporter_is_named", "reporter_name", "reporter_phone",
    "reporter_id_number", "reporter_address", "reporter_relation", "approach", "informant", "sender_due_date",
    "external_ref", "victim_age", "loss_amount", "suggested_handling",
]
# Reporter fields are recorded as changed, never with their values (DOMAIN.md C.2).
_SECRET_FIELDS = {"reporter_name", "reporter_phone", "reporter_id_number", "reporter_address"}
# Derived look-up keys: never shown in the audit trail (the phone hash would identify the reporter).
_DERIVED_FIELDS = {"reporter_phone_hash", "party_key", "category_confidence"}


def _clean(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate lead fields; raises InvalidInput naming the first bad field."""
    out = dict(data)
    if "channel" in out and out["channel"] not in Channel.values:
        raise InvalidInput("来源渠道无效", field="channel")
    if out.get("category") and out["category"] not in FraudCategory.values:
        raise InvalidInput("诈骗类别无效", field="category")
    if out.get("product_domain") and out["product_domain"] not in ProductDomain.values:
        raise InvalidInput("产品领域无效", field="product_domain")
    if not partial or "summary" in out:
        if not (out.get("summary") or "").strip():
            raise InvalidInput("请填写事实摘要", field="summary")
        out["summary"] = out["summary"].strip()
    if not partial or "received_date" in out:
        received = out.get("received_date")
        if not isinstance(received, date):
            raise InvalidInput("请填写接收日期", field="received_date")
        if received > date.today():
            raise InvalidInput("接收日期不能晚于今天", field="received_date")
    if out.get("reporter_phone"):
        try:
            out["reporter_phone"] = validate_phone(out["reporter_phone"])
        except InvalidIdentifier as exc:
            raise InvalidInput(str(exc), field="reporter_phone") from exc
    if out.get("reporter_id_number"):
        try:
            out["reporter_id_number"] = validate_id_number(out["reporter_id_number"])
        except InvalidIdentifier as exc:
            raise InvalidInput(str(exc), field="reporter_id_number") from exc
    if out.get("victim_age") is not None and not (0 < int(out["victim_age"]) < 130):
        raise InvalidInput("年龄应在1至129之间", field="victim_age")
    if out.get("loss_amount") is not None:
        amount = Decimal(out["loss_amount"])
        if amount < 0 or amount >= Decimal("1e12"):
            raise InvalidInput("损失金额无效", field="loss_amount")
        out["loss_amount"] = amount
    return out


def _division_for(actor: User, code: str | None) -> Division:
    if not code:
        raise InvalidInput("请选择所属区划", field="division")
    if code not in reachable_division_codes(actor):
        raise InvalidInput("所属区划不在本局辖区", field="division")
    return division_by_code(code)


def _classify_unless_given(data: dict[str, Any]) -> None:
    """Every lead gets a category, its confidence and a product domain from the classifier unless given
    (issue 3, item 4): the classifier is loaded once per process (classifier.model.load_classifier)."""
    if data.get("category") and data.get("product_domain"):
        return
    from silvershield.leads.classifier.model import classify_text

    try:
        prediction = classify_text(text=data.get("summary") or "")
    except FileNotFoundError:  # no weights file: leave it to the officer rather than refuse the lead
        return
    if not data.get("category"):
        data["category"] = prediction.category
        data["category_confidence"] = round(prediction.category_confidence, 4)
    if not data.get("product_domain"):
        data["product_domain"] = prediction.product_domain


def _derive_lookup_keys(data: dict[str, Any]) -> None:
    """The indexed keys duplicates are found by: the phone's keyed hash and the party's core name."""
    from silvershield.entities.linking import core_name
    from silvershield.leads.lookup import phone_hash

    if "reporter_phone" in data:
        data["reporter_phone_hash"] = phone_hash(data.get("reporter_phone") or "")
    if "party_name" in data:
        data["party_key"] = core_name(data.get("party_name") or "")[:200]


def complete_lead_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Fill in what every new lead gets besides what was entered: the classifier's category, confidence
    and product domain (unless given) and the indexed duplicate keys. `create_lead` calls it; a bulk
    path that inserts lead rows itself (the 12315 import) must call it on each row's fields too."""
    _classify_unless_given(data)
    _derive_lookup_keys(data)
    return data


def create_lead(*, actor: User | None, bureau: OrgUnit | None = None, **fields: Any) -> Lead:
    """Receive a lead into `bureau`'s ledger (the actor's bureau by default) in state "received".

    `actor` is None only for the public portal and partner systems, which have no account; then
    `bureau` and a `Division` instance must be given, and the audit event has no actor.
    """
    data = _clean(fields, partial=False)
    if actor is None and (bureau is None or not isinstance(data.get("division"), Division)):
        raise InvalidInput("请选择所属区划", field="division")
    bureau = bureau or actor.bureau
    division_value = data.pop("division", None)
    division = division_value if isinstance(division_value, Division) else _division_for(actor, division_value)
    complete_lead_fields(data)
    return create_with_event(
        Lead(bureau=bureau, division=division, created_by=actor, **data), actor=actor, to_state=LeadState.RECEIVED,
        changes={
            k: (None, "***" if k in _SECRET_FIELDS else v)
            for k, v in data.items()
            if v not in ("", None) and k not in _DERIVED_FIELDS - {"category_confidence"}
        },
    )


def update_lead(*, lead: Lead, actor: User, **fields: Any) -> Lead:
    """Correct a lead's registration data; only the legal officer, and only before dispatch."""
    if not can_edit_lead(lead, actor):
        raise PermissionDenied("只有法制员可以在分派前修改线索登记信息")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput("不能修改这些字段：" + "、".join(sorted(unknown)), field=sorted(unknown)[0])
    data = _clean(fields, partial=True)
    if "division" in data and not isinstance(data["division"], Division):
        data["division"] = _division_for(actor, data["division"])
    _derive_lookup_keys(data)
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        before = snapshot(locked, list(data))
        for key, value in data.items():
            setattr(locked, key, value)
        changes = diff_fields(before, data)
        if changes:
            locked.updated_at = timezone.now()
            locked.save(update_fields=[*data.keys(), "updated_at"])
            record_event(
                subject=locked, actor=actor, action=AuditEvent.Action.UPDATE,
                changes={
                    k: ("***", "***") if k in _SECRET_FIELDS else v
                    for k, v in changes.items()
                    if k not in _DERIVED_FIELDS
                },
            )
    return locked


def reveal_reporter(*, lead: Lead, actor: User, reason: str) -> dict[str, str]:
    """Show a reporter's identity to a role that needs it, with a stated reason that is logged."""
    from silvershield.leads.permissions import can_reveal_reporter

    if not can_reveal_reporter(lead, actor):
        raise PermissionDenied("您的角色不能查看举报人身份")
    if not (reason or "").strip():
        raise InvalidInput("查看举报人身份须说明理由", field="reason")
    with transaction.atomic():
        record_event(subject=lead, actor=actor, action=AuditEvent.Action.VIEW_PERSONAL_DATA, reason=reason.strip())
    return {
        "name": lead.reporter_name,
        "phone": lead.reporter_phone,
        "id_number": lead.reporter_id_number,
        "address": lead.reporter_address,
    }
