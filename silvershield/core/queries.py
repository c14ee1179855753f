"""Jurisdiction scoping: the one place that says which bureaus and divisions a person can reach.

A bureau reaches itself and every bureau below it in the organisation tree; a person reaches what their
bureau reaches. Every app's `…_visible_to(user)` builds on these, and `get_object_or_404` over a scoped
queryset answers 404 both for "missing" and for "not yours".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from silvershield.core.memo import memo_for
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
    return list(_division_codes_under(bureau_of(user).path))


@memo_for()
def _division_codes_under(path: str) -> tuple[str, ...]:
    return tuple(
        OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, path__startswith=path)
        .order_by("path")
        .values_list("division_id", flat=True)
    )


def reachable_bureau_ids(user: User) -> tuple[int, ...]:
    """The ids of the bureaus the person reaches (as `reachable_bureaus`), for hot paths that filter a
    ledger with `bureau_id IN (…)` in SQL of their own rather than join the unit tree. A ledger row's
    bureau is always a bureau, so this is the same reach as `reachable_bureaus_q` on it."""
    return _bureau_ids_under(bureau_of(user).path)


@memo_for()
def _bureau_ids_under(path: str) -> tuple[int, ...]:
    return tuple(
        OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, path__startswith=path).order_by("pk").values_list("pk", flat=True)
    )


@memo_for()
def division_by_code(code: str) -> Division:
    """A division (reference data) by its code; raises Division.DoesNotExist."""
    return Division.objects.get(code=code)


def officers_in_reach(user: User, roles) -> QuerySet[User]:
    """Active people in these roles in the units the person reaches, by unit then name: the choices of the
    officer filters (wall board, inspections)."""
    return (
        User.objects.filter(role__in=list(roles), is_active=True, unit__in=reachable_units(user))
        .order_by("unit__path", "full_name")
        .only("pk", "full_name", "username")
    )


def reachable_divisions(user: User) -> QuerySet[Division]:
    return Division.objects.filter(code__in=reachable_division_codes(user)).order_by("code")
