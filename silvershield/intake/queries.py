"""Reads of the channels, always scoped (core/queries.py): outside one's reach is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from silvershield.core.models import Informant, Station, User
from silvershield.core.queries import bureau_of, reachable_bureaus_q
from silvershield.leads.models import Lead, LeadState, Outcome
from silvershield.leads.queries import leads_visible_to


def stations_visible_to(user: User) -> QuerySet[Station]:
    if not user.is_authenticated:
        return Station.objects.none()
    return Station.objects.filter(reachable_bureaus_q(user)).select_related("division", "bureau")


def informants_visible_to(user: User) -> QuerySet[Informant]:
    if not user.is_authenticated:
        return Informant.objects.none()
    path = bureau_of(user).path
    return Informant.objects.filter(
        Q(station__bureau__path__startswith=path) | Q(station__isnull=True, user__unit__path__startswith=path)
    ).select_related("station", "station__division")


def get_station_for_user(user: User, pk: int) -> Station:
    return get_object_or_404(stations_visible_to(user), pk=pk)


def get_informant_for_user(user: User, pk: int) -> Informant:
    return get_object_or_404(informants_visible_to(user), pk=pk)


def own_submissions(user: User, channel: str | None = None) -> QuerySet[Lead]:
    """What the person entered themselves, newest first (OWN_SUBMISSION_ROLES see nothing else)."""
    queryset = leads_visible_to(user).filter(created_by=user)
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset.order_by("-created_at", "-id")


# --- statistics of the network -------------------------------------------------------------------------

MEASURES = ("submitted", "registered", "cases")
_REGISTERED = Q(registered_at__isnull=False) & ~Q(state=LeadState.MERGED)
_CASES = Q(outcome=Outcome.CASE_OPENED) | Q(case__isnull=False)


@dataclass
class StatsFilter:
    date_from: date | None = None
    date_to: date | None = None
    division: str = ""


def network_leads(user: User, f: StatsFilter) -> QuerySet[Lead]:
    """Leads brought in by informants, within the person's reach and the filter."""
    queryset = Lead.objects.filter(reachable_bureaus_q(user), informant__isnull=False)
    if f.date_from:
        queryset = queryset.filter(received_date__gte=f.date_from)
    if f.date_to:
        queryset = queryset.filter(received_date__lte=f.date_to)
    if f.division:
        queryset = queryset.filter(division_id=f.division)
    return queryset


def measure_q(measure: str) -> Q:
    return {"submitted": Q(), "registered": _REGISTERED, "cases": _CASES}[measure]


def _counts(queryset: QuerySet[Lead], by: str) -> dict:
    rows = queryset.values(by).annotate(
        submitted=Count("id"), registered=Count("id", filter=_REGISTERED), cases=Count("id", filter=_CASES)
    )
    return {row[by]: row for row in rows}


def stats_by_informant(user: User, f: StatsFilter) -> list[dict]:
    counts = _counts(network_leads(user, f), "informant_id")
    out = []
    for informant in informants_visible_to(user).order_by("station__code", "name"):
        row = counts.get(informant.pk, {})
        out.append({"informant": informant, **{m: row.get(m, 0) for m in MEASURES}})
    out.sort(key=lambda r: (-r["submitted"], r["informant"].name))
    return out


def stats_by_station(user: User, f: StatsFilter) -> list[dict]:
    counts = _counts(network_leads(user, f), "informant__station_id")
    out = []
    stations = stations_visible_to(user)
    if f.division:
        stations = stations.filter(division_id=f.division)
    for station in stations.annotate(members=Count("informant")).order_by("code"):
        row = counts.get(station.pk, {})
        out.append({"station": station, **{m: row.get(m, 0) for m in MEASURES}})
    out.sort(key=lambda r: (-r["submitted"], r["station"].code))
    return out


def stats_by_month(user: User, f: StatsFilter) -> list[dict]:
    rows = (
        network_leads(user, f).annotate(month=TruncMonth("received_date")).values("month")
        .annotate(submitted=Count("id"), registered=Count("id", filter=_REGISTERED), cases=Count("id", filter=_CASES))
        .order_by("month")
    )
    return list(rows)
