"""Emptying a demo database before seeding it again (`silvershield seed --flush`).

This removes every lead, case, entity, ad, person and unit, and the audit history with them: the
append-only triggers are lifted for the duration, inside the same transaction, and put back before it
commits. Reference data loaded by migrations (divisions, clock rules, numbering rules, calendar, the ad
rulebook) stays. It is meant for demo and benchmark databases only; the command says so loudly.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection, transaction

from silvershield.core.models import AuditEvent, User

# Tables that hold what the seed writes, children before parents.
_MODELS = (
    "core.Notification",
    "core.ApiToken",
    "ads.Finding",
    "ads.Ad",
    "leads.CategoryCorrection",
    "leads.Lead_assignees",
    "cases.Case_officers",
    "leads.Lead",
    "cases.Case",
    "entities.Entity",
    "core.LinkageMember",
    "core.Expert",
    "core.Informant",
    "core.Station",
    "core.NumberSequence",
    "core.AuditChainHead",
    "admin.LogEntry",
    "sessions.Session",
    "core.User_groups",
    "core.User_user_permissions",
)


def has_seeded_data() -> bool:
    return User.objects.exists()


def _model(label: str):
    app_label, name = label.split(".")
    if "_" in name:  # an auto-created many-to-many table, e.g. Lead_assignees
        owner, field_name = name.split("_", 1)
        return getattr(apps.get_model(app_label, owner), field_name).through
    return apps.get_model(app_label, name)


def flush_demo_data() -> dict[str, int]:
    """Delete the seeded data; returns rows deleted per table."""
    triggers = importlib.import_module("silvershield.core.migrations.0002_reference_data").TRIGGERS
    deleted: dict[str, int] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The append-only triggers are lifted inside this transaction and put back before it
            # commits. (TRUNCATE would skip them on PostgreSQL, but refuses to run while deferred
            # foreign-key checks of the same transaction are pending.)
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
            elif connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent")
            else:
                raise RuntimeError(f"--flush supports SQLite and PostgreSQL, not {connection.vendor}")
            deleted["core.AuditEvent"] = AuditEvent.objects.count()
            cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table}")
        for label in _MODELS:
            model = _model(label)
            deleted[label] = model.objects.all()._raw_delete(model.objects.db)
        # People and units refer to each other and to themselves; clear the links first.
        deleted["core.User"] = User.objects.all()._raw_delete(User.objects.db)
        org_unit = apps.get_model("core", "OrgUnit")
        org_unit.objects.update(parent=None, bureau=None)
        deleted["core.OrgUnit"] = org_unit.objects.all()._raw_delete(org_unit.objects.db)
        with connection.cursor() as cursor:
            for sql in triggers[connection.vendor]:
                cursor.execute(sql)
    return deleted
