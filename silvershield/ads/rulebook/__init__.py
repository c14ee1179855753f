"""The default ad rulebook, shipped as data.

Migration 0002 seeds the AdRule table from DEFAULT_RULES; `default_rulespecs()` gives the same rules to
the checker when it runs without a database (`ads check --no-db`, the benchmark) or when the table is
empty. An administrator edits the rules in the admin; these defaults are only the starting point.
"""

from __future__ import annotations

from typing import Any

from silvershield.ads.checker.spec import RuleSpec
from silvershield.ads.rulebook.advertising import ADVERTISING_LAW_RULES
from silvershield.ads.rulebook.food_safety import FOOD_SAFETY_LAW_RULES

DEFAULT_RULES: tuple[dict[str, Any], ...] = ADVERTISING_LAW_RULES + FOOD_SAFETY_LAW_RULES

_SPEC_FIELDS = frozenset(RuleSpec.__dataclass_fields__)


def spec_from_data(data: dict[str, Any]) -> RuleSpec:
    """A RuleSpec from one rule's data (a DEFAULT_RULES entry or an AdRule's fields)."""
    fields = {key: value for key, value in data.items() if key in _SPEC_FIELDS}
    fields["product_types"] = frozenset(fields.get("product_types") or ())
    for key in ("patterns", "context_patterns", "exception_patterns"):
        fields[key] = tuple(fields.get(key) or ())
    return RuleSpec(**fields)


def default_rulespecs() -> tuple[RuleSpec, ...]:
    """The shipped rulebook as the checker takes it."""
    return tuple(spec_from_data(data) for data in DEFAULT_RULES)


__all__ = ["DEFAULT_RULES", "default_rulespecs", "spec_from_data"]
