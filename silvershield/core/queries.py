"""Jurisdiction scoping: the one place that says which bureaus and divisions a person can reach.

A bureau reaches itself and every bureau below it in the organisation tree; a person reaches what their
bureau reaches. Every app's `…_visible_to(user)` builds on these, and `get_object_or_404` over a scoped
queryset answers 404 both for "missing" and for "not yours".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from silvershield.core.models import Division, OrgUnit, OrgUnitKind, User


def bureau_of(user: User) -> OrgUnit:
    return user.unit.bureau or user.unit


def reachable_bureaus_q(user: User, field: str = "bureau") -> Q:
    """A filter on `<field>` (an OrgUnit foreign key) for the bureaus `user` reaches."""
    return Q(**{f"{field}__path__startswith": bureau_of(user).path})


def reachable_bureaus(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, path__startswith=bureau_of(user).path)


def reachable_units(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=bureau_of(user).path)


def reachable_division_codes(user: User) -> list[str]:
    """The division codes under the person's bureau: its own division and those below it."""
    return [b.division_id for b in reachable_bureaus(user).only("division_id")]


def reachable_divisions(user: User) -> QuerySet[Division]:
    return Division.objects.filter(code__in=reachable_division_codes(user)).order_by("code")
