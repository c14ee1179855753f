"""The ledger's history: leads (and the cases opened from them) of the three years before the workflow
window, bulk-inserted in the final states such items reach — struck off, concluded awaiting strike-off,
merged — with every column a real run of the workflow would have written.

Scale is the point (up to 10^6 leads for benchmarks), so rows go in with bulk_create in batches, never
one workflow call each. What the workflow guarantees is upheld by construction: numbers from the
bureau's numbering rule in registration order within each bureau and year, with NumberSequence set to
the last number given so later registrations continue the series; due dates from the clock rules in
force (core.clocks, memoised per date); timestamps that satisfy the models' CheckConstraints; two
credentialed verifiers per dispatched lead; one CREATE audit event per lead and case (history.py).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from silvershield.cases.models import Case, CaseState
from silvershield.core.clocks import deadline_for
from silvershield.core.demo_data.fast_insert import assign_ids, insert_objects, reset_sequences
from silvershield.core.demo_data.history import append_events, import_event
from silvershield.core.demo_data.organisation import BureauStaff
from silvershield.core.demo_data.places import LEAD_WEIGHT_BY_DIVISION
from silvershield.core.demo_data.plans import Planner, pick
from silvershield.core.demo_data.texts import DECISIONS, EXECUTIONS, lead_result
from silvershield.core.demo_data.timeline import add_working, at, next_monday, office_minutes
from silvershield.core.models import NumberingRule, NumberSequence
from silvershield.core.numbering import DEFAULT_PATTERNS
from silvershield.leads.models import Channel, FraudCategory, Lead, LeadState, Outcome, Priority

LEAD_ASSIGNEES = Lead.assignees.through
CASE_OFFICERS = Case.officers.through
_CHANNELS = {
    Channel.COMPLAINT: 16,
    Channel.REPORT: 20,
    Channel.HOTLINE: 24,
    Channel.ASSIGNED: 6,
    Channel.REFERRAL: 5,
    Channel.INSPECTION: 10,
    Channel.AD_MONITORING: 7,
    Channel.INFORMANT: 8,
    Channel.PUBLIC_CALL: 4,
}
_CATEGORIES = {
    FraudCategory.PRODUCT_SALES: 30,
    FraudCategory.ELDERLY_SERVICE: 9,
    FraudCategory.PROJECT_INVESTMENT: 8,
    FraudCategory.HOUSE_FOR_PENSION: 3,
    FraudCategory.PENSION_INSURANCE: 5,
    FraudCategory.ELDERLY_ASSISTANCE: 10,
    FraudCategory.NOT_ELDER_FRAUD: 35,
}
_OUTCOMES = {
    Outcome.NOT_OPENED: 45,
    Outcome.MEDIATED: 18,
    Outcome.TRANSFERRED_DEPARTMENT: 15,
    Outcome.TRANSFERRED_POLICE: 6,
    Outcome.CASE_OPENED: 12,
}


@lru_cache(maxsize=4096)
def _lead_due(received: date) -> tuple[date, bool]:
    deadline, _rule = deadline_for("lead_verification", received)
    return deadline.due, deadline.provisional


@lru_cache(maxsize=4096)
def _case_due(opened: date) -> tuple[date, bool]:
    deadline, _rule = deadline_for("case_decision", opened)
    return deadline.due, deadline.provisional


@dataclass
class _Numbers:
    """Counters per (bureau, kind, year), written back to NumberSequence at the end."""

    patterns: dict[str, str]
    last: dict[tuple[int, str, int], int] = field(default_factory=lambda: defaultdict(int))

    def next(self, staff: BureauStaff, kind: str, year: int) -> str:
        key = (staff.bureau.pk, kind, year)
        self.last[key] += 1
        prefix = staff.bureau.short_name or staff.bureau.name
        return self.patterns[kind].format(prefix=prefix, year=year, seq=self.last[key])

    def save(self) -> None:
        for (bureau_id, kind, year), last in self.last.items():
            NumberSequence.objects.update_or_create(
                bureau_id=bureau_id, kind=kind, year=year, defaults={"last": last}
            )


def load_history(
    *, planner: Planner, count: int, progress: Callable[[int], None] | None = None, batch_size: int = 5000
) -> None:
    """Bulk-insert `count` historical leads spread evenly over the history period, oldest first."""
    if count <= 0:
        return
    rules = dict(NumberingRule.objects.values_list("kind", "pattern"))
    numbers = _Numbers(patterns={k: rules.get(k, v) for k, v in DEFAULT_PATTERNS.items()})
    frame = planner.frame
    span = (frame.window_start - frame.history_start).days
    recent: dict[int, list[int]] = defaultdict(list)  # per bureau, recent lead pks to merge duplicates into
    batches = (count + batch_size - 1) // batch_size
    for b in range(batches):
        n = min(batch_size, count - b * batch_size)
        # Each batch covers its own slice of the period, so numbers rise with time across batches.
        first = frame.history_start + timedelta(days=span * b // batches)
        last = frame.history_start + timedelta(days=max(span * (b + 1) // batches - 1, 0))
        _load_batch(planner, numbers, recent, n, first, last)
        if progress is not None:
            progress(n)
    numbers.save()
    reset_sequences([Lead, Case, LEAD_ASSIGNEES, CASE_OFFICERS])


def _load_batch(
    planner: Planner, numbers: _Numbers, recent: dict[int, list[int]], n: int, first: date, last: date
) -> None:
    rng = planner.rng
    days = (last - first).days + 1
    rows: list[tuple[Lead, BureauStaff, list[int], dict]] = []
    for _ in range(n):
        received = add_working(first + timedelta(days=rng.randrange(days)), 0)
        staff = (
            planner.org.city
            if rng.random() < 0.06
            else planner.staff_by_division[pick(rng, LEAD_WEIGHT_BY_DIVISION)]
        )
        rows.append(_lead(planner, staff, received))
    rows.sort(key=lambda row: (row[0].registered_at or row[0].created_at, row[0].created_at))
    for lead, staff, _a, _extra in rows:
        if lead.state == LeadState.MERGED:
            pool = recent[staff.bureau.pk]
            if pool:
                lead.merged_into_id = rng.choice(pool)
            else:  # nothing earlier to merge into yet: the duplicate was instead handled on its own
                _finish_as_not_opened(lead, staff, rng)
    cases: list[tuple[Case, Lead, list[int]]] = []
    for lead, staff, assignees, extra in rows:
        if lead.registered_at is not None:
            lead.number = numbers.next(staff, "lead", lead.registered_at.astimezone(extra["tz"]).year)
        if extra.get("case"):
            case = extra["case"]
            case.number = numbers.next(staff, "case", case.opened_on.year)
            cases.append((case, lead, assignees))
    assign_ids(Case, [c for c, _l, _a in cases])
    insert_objects(Case, [c for c, _l, _a in cases])
    for case, lead, _a in cases:
        lead.case_id = case.pk
    assign_ids(Lead, [r[0] for r in rows])
    insert_objects(Lead, [r[0] for r in rows])
    for lead, staff, _a, _e in rows:
        if lead.state != LeadState.MERGED:
            pool = recent[staff.bureau.pk]
            pool.append(lead.pk)
            if len(pool) > 60:
                del pool[0]
    for through, links in (
        (
            LEAD_ASSIGNEES,
            [LEAD_ASSIGNEES(lead_id=lead.pk, user_id=u) for lead, _s, users, _e in rows for u in users],
        ),
        (
            CASE_OFFICERS,
            [CASE_OFFICERS(case_id=case.pk, user_id=u) for case, _l, users in cases for u in users],
        ),
    ):
        assign_ids(through, links)
        insert_objects(through, links)
    events = [
        import_event(
            subject_type="leads.lead",
            subject_id=lead.pk,
            at=lead.created_at,
            actor_id=lead.created_by_id,
            to_state=lead.state,
            changes={"number": lead.number, "channel": lead.channel, "category": lead.category},
        )
        for lead, _s, _u, _e in rows
    ]
    events += [
        import_event(
            subject_type="cases.case",
            subject_id=case.pk,
            at=case.created_at,
            actor_id=case.opened_by_id,
            to_state=case.state,
            changes={"number": case.number},
        )
        for case, _l, _u in cases
    ]
    append_events(events)


def _finish_as_not_opened(lead: Lead, staff: BureauStaff, rng: random.Random) -> None:
    if lead.registered_at is None:
        lead.registered_at, lead.registered_by = lead.created_at + timedelta(hours=1), staff.legal_officers[0]
        lead.due_date, lead.due_provisional = _lead_due(lead.received_date)
    lead.state, lead.outcome = LeadState.STRUCK_OFF, Outcome.NOT_OPENED
    lead.result = lead_result(rng, outcome=Outcome.NOT_OPENED, amount=0)
    lead.concluded_at = lead.registered_at + timedelta(days=10)
    lead.struck_off_at = lead.concluded_at + timedelta(days=3)
    lead.version = 7


def _lead(planner: Planner, staff: BureauStaff, received: date) -> tuple[Lead, BureauStaff, list[int], dict]:
    rng = planner.rng
    channel = pick(rng, _CHANNELS)
    if staff.county is None and channel == Channel.INFORMANT:
        channel = Channel.REPORT
    category = pick(rng, _CATEGORIES)
    division = staff.bureau.division_id if staff.county else pick(rng, LEAD_WEIGHT_BY_DIVISION)
    fields = planner.lead_fields(
        staff=staff, division=division, category=category, channel=channel, on=received
    )
    fields["category"] = category  # screened long ago: the category is settled
    division_code = fields.pop("division")
    created = at(received, office_minutes(rng))
    creator = planner.creator(staff, channel)
    legal = staff.legal_officers[0]
    lead = Lead(
        bureau=staff.bureau,
        division_id=division_code,
        received_date=received,
        created_by=creator,
        created_at=created,
        **fields,
    )
    extra: dict = {"tz": created.tzinfo}
    roll = rng.random()
    if roll < 0.04:  # a duplicate, merged into an earlier lead before or after registration
        lead.state = LeadState.MERGED
        if rng.random() < 0.5:
            lead.registered_at, lead.registered_by = _later(rng, created, 0), legal
            lead.due_date, lead.due_provisional = _lead_due(received)
            lead.version = 3
        else:
            lead.version = 2
        lead.updated_at = _later(rng, created, 2)
        return lead, staff, [], extra
    lead.registered_at, lead.registered_by = _later(rng, created, rng.choice((0, 0, 1))), legal
    lead.due_date, lead.due_provisional = _lead_due(received)
    lead.priority = Priority.HIGH if rng.random() < 0.2 else Priority.NORMAL
    lead.dispatched_at = at(next_monday(lead.registered_at.date() + timedelta(days=1)), office_minutes(rng))
    unit, investigators = planner.handling_unit_for(staff)
    lead.handling_unit = unit
    assignees = [p.pk for p in rng.sample(investigators, 2)]
    outcome = pick(rng, _OUTCOMES)
    if outcome == Outcome.MEDIATED:
        lead.channel = Channel.COMPLAINT
    lead.outcome = outcome
    lead.concluded_at = _later(rng, lead.dispatched_at, rng.randrange(3, 15))
    if outcome == Outcome.CASE_OPENED:
        extra["case"] = _case(rng, staff, lead)
        lead.result = "经核查予以立案"
    else:
        lead.result = lead_result(rng, outcome=outcome, amount=int(lead.loss_amount or 200))
    if rng.random() < 0.88:
        lead.state, lead.version = LeadState.STRUCK_OFF, 7
        lead.struck_off_at = _later(rng, lead.concluded_at, rng.randrange(1, 7))
        lead.updated_at = lead.struck_off_at
    else:
        lead.state, lead.version = LeadState.CONCLUDED, 6
        lead.updated_at = lead.concluded_at
    return lead, staff, assignees, extra


def _later(rng: random.Random, moment: datetime, working_days: int) -> datetime:
    day = add_working(moment.date(), working_days)
    when = at(day, office_minutes(rng))
    return when if when > moment else moment + timedelta(minutes=rng.randrange(10, 90))


def _case(rng: random.Random, staff: BureauStaff, lead: Lead) -> Case:
    opened_at = lead.concluded_at
    opened_on = opened_at.date()
    due, provisional = _case_due(opened_on)
    state = rng.choices(
        (CaseState.STRUCK_OFF, CaseState.CLOSED, CaseState.TRANSFERRED_POLICE), weights=(80, 12, 8)
    )[0]
    case = Case(
        bureau=staff.bureau,
        state=state,
        title=f"{lead.party_name}涉嫌虚假宣传案",
        party_name=lead.party_name,
        party_entity_id=lead.party_entity_id,
        division_id=lead.division_id,
        category=lead.category,
        handling_unit=lead.handling_unit,
        opened_on=opened_on,
        opened_by=staff.unit_head,
        due_date=due,
        due_provisional=provisional,
        created_at=opened_at,
    )
    if state == CaseState.TRANSFERRED_POLICE:
        case.version, case.updated_at = 3, _later(rng, opened_at, rng.randrange(10, 40))
        return case
    fine = rng.choice((3000, 5000, 10000, 20000, 50000, 100000))
    case.decision = rng.choice(DECISIONS).format(fine=f"{fine:,}")
    case.fine_amount = Decimal(fine)
    case.decided_at = _later(rng, opened_at, rng.randrange(20, 60))
    case.execution_note = rng.choice(EXECUTIONS)
    case.closed_at = _later(rng, case.decided_at, rng.randrange(10, 30))
    case.version, case.updated_at = 7, case.closed_at
    if state == CaseState.STRUCK_OFF:
        case.struck_off_at = _later(rng, case.closed_at, rng.randrange(1, 6))
        case.version, case.updated_at = 8, case.struck_off_at
    return case
