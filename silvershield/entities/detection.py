"""Finding the elderly-related entities (涉老市场主体) from their business scope and name.

The keywords are `ElderlyRule` rows (law as data: source, effective dates, editable in the admin). All
rules in force are matched at once with one Aho-Corasick automaton; the matched keywords are the
entity's reasons, kept on the entity and shown on its page. The category is the matched category that
ranks first in CATEGORY_PRIORITY (the one that weighs most on the risk of elder-care fraud).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ahocorasick
from django.db.models import Q
from django.utils import timezone

from silvershield.entities.models import ElderlyCategory, ElderlyRule

CATEGORY_PRIORITY = [
    ElderlyCategory.HEALTH_FOOD,
    ElderlyCategory.WELLNESS_TRAVEL,
    ElderlyCategory.MEDICAL_DEVICE,
    ElderlyCategory.DRUG,
    ElderlyCategory.THERAPY,
    ElderlyCategory.ELDERLY_CARE,
    ElderlyCategory.FOOD,
]
_RANK = {str(c): i for i, c in enumerate(CATEGORY_PRIORITY)}


@dataclass(frozen=True)
class Detection:
    elderly: bool
    category: str
    reasons: list[dict]  # [{"keyword", "where": "scope"|"name", "category"}]

    @property
    def reason_text(self) -> str:
        return "、".join(dict.fromkeys(r["keyword"] for r in self.reasons))


def rules_in_force(on: date | None = None):
    on = on or timezone.localdate()
    return ElderlyRule.objects.filter(active=True).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    )


class Detector:
    """Built once from the rules in force; `detect(name, scope)` is cheap (one automaton pass each)."""

    def __init__(self, rules=None) -> None:
        rules = list(rules_in_force() if rules is None else rules)
        self._scope = ahocorasick.Automaton()
        self._name = ahocorasick.Automaton()
        self._scope_n = self._name_n = 0
        for rule in rules:
            value = (rule.keyword, str(rule.category))
            if rule.where in ("scope", "both"):
                self._scope.add_word(rule.keyword, value)
                self._scope_n += 1
            if rule.where in ("name", "both"):
                self._name.add_word(rule.keyword, value)
                self._name_n += 1
        if self._scope_n:
            self._scope.make_automaton()
        if self._name_n:
            self._name.make_automaton()

    def detect(self, name: str, scope: str) -> Detection:
        reasons: list[dict] = []
        seen: set[tuple[str, str]] = set()
        for where, automaton, count, text in (
            ("scope", self._scope, self._scope_n, scope or ""),
            ("name", self._name, self._name_n, name or ""),
        ):
            if not count or not text:
                continue
            for _end, (keyword, category) in automaton.iter(text):
                if (keyword, where) in seen:
                    continue
                seen.add((keyword, where))
                reasons.append({"keyword": keyword, "where": where, "category": category})
        if not reasons:
            return Detection(False, "", [])
        category = min((r["category"] for r in reasons), key=lambda c: _RANK.get(c, 99))
        return Detection(True, category, reasons)


def describe_reasons(reasons: list[dict]) -> list[str]:
    """Each reason in words, e.g. "经营范围含“保健食品”（保健食品和保健品）"."""
    where_label = {"scope": "经营范围", "name": "名称"}
    labels = dict(ElderlyCategory.choices)
    out = []
    for r in reasons or []:
        label = labels.get(r.get("category"), r.get("category", ""))
        out.append(f"{where_label.get(r.get('where'), '')}含“{r.get('keyword')}”（{label}）")
    return out


def redetect_all(*, batch_size: int = 5000) -> int:
    """Apply the rules in force to every entity (after the rulebook changed); returns how many changed."""
    from silvershield.entities.models import Entity

    detector = Detector()
    changed = []
    count = 0
    for entity in Entity.objects.only(
        "id", "name", "business_scope", "is_elderly_related", "elderly_category", "elderly_reasons", "elderly_keywords"
    ).iterator(chunk_size=batch_size):
        found = detector.detect(entity.name, entity.business_scope)
        if (found.elderly, found.category, found.reasons) != (
            entity.is_elderly_related, entity.elderly_category, entity.elderly_reasons
        ):
            entity.is_elderly_related, entity.elderly_category, entity.elderly_reasons = (
                found.elderly, found.category, found.reasons,
            )
            entity.elderly_keywords = found.reason_text[:300]
            changed.append(entity)
        if len(changed) >= batch_size:
            Entity.objects.bulk_update(changed, ["is_elderly_related", "elderly_category", "elderly_reasons", "elderly_keywords"])
            count += len(changed)
            changed = []
    if changed:
        Entity.objects.bulk_update(changed, ["is_elderly_related", "elderly_category", "elderly_reasons", "elderly_keywords"])
        count += len(changed)
    return count
