"""`silvershield reencrypt`: rotating the field key re-encrypts every value and recomputes look-up hashes."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from silvershield.core.testing import make_lead
from silvershield.leads.lookup import phone_hash
from silvershield.leads.models import Lead

pytestmark = pytest.mark.django_db

OLD, NEW, STRANGER = Fernet.generate_key().decode(), Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(lead, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM leads_lead WHERE id = %s", [lead.pk])
        return cursor.fetchone()[0]


def test_rotation_reencrypts_with_the_first_key_and_recomputes_hashes(personas, org, settings):
    settings.SILVERSHIELD_FIELD_KEY = OLD
    lead = make_lead(
        bureau=org.hongshan, actor=personas.legal_officer, reporter_name="张三丰", reporter_phone="13804761234",
        reporter_id_number="11010519491231002X", reporter_address="红山区某小区",
    )
    empty = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    old_hash = Lead.objects.get(pk=lead.pk).reporter_phone_hash
    Fernet(OLD.encode()).decrypt(raw(lead, "reporter_name").encode())

    settings.SILVERSHIELD_FIELD_KEY = f"{NEW},{OLD}"
    call_command("reencrypt", "--batch-size", "1", "--no-progress")
    for column in ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address"):
        Fernet(NEW.encode()).decrypt(raw(lead, column).encode())  # opens with the new key alone
    assert raw(empty, "reporter_name") == ""

    settings.SILVERSHIELD_FIELD_KEY = NEW  # the old key dropped: everything still reads
    fresh = Lead.objects.get(pk=lead.pk)
    assert (fresh.reporter_name, fresh.reporter_phone, fresh.reporter_address) == ("张三丰", "13804761234", "红山区某小区")
    assert fresh.reporter_phone_hash == phone_hash("13804761234") != old_hash


def test_a_value_no_key_opens_is_reported_and_left_alone(personas, org, settings):
    settings.SILVERSHIELD_FIELD_KEY = STRANGER
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer, reporter_name="张三丰")
    before = raw(lead, "reporter_name")
    settings.SILVERSHIELD_FIELD_KEY = f"{NEW},{OLD}"
    with pytest.raises(CommandError, match="keep the old key"):
        call_command("reencrypt", "--no-progress")
    assert raw(lead, "reporter_name") == before


def test_dry_run_writes_nothing(personas, org, settings):
    settings.SILVERSHIELD_FIELD_KEY = OLD
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer, reporter_name="张三丰")
    before = raw(lead, "reporter_name")
    settings.SILVERSHIELD_FIELD_KEY = f"{NEW},{OLD}"
    call_command("reencrypt", "--dry-run", "--no-progress")
    assert raw(lead, "reporter_name") == before
