"""The progress sheet (案件查办进度表) of one item, built from the item and its audit events.

Number, party, channel, officers, dispatch date, deadline, the steps done with their dates (every state
change and every strike-off record in the audit history), the next step and the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from silvershield.cases.models import Case, CaseState
from silvershield.cases.workflow import CASE_TRANSITIONS
from silvershield.core.audit import events_for
from silvershield.core.models import AuditEvent
from silvershield.leads.models import Lead, LeadState
from silvershield.leads.workflow import LEAD_TRANSITIONS

NEXT_LEAD = {
    LeadState.RECEIVED: "register", LeadState.REGISTERED: "screen", LeadState.SCREENED: "dispatch",
    LeadState.DISPATCHED: "start_verification", LeadState.VERIFYING: "conclude", LeadState.CONCLUDED: "strike_off",
}
NEXT_CASE = {
    CaseState.OPENED: "start_investigation", CaseState.INVESTIGATING: "submit_for_review",
    CaseState.IN_REVIEW: "notify_party", CaseState.DELIBERATION: "notify_party", CaseState.NOTIFIED: "decide",
    CaseState.DECIDED: "execute", CaseState.EXECUTED: "close", CaseState.CLOSED: "strike_off",
    CaseState.SUSPENDED: "resume",
}


@dataclass
class Step:
    on: datetime
    what: str
    who: str
    note: str = ""


@dataclass
class ProgressSheet:
    kind: str
    item: Any
    number: str
    party: str
    channel: str
    officers: list[str]
    unit: str
    division: str
    dispatched: date | None
    deadline: date | None
    deadline_provisional: bool
    state: str
    steps: list[Step] = field(default_factory=list)
    next_step: str = ""
    result: str = ""

    @property
    def steps_text(self) -> str:
        return "\n".join(
            f"{timezone.localtime(s.on):%Y-%m-%d} {s.what}（{s.who}）{('：' + s.note) if s.note else ''}" for s in self.steps
        )


def _steps(subject, table, states: dict[str, Any]) -> list[Step]:
    steps = []
    for event in events_for(subject):
        who = event.actor.display_name if event.actor else _("system")
        if event.action == AuditEvent.Action.TRANSITION:
            label = str(table.by_name[event.transition].label) if event.transition in table.by_name else event.transition
            steps.append(Step(event.at, label, who, event.reason))
        elif event.action == AuditEvent.Action.CREATE:
            steps.append(Step(event.at, str(event.get_action_display()), who))
        elif event.action == AuditEvent.Action.UPDATE:
            notes = [f"{k} {v[1]}" for k, v in event.changes.items() if isinstance(v, list) and not k.isascii()]
            if notes:  # the strike-off records (答复举报人, 处罚信息公示, …); plain edits stay on the timeline
                steps.append(Step(event.at, "；".join(notes), who))
    return steps


def _local(value) -> date | None:
    if value is None:
        return None
    return timezone.localdate(value) if isinstance(value, datetime) else value


def lead_sheet(lead: Lead) -> ProgressSheet:
    result = lead.result or ""
    if lead.outcome:
        result = f"{lead.get_outcome_display()}：{result}" if result else lead.get_outcome_display()
    nxt = NEXT_LEAD.get(lead.state)
    return ProgressSheet(
        kind="lead", item=lead, number=lead.display_number, party=lead.party_name, channel=lead.get_channel_display(),
        officers=[p.display_name for p in lead.assignees.all()],
        unit=lead.handling_unit.name if lead.handling_unit_id else "", division=lead.division.name,
        dispatched=_local(lead.dispatched_at), deadline=lead.due_date, deadline_provisional=lead.due_provisional,
        state=lead.get_state_display(), steps=_steps(lead, LEAD_TRANSITIONS, dict(LeadState.choices)),
        next_step=str(LEAD_TRANSITIONS.by_name[nxt].label) if nxt else "", result=str(result),
    )


def case_sheet(case: Case) -> ProgressSheet:
    leads = list(case.leads.all())
    dispatched = [lead.dispatched_at for lead in leads if lead.dispatched_at]
    channels = sorted({str(lead.get_channel_display()) for lead in leads})
    result = case.decision
    if case.fine_amount:
        result = f"{result}（罚款 ¥{case.fine_amount:,}）"
    if case.execution_note:
        result = f"{result}；执行：{case.execution_note}"
    nxt = NEXT_CASE.get(case.state)
    return ProgressSheet(
        kind="case", item=case, number=case.number, party=case.party_name, channel="、".join(channels),
        officers=[p.display_name for p in case.officers.all()], unit=case.handling_unit.name,
        division=case.division.name, dispatched=_local(min(dispatched)) if dispatched else case.opened_on,
        deadline=case.due_date, deadline_provisional=case.due_provisional, state=case.get_state_display(),
        steps=_steps(case, CASE_TRANSITIONS, dict(CaseState.choices)),
        next_step=str(CASE_TRANSITIONS.by_name[nxt].label) if nxt else "", result=result,
    )


def sheet_headers() -> list[str]:
    return [
        _("Number"), _("Party"), _("Channel"), _("Handling officers"), _("Handling unit"), _("Division"),
        _("Dispatch date"), _("Deadline"), _("State"), _("Steps done"), _("Next step"), _("Result of handling"),
    ]


def sheet_row(sheet: ProgressSheet) -> list[Any]:
    return [
        sheet.number, sheet.party, sheet.channel, "、".join(sheet.officers), sheet.unit, sheet.division,
        sheet.dispatched, sheet.deadline, sheet.state, sheet.steps_text, sheet.next_step, sheet.result,
    ]


SHEET_WIDTHS = [26, 28, 14, 20, 26, 10, 12, 12, 12, 70, 16, 50]
