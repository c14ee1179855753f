"""The portal's settings, each with a default; set any of them in the Django settings to change it.

PORTAL_RATE_LIMITS: per client address, bucket → (requests, seconds). The public form is tight (a person
reports a few times a day at most), the status lookup looser, the partner endpoint loose because a
partner system's server posts for many people from one address.
PORTAL_MAX_FILES / PORTAL_MAX_FILE_BYTES: photos per report and the size of each.
PORTAL_CAPTCHA_FIXED_ANSWER: tests and demos only: every question is made to have this answer.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "submit": (10, 3600),  # report form POSTs per address per hour
    "status": (20, 600),  # status look-ups per address per 10 minutes
    "open311_post": (600, 60),  # partner POSTs per address per minute
    "open311_get": (1200, 60),  # partner GETs per address per minute
}


def rate_limit(bucket: str) -> tuple[int, int]:
    configured = getattr(settings, "PORTAL_RATE_LIMITS", None) or {}
    return tuple(configured.get(bucket) or DEFAULT_RATE_LIMITS[bucket])  # type: ignore[return-value]


def max_files() -> int:
    return int(getattr(settings, "PORTAL_MAX_FILES", 5))


def max_file_bytes() -> int:
    return int(getattr(settings, "PORTAL_MAX_FILE_BYTES", 10 * 1024 * 1024))


def captcha_fixed_answer() -> int | None:
    value = getattr(settings, "PORTAL_CAPTCHA_FIXED_ANSWER", None)
    return None if value is None else int(value)
