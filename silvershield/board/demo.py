"""Demo data for the strike-off checklist: what a legal officer records before striking an item off.

The demo drives leads and cases through the real workflows (core/demo_data/driving.py), and since the
strike_off transitions now hold to the checklist (board/checklist.py), the driver must record, just before
each strike-off, what the checklist asks for — as an officer would. `prepare_strike_off(item, actor)`
does that through board.services (so each record has its audit event); the driver calls it right before
running "strike_off" / "case:strike_off":

    if step.name in ("strike_off", "case:strike_off"):
        from silvershield.board.demo import prepare_strike_off
        prepare_strike_off(case_or_lead, step.actor)
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from silvershield.board import services
from silvershield.board.checklist import checklist_for_case, checklist_for_lead
from silvershield.core.models import User

POLICE = "赤峰市公安局"
DEPARTMENT = "赤峰市卫生健康委员会"


@transaction.atomic
def prepare_strike_off(item, actor: User) -> None:
    """Record every missing checklist item of `item` (a lead or a case) as `actor`, dated today."""
    today = timezone.localdate()
    is_lead = item._meta.model_name == "lead"
    checklist = checklist_for_lead(item) if is_lead else checklist_for_case(item)
    for check in checklist:
        if not check.missing:
            continue
        if check.code == "reporter":
            leads = [item] if is_lead else [lead for lead in item.leads.all() if lead.reporter_is_named]
            for lead in leads:
                services.record_reporter_reply(item=lead, actor=actor, method="phone", replied_on=today,
                                               note="已电话告知举报人处理结果")
        elif check.code == "publication":
            services.record_publication(item=item, actor=actor, published_on=today, where="国家企业信用信息公示系统")
        elif check.code == "transfer":
            receiver = POLICE if getattr(item, "outcome", "") == "transferred_police" else DEPARTMENT
            services.record_transfer_receipt(item=item, actor=actor, receiver=receiver, received_on=today)
        elif check.code == "losses":
            losses = [item.loss_amount] if is_lead else [lead.loss_amount for lead in item.leads.all()]
            total = sum((x or Decimal("0") for x in losses), Decimal("0"))
            services.record_loss_recovery(item=item, actor=actor, amount=(total * Decimal("0.6")).quantize(Decimal("1")),
                                          recovered_on=today)
