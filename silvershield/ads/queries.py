"""Reads for ad monitoring: the rulebook in force, compiled and cached.

The cache is keyed on a fingerprint of the AdRule table (row count, sum of versions, latest change), so an
administrator's edit is picked up by the next check in every process without any signal or restart.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from functools import lru_cache

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from silvershield.ads.checker.engine import CompiledRulebook
from silvershield.ads.checker.spec import RuleSpec
from silvershield.ads.models import Ad, AdRule, Finding
from silvershield.ads.rulebook import default_rulespecs, spec_from_data
from silvershield.core.queries import reachable_bureaus_q

_SPEC_MODEL_FIELDS = (
    "code",
    "name",
    "law",
    "article_number",
    "paragraph_number",
    "item_number",
    "kind",
    "product_types",
    "patterns",
    "context_patterns",
    "exception_patterns",
    "negation_applies",
    "quotation_applies",
    "explanation",
    "severity",
    "effective_from",
    "effective_to",
    "version",
    "enabled",
    "article",
)
_MAX_CACHED = 8
_cache: dict[tuple[str, date], CompiledRulebook] = {}
_lock = threading.Lock()


def spec_from_rule(rule: AdRule) -> RuleSpec:
    return spec_from_data({name: getattr(rule, name) for name in _SPEC_MODEL_FIELDS})


@lru_cache(maxsize=_MAX_CACHED)
def default_rulebook(*, on: date) -> CompiledRulebook:
    """The shipped rulebook (ads/rulebook/), for checks that run without the database."""
    return CompiledRulebook(rules=default_rulespecs(), on=on, version="defaults")


def rulebook_version() -> str:
    """A short name for the current state of the AdRule table; "defaults" when it is empty."""
    state = AdRule.objects.aggregate(rows=Count("id"), versions=Sum("version"), latest=Max("updated_at"))
    if not state["rows"]:
        return "defaults"
    raw = f"{state['rows']}:{state['versions']}:{state['latest'].isoformat()}"
    return "db-" + hashlib.sha1(raw.encode()).hexdigest()[:12]


def get_rulebook(*, on: date | None = None) -> CompiledRulebook:
    """The rules in force on `on` (today by default), as the administrator last left them.

    An empty table means the defaults, so a database that was never seeded still checks ads.
    """
    on = on or timezone.localdate()
    version = rulebook_version()
    if version == "defaults":
        return default_rulebook(on=on)
    key = (version, on)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    rules = [spec_from_rule(rule) for rule in AdRule.objects.all()]
    compiled = CompiledRulebook(rules=rules, on=on, version=version)
    with _lock:
        if len(_cache) >= _MAX_CACHED:
            _cache.clear()
        _cache[key] = compiled
    return compiled


# --- ads, findings and the figures, scoped ----------------------------------------------------------


def ads_visible_to(user) -> QuerySet[Ad]:
    """Ads of the bureaus the person reaches (a county monitor: the county's; the city's: all)."""
    from silvershield.ads.permissions import can_see_ads

    base = Ad.objects.select_related("division", "advertiser_entity", "lead", "bureau")
    if not can_see_ads(user):
        return base.none()
    return base.filter(reachable_bureaus_q(user))


def get_ad_for_user(user, pk: int) -> Ad:
    """The ad, or 404 when it does not exist or lies outside the person's reach."""
    return get_object_or_404(ads_visible_to(user), pk=pk)


def findings_visible_to(user) -> QuerySet[Finding]:
    from silvershield.ads.permissions import can_see_ads

    base = Finding.objects.select_related("ad", "ad__division", "ad__lead", "rule", "reviewed_by")
    if not can_see_ads(user):
        return base.none()
    return base.filter(reachable_bureaus_q(user, field="ad__bureau"))


def get_finding_for_user(user, pk: int) -> Finding:
    return get_object_or_404(findings_visible_to(user), pk=pk)


SEVERITY_ORDER = Case(
    When(severity="high", then=Value(0)), When(severity="medium", then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class AdFilter:
    """What the queue, the list and the figures filter by (all optional)."""

    medium: str = ""
    product_type: str = ""
    article: str = ""
    division: str = ""
    date_from: date | None = None
    date_to: date | None = None
    month: str = ""  # YYYY-MM
    advertiser: str = ""
    flagged: str = ""  # "1": ads with findings; "0": without
    state: str = ""  # findings: pending / confirmed / rejected
    q: str = ""

    def apply_to_ads(self, queryset: QuerySet[Ad]) -> QuerySet[Ad]:
        return self._apply(queryset, prefix="")

    def apply_to_findings(self, queryset: QuerySet[Finding]) -> QuerySet[Finding]:
        queryset = self._apply(queryset, prefix="ad__")
        if self.article:
            queryset = queryset.filter(article=self.article)
        if self.state:
            queryset = queryset.filter(state=self.state)
        return queryset

    def _apply(self, queryset, *, prefix: str):
        f = {}
        if self.medium:
            f[prefix + "medium"] = self.medium
        if self.product_type:
            f[prefix + "product_type"] = self.product_type
        if self.division:
            f[prefix + "division_id"] = self.division
        if self.date_from:
            f[prefix + "published_at__date__gte"] = self.date_from
        if self.date_to:
            f[prefix + "published_at__date__lte"] = self.date_to
        if self.month:
            year, month = (int(p) for p in self.month.split("-"))
            f[prefix + "published_at__year"] = year
            f[prefix + "published_at__month"] = month
        if self.advertiser:
            f[prefix + "advertiser_name"] = self.advertiser
        if self.flagged == "1":
            f[prefix + "finding_count__gt"] = 0
        elif self.flagged == "0":
            f[prefix + "finding_count"] = 0
        queryset = queryset.filter(**f)
        if self.article and not prefix:
            queryset = queryset.filter(findings__article=self.article).distinct()
        if self.q:
            queryset = queryset.filter(
                Q(**{prefix + "product_name__icontains": self.q})
                | Q(**{prefix + "advertiser_name__icontains": self.q})
                | Q(**{prefix + "outlet__icontains": self.q})
            )
        return queryset


@dataclass
class Figures:
    total: int
    flagged: int
    findings: int
    by_medium: list[dict]
    by_product_type: list[dict]
    by_month: list[dict]
    by_division: list[dict]
    top_advertisers: list[dict]

    @property
    def violation_rate(self) -> float:
        return self.flagged / self.total if self.total else 0.0


def _rows(queryset: QuerySet[Ad], key: str, labels: dict | None = None) -> list[dict]:
    rows = []
    for item in queryset.values(key).annotate(
        ads=Count("id"), flagged=Count("id", filter=Q(finding_count__gt=0)), findings=Sum("finding_count")
    ).order_by(key):
        value = item[key]
        rows.append(
            {
                "key": value if value is not None else "",
                "label": (labels or {}).get(value, value) if value is not None else "—",
                "ads": item["ads"],
                "flagged": item["flagged"],
                "findings": item["findings"] or 0,
                "rate": item["flagged"] / item["ads"] if item["ads"] else 0.0,
            }
        )
    return rows


def monitoring_figures(ads: QuerySet[Ad], *, top: int = 10) -> Figures:
    """Ads monitored by medium, product type, month and division; violation rate; top advertisers.

    An ad "with findings" is one the checker flagged at ingest (finding_count > 0); the violation rate is
    those over all ads monitored.
    """
    from django.db.models.functions import TruncMonth

    from silvershield.ads.models import AD_PRODUCT_TYPES, Medium
    from silvershield.core.models import Division

    ads = ads.order_by()
    totals = ads.aggregate(
        total=Count("id"), flagged=Count("id", filter=Q(finding_count__gt=0)), findings=Sum("finding_count")
    )
    by_month = []
    for item in (
        ads.filter(published_at__isnull=False)
        .annotate(m=TruncMonth("published_at"))
        .values("m")
        .annotate(ads=Count("id"), flagged=Count("id", filter=Q(finding_count__gt=0)), findings=Sum("finding_count"))
        .order_by("m")
    ):
        key = item["m"].strftime("%Y-%m")
        by_month.append(
            {
                "key": key, "label": key, "ads": item["ads"], "flagged": item["flagged"],
                "findings": item["findings"] or 0, "rate": item["flagged"] / item["ads"],
            }
        )
    division_names = dict(Division.objects.values_list("code", "name"))
    advertisers = []
    for item in (
        ads.filter(finding_count__gt=0)
        .exclude(advertiser_name="")
        .values("advertiser_name")
        .annotate(findings=Sum("finding_count"), flagged=Count("id"))
        .order_by("-findings", "advertiser_name")[:top]
    ):
        advertisers.append({"key": item["advertiser_name"], "label": item["advertiser_name"], **item})
    return Figures(
        total=totals["total"],
        flagged=totals["flagged"],
        findings=totals["findings"] or 0,
        by_medium=_rows(ads, "medium", {k: str(v) for k, v in Medium.choices}),
        by_product_type=_rows(ads, "product_type", {k: str(v) for k, v in AD_PRODUCT_TYPES}),
        by_month=by_month,
        by_division=_rows(ads, "division_id", division_names),
        top_advertisers=advertisers,
    )


def rejection_rates(reviews=None) -> list[dict]:
    """Per rule: findings reviewed, confirmed, rejected, and the share rejected (to tune the rulebook)."""
    from silvershield.ads.models import FindingReview

    reviews = reviews if reviews is not None else FindingReview.objects.all()
    rows = []
    for item in (
        reviews.order_by()
        .values("rule__code", "rule__name", "article")
        .annotate(
            reviewed=Count("id"),
            confirmed=Count("id", filter=Q(decision="confirmed")),
            rejected=Count("id", filter=Q(decision="rejected")),
        )
    ):
        item["rate"] = item["rejected"] / item["reviewed"] if item["reviewed"] else 0.0
        rows.append(item)
    rows.sort(key=lambda r: (-r["rate"], -r["reviewed"], r["rule__code"]))
    return rows
