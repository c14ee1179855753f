"""`silvershield seed`: a small Chifeng deployment, built the way the demo builds it, checked for what a
bureau would recognise — its units and numbers, every state, valid credit codes, the 12-shop chain."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from silvershield.cases.models import Case, CaseState
from silvershield.core.audit import verify_chain
from silvershield.core.demo_data import build_deployment
from silvershield.core.demo_data.reset import flush_demo_data
from silvershield.core.identifiers import is_valid_uscc
from silvershield.core.management.commands.users import demo_usernames
from silvershield.core.models import (
    AuditEvent,
    Expert,
    Informant,
    LinkageMember,
    OrgUnit,
    OrgUnitKind,
    Role,
    Station,
    User,
)
from silvershield.core.numbering import next_number
from silvershield.entities.inspections import inspections_visible_to
from silvershield.entities.models import (
    AlertKind,
    AlertState,
    Entity,
    GateAlert,
    HazardItem,
    HazardStatus,
    Inspection,
    InspectionOfficer,
    InspectionResult,
)
from silvershield.leads.models import Channel, FraudCategory, Lead, LeadState, Outcome

TODAY = date(2026, 11, 28)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMALL = dict(seed=7, entities=300, leads=200, workflow_leads=90, today=TODAY)


def _fingerprint() -> dict[str, list]:
    return {
        "units": list(OrgUnit.objects.order_by("code").values_list("code", "name", "short_name")),
        "people": list(
            User.objects.order_by("username").values_list("username", "full_name", "credential_number")
        ),
        "entities": list(Entity.objects.order_by("uscc").values_list("uscc", "name", "legal_representative")),
        "leads": sorted(
            Lead.objects.values_list("number", "state", "party_name", "summary", "received_date"), key=str
        ),
        "cases": sorted(Case.objects.values_list("number", "state", "title"), key=str),
    }


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """Seed once for the module inside an outer transaction that is rolled back at the end.

    Each test's own transaction (pytest-django) nests inside it as a savepoint, so a test that changes
    data (the flush below) leaves the module's deployment intact for the next one.
    """
    from django.db import transaction
    from django.test import override_settings

    # The same fast hasher as conftest's per-test fixture, which has not run yet at module scope.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_deployment(**SMALL)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_module, db):
    return _seeded_module


def test_seed_builds_chifengs_organisation(seeded):
    assert OrgUnit.objects.get(code="150400").short_name == "赤市监"
    county_bureaus = OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, parent__code="150400")
    assert county_bureaus.count() == 12
    assert OrgUnit.objects.get(code="150402").name == "赤峰市红山区市场监督管理局"
    assert OrgUnit.objects.get(code="150402").short_name == "红市监"
    for kind in (
        OrgUnitKind.ENFORCEMENT,
        OrgUnitKind.LEGAL,
        OrgUnitKind.ADVERTISING,
        OrgUnitKind.CONSUMER_PROTECTION,
        OrgUnitKind.REGISTRATION,
        OrgUnitKind.TASK_OFFICE,
    ):
        assert OrgUnit.objects.filter(kind=kind, parent__code="150400").exists(), kind
    for bureau in county_bureaus:
        assert OrgUnit.objects.filter(parent=bureau, kind=OrgUnitKind.INSTITUTE).count() >= 3, bureau
    assert Station.objects.count() == 232
    assert Station.objects.values("division").distinct().count() == 12
    assert Informant.objects.count() >= 70
    assert Informant.objects.filter(station__isnull=True).count() == 0
    assert Expert.objects.count() == 15
    roster = dict(LinkageMember.objects.values_list("role").annotate(n=Count("id")))
    assert roster == {"commander": 1, "deputy_commander": 13, "linkage_officer": 110}


def test_seed_has_a_demo_account_for_every_role(seeded):
    usernames = set(User.objects.values_list("username", flat=True))
    assert {name for _slug, name in demo_usernames()} <= usernames
    assert set(User.objects.filter(unit__path__startswith="150400/").values_list("role", flat=True)) == set(
        Role.values
    )
    admin = User.objects.get(username="city_sysadmin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="hongshan_investigator").check_password("Demo-2026-silver")
    investigators = User.objects.filter(role=Role.INVESTIGATOR)
    assert not investigators.filter(credential_number="").exists()
    assert not investigators.filter(specialities=[]).exists()
    # The demo investigators have work to show.
    assert Lead.objects.filter(assignees__username="hongshan_investigator").exists()
    assert Lead.objects.filter(assignees__username="songshan_investigator").exists()


def test_seed_entities_have_valid_credit_codes_and_a_quarter_are_elderly_related(seeded):
    codes = list(Entity.objects.values_list("uscc", "division_id"))
    # 300 seeded, plus the few a measure's demo step registers (e.g. a new shop flagged for a first visit).
    assert 300 <= len(codes) <= 310
    assert all(is_valid_uscc(code) for code, _division in codes)
    assert all(code[2:8] in {division, "150400"} for code, division in codes)
    assert Entity.objects.filter(is_elderly_related=True).count() >= 75
    assert not Entity.objects.filter(name_initials="").exists()


def test_seed_reaches_every_lead_state_and_outcome_and_every_case_state(seeded):
    # 200 planned leads, plus those the channels' own demo steps receive (portal, hotline, informants, ads).
    assert Lead.objects.count() >= 200
    assert set(Lead.objects.values_list("state", flat=True)) == set(LeadState.values)
    assert set(Lead.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(Outcome.values)
    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert set(Lead.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Lead.objects.exclude(category="").values_list("category", flat=True)) == set(
        FraudCategory.values
    )
    elder = Lead.objects.exclude(category=FraudCategory.NOT_ELDER_FRAUD).exclude(victim_age=None)
    assert all(60 <= age <= 90 for age in elder.values_list("victim_age", flat=True))
    named = Lead.objects.filter(reporter_is_named=True)
    assert named.exists() and all(lead.reporter_name and lead.reporter_phone for lead in named)


def test_workflow_driven_leads_have_timelines_and_clocks_in_every_condition(seeded):
    verifying = Lead.objects.filter(state=LeadState.VERIFYING).first()
    events = AuditEvent.objects.filter(subject_type="leads.lead", subject_id=verifying.pk).order_by(
        "at", "id"
    )
    assert [e.transition for e in events] == ["", "register", "screen", "dispatch", "start_verification"]
    assert all(e.at.date() < TODAY for e in events)
    open_leads = Lead.objects.filter(state__in=["registered", "screened", "dispatched", "verifying"])
    assert open_leads.filter(due_date__lt=TODAY).exists()
    assert open_leads.filter(due_date__gte=TODAY).exists()
    case = Case.objects.filter(state=CaseState.STRUCK_OFF, leads__isnull=False).order_by("-id").first()
    assert AuditEvent.objects.filter(
        subject_type="cases.case", subject_id=case.pk, transition="close"
    ).exists()
    assert verify_chain() == (True, None)


def test_seed_records_inspections_of_elderly_related_entities_through_the_service(seeded):
    inspections = Inspection.objects.all()
    assert 30 <= inspections.count() <= 60
    assert inspections.values("entity__division").distinct().count() >= 5
    assert not inspections.filter(entity__is_elderly_related=False).exists()
    assert set(inspections.values_list("result", flat=True)) == set(InspectionResult.values)
    days = inspections.values_list("inspected_on", flat=True)
    assert all(TODAY - timedelta(days=150) <= day < TODAY for day in days)
    # Each has two or three officers, the leading inspector first, and the audit event of the service.
    places: dict[int, list[InspectionOfficer]] = {}
    for place in InspectionOfficer.objects.order_by("inspection_id", "position"):
        places.setdefault(place.inspection_id, []).append(place)
    for inspection in inspections:
        assert 2 <= len(places[inspection.pk]) <= 3
        assert places[inspection.pk][0].officer_id == inspection.inspector_id
    events = AuditEvent.objects.filter(subject_type="entities.inspection", action="create")
    assert events.count() == inspections.count()
    # Problems found went into the hazard ledger; some were rectified and checked again.
    listed = [pk for changes in events.values_list("changes", flat=True) for pk in changes["hazards"][1]]
    found = HazardItem.objects.filter(pk__in=listed, source="inspection")
    assert found.count() == len(listed) > 0
    assert found.filter(status=HazardStatus.RECTIFIED).exists()
    assert found.filter(status=HazardStatus.OPEN).exists()
    assert inspections.filter(note__startswith="复查").exists()
    # New registrations had their first visit; the one registered three days ago still waits for it.
    first_visits = GateAlert.objects.filter(kind=AlertKind.FIRST_VISIT)
    resolved = first_visits.filter(state=AlertState.RESOLVED)
    assert resolved.count() >= 3
    assert {a.detail["inspection"] for a in resolved} <= set(inspections.values_list("pk", flat=True))
    assert first_visits.filter(state=AlertState.OPEN).exists()
    assert inspections_visible_to(User.objects.get(username="hongshan_investigator")).exists()
    assert inspections_visible_to(User.objects.get(username="songshan_investigator")).exists()


def test_seed_numbers_are_unique_and_later_registrations_continue_them(seeded):
    numbers = list(Lead.objects.exclude(number=None).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    hongshan = OrgUnit.objects.get(code="150402")
    from django.db import transaction

    with transaction.atomic():
        new = next_number(bureau=hongshan, kind="lead", year=2026)
    assert new.startswith("红市监线〔2026〕") and new not in numbers


def test_seed_has_the_chain_of_twelve_shops_across_two_districts(seeded):
    shops = Entity.objects.filter(name__contains="康寿堂保健品")
    assert shops.count() == 12
    assert set(shops.values_list("division_id", flat=True)) == {"150402", "150404"}
    assert shops.values("legal_representative", "phone").distinct().count() == 1
    chain_leads = Lead.objects.filter(party_entity__in=shops)
    assert chain_leads.values("party_entity").distinct().count() >= 4
    assert set(chain_leads.values_list("bureau__code", flat=True)) >= {"150402", "150404", "150400"}
    assert all("讲座" in summary for summary in chain_leads.values_list("summary", flat=True)[:6])


def test_same_seed_gives_the_same_deployment(seeded):
    first = _fingerprint()
    flush_demo_data()
    assert not User.objects.exists() and not AuditEvent.objects.exists()
    build_deployment(**SMALL)
    assert _fingerprint() == first


def test_seed_command_refuses_a_database_that_has_people(seeded):
    with pytest.raises(CommandError, match="--flush"):
        call_command("seed", "--entities", "20", "--leads", "10")
