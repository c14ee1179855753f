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

# The apps whose tables the seed writes into.
_SEEDED_APPS = ("core", "intake", "portal", "ads", "leads", "screening", "entities", "board", "cases")
# Reference data loaded by migrations (rules with their legal sources, the calendar, divisions): kept.
# A new model is emptied by --flush unless it is named here.
REFERENCE_MODELS = frozenset(
    {
        "core.Division",
        "core.NumberingRule",
        "core.CalendarDay",
        "core.CalendarYear",
        "core.ClockRule",
        "ads.AdRule",
        "leads.DuplicateRule",
        "screening.RoutingRule",
        "screening.ScreeningSetting",
        "entities.ElderlyRule",
        "entities.RiskWeight",
        "entities.RiskTierRule",
        "board.WarningRule",
    }
)
# Emptied by hand: the audit history (behind triggers) and the people and units, which refer to
# themselves and to each other.
_BY_HAND = frozenset({"core.AuditEvent", "core.User", "core.OrgUnit"})
_ALSO = ("admin.LogEntry", "sessions.Session")


def seeded_models() -> list:
    """Every model whose rows the seed writes, many-to-many tables first."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in _SEEDED_APPS
        and model._meta.label not in REFERENCE_MODELS
        and model._meta.label not in _BY_HAND
    ]
    chosen.sort(key=lambda model: not model._meta.auto_created)
    return chosen + [apps.get_model(label) for label in _ALSO]


def has_seeded_data() -> bool:
    return User.objects.exists()


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
        # Foreign keys are checked at commit (deferred on both databases), so the order is free.
        for model in seeded_models():
            deleted[model._meta.label] = model.objects.all()._raw_delete(model.objects.db)
        # People and units refer to each other and to themselves; clear the links first.
        deleted["core.User"] = User.objects.all()._raw_delete(User.objects.db)
        org_unit = apps.get_model("core", "OrgUnit")
        org_unit.objects.update(parent=None, bureau=None)
        deleted["core.OrgUnit"] = org_unit.objects.all()._raw_delete(org_unit.objects.db)
        with connection.cursor() as cursor:
            for sql in triggers[connection.vendor]:
                cursor.execute(sql)
    return deleted
