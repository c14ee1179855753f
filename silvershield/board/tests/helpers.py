"""Leads and cases in each state of the board, driven through the real workflows."""

from __future__ import annotations

from datetime import date

from silvershield.cases.workflow import run_case_transition
from silvershield.core.testing import make_lead
from silvershield.leads.workflow import run_lead_transition


def lead_at(personas, org, stage: str, **fields):
    """A 红山区 lead driven to `stage` (registered … verifying, concluded, case)."""
    fields.setdefault("received_date", date(2026, 11, 2))
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer, **fields)
    steps = [
        ("register", personas.legal_officer, {}),
        ("screen", personas.task_office, {"category": "product_sales"}),
        ("dispatch", personas.task_office, {"handling_unit": org.hongshan_institute.pk,
                                            "assignees": [personas.investigator.pk, personas.investigator2.pk]}),
        ("start_verification", personas.investigator, {}),
    ]
    order = ["registered", "screened", "dispatched", "verifying"]
    upto = order.index(stage) + 1 if stage in order else len(steps)
    for name, actor, params in steps[:upto]:
        lead = run_lead_transition(lead=lead, name=name, actor=actor, params=params)
    if stage == "concluded":
        lead = run_lead_transition(lead=lead, name="conclude", actor=personas.investigator,
                                   params={"outcome": fields.pop("outcome", None) or "not_opened",
                                           "result": "经核查，未发现违法行为"})
    if stage == "case":
        lead = run_lead_transition(lead=lead, name="open_case", actor=personas.unit_head,
                                   params={"title": "康寿堂虚假宣传案"})
    return lead


def conclude(lead, personas, outcome="not_opened"):
    return run_lead_transition(lead=lead, name="conclude", actor=personas.investigator,
                               params={"outcome": outcome, "result": "经核查处理完毕"})


def close_case(case, personas, *, fine="200000"):
    walk = [
        ("start_investigation", personas.investigator, {}),
        ("submit_for_review", personas.investigator, {}),
        ("notify_party", personas.reviewer, {}),
        ("decide", personas.unit_head, {"decision": "责令停止违法行为，罚款", "fine_amount": fine}),
        ("execute", personas.investigator, {"execution_note": "罚款已缴纳"}),
        ("close", personas.unit_head, {}),
    ]
    for name, actor, params in walk:
        case = run_case_transition(case=case, name=name, actor=actor, params=params)
    return case
