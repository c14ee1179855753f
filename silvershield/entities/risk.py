"""Risk tiers of elderly-related entities (DOMAIN.md C.7: A low, B general, C higher, D high).

The score is data: each `RiskWeight` in force gives points per unit of one factor (complaints, leads,
open leads, cases, penalties, confirmed ad findings, inspection results, open hazards, chain membership,
credit-list status, category), limited by its cap; the tier is the highest `RiskTierRule` whose
threshold the score reaches. Every entity keeps the factors that made its score (factor, count, weight,
points), so the tier explains itself.

`recompute_risk(entity_ids)` recomputes some entities (called from signals when a lead, case, finding,
inspection or hazard about them changes); `recompute_risk(None)` recomputes every elderly-related entity
with a handful of GROUP BY queries and one batched UPDATE, which is what `silvershield entities
recompute-risk` and the benchmark run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from silvershield.entities.models import (
    CreditStatus,
    Entity,
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


def _write(rows: list[tuple]) -> None:
    """rows: (score, tier, factors, computed_at, id); one prepared UPDATE run with executemany.

    Values are adapted here once per distinct value (most entities share a handful of factor lists)."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(Entity._meta.db_table)
    sql = (
        f"UPDATE {table} SET risk_score = %s, risk_tier = %s, risk_factors = %s, risk_computed_at = %s "
        "WHERE id = %s"
    )
    at_cache: dict = {}
    json_cache: dict[int, object] = {}

    def adapt_json(factors):
        key = id(factors)
        hit = json_cache.get(key)
        if hit is None:
            hit = json_cache[key] = ops.adapt_json_value(factors, None) if connection.vendor != "sqlite" else json.dumps(
                factors, ensure_ascii=False
            )
        return hit

    params = []
    for score, tier, factors, at, pk in rows:
        adapted_at = at_cache.get(at)
        if adapted_at is None:
            adapted_at = at_cache[at] = ops.adapt_datetimefield_value(at)
        params.append((
            None if score is None else ops.adapt_decimalfield_value(Decimal(str(score)), 9, 2),
            tier, adapt_json(factors), adapted_at, pk,
        ))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # executemany is one round trip per row on PostgreSQL: send 1,000 rows per UPDATE … FROM VALUES.
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                values = ", ".join(["(%s, %s::numeric, %s, %s::jsonb, %s::timestamptz)"] * len(chunk))
                flat: list = []
                for score, tier, factors, at, pk in chunk:
                    flat += [pk, None if score is None else str(score), tier, json.dumps(factors, ensure_ascii=False), at]
                cursor.execute(
                    f"UPDATE {table} AS e SET risk_score = v.s, risk_tier = v.t, risk_factors = v.f, "
                    f"risk_computed_at = v.a FROM (VALUES {values}) AS v(id, s, t, f, a) WHERE e.id = v.id",
                    flat,
                )
            return
        for start in range(0, len(params), 20000):
            cursor.executemany(sql, params[start : start + 20000])


def _keyset(queryset):
    """Every row by id in chunks, each chunk read fully before the caller writes (safe on SQLite)."""
    last = 0
    while True:
        chunk = list(queryset.filter(id__gt=last).order_by("id")[:CHUNK])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


def recompute_risk(entity_ids: Iterable[int] | None = None, *, scoring: Scoring | None = None) -> int:
    """Recompute score, tier and factors; `None` means every entity. Returns how many rows changed.

    Entities that are not elderly-related carry no tier (their score and factors are cleared).
    """
    scoring = scoring or Scoring.in_force()
    ids = None if entity_ids is None else {int(i) for i in entity_ids if i is not None}
    if ids is not None and not ids:
        return 0
    now = timezone.now()
    entities = Entity.objects.values_list(
        "id", "is_elderly_related", "elderly_category", "credit_status", "legal_representative", "phone",
        "risk_score", "risk_tier", "risk_factors",
    ).order_by()
    changed = 0
    with transaction.atomic():
        if ids is None:
            counts = _counts(None)
            chains = _chains(None)
            rows_iter: Iterable = _keyset(entities)
        else:
            rows_list = list(entities.filter(id__in=ids))
            counts = _counts(ids)
            chains = _chains({(r[4], r[5]) for r in rows_list if r[1] and r[4] and r[5]})
            rows_iter = rows_list
        active = set().union(*(table.keys() for table in counts.values()))
        plain_cache: dict[tuple, tuple] = {}
        empty: list = []
        pending: list[tuple] = []
        for pk, elderly, category, credit, rep, phone, old_score, old_tier, old_factors in rows_iter:
            if not elderly:
                if old_tier or old_score is not None:
                    pending.append((None, "", empty, now, pk))
            elif pk not in active:
                # No leads, cases, findings, inspections or hazards: the score depends only on these three.
                chain = chains.get((rep, phone), 0)
                key = (category, chain, credit)
                cached = plain_cache.get(key)
                if cached is None:
                    counts_plain = {RiskFactor.CHAIN: 1 if chain else 0,
                                    RiskFactor.CREDIT_ABNORMAL: int(credit == CreditStatus.ABNORMAL),
                                    RiskFactor.CREDIT_SERIOUS: int(credit == CreditStatus.SERIOUS)}
                    score, factors = scoring.score(counts_plain, category)
                    for f in factors:
                        if f["factor"] == RiskFactor.CHAIN:
                            f["shops"] = chain
                    cached = plain_cache[key] = (score, scoring.tier_for(score), factors)
                score, tier, factors = cached
                if old_score is None or Decimal(old_score) != score or old_tier != tier or old_factors != factors:
                    pending.append((score, tier, factors, now, pk))
            else:
                per_entity = {factor: table.get(pk, 0) for factor, table in counts.items()}
                per_entity[RiskFactor.CHAIN] = 1 if chains.get((rep, phone)) else 0
                per_entity[RiskFactor.CREDIT_ABNORMAL] = int(credit == CreditStatus.ABNORMAL)
                per_entity[RiskFactor.CREDIT_SERIOUS] = int(credit == CreditStatus.SERIOUS)
                score, factors = scoring.score(per_entity, category)
                if per_entity[RiskFactor.CHAIN]:
                    for f in factors:
                        if f["factor"] == RiskFactor.CHAIN:
                            f["shops"] = chains[(rep, phone)]
                tier = scoring.tier_for(score)
                if old_score is None or Decimal(old_score) != score or old_tier != tier or old_factors != factors:
                    pending.append((score, tier, factors, now, pk))
            if len(pending) >= 20000:
                _write(pending)
                changed += len(pending)
                pending = []
        _write(pending)
        changed += len(pending)
    return changed


def tier_counts(queryset) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in queryset.exclude(risk_tier="").values("risk_tier").annotate(n=Count("id")).order_by():
        out[row["risk_tier"]] = row["n"]
    return dict(out)
