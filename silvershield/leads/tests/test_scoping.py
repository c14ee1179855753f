"""Who sees which leads: jurisdiction by the organisation tree, and roles within it."""

import pytest
from django.http import Http404

from silvershield.core.testing import make_lead
from silvershield.leads.queries import get_lead_for_user, leads_visible_to
from silvershield.leads.workflow import run_lead_transition


def test_county_officer_cannot_open_other_countys_lead(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    with pytest.raises(Http404):
        get_lead_for_user(personas.outsider, lead.pk)


def test_city_bureau_sees_its_counties_ledgers(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    assert get_lead_for_user(personas.city_leader, lead.pk) == lead


def test_experts_see_no_ledger(personas, org):
    make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    assert not leads_visible_to(personas.expert).exists()


def test_hotline_operator_sees_only_what_they_entered(personas, org):
    own = make_lead(bureau=org.hongshan, actor=personas.hotline, channel="hotline")
    make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    assert list(leads_visible_to(personas.hotline)) == [own]


def test_investigator_sees_leads_dispatched_to_their_unit(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    assert not leads_visible_to(personas.investigator).filter(pk=lead.pk).exists()
    lead = run_lead_transition(lead=lead, name="register", actor=personas.legal_officer)
    lead = run_lead_transition(lead=lead, name="screen", actor=personas.task_office, params={"category": "house_for_pension"})
    run_lead_transition(
        lead=lead, name="dispatch", actor=personas.task_office,
        params={"handling_unit": org.hongshan_institute.pk, "assignees": [personas.investigator.pk]},
    )
    assert leads_visible_to(personas.investigator).filter(pk=lead.pk).exists()
    assert leads_visible_to(personas.investigator2).filter(pk=lead.pk).exists()  # same institute
    assert not leads_visible_to(personas.outsider_investigator).filter(pk=lead.pk).exists()


def test_lead_in_a_division_outside_the_bureau_is_refused(personas, org):
    from datetime import date

    from silvershield.core.errors import InvalidInput
    from silvershield.leads.models import Lead
    from silvershield.leads.services import create_lead

    with pytest.raises(InvalidInput) as excinfo:
        create_lead(
            actor=personas.legal_officer, channel="report", received_date=date(2026, 11, 2), summary="某店虚假宣传",
            division="150404",
        )
    assert excinfo.value.field == "division"
    assert not Lead.objects.exists()


def test_the_sql_scope_reaches_exactly_what_the_queryset_reaches(personas, org):
    """`lead_scope_sql` (the duplicate scan's own SQL) and `leads_visible_to` must never disagree."""
    from django.db import connection

    from silvershield.leads.queries import lead_scope_sql

    make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    make_lead(bureau=org.hongshan, actor=personas.hotline, channel="hotline")
    dispatched = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    dispatched = run_lead_transition(lead=dispatched, name="register", actor=personas.legal_officer)
    dispatched = run_lead_transition(
        lead=dispatched, name="screen", actor=personas.task_office, params={"category": "house_for_pension"}
    )
    run_lead_transition(
        lead=dispatched, name="dispatch", actor=personas.task_office,
        params={"handling_unit": org.hongshan_institute.pk, "assignees": [personas.investigator.pk]},
    )
    people = [
        personas.legal_officer, personas.hotline, personas.investigator, personas.investigator2,
        personas.city_leader, personas.outsider, personas.expert,
    ]
    seen_any = set()
    for person in people:
        where, params = lead_scope_sql(person)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM leads_lead WHERE {where}", params)
            raw = {row[0] for row in cursor.fetchall()}
        assert raw == set(leads_visible_to(person).values_list("pk", flat=True)), person.username
        seen_any |= raw
    assert len(seen_any) == 3
