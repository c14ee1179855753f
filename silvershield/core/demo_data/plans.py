"""Plans for the workflow-driven demo leads: what each lead is, where it should end, and when each step
happens.

A plan is made before anything is written: the lead's fields, the transitions that take it to its
target state (and, for a lead that becomes a case, the case's transitions), each with its actor, its
parameters and a time in office hours. Targets cover every lead state and outcome and every case state;
clocks come out mixed on purpose: most open items are in time, some due within three working days,
some overdue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from silvershield.cases.models import CaseState
from silvershield.core.demo_data.entities import EntityIndex, EntityRef
from silvershield.core.demo_data.names import id_number, mobile_phone, person_name
from silvershield.core.demo_data.organisation import BureauStaff, Organisation
from silvershield.core.demo_data.places import COUNTY_BY_CODE, LEAD_WEIGHT_BY_DIVISION
from silvershield.core.demo_data.texts import (
    DECISIONS,
    EXECUTIONS,
    REFERRERS,
    SUPERIORS,
    domain_for,
    lead_result,
    lead_summary,
)
from silvershield.core.demo_data.timeline import Frame, add_working, at, next_monday, office_minutes
from silvershield.core.models import User
from silvershield.leads.models import Channel, FraudCategory, Outcome, Priority

ELDER_CATEGORIES = [c for c in FraudCategory.values if c != FraudCategory.NOT_ELDER_FRAUD]
_CATEGORY_WEIGHTS = {
    FraudCategory.PRODUCT_SALES: 34,
    FraudCategory.ELDERLY_SERVICE: 10,
    FraudCategory.PROJECT_INVESTMENT: 9,
    FraudCategory.HOUSE_FOR_PENSION: 4,
    FraudCategory.PENSION_INSURANCE: 6,
    FraudCategory.ELDERLY_ASSISTANCE: 12,
    FraudCategory.NOT_ELDER_FRAUD: 25,
}
_CHANNEL_WEIGHTS = {
    Channel.COMPLAINT: 14,
    Channel.REPORT: 20,
    Channel.HOTLINE: 22,
    Channel.ASSIGNED: 7,
    Channel.REFERRAL: 6,
    Channel.INSPECTION: 10,
    Channel.AD_MONITORING: 7,
    Channel.INFORMANT: 9,
    Channel.PUBLIC_CALL: 5,
}
_NAMED_CHANNELS = {Channel.COMPLAINT, Channel.REPORT, Channel.HOTLINE, Channel.PUBLIC_CALL}

# Every lead state and outcome, and every case state, appears at least once.
COVERAGE = (
    "received",
    "registered",
    "screened",
    "dispatched",
    "verifying",
    "concluded:not_opened",
    "concluded:transferred_department",
    "concluded:transferred_police",
    "concluded:mediated",
    "struck_off:not_opened",
    "struck_off:mediated",
    "struck_off:transferred_department",
    "merged:received",
    "merged:registered",
    *(f"case:{state}" for state in CaseState.values),
)
TARGET_WEIGHTS = {
    "received": 5,
    "registered": 6,
    "screened": 5,
    "dispatched": 8,
    "verifying": 14,
    "concluded": 12,
    "struck_off": 28,
    "merged": 3,
    "case": 19,
}
_CASE_WEIGHTS = {
    CaseState.OPENED: 6,
    CaseState.INVESTIGATING: 22,
    CaseState.IN_REVIEW: 10,
    CaseState.DELIBERATION: 4,
    CaseState.NOTIFIED: 8,
    CaseState.DECIDED: 8,
    CaseState.EXECUTED: 8,
    CaseState.CLOSED: 10,
    CaseState.STRUCK_OFF: 14,
    CaseState.SUSPENDED: 4,
    CaseState.TRANSFERRED_POLICE: 6,
}
_OPEN_CASE_STATES = {
    CaseState.OPENED,
    CaseState.INVESTIGATING,
    CaseState.IN_REVIEW,
    CaseState.DELIBERATION,
    CaseState.NOTIFIED,
    CaseState.SUSPENDED,
}


@dataclass
class Step:
    name: str  # a lead transition, "create", or "case:<transition>"
    actor: User
    gap: tuple[str, int]  # ("wd", n) working days after the previous step, ("d", n) days, ("monday", 0)
    params: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    when: datetime | None = None


@dataclass
class LeadPlan:
    index: int
    staff: BureauStaff
    target: str
    fields: dict[str, Any]
    steps: list[Step]
    anchor_step: str  # the step placed at `anchor_age` days before the anchor
    anchor_age: int
    merge_into: int | None = None  # index of the plan this lead is merged into
    pk: int | None = None


def pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _loss(rng: random.Random, category: str) -> int:
    if category == FraudCategory.NOT_ELDER_FRAUD:
        return rng.choice((0, 39, 128, 268, 560, 1200, 3800))
    return int(min(rng.lognormvariate(8.3, 1.2), 480_000) // 10 * 10)


class Planner:
    def __init__(self, *, rng: random.Random, org: Organisation, entities: EntityIndex, frame: Frame) -> None:
        self.rng, self.org, self.entities, self.frame = rng, org, entities, frame
        self.plans: list[LeadPlan] = []
        self.staff_by_division = {s.bureau.division_id: s for s in org.counties.values()}

    # --- the lead's registration fields ------------------------------------------------------------

    def lead_fields(
        self,
        *,
        staff: BureauStaff,
        division: str,
        category: str,
        channel: str,
        entity: EntityRef | None = None,
        on: date | None = None,
    ) -> dict[str, Any]:
        """Registration fields; a party entity, when drawn, was registered by `on` (the receipt date)."""
        rng = self.rng
        county = COUNTY_BY_CODE[division]
        if entity is None:
            pool = (
                self.entities.elderly_by_division
                if category != FraudCategory.NOT_ELDER_FRAUD
                else self.entities.by_division
            ).get(division) or []
            entity = rng.choice(pool) if pool and rng.random() < 0.75 else None
            if entity is not None and entity.registered > (on or self.frame.window_start):
                entity = None
        town = rng.choice(county.towns)
        party = (
            entity.name
            if entity
            else rng.choice(
                (
                    f"{town}一家无照“健康体验店”",
                    "自称“北京某健康科技公司”的外地团队",
                    f"{person_name(rng)}（个人）",
                    f"{town}某临时租用门店",
                    "微信群“夕阳红养生群”群主",
                )
            )
        )
        age = rng.randrange(60, 91)
        loss = _loss(rng, category)
        summary = lead_summary(rng, channel=channel, category=category, party=party, age=age, amount=loss)
        values: dict[str, Any] = dict(
            channel=channel,
            category=category if rng.random() < 0.5 else "",
            product_domain=domain_for(category, rng),
            summary=summary,
            party_name=party,
            party_entity_id=entity.pk if entity else None,
            party_address=entity.address
            if entity
            else f"赤峰市{county.name}{town}{rng.choice(county.roads)}",
            division=division,
            victim_age=age if category != FraudCategory.NOT_ELDER_FRAUD else None,
            loss_amount=Decimal(loss) if loss else None,
            sender={
                Channel.ASSIGNED: rng.choice(SUPERIORS[: 1 if staff.county is None else 3]),
                Channel.REFERRAL: rng.choice(REFERRERS),
            }.get(channel, ""),
        )
        if channel in _NAMED_CHANNELS and rng.random() < 0.65:
            values.update(
                reporter_is_named=True, reporter_name=person_name(rng), reporter_phone=mobile_phone(rng)
            )
            if rng.random() < 0.3:
                values["reporter_id_number"] = id_number(rng, division_code=division, on=self.frame.anchor)
        if rng.random() < 0.3:
            values["suggested_handling"] = rng.choice(
                ("建议分派属地监管所核查。", "建议提交周一集中筛查会研判。", "涉及多区县，建议市局统筹。")
            )
        return values

    def creator(self, staff: BureauStaff, channel: str) -> User:
        if channel == Channel.HOTLINE:
            return self.rng.choice(staff.hotline)
        if channel == Channel.INFORMANT and staff.informants:
            return self.rng.choice(staff.informants)
        return staff.legal_officers[0]

    # --- the steps to the target -------------------------------------------------------------------

    def plan(
        self,
        *,
        target: str,
        staff: BureauStaff | None = None,
        division: str | None = None,
        channel: str | None = None,
        category: str | None = None,
        entity: EntityRef | None = None,
        summary: str | None = None,
    ) -> LeadPlan:
        rng = self.rng
        if staff is None:
            if rng.random() < 0.08:
                staff = self.org.city
            else:
                staff = self.staff_by_division[pick(rng, LEAD_WEIGHT_BY_DIVISION)]
        division = division or (
            staff.bureau.division_id if staff.county else pick(rng, LEAD_WEIGHT_BY_DIVISION)
        )
        channel = channel or pick(rng, _CHANNEL_WEIGHTS)
        if staff.county is None and channel == Channel.INFORMANT:
            channel = Channel.REPORT
        category = category or pick(rng, _CATEGORY_WEIGHTS)
        if target.startswith("case") and category == FraudCategory.NOT_ELDER_FRAUD:
            category = rng.choice(ELDER_CATEGORIES)
        fields = self.lead_fields(
            staff=staff, division=division, category=category, channel=channel, entity=entity
        )
        if summary:
            fields["summary"] = summary
        legal = rng.choice(staff.legal_officers)
        steps = [Step("create", self.creator(staff, channel), ("wd", 0))]
        kind, _, detail = target.partition(":")
        if kind == "merged":
            if detail != "received":
                steps.append(Step("register", legal, ("wd", rng.choice((0, 1)))))
            steps.append(
                Step(
                    "merge",
                    legal,
                    ("wd", rng.randrange(0, 3)),
                    reason="与在办线索反映同一当事人同一事项，予以并案",
                )
            )
            return self._add(staff, target, fields, steps, "create", rng.randrange(20, 180))
        order = ["register", "screen", "dispatch", "start_verification"]
        reach = {"received": 0, "registered": 1, "screened": 2, "dispatched": 3}.get(kind, 4)
        unit, investigators = self.handling_unit_for(staff)
        assignees = self._assignees(staff, unit, investigators)
        lead_worker = assignees[0]
        for name in order[:reach]:
            if name == "register":
                steps.append(Step(name, legal, ("wd", rng.choice((0, 0, 1)))))
            elif name == "screen":
                priority = (
                    Priority.URGENT
                    if (fields["loss_amount"] or 0) > 50_000
                    else Priority.HIGH
                    if rng.random() < 0.25
                    else Priority.NORMAL
                )
                steps.append(
                    Step(
                        name,
                        rng.choice(staff.task_office),
                        ("monday", 0),
                        params={"category": category, "priority": priority},
                    )
                )
            elif name == "dispatch":
                steps.append(
                    Step(
                        name,
                        rng.choice(staff.task_office),
                        ("wd", 0),
                        params={"handling_unit": unit.pk, "assignees": [p.pk for p in assignees]},
                    )
                )
            else:
                steps.append(Step(name, lead_worker, ("wd", rng.choice((1, 1, 2)))))
        if kind in {"concluded", "struck_off"}:
            outcome = detail or rng.choice(
                (Outcome.NOT_OPENED,) * 5
                + (Outcome.MEDIATED,) * 3
                + (Outcome.TRANSFERRED_DEPARTMENT,) * 2
                + (Outcome.TRANSFERRED_POLICE,)
            )
            if outcome == Outcome.MEDIATED and fields["channel"] != Channel.COMPLAINT:
                fields["channel"] = Channel.COMPLAINT
            steps.append(
                Step(
                    "conclude",
                    lead_worker,
                    ("wd", rng.randrange(3, 13)),
                    params={
                        "outcome": outcome,
                        "result": lead_result(rng, outcome=outcome, amount=_loss(rng, category) or 200),
                    },
                )
            )
            if kind == "struck_off":
                steps.append(Step("strike_off", legal, ("wd", rng.randrange(1, 6))))
            return self._add(staff, target, fields, steps, "create", rng.randrange(25, 200))
        if kind == "case":
            state = detail or pick(rng, _CASE_WEIGHTS)
            target = f"case:{state}"
            steps.append(
                Step(
                    "open_case",
                    staff.unit_head,
                    ("wd", rng.randrange(4, 12)),
                    params={"title": f"{fields['party_name']}涉嫌虚假宣传案"},
                )
            )
            steps += self._case_steps(staff, state, lead_worker, legal, category)
            if state in {CaseState.CLOSED, CaseState.STRUCK_OFF, CaseState.EXECUTED} or rng.random() < 0.3:
                # The lead's own result is the opened case: the legal officer strikes the lead off.
                steps.insert(
                    len(steps) - len(self._case_tail(steps)),
                    Step("strike_off", legal, ("wd", rng.randrange(1, 4))),
                )
            if state in _OPEN_CASE_STATES:
                age = rng.choice(
                    [rng.randrange(10, 80)] * 15 + [rng.randrange(86, 90)] * 2 + [rng.randrange(92, 130)] * 3
                )
                return self._add(staff, target, fields, steps, "open_case", age)
            return self._add(staff, target, fields, steps, "open_case", rng.randrange(60, 190))
        # An open lead: its verification clock runs from receipt (15 working days).
        bucket = rng.choices(("fine", "soon", "overdue"), weights=(70, 15, 15))[0]
        back = {
            "fine": rng.randrange(1, 10),
            "soon": rng.randrange(12, 16),
            "overdue": rng.randrange(17, 36),
        }[bucket]
        age = (self.frame.anchor - add_working(self.frame.anchor, -back)).days
        return self._add(staff, kind, fields, steps, "create", age)

    @staticmethod
    def _case_tail(steps: list[Step]) -> list[Step]:
        return [s for s in steps if s.name.startswith("case:")]

    def _case_steps(
        self, staff: BureauStaff, state: str, worker: User, legal: User, category: str
    ) -> list[Step]:
        rng = self.rng
        head = staff.unit_head
        assert head is not None
        reviewer = rng.choice(staff.reviewers)
        path: list[Step] = []
        if state == CaseState.OPENED:
            return path
        path.append(Step("case:start_investigation", worker, ("wd", rng.randrange(1, 4))))
        if state == CaseState.SUSPENDED:
            return [
                *path,
                Step("case:suspend", head, ("d", rng.randrange(10, 30)), reason="待检验检测结果，中止调查"),
            ]
        if state == CaseState.INVESTIGATING and rng.random() < 0.3:
            path += [
                Step("case:suspend", head, ("d", rng.randrange(5, 15)), reason="当事人下落不明，中止调查"),
                Step("case:resume", head, ("d", rng.randrange(5, 20))),
            ]
        if state == CaseState.INVESTIGATING:
            return path
        path.append(Step("case:submit_for_review", worker, ("d", rng.randrange(15, 45))))
        if rng.random() < 0.25:
            path += [
                Step(
                    "case:return_for_investigation",
                    reviewer,
                    ("wd", rng.randrange(2, 6)),
                    reason="证据不足：缺少受害老人的询问笔录和付款凭证，请补充调查",
                ),
                Step("case:submit_for_review", worker, ("d", rng.randrange(7, 20))),
            ]
        if state == CaseState.TRANSFERRED_POLICE:
            return [
                *path,
                Step(
                    "case:transfer_to_police",
                    head,
                    ("wd", rng.randrange(2, 6)),
                    reason="涉案金额巨大、受害人众多，涉嫌诈骗罪，依法移送公安机关",
                ),
            ]
        if state == CaseState.IN_REVIEW:
            return path
        if state == CaseState.DELIBERATION or rng.random() < 0.2:
            path.append(
                Step(
                    "case:refer_to_deliberation",
                    reviewer,
                    ("wd", rng.randrange(2, 6)),
                    reason="案情重大复杂，拟作较大数额罚款，提请负责人集体讨论",
                )
            )
            if state == CaseState.DELIBERATION:
                return path
        path.append(Step("case:notify_party", reviewer, ("wd", rng.randrange(3, 9))))
        if state == CaseState.NOTIFIED:
            return path
        fine = rng.choice((5000, 10000, 20000, 30000, 50000, 80000, 100000, 200000))
        path.append(
            Step(
                "case:decide",
                head,
                ("wd", rng.randrange(6, 11)),
                params={"decision": rng.choice(DECISIONS).format(fine=f"{fine:,}"), "fine_amount": fine},
            )
        )
        if state == CaseState.DECIDED:
            return path
        path.append(
            Step(
                "case:execute",
                worker,
                ("d", rng.randrange(5, 21)),
                params={"execution_note": rng.choice(EXECUTIONS)},
            )
        )
        if state == CaseState.EXECUTED:
            return path
        path.append(Step("case:close", head, ("wd", rng.randrange(3, 11))))
        if state == CaseState.CLOSED:
            return path
        return [*path, Step("case:strike_off", legal, ("wd", rng.randrange(1, 6)))]

    def handling_unit_for(self, staff: BureauStaff):
        # The demo investigator's unit takes a good share, so that account has work in every state.
        units = staff.handling_units
        return units[0] if self.rng.random() < 0.45 else self.rng.choice(units)

    def _assignees(self, staff: BureauStaff, unit, investigators: list[User]) -> list[User]:
        if staff.demo_investigator in investigators and self.rng.random() < 0.7:
            others = [p for p in investigators if p != staff.demo_investigator]
            return [staff.demo_investigator, self.rng.choice(others)]
        return self.rng.sample(investigators, 2)

    def _add(
        self,
        staff: BureauStaff,
        target: str,
        fields: dict[str, Any],
        steps: list[Step],
        anchor_step: str,
        age: int,
    ) -> LeadPlan:
        plan = LeadPlan(
            index=len(self.plans),
            staff=staff,
            target=target,
            fields=fields,
            steps=steps,
            anchor_step=anchor_step,
            anchor_age=age,
        )
        schedule(plan, self.frame, self.rng)
        self.plans.append(plan)
        return plan


def schedule(plan: LeadPlan, frame: Frame, rng: random.Random) -> None:
    """Give every step a time: gaps as planned, the anchor step `anchor_age` days before the anchor,
    and nothing later than the last working day before the anchor."""
    minutes = [office_minutes(rng) for _ in plan.steps]

    def lay_out(start: date) -> list[date]:
        days, day = [], start
        for step in plan.steps:
            unit, n = step.gap
            day = (
                next_monday(day)
                if unit == "monday"
                else add_working(day, n)
                if unit == "wd"
                else add_working(day + timedelta(days=n), 0)
            )
            days.append(day)
        return days

    names = [s.name for s in plan.steps]
    start = add_working(frame.anchor - timedelta(days=plan.anchor_age), 0)
    days = lay_out(start)
    shift = (days[names.index(plan.anchor_step)] - start).days
    days = lay_out(add_working(start - timedelta(days=shift), 0))
    for _ in range(12):
        overflow = (days[-1] - frame.last_day).days
        if overflow <= 0:
            break
        days = lay_out(add_working(days[0] - timedelta(days=overflow), 0))
    # A plan that still does not fit (a long case path) is squeezed: later steps share the last day.
    days = [min(d, frame.last_day) for d in days]
    previous: datetime | None = None
    for step, day, minute in zip(plan.steps, days, minutes, strict=True):
        when = at(day, minute)
        if previous is not None and when <= previous:
            when = previous + timedelta(minutes=rng.randrange(5, 40))
        step.when = previous = when
    plan.fields["received_date"] = plan.steps[0].when.date()
