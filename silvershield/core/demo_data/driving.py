"""Driving the planned demo leads through the real workflows, in time order, with the clock set to each
step's time.

Every state change goes through leads.workflow.run_lead_transition or cases.workflow.run_case_transition
and every lead is received through leads.services.create_lead, so permissions, preconditions, numbers,
clocks, audit events and notifications are exactly what officers would produce. time-machine sets the
clock (`tick=False`) so timestamps, due dates and numbers fall where the plan puts them; it is pinned in
requirements.lock with the rest of the installation.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import time_machine
from django.db import transaction

from silvershield.cases.models import Case
from silvershield.cases.workflow import run_case_transition
from silvershield.core.demo_data.chain import plan_chain_leads
from silvershield.core.demo_data.entities import EntityIndex
from silvershield.core.demo_data.organisation import Organisation
from silvershield.core.demo_data.plans import COVERAGE, TARGET_WEIGHTS, LeadPlan, Planner, Step, pick
from silvershield.core.demo_data.timeline import Frame
from silvershield.core.models import Division
from silvershield.leads.models import Lead
from silvershield.leads.services import create_lead
from silvershield.leads.workflow import run_lead_transition


def plan_leads(
    *, rng: random.Random, org: Organisation, entities: EntityIndex, frame: Frame, count: int
) -> list[LeadPlan]:
    """`count` plans: the 12-shop chain's leads, one per state in COVERAGE, then a realistic mix."""
    planner = Planner(rng=rng, org=org, entities=entities, frame=frame)
    plan_chain_leads(planner, entities)
    for target in COVERAGE:
        if len(planner.plans) >= count:
            break
        planner.plan(target=target)
    while len(planner.plans) < count:
        planner.plan(target=pick(rng, TARGET_WEIGHTS))
    _choose_merge_targets(planner.plans, rng)
    return planner.plans


def _choose_merge_targets(plans: list[LeadPlan], rng: random.Random) -> None:
    """A merged lead joins an earlier lead of its bureau about the same party, as duplicates do."""
    for plan in plans:
        if not plan.target.startswith("merged"):
            continue
        merge_time = plan.steps[-1].when
        candidates = [
            p
            for p in plans
            if p.staff is plan.staff
            and not p.target.startswith("merged")
            and p.steps[0].when < plan.steps[0].when
        ]
        if not candidates:
            # No earlier lead in this bureau: the duplicate instead arrives after its original.
            candidates = [
                p
                for p in plans
                if p.staff is plan.staff
                and not p.target.startswith("merged")
                and p.steps[0].when < merge_time
            ]
        target = rng.choice(candidates) if candidates else None
        if target is None:
            plan.target = "received"
            plan.steps = plan.steps[:1]
            continue
        plan.merge_into = target.index
        for key in (
            "party_name",
            "party_entity_id",
            "party_address",
            "category",
            "product_domain",
            "division",
        ):
            plan.fields[key] = target.fields[key]


def drive_plans(plans: list[LeadPlan], *, progress: Callable[[int], None] | None = None) -> None:
    """Run every step of every plan in time order (ties broken by plan, then step order)."""
    timeline = sorted(
        ((step.when, plan.index, n, plan, step) for plan in plans for n, step in enumerate(plan.steps)),
        key=lambda item: item[:3],
    )
    divisions = {d.code: d for d in Division.objects.all()}
    for when, _index, _n, plan, step in timeline:
        # Each step commits on its own, as in the application, so its on-commit effects (notifications)
        # run inside the same moment of the clock.
        with time_machine.travel(when, tick=False):
            _run(plan, step, plans, divisions)
        if progress is not None and step.name == "create":
            progress(1)


def _run(plan: LeadPlan, step: Step, plans: list[LeadPlan], divisions: dict[str, Division]) -> None:
    if step.name == "create":
        fields = dict(plan.fields)
        fields["division"] = divisions[fields["division"]]
        with transaction.atomic():
            lead = create_lead(actor=step.actor, bureau=plan.staff.bureau, **fields)
        plan.pk = lead.pk
        return
    lead = Lead.objects.get(pk=plan.pk)
    if step.name in ("strike_off", "case:strike_off"):
        # The strike-off checklist (board/checklist.py) holds: record first what an officer would.
        from silvershield.board.demo import prepare_strike_off

        prepare_strike_off(Case.objects.get(pk=lead.case_id) if step.name.startswith("case:") else lead, step.actor)
    if step.name.startswith("case:"):
        assert lead.case_id is not None
        run_case_transition(
            case=Case.objects.get(pk=lead.case_id),
            name=step.name[5:],
            actor=step.actor,
            reason=step.reason,
            params=step.params,
        )
        return
    params = dict(step.params)
    if step.name == "merge":
        assert plan.merge_into is not None
        params["merged_into"] = plans[plan.merge_into].pk
    run_lead_transition(lead=lead, name=step.name, actor=step.actor, reason=step.reason, params=params)
