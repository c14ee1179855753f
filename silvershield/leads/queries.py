"""Reads of leads, always scoped to what the person may reach (core/queries.py).

Ledger roles see their bureau's ledger and those of the bureaus below; investigators see the leads
dispatched to their unit or to them; 12315 operators and informants see what they entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from silvershield.core.models import Role, User
from silvershield.core.permissions import LEDGER_ROLES, OWN_SUBMISSION_ROLES
from silvershield.core.queries import reachable_bureau_ids, reachable_bureaus_q
from silvershield.core.sql import param_marks
from silvershield.leads.models import Lead


def leads_visible_to(user: User) -> QuerySet[Lead]:
    base = Lead.objects.select_related("bureau", "division", "handling_unit", "party_entity")
    if not user.is_authenticated:
        return base.none()
    if user.role in OWN_SUBMISSION_ROLES:
        return base.filter(created_by=user)
    if user.role not in LEDGER_ROLES:
        return base.none()
    scoped = base.filter(reachable_bureaus_q(user))
    if user.role == Role.INVESTIGATOR:
        scoped = scoped.filter(Q(handling_unit__path__startswith=user.unit.path) | Q(assignees=user)).distinct()
    return scoped


def lead_scope_sql(user: User) -> tuple[str, list]:
    """`leads_visible_to(user)` as a condition on leads_lead's own columns, with its parameters, for the
    hot paths that write their SQL themselves (the duplicate scan at intake). Same reach, no join."""
    if not user.is_authenticated:
        return "1 = 0", []
    if user.role in OWN_SUBMISSION_ROLES:
        return "created_by_id = %s", [user.pk]
    if user.role not in LEDGER_ROLES:
        return "1 = 0", []
    if user.role == Role.INVESTIGATOR:  # dispatched to their unit or to them: let the ORM say it
        sql, params = leads_visible_to(user).order_by().values("pk").query.sql_with_params()
        return f"id IN ({sql})", list(params)
    ids = reachable_bureau_ids(user)
    return (f"bureau_id IN ({param_marks(ids)})" if ids else "1 = 0"), list(ids)


def get_lead_for_user(user: User, pk: int) -> Lead:
    """The lead, or 404 when it does not exist or lies outside the person's reach."""
    return get_object_or_404(leads_visible_to(user), pk=pk)


@dataclass
class LedgerFilter:
    channel: str = ""
    category: str = ""
    division: str = ""
    unit: int | None = None
    state: str = ""
    received_from: date | None = None
    received_to: date | None = None
    text: str = ""
    mine: bool = False


def filter_ledger(queryset: QuerySet[Lead], f: LedgerFilter, *, user: User | None = None) -> QuerySet[Lead]:
    if f.channel:
        queryset = queryset.filter(channel=f.channel)
    if f.category:
        queryset = queryset.filter(category=f.category)
    if f.division:
        queryset = queryset.filter(division_id=f.division)
    if f.unit:
        queryset = queryset.filter(handling_unit_id=f.unit)
    if f.state:
        queryset = queryset.filter(state=f.state)
    if f.received_from:
        queryset = queryset.filter(received_date__gte=f.received_from)
    if f.received_to:
        queryset = queryset.filter(received_date__lte=f.received_to)
    if f.text:
        text = f.text.strip()
        queryset = queryset.filter(
            Q(number__icontains=text) | Q(party_name__icontains=text) | Q(summary__icontains=text)
        )
    if f.mine and user is not None:
        queryset = queryset.filter(assignees=user)
    return queryset


def ledger_page(queryset: QuerySet[Lead], *, after: tuple[date, int] | None, size: int) -> tuple[list[Lead], tuple[date, int] | None]:
    """One page of the ledger by keyset (received_date desc, id desc): the same cost on page 1 and page 10,000."""
    queryset = queryset.order_by("-received_date", "-id")
    if after is not None:
        after_date, after_id = after
        queryset = queryset.filter(Q(received_date__lt=after_date) | Q(received_date=after_date, id__lt=after_id))
    rows = list(queryset[: size + 1])
    next_key = None
    if len(rows) > size:
        rows = rows[:size]
        next_key = (rows[-1].received_date, rows[-1].pk)
    return rows, next_key


def encode_cursor(key: tuple[date, int] | None) -> str:
    return f"{key[0].isoformat()}_{key[1]}" if key else ""


def decode_cursor(cursor: str | None) -> tuple[date, int] | None:
    if not cursor:
        return None
    try:
        day, pk = cursor.split("_", 1)
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None
