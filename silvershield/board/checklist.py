"""The strike-off checklist (销号): what must hold before the legal officer strikes an item off.

1. a result is recorded (lead: outcome and result; case: decision and execution);
2. a named reporter has been told (a ReporterReply on the lead, or on each lead of a case);
3. the penalty is published when due (a case with a fine: a Publication — 公示规定 Art. 2, 9: ordinary-
   procedure penalties are published except warnings only; the case records only the fine, so a fine is
   the sign that publication is due);
4. a transfer receipt is present (a lead transferred to another department or to the police);
5. recovered losses are entered where there were victims (losses > 0 → a LossRecovery, 0 allowed).

`missing_for_lead` / `missing_for_case` give the labels of the items that do not hold; the strike_off
transitions of leads/workflow.py and cases/workflow.py call `require_lead_checklist` /
`require_case_checklist`, which refuse with exactly those labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from silvershield.core.errors import TransitionNotAllowed


@dataclass
class CheckItem:
    code: str
    label: str  # the Chinese sentence the refusal lists
    applies: bool
    ok: bool
    detail: str = ""

    @property
    def missing(self) -> bool:
        return self.applies and not self.ok


TRANSFER_OUTCOMES = {"transferred_department", "transferred_police"}

LABELS = {
    "result": _("A result is recorded"),
    "reporter": _("The named reporter has been told the outcome"),
    "publication": _("The penalty has been published"),
    "transfer": _("The transfer receipt is present"),
    "losses": _("The recovered losses are entered"),
}

# What a refusal says is missing (Chinese literals, as domain errors are).
MISSING = {
    "result": "未记录办理结果",
    "reporter": "未答复实名举报人",
    "publication": "行政处罚信息未公示",
    "transfer": "缺少移送回执",
    "losses": "未录入挽回损失金额",
}


def _records(model, **item):
    return model.objects.filter(**item)


def checklist_for_lead(lead) -> list[CheckItem]:
    from silvershield.board.models import LossRecovery, ReporterReply, TransferReceipt

    has_result = bool(lead.outcome) and bool((lead.result or "").strip())
    replies = _records(ReporterReply, lead=lead)
    receipts = _records(TransferReceipt, lead=lead)
    recoveries = _records(LossRecovery, lead=lead)
    loss = lead.loss_amount or Decimal("0")
    return [
        CheckItem("result", str(LABELS["result"]), True, has_result,
                  lead.get_outcome_display() if has_result else ""),
        CheckItem("reporter", str(LABELS["reporter"]), bool(lead.reporter_is_named), replies.exists()),
        CheckItem("publication", str(LABELS["publication"]), False, True),
        CheckItem("transfer", str(LABELS["transfer"]), lead.outcome in TRANSFER_OUTCOMES, receipts.exists()),
        CheckItem("losses", str(LABELS["losses"]), loss > 0, recoveries.exists()),
    ]


def checklist_for_case(case) -> list[CheckItem]:
    from silvershield.board.models import LossRecovery, Publication, ReporterReply

    has_result = bool((case.decision or "").strip()) and bool((case.execution_note or "").strip())
    leads = list(case.leads.all())
    named = [lead for lead in leads if lead.reporter_is_named]
    told = set(ReporterReply.objects.filter(lead__in=named).values_list("lead_id", flat=True))
    untold = [lead for lead in named if lead.pk not in told]
    loss = sum((lead.loss_amount or Decimal("0") for lead in leads), Decimal("0"))
    return [
        CheckItem("result", str(LABELS["result"]), True, has_result),
        CheckItem("reporter", str(LABELS["reporter"]), bool(named), not untold,
                  "、".join(str(lead) for lead in untold)),
        CheckItem("publication", str(LABELS["publication"]), bool(case.fine_amount and case.fine_amount > 0),
                  _records(Publication, case=case).exists()),
        CheckItem("transfer", str(LABELS["transfer"]), False, True),
        CheckItem("losses", str(LABELS["losses"]), loss > 0, _records(LossRecovery, case=case).exists()),
    ]


def missing_for_lead(lead) -> list[str]:
    return [MISSING[item.code] for item in checklist_for_lead(lead) if item.missing]


def missing_for_case(case) -> list[str]:
    out = []
    for item in checklist_for_case(case):
        if item.missing:
            out.append(f"{MISSING[item.code]}（{item.detail}）" if item.code == "reporter" and item.detail
                       else MISSING[item.code])
    return out


def refusal_message(missing: list[str]) -> str:
    return "销号条件未满足，尚缺：" + "；".join(missing)


def require_lead_checklist(lead) -> None:
    missing = missing_for_lead(lead)
    if missing:
        raise TransitionNotAllowed(refusal_message(missing), field="checklist")


def require_case_checklist(case) -> None:
    missing = missing_for_case(case)
    if missing:
        raise TransitionNotAllowed(refusal_message(missing), field="checklist")
