"""core/sql.py: the hand-written inserts write what the ORM's save would, and send the same signals."""

from datetime import date

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save

from silvershield.core.sql import insert_instance
from silvershield.leads.models import Lead


def test_insert_instance_writes_what_save_writes(personas, org):
    officer = personas.legal_officer
    fields = dict(
        bureau=org.hongshan, division=org.hongshan.division, created_by=officer, channel="hotline",
        received_date=date(2026, 11, 2), summary="老年人保健品讲座", party_name="顺康养生馆",
        reporter_phone="13804761234", loss_amount=None,
    )
    seen = []

    def note(sender, instance, **kwargs):
        seen.append((kwargs.get("created"), instance.pk is not None))

    pre_save.connect(note, sender=Lead, dispatch_uid="test-insert-pre")
    post_save.connect(note, sender=Lead, dispatch_uid="test-insert-post")
    try:
        raw = insert_instance(Lead(**fields))
        orm = Lead.objects.create(**fields)
    finally:
        pre_save.disconnect(sender=Lead, dispatch_uid="test-insert-pre")
        post_save.disconnect(sender=Lead, dispatch_uid="test-insert-post")
    # pre_save before the row exists, post_save after with created=True — as for the ORM's save.
    assert seen == [(None, False), (True, True), (None, False), (True, True)]
    assert raw.pk and raw.pk != orm.pk and not raw._state.adding
    assert raw.created_at is not None and raw.updated_at is not None  # auto_now(_add) filled by pre_save
    stored_raw, stored_orm = Lead.objects.get(pk=raw.pk), Lead.objects.get(pk=orm.pk)
    skip = {"id", "created_at", "updated_at"}
    for field in Lead._meta.concrete_fields:
        if field.attname not in skip:
            assert getattr(stored_raw, field.attname) == getattr(stored_orm, field.attname), field.name
    assert stored_raw.reporter_phone == "13804761234"  # encrypted field decrypts to what was written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_hot_statements_are_prepared_once_per_connection_and_still_logged(db, settings):
    from django.test.utils import CaptureQueriesContext

    from silvershield.core.sql import prepared_cursor

    statement = "SELECT count(*) FROM leads_lead WHERE state <> %s AND id > %s"
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            with prepared_cursor() as cursor:
                cursor.execute(statement, ["merged", 0])
                assert cursor.fetchone()[0] == 0
    assert len(ctx.captured_queries) == 3 and "leads_lead" in ctx.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%state <> $1 AND id > $2%"])
        assert cursor.fetchone()[0] == 1  # prepared at first use, then reused
    settings.PREPARED_STATEMENTS = False  # e.g. behind a pooler that drops them: an ordinary cursor
    with prepared_cursor() as cursor:
        assert type(cursor.cursor).__name__ != "_PreparingCursor"
