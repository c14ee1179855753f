"""Reads of the screening app, scoped by the organisation tree (core/queries.py): outside reach = 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from silvershield.core.models import User
from silvershield.core.queries import reachable_bureaus_q
from silvershield.screening.models import Conflict, Meeting
from silvershield.screening.permissions import can_see_screening


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    base = Meeting.objects.select_related("bureau", "chair")
    if not can_see_screening(user):
        return base.none()
    return base.filter(reachable_bureaus_q(user))


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    return get_object_or_404(meetings_visible_to(user), pk=pk)


def conflicts_visible_to(user: User) -> QuerySet[Conflict]:
    base = Conflict.objects.select_related("officer", "officer__unit", "entity")
    if not user.is_authenticated:
        return base.none()
    if can_see_screening(user):
        return base.filter(officer__unit__path__startswith=(user.unit.bureau or user.unit).path)
    return base.filter(officer=user)
