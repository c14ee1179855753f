"""The shape of a rule and of a finding, free of Django so the checker runs without a database.

The database model (ads/models.py) and the shipped default rulebook (ads/rulebook/) both become
`RuleSpec`s before the engine compiles them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

# Product types an ad is checked as (the values the `ads check` command accepts).
HEALTH_FOOD = "health_food"
ORDINARY_FOOD = "ordinary_food"
DRUG = "drug"
MEDICAL_DEVICE = "medical_device"
ELDER_SERVICE = "elder_service"
OTHER = "other"
PRODUCT_TYPES: tuple[str, ...] = (HEALTH_FOOD, ORDINARY_FOOD, DRUG, MEDICAL_DEVICE, ELDER_SERVICE, OTHER)

# Kinds of rule. A prohibited rule fires on each place one of its patterns occurs; a required rule
# fires once, on the whole ad, when none of its patterns occurs (a warning or number the law demands).
PROHIBITED = "prohibited"
REQUIRED = "required"
RULE_KINDS: tuple[str, ...] = (PROHIBITED, REQUIRED)

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")

ADVERTISING_LAW = "advertising_law"
FOOD_SAFETY_LAW = "food_safety_law"
LAW_NAMES: dict[str, str] = {ADVERTISING_LAW: "广告法", FOOD_SAFETY_LAW: "食品安全法"}

# A pattern is a literal phrase unless it starts with this prefix, in which case the rest is a Python
# regular expression run on the half-width form of the text (see checker/text.py).
REGEX_PREFIX = "re:"


def cite(*, law: str, article: int, paragraph: int | None = None, item: int | None = None) -> str:
    """The citation as the bureau writes it: 广告法第18条第1款第2项 (款 and 项 where they apply)."""
    citation = f"{LAW_NAMES[law]}第{article}条"
    if paragraph:
        citation += f"第{paragraph}款"
    if item:
        citation += f"第{item}项"
    return citation


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule of the ad rulebook as the engine needs it (ads.models.AdRule explains each field)."""

    code: str
    name: str
    law: str
    article_number: int
    paragraph_number: int | None
    item_number: int | None
    kind: str
    product_types: frozenset[str]
    patterns: tuple[str, ...]
    explanation: str
    severity: str
    effective_from: date
    effective_to: date | None = None
    context_patterns: tuple[str, ...] = ()
    exception_patterns: tuple[str, ...] = ()
    negation_applies: bool = True
    quotation_applies: bool = True
    version: int = 1
    enabled: bool = True
    article: str = field(default="")

    def __post_init__(self) -> None:
        if not self.article:
            citation = cite(
                law=self.law,
                article=self.article_number,
                paragraph=self.paragraph_number,
                item=self.item_number,
            )
            object.__setattr__(self, "article", citation)

    def applies_to(self, product_type: str) -> bool:
        return not self.product_types or product_type in self.product_types

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class Violation(NamedTuple):
    """One finding: the article broken, where in the text ([start, end) character offsets), and why."""

    article: str
    start: int
    end: int
    explanation: str
    severity: str
    rule_code: str
    rule_version: int

    def as_output(self) -> dict[str, object]:
        """The finding as `ads check` prints it."""
        return {"article": self.article, "span": [self.start, self.end], "explanation": self.explanation}
