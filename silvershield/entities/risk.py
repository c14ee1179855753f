"""Risk tiers of elderly-related entities (DOMAIN.md C.7: A low, B general, C higher, D high).

The score is data: each `RiskWeight` in force gives points per unit of one factor (complaints, leads,
open leads, cases, penalties, confirmed ad findings, inspection results, open hazards, chain membership,
credit-list status, category), limited by its cap; the tier is the highest `RiskTierRule` whose
threshold the score reaches. Every entity keeps the factors that made its score (factor, count, weight,
points), so the tier explains itself.

`recompute_risk(entity_ids)` recomputes some entities (called from signals when a lead, case, finding,
inspection or hazard about them changes); `recompute_risk(None)` recomputes every elderly-related entity
with a handful of GROUP BY queries, which is what `silvershield entities recompute-risk` and the
benchmark run. Scores live in `EntityRisk` (one narrow row per elderly-related entity), written with COPY
and one INSERT … ON CONFLICT on PostgreSQL: rewriting the wide entity rows cost 35–50 s per 300,000 on
PostgreSQL (no update of an indexed column is HOT, and the entity table has many indexes).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from silvershield.entities.models import (
    CreditStatus,
    Entity,
    EntityRisk,
    HazardItem,
    HazardStatus,
    Inspection,
    InspectionResult,
    RiskFactor,
    RiskTierRule,
    RiskWeight,
)

CHAIN_MIN_SHOPS = 3  # entities sharing legal representative and phone that make a chain
COMPLAINT_CHANNELS = ("complaint", "report", "hotline")
CLOSED_LEAD_STATES = ("concluded", "struck_off", "merged")
CLOSED_CASE_STATES = ("closed", "struck_off")
CHUNK = 5000


def _in_force(queryset, on: date):
    return queryset.filter(active=True).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    )


@dataclass
class Scoring:
    weights: dict[tuple[str, str], RiskWeight]
    tiers: list[RiskTierRule]  # highest threshold first

    @classmethod
    def in_force(cls, on: date | None = None) -> Scoring:
        on = on or timezone.localdate()
        weights = {(w.factor, w.category or ""): w for w in _in_force(RiskWeight.objects.all(), on)}
        tiers = sorted(_in_force(RiskTierRule.objects.all(), on), key=lambda t: t.min_score, reverse=True)
        return cls(weights=weights, tiers=tiers)

    def tier_for(self, score: Decimal) -> str:
        for rule in self.tiers:
            if score >= rule.min_score:
                return rule.tier
        return self.tiers[-1].tier if self.tiers else ""

    def score(self, counts: dict[str, int], category: str) -> tuple[Decimal, list[dict]]:
        factors = []
        total = Decimal(0)
        for factor, count in counts.items():
            if not count:
                continue
            weight = self.weights.get((factor, ""))
            if weight is None:
                continue
            points = weight.weight * count
            if weight.cap is not None and points > weight.cap:
                points = weight.cap
            total += points
            factors.append(
                {"factor": factor, "count": count, "weight": float(weight.weight), "points": float(points)}
            )
        if category:
            weight = self.weights.get((RiskFactor.CATEGORY, category))
            if weight is not None and weight.weight:
                total += weight.weight
                factors.append(
                    {"factor": "category", "category": category, "count": 1,
                     "weight": float(weight.weight), "points": float(weight.weight)}
                )
        factors.sort(key=lambda f: -f["points"])
        return total, factors


def _grouped(queryset, key: str, ids: set[int] | None) -> dict[int, int]:
    if ids is not None:
        queryset = queryset.filter(**{f"{key}__in": ids})
    return {
        row[key]: row["n"]
        for row in queryset.exclude(**{f"{key}__isnull": True}).values(key).annotate(n=Count("id")).order_by()
    }


def _counts(ids: set[int] | None) -> dict[str, dict[int, int]]:
    from silvershield.ads.models import Finding, FindingState
    from silvershield.cases.models import Case
    from silvershield.leads.models import Lead

    leads = Lead.objects.exclude(state="merged")
    return {
        RiskFactor.COMPLAINTS: _grouped(leads.filter(channel__in=COMPLAINT_CHANNELS), "party_entity_id", ids),
        RiskFactor.LEADS: _grouped(leads, "party_entity_id", ids),
        RiskFactor.OPEN_LEADS: _grouped(leads.exclude(state__in=CLOSED_LEAD_STATES), "party_entity_id", ids),
        RiskFactor.CASES: _grouped(Case.objects.all(), "party_entity_id", ids),
        RiskFactor.PENALTIES: _grouped(Case.objects.filter(fine_amount__gt=0), "party_entity_id", ids),
        RiskFactor.AD_FINDINGS: _grouped(
            Finding.objects.filter(state=FindingState.CONFIRMED), "ad__advertiser_entity_id", ids
        ),
        RiskFactor.INSPECTION_ISSUES: _grouped(
            Inspection.objects.filter(result=InspectionResult.ISSUES), "entity_id", ids
        ),
        RiskFactor.INSPECTION_SERIOUS: _grouped(
            Inspection.objects.filter(result=InspectionResult.SERIOUS), "entity_id", ids
        ),
        RiskFactor.OPEN_HAZARDS: _grouped(
            HazardItem.objects.exclude(status=HazardStatus.RECTIFIED), "entity_id", ids
        ),
    }


def _chains(pairs: set[tuple[str, str]] | None) -> dict[tuple[str, str], int]:
    """Shops per (legal representative, phone), for the pairs with CHAIN_MIN_SHOPS or more."""
    queryset = Entity.objects.exclude(legal_representative="").exclude(phone="")
    if pairs is not None:
        if not pairs:
            return {}
        queryset = queryset.filter(legal_representative__in={p[0] for p in pairs}, phone__in={p[1] for p in pairs})
    rows = (
        queryset.values("legal_representative", "phone").annotate(n=Count("id")).filter(n__gte=CHAIN_MIN_SHOPS)
        .order_by()
    )
    return {(r["legal_representative"], r["phone"]): r["n"] for r in rows}


_COLUMNS = "entity_id, score, tier, factors, computed_at"


def _write(rows: list[tuple]) -> None:
    """rows: (entity_id, score, tier, factors as JSON text, computed_at), upserted into EntityRisk.

    PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT DO UPDATE (narrow rows, two
    indexes: 300,000 of them in a few seconds). SQLite: the same upsert, one prepared statement run with
    executemany."""
    if not rows:
        return
    table = connection.ops.quote_name(EntityRisk._meta.db_table)
    upsert = (
        "ON CONFLICT (entity_id) DO UPDATE SET score = excluded.score, tier = excluded.tier, "
        "factors = excluded.factors, computed_at = excluded.computed_at"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS _entity_risk_new (entity_id bigint, score numeric(9, 2), "
                "tier varchar(1), factors jsonb, computed_at timestamptz) ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY _entity_risk_new ({_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({_COLUMNS}) SELECT {_COLUMNS} FROM _entity_risk_new {upsert}")
            cursor.execute("TRUNCATE _entity_risk_new")
            return
        ops = connection.ops
        at_cache: dict = {}
        params = []
        for pk, score, tier, factors, at in rows:
            adapted = at_cache.get(at)
            if adapted is None:
                adapted = at_cache[at] = ops.adapt_datetimefield_value(at)
            params.append((pk, str(score), tier, factors, adapted))
        sql = f"INSERT INTO {table} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s) {upsert}"
        for start in range(0, len(params), 20000):
            cursor.executemany(sql, params[start : start + 20000])


def _delete(ids: Iterable[int] | None) -> None:
    """Drop the risk rows of entities that are not (or no longer) elderly-related."""
    risk = connection.ops.quote_name(EntityRisk._meta.db_table)
    entity = connection.ops.quote_name(Entity._meta.db_table)
    sql = (
        f"DELETE FROM {risk} WHERE entity_id IN (SELECT id FROM {entity} WHERE NOT is_elderly_related"
    )
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql + ")")
            return
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            cursor.execute(sql + f" AND id IN ({', '.join(['%s'] * len(chunk))}))", chunk)


_SELECT = (
    "SELECT e.id, e.elderly_category, e.credit_status, e.legal_representative, e.phone, r.score, r.tier, "
    "r.factors FROM {entity} e LEFT JOIN {risk} r ON r.entity_id = e.id WHERE e.is_elderly_related"
)


def _elderly_rows(ids: list[int] | None) -> Iterable[tuple]:
    """The elderly-related entities with their stored risk, by id in chunks (each read before writing)."""
    quote = connection.ops.quote_name
    sql = _SELECT.format(entity=quote(Entity._meta.db_table), risk=quote(EntityRisk._meta.db_table))
    with connection.cursor() as cursor:
        if ids is not None:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                cursor.execute(sql + f" AND e.id IN ({', '.join(['%s'] * len(chunk))})", chunk)
                yield from cursor.fetchall()
            return
        last = 0
        while True:
            cursor.execute(sql + " AND e.id > %s ORDER BY e.id LIMIT %s", [last, 4 * CHUNK])
            chunk = cursor.fetchall()
            if not chunk:
                return
            yield from chunk
            last = chunk[-1][0]


def recompute_risk(entity_ids: Iterable[int] | None = None, *, scoring: Scoring | None = None) -> int:
    """Recompute score, tier and factors; `None` means every entity. Returns how many rows were written.

    Entities that are not elderly-related carry no tier (their EntityRisk row, if any, is deleted). Only the
    rows whose score, tier or factors changed are written.
    """
    scoring = scoring or Scoring.in_force()
    ids = None if entity_ids is None else sorted({int(i) for i in entity_ids if i is not None})
    if ids is not None and not ids:
        return 0
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        _delete(ids)
        if ids is None:
            counts = _counts(None)
            chains = _chains(None)
            rows: Iterable = _elderly_rows(None)
        else:
            rows = list(_elderly_rows(ids))
            counts = _counts(set(ids))
            chains = _chains({(r[3], r[4]) for r in rows if r[3] and r[4]})
        active = set().union(*(table.keys() for table in counts.values()))
        plain_cache: dict[tuple, tuple] = {}
        stored_cache: dict[Any, list] = {}  # stored factors (JSON text) → list; most entities share a few
        pending: list[tuple] = []
        for pk, category, credit, rep, phone, old_score, old_tier, old_factors in rows:
            chain = chains.get((rep, phone), 0) if rep and phone else 0
            if pk not in active:
                # No leads, cases, findings, inspections or hazards: the score depends only on these three.
                key = (category, chain, credit)
                cached = plain_cache.get(key)
                if cached is None:
                    cached = plain_cache[key] = _score(scoring, {}, category, chain, credit)
            else:
                per_entity = {factor: table.get(pk, 0) for factor, table in counts.items()}
                cached = _score(scoring, per_entity, category, chain, credit)
            score, tier, factors, text = cached
            if old_tier is not None and old_tier == tier and Decimal(str(old_score)) == score:
                if isinstance(old_factors, str):
                    decoded = stored_cache.get(old_factors)
                    if decoded is None:
                        decoded = stored_cache[old_factors] = json.loads(old_factors)
                else:
                    decoded = old_factors
                if decoded == factors:
                    continue
            pending.append((pk, score, tier, text, now))
            if len(pending) >= 50000:
                _write(pending)
                changed += len(pending)
                pending = []
        _write(pending)
        changed += len(pending)
    return changed


def _score(scoring: Scoring, counts: dict, category: str, chain: int, credit: str) -> tuple:
    counts = {**counts, RiskFactor.CHAIN: 1 if chain else 0,
              RiskFactor.CREDIT_ABNORMAL: int(credit == CreditStatus.ABNORMAL),
              RiskFactor.CREDIT_SERIOUS: int(credit == CreditStatus.SERIOUS)}
    score, factors = scoring.score(counts, category)
    for f in factors:
        if f["factor"] == RiskFactor.CHAIN:
            f["shops"] = chain
    return score, scoring.tier_for(score), factors, json.dumps(factors, ensure_ascii=False)


def tier_counts(queryset) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in queryset.filter(risk__tier__isnull=False).values("risk__tier").annotate(n=Count("id")).order_by():
        out[row["risk__tier"]] = row["n"]
    return dict(out)
