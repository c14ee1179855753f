"""Deployment checks: `silvershield check --deploy` refuses a production set-up that would run on the
demo's keys (docs/operations.md). The demo itself (SQLite, no --deploy) is not affected."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEMO_KEY_PREFIX = "silvershield-demo-only-key"


@register(Tags.security, deploy=True)
def production_secrets(app_configs, **kwargs):
    problems = []
    if settings.SECRET_KEY.startswith(DEMO_KEY_PREFIX):
        problems.append(
            Error(
                "SECRET_KEY is the public demo key.",
                hint="Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value; see docs/operations.md.",
                id="silvershield.E001",
            )
        )
    if not settings.SILVERSHIELD_FIELD_KEY:
        problems.append(
            Error(
                "SILVERSHIELD_FIELD_KEY is not set: reporters' identities would be encrypted with a key derived "
                "from SECRET_KEY.",
                hint="Generate a Fernet key and set SILVERSHIELD_FIELD_KEY; see docs/operations.md section 5.",
                id="silvershield.E002",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning(
                "The database is SQLite, which is for the demo and one-county trials.",
                hint="Set DATABASE_URL to PostgreSQL for production.",
                id="silvershield.W001",
            )
        )
    return problems
