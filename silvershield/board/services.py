"""Writes of the board app: the records a strike-off needs. Keyword-only, atomic, audited on the item.

Each record is an audit event on the lead or case it belongs to (so the item's timeline and progress
sheet show it), in the same transaction as the row.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from silvershield.board.models import LossRecovery, Publication, ReplyMethod, ReporterReply, TransferReceipt
from silvershield.cases.models import Case
from silvershield.core.audit import record_event
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.models import AuditEvent, Role, User
from silvershield.leads.models import Lead

# Who records what the strike-off needs: the legal officer (who also replies to reporters), and the
# unit head or investigators for the items of their unit.
RECORDING_ROLES = frozenset({Role.LEGAL_OFFICER, Role.UNIT_HEAD, Role.INVESTIGATOR})


def _subject(item: Lead | Case) -> dict[str, Any]:
    return {"lead": item} if isinstance(item, Lead) else {"case": item}


def _require(actor: User) -> None:
    if actor.role not in RECORDING_ROLES:
        raise PermissionDenied("只有法制员、承办单位负责人或办案人员可以登记销号材料")


def _day(value: Any, field: str) -> date:
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError as exc:
            raise InvalidInput("请填写有效日期（年-月-日）", field=field) from exc
    if day > timezone.localdate():
        raise InvalidInput("日期不能晚于今天", field=field)
    return day


def _text(value: Any, field: str, message: str, max_length: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    if len(text) > max_length:
        raise InvalidInput(f"不能超过{max_length}字", field=field)
    return text


def _audit(item: Lead | Case, actor: User, label: str, summary: str) -> None:
    record_event(subject=item, actor=actor, action=AuditEvent.Action.UPDATE, changes={label: [None, summary]})


@transaction.atomic
def record_reporter_reply(*, item: Lead | Case, actor: User, method: str, replied_on: Any, note: str = "") -> ReporterReply:
    _require(actor)
    if not isinstance(item, Lead):
        raise InvalidInput("答复记录在线索上", field="method")
    if not item.reporter_is_named:
        raise InvalidInput("该线索没有实名举报人，无需答复", field="method")
    if method not in ReplyMethod.values:
        raise InvalidInput("请选择答复方式", field="method")
    day = _day(replied_on, "replied_on")
    reply = ReporterReply.objects.create(
        lead=item, method=method, replied_on=day, note=str(note or "").strip()[:2000], recorded_by=actor
    )
    _audit(item, actor, "答复举报人", f"{ReplyMethod(method).label} {day.isoformat()}")
    return reply


@transaction.atomic
def record_publication(*, item: Case, actor: User, published_on: Any, where: str, reference: str = "") -> Publication:
    _require(actor)
    if not isinstance(item, Case):
        raise InvalidInput("行政处罚信息公示登记在案件上", field="published_on")
    if item.decided_at is None:
        raise InvalidInput("案件尚未作出处罚决定，无需公示", field="published_on")
    day = _day(published_on, "published_on")
    if day < timezone.localdate(item.decided_at):
        raise InvalidInput("公示日期不能早于处罚决定日期", field="published_on")
    where = _text(where, "where", "请填写公示平台", 200)
    publication = Publication.objects.create(
        case=item, published_on=day, where=where, reference=str(reference or "").strip()[:300], recorded_by=actor
    )
    _audit(item, actor, "处罚信息公示", f"{where} {day.isoformat()}")
    return publication


@transaction.atomic
def record_transfer_receipt(
    *, item: Lead | Case, actor: User, receiver: str, received_on: Any, document_number: str = ""
) -> TransferReceipt:
    _require(actor)
    receiver = _text(receiver, "receiver", "请填写接收单位", 200)
    day = _day(received_on, "received_on")
    receipt = TransferReceipt.objects.create(
        **_subject(item), receiver=receiver, received_on=day,
        document_number=str(document_number or "").strip()[:100], recorded_by=actor,
    )
    _audit(item, actor, "移送回执", f"{receiver} {day.isoformat()} {receipt.document_number}".strip())
    return receipt


@transaction.atomic
def record_loss_recovery(
    *, item: Lead | Case, actor: User, amount: Any, recovered_on: Any, victims: Any = None, note: str = ""
) -> LossRecovery:
    _require(actor)
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except (InvalidOperation, AttributeError) as exc:
        raise InvalidInput("挽回损失金额应为数字（无挽回请填 0）", field="amount") from exc
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise InvalidInput("挽回损失金额无效", field="amount")
    count = None
    if victims not in (None, ""):
        try:
            count = int(victims)
        except (TypeError, ValueError) as exc:
            raise InvalidInput("受害人数应为整数", field="victims") from exc
        if count < 0:
            raise InvalidInput("受害人数无效", field="victims")
    day = _day(recovered_on, "recovered_on")
    recovery = LossRecovery.objects.create(
        **_subject(item), amount=value.quantize(Decimal("0.01")), victims=count, recovered_on=day,
        note=str(note or "").strip()[:2000], recorded_by=actor,
    )
    _audit(item, actor, "挽回损失", f"¥{recovery.amount} {day.isoformat()}")
    return recovery
