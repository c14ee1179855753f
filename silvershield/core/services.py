"""Shared writes: notifications to people (sent from workflow effects, after commit)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from silvershield.core.models import Notification, User


def notify(*, recipients: Iterable[User], subject: models.Model, message: str) -> list[Notification]:
    """Tell each recipient about `subject`; callers run this from transaction.on_commit."""
    return Notification.objects.bulk_create(
        Notification(recipient=r, subject_type=subject._meta.label_lower, subject_id=subject.pk, message=message)
        for r in {r.pk: r for r in recipients}.values()
    )
