"""The audit history is append-only and hash-chained."""

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
