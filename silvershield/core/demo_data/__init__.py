"""The Chifeng demo deployment that `silvershield seed` and `silvershield demo` build.

    build_deployment(seed=…, entities=…, leads=…, today=…)

Deterministic: everything is drawn from one random.Random(seed), and every date is counted back from
`today` (timeline.Frame), so the same seed and day give the same units, people, entities, numbers and
texts. Order of work: organisation (organisation.py) → entities with the 12-shop chain (entities.py) →
historical ledger, bulk-loaded (history_ledger.py) → the most recent leads, planned (plans.py, chain.py)
and driven through the real workflows with the clock set to each step (driving.py).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from silvershield.core.demo_data.driving import drive_plans, plan_leads
from silvershield.core.demo_data.entities import build_entities
from silvershield.core.demo_data.history_ledger import load_history
from silvershield.core.demo_data.organisation import DEMO_PASSWORD, build_organisation
from silvershield.core.demo_data.plans import Planner
from silvershield.core.demo_data.timeline import Frame

__all__ = ["DEMO_PASSWORD", "SeedSummary", "build_deployment"]

Progress = Callable[[str, int], Callable[[int], None]]


@dataclass
class SeedSummary:
    people: int
    entities: int
    workflow_leads: int
    history_leads: int
    seconds: dict[str, float]


def build_deployment(
    *,
    seed: int,
    entities: int,
    leads: int,
    workflow_leads: int,
    today: date,
    progress: Progress | None = None,
) -> SeedSummary:
    """Build the deployment into an empty database.

    `leads` counts all leads; up to `workflow_leads` of them (the most recent) go through the real
    workflows, the rest are history. `progress(label, total)` returns a callback taking increments.
    """
    rng = random.Random(seed)
    frame = Frame(anchor=today)
    timings: dict[str, float] = {}

    def tick(label: str, total: int) -> Callable[[int], None]:
        return progress(label, total) if progress is not None else (lambda _n: None)

    started = time.perf_counter()
    with transaction.atomic():
        org = build_organisation(rng=rng)
    timings["organisation"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        index = build_entities(
            rng=rng,
            count=entities,
            anchor=today,
            loaded_at=frame.loaded_at,
            progress=tick("entities", entities),
        )
    timings["entities"] = time.perf_counter() - started

    driven = min(leads, workflow_leads)
    history = leads - driven
    started = time.perf_counter()
    # Plans are drawn before the history so the recent leads do not depend on the history's size.
    plans = plan_leads(rng=random.Random(rng.random()), org=org, entities=index, frame=frame, count=driven)
    history_planner = Planner(rng=random.Random(rng.random()), org=org, entities=index, frame=frame)
    with transaction.atomic():
        load_history(planner=history_planner, count=history, progress=tick("history leads", history))
    timings["history leads"] = time.perf_counter() - started

    started = time.perf_counter()
    drive_plans(plans, progress=tick("workflow leads", len(plans)))
    timings["workflow leads"] = time.perf_counter() - started

    from silvershield.core.demo_data.measures import STEPS

    for label, step in STEPS:
        started = time.perf_counter()
        with transaction.atomic():
            step(rng=random.Random(rng.random()), org=org, entities=index, frame=frame, today=today)
        timings[label] = time.perf_counter() - started
    return SeedSummary(
        people=org.people,
        entities=entities,
        workflow_leads=len(plans),
        history_leads=history,
        seconds=timings,
    )
