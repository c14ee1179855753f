"""The audit history is append-only and hash-chained."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from silvershield.core.audit import events_for, verify_chain
from silvershield.core.models import AuditEvent
from silvershield.core.testing import make_lead
from silvershield.leads.workflow import run_lead_transition


def test_changes_leave_chained_events(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    run_lead_transition(lead=lead, name="register", actor=personas.legal_officer)
    events = list(events_for(lead))
    assert [e.action for e in events] == ["create", "transition"]
    assert events[1].from_state == "received" and events[1].to_state == "registered"
    assert events[1].actor == personas.legal_officer
    assert events[1].previous_hash == events[0].hash
    assert verify_chain() == (True, None)


def test_events_cannot_be_changed_through_the_orm(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    event = events_for(lead).first()
    event.reason = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_events_cannot_be_changed_in_the_database_either(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    event = events_for(lead).first()
    with pytest.raises((IntegrityError, DatabaseError)):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["改写", event.pk])
    with pytest.raises((IntegrityError, DatabaseError)):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()


def test_reporter_values_never_reach_the_audit_history(personas, org):
    lead = make_lead(
        bureau=org.hongshan, actor=personas.legal_officer, reporter_is_named=True, reporter_name="李秀英",
        reporter_phone="13804761234",
    )
    created = events_for(lead).first()
    assert "李秀英" not in str(created.changes) and "13804761234" not in str(created.changes)
    assert created.changes["reporter_name"] == [None, "***"]


def test_reporter_identity_is_encrypted_at_rest(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer, reporter_name="李秀英")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name FROM leads_lead WHERE id = %s", [lead.pk])
        stored = cursor.fetchone()[0]
    assert "李秀英" not in stored and stored
    lead.refresh_from_db()
    assert lead.reporter_name == "李秀英" and lead.reporter_name_masked == "李**"


def test_the_hashed_text_splits_around_the_subject_id():
    from datetime import UTC, datetime

    event = AuditEvent(
        at=datetime(2026, 11, 29, 8, 5, 3, 120, tzinfo=UTC), actor_id=7, subject_type="leads.lead", subject_id=4321,
        action="create", to_state="received", reason='引号"与\\反斜杠',
        changes={"summary": [None, "讲座推销“神药”"], "a": [1, 2.5], "z": [None, {"b": 1, "a": [True, None]}]},
        previous_hash="ab" * 32,
    )
    before, after = event.hash_text_around_subject()
    assert f'["{event.previous_hash}", {before}, 4321, {after}' == event.hashed_text()
    event.previous_hash = ""  # the first event of all
    assert f'["", {before}, 4321, {after}' == event.hashed_text()


def test_a_lead_and_its_create_event_are_written_together_and_chained(personas, org):
    from silvershield.core.models import AuditChainHead
    from silvershield.leads.services import create_lead

    first = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    head_before = AuditChainHead.objects.get(id=1).hash
    lead = create_lead(
        actor=personas.legal_officer, channel="hotline", received_date=date(2026, 11, 20), summary="推销“保健品”，称包治百病",
        party_name="顺康养生馆", reporter_phone="13804761234", division=first.division_id,
    )
    assert lead.pk and lead.pk != first.pk
    event = events_for(lead).get()
    assert (event.action, event.to_state, event.actor) == ("create", "received", personas.legal_officer)
    assert event.previous_hash == head_before
    assert event.hash == event.compute_hash()  # as stored and read back, whichever database computed it
    assert AuditChainHead.objects.get(id=1).hash == event.hash
    assert event.changes["reporter_phone"] == [None, "***"]
    assert verify_chain() == (True, None)


def test_a_failed_create_leaves_neither_row_nor_event(personas, org):
    from silvershield.core.audit import create_with_event
    from silvershield.core.models import AuditChainHead
    from silvershield.leads.models import Lead

    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    Lead.objects.filter(pk=lead.pk).update(number="赤红市监线〔2026〕1号")
    events, leads, head = AuditEvent.objects.count(), Lead.objects.count(), AuditChainHead.objects.get(id=1).hash
    twin = Lead(
        bureau=org.hongshan, division=lead.division, created_by=personas.legal_officer, channel="hotline",
        received_date=lead.received_date, summary="重复编号", number="赤红市监线〔2026〕1号",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        create_with_event(twin, actor=personas.legal_officer, to_state="received")
    assert (AuditEvent.objects.count(), Lead.objects.count()) == (events, leads)
    assert AuditChainHead.objects.get(id=1).hash == head


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce text lengths")
def test_an_over_long_value_is_refused_not_cut(personas, org):
    from django.db import DataError

    from silvershield.core.audit import create_with_event
    from silvershield.leads.models import Lead

    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    long_number = "号" * 41  # the column holds 40
    twin = Lead(
        bureau=org.hongshan, division=lead.division, created_by=personas.legal_officer, channel="hotline",
        received_date=lead.received_date, summary="编号过长", number=long_number,
    )
    with pytest.raises(DataError), transaction.atomic():
        create_with_event(twin, actor=personas.legal_officer, to_state="received")
    assert not Lead.objects.filter(number__startswith="号").exists()
