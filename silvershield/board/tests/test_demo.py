"""The demo deployment strikes items off through the checklist when its driver records what is needed
first (board/demo.py, to be called by core/demo_data/driving.py before each strike-off)."""

from __future__ import annotations

from datetime import date

import pytest

from silvershield.board.demo import prepare_strike_off
from silvershield.board.models import LossRecovery, ReporterReply
from silvershield.cases.models import Case
from silvershield.core.models import AuditEvent
from silvershield.core.demo_data import build_deployment
from silvershield.core.demo_data import driving
from silvershield.leads.models import Lead


@pytest.mark.django_db
def test_small_seed_strikes_off_through_the_checklist(monkeypatch):
    original = driving._run

    def run(plan, step, plans, divisions):
        if step.name in ("strike_off", "case:strike_off"):
            lead = Lead.objects.get(pk=plan.pk)
            prepare_strike_off(Case.objects.get(pk=lead.case_id) if step.name.startswith("case:") else lead, step.actor)
        return original(plan, step, plans, divisions)

    monkeypatch.setattr(driving, "_run", run)
    build_deployment(seed=7, entities=300, leads=60, workflow_leads=60, today=date(2026, 11, 28))
    driven = AuditEvent.objects.filter(subject_type="leads.lead", transition="strike_off").values("subject_id")
    struck = Lead.objects.filter(pk__in=driven)
    assert struck.exists()
    named = struck.filter(reporter_is_named=True)
    assert all(ReporterReply.objects.filter(lead=lead).exists() for lead in named)
    assert all(
        LossRecovery.objects.filter(lead=lead).exists()
        for lead in struck.filter(loss_amount__gt=0, case__isnull=True)
    )
