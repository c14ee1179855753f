"""Reads for ad monitoring: the rulebook in force, compiled and cached.

The cache is keyed on a fingerprint of the AdRule table (row count, sum of versions, latest change), so an
administrator's edit is picked up by the next check in every process without any signal or restart.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from functools import lru_cache

from django.db.models import Count, Max, Sum
from django.utils import timezone

from silvershield.ads.checker.engine import CompiledRulebook
from silvershield.ads.checker.spec import RuleSpec
from silvershield.ads.models import AdRule
from silvershield.ads.rulebook import default_rulespecs, spec_from_data

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
