"""Writes to cases other than state changes: opening a case from leads (立案)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from silvershield.cases.models import Case, CaseState
from silvershield.core.audit import record_event
from silvershield.core.clocks import deadline_for
from silvershield.core.errors import InvalidInput
from silvershield.core.models import AuditEvent, User
from silvershield.core.numbering import next_number
from silvershield.leads.models import Lead


def create_case_from_leads(*, leads: list[Lead], actor: User, title: str = "") -> Case:
    """Open a case on one or more leads (程序规定 Art. 19): number, handling unit, officers, 90-day clock.

    Called by the lead workflow's `open_case` transition, inside its transaction. The officers are the
    lead's verifiers; the case cannot start its investigation until two of them hold credentials.
    """
    if not leads:
        raise InvalidInput("立案须至少关联一条线索", field="leads")
    first = leads[0]
    today = timezone.localdate()
    deadline, _rule = deadline_for("case_decision", today)
    with transaction.atomic():
        case = Case.objects.create(
            number=next_number(bureau=first.bureau, kind="case", year=today.year),
            bureau=first.bureau,
            title=(title or "").strip() or f"{first.party_name or '当事人'}涉嫌违法案",
            party_name=first.party_name,
            party_entity=first.party_entity,
            division=first.division,
            category=first.category,
            handling_unit=first.handling_unit or first.bureau,
            opened_on=today,
            opened_by=actor,
            due_date=deadline.due,
            due_provisional=deadline.provisional,
        )
        officers = {p.pk for lead in leads for p in lead.assignees.all()}
        case.officers.set(officers)
        record_event(
            subject=case, actor=actor, action=AuditEvent.Action.CREATE, to_state=CaseState.OPENED,
            reason="由线索立案：" + "、".join(str(lead) for lead in leads),
            changes={"number": (None, case.number), "leads": (None, [lead.pk for lead in leads])},
        )
    return case
