"""A pytest plugin (loaded by pyproject.toml's addopts) that lets transactional tests end cleanly.

A transactional test (live server, threads, `django_db(transaction=True)`) commits its data, so
pytest-django empties every table afterwards ("flush"). Two things go wrong for the tests that follow in
the same worker, whatever order xdist gives them:

- on SQLite the flush DELETEs the audit rows, which the append-only triggers of
  core/migrations/0002_reference_data.py refuse (PostgreSQL TRUNCATEs, which row triggers do not see);
- the flush also removes the reference data the migrations loaded (divisions, clock rules, numbering
  patterns, the ad rulebook), so the next test finds no 红山区.

So before a transactional test the reference data is serialised; at its end the SQLite triggers are
lifted just for the flush, and once the flush is done (it ends with post_migrate) the reference data and
the triggers are put back. Non-transactional tests roll back and need none of this.
"""

from __future__ import annotations

import importlib

import pytest

_RESTORE_UID = "silvershield-restore-reference-data-after-flush"


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return False
    from pytest_django.fixtures import validate_django_db

    transaction, reset_sequences, *_rest = validate_django_db(marker)
    return bool(transaction or reset_sequences)


@pytest.fixture(autouse=True)
def _reference_data_survives_flush(request: pytest.FixtureRequest):
    if not _is_transactional(request):
        yield
        return
    # Set the database up first, so that this fixture's teardown runs before the flush.
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.models.signals import post_migrate

    blocker = request.getfixturevalue("django_db_blocker")
    connection = connections[DEFAULT_DB_ALIAS]
    with blocker.unblock():
        reference_data = connection.creation.serialize_db_to_string()
    yield
    triggers = importlib.import_module("silvershield.core.migrations.0002_reference_data").TRIGGERS
    # post_migrate is sent once per app, the last one after every app has recreated its content types
    # and permissions; those are replaced by the rows from before, so that every primary key matches.
    last_app = [config for config in apps.get_app_configs() if config.models_module is not None][-1]

    def restore(sender, **kwargs):
        post_migrate.disconnect(sender=last_app, dispatch_uid=_RESTORE_UID)
        with blocker.unblock():
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            connection.creation.deserialize_db_from_string(reference_data)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    for sql in triggers["sqlite"]:
                        cursor.execute(sql)

    with blocker.unblock():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
    post_migrate.connect(restore, sender=last_app, weak=False, dispatch_uid=_RESTORE_UID)
