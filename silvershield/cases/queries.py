"""Reads of cases, scoped like leads: the bureau's cases for ledger roles; investigators see the cases
of their unit and those they work on."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from silvershield.cases.models import Case
from silvershield.core.models import Role, User
from silvershield.core.permissions import LEDGER_ROLES
from silvershield.core.queries import reachable_bureaus_q


def cases_visible_to(user: User) -> QuerySet[Case]:
    base = Case.objects.select_related("bureau", "division", "handling_unit", "party_entity")
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return base.none()
    scoped = base.filter(reachable_bureaus_q(user))
    if user.role == Role.INVESTIGATOR:
        scoped = scoped.filter(Q(handling_unit__path__startswith=user.unit.path) | Q(officers=user)).distinct()
    return scoped


def get_case_for_user(user: User, pk: int) -> Case:
    return get_object_or_404(cases_visible_to(user), pk=pk)
