"""Dispatch recommendation: the unit (routing rules, the party's division, the city for cross-district,
chain or major matters) and officers ranked by speciality, open workload and availability, never one with a
declared conflict with the party. Every recommendation carries its reasons.

`Recommender` loads everything it needs once (rules, officers, workloads, conflicts, absences), so a
whole agenda of 1,000 leads is recommended without a query per lead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import OrgUnit, OrgUnitKind, Role, Speciality, User
from silvershield.leads.models import FraudCategory, Lead, LeadState, Priority, ProductDomain
from silvershield.screening.models import Conflict, RoutingRule, RoutingTarget, ScreeningSetting, Unavailability

# Category groups of the agenda (DOMAIN.md measure 3: food and health food, drugs and medical devices, false publicity …)
GROUPS = [
    ("food", _("Food and health food")),
    ("drugs", _("Drugs and medical devices")),
    ("publicity", _("False publicity")),
    ("finance", _("Investment and finance")),
    ("housing", _("Housing")),
    ("other", _("Other")),
]
GROUP_LABELS = dict(GROUPS)
PUBLICITY_WORDS = ("虚假宣传", "广告", "讲座", "直播", "夸大", "宣称")

# Which specialities fit which group (core.Speciality).
GROUP_SPECIALITIES = {
    "food": {Speciality.FOOD, Speciality.ADVERTISING},
    "drugs": {Speciality.DRUG, Speciality.DEVICE},
    "publicity": {Speciality.ADVERTISING, Speciality.CONSUMER},
    "finance": {Speciality.COMPETITION, Speciality.LAW},
    "housing": {Speciality.CONSUMER, Speciality.PRICING},
    "other": {Speciality.CONSUMER, Speciality.PRICING},
}
DOMAIN_SPECIALITY = {
    ProductDomain.FOOD: Speciality.FOOD,
    ProductDomain.DRUG: Speciality.DRUG,
    ProductDomain.MEDICAL_DEVICE: Speciality.DEVICE,
}
PRIORITY_RANK = {Priority.NORMAL: 0, Priority.HIGH: 1, Priority.URGENT: 2}


def category_group(lead: Lead) -> str:
    domain = lead.product_domain
    if domain == ProductDomain.FOOD:
        return "food"
    if domain in (ProductDomain.DRUG, ProductDomain.MEDICAL_DEVICE):
        return "drugs"
    if domain in (ProductDomain.INVESTMENT, ProductDomain.INSURANCE) or lead.category in (
        FraudCategory.PROJECT_INVESTMENT, FraudCategory.PENSION_INSURANCE,
    ):
        return "finance"
    if domain == ProductDomain.HOUSING or lead.category == FraudCategory.HOUSE_FOR_PENSION:
        return "housing"
    if lead.channel == "ad_monitoring" or any(w in (lead.summary or "") for w in PUBLICITY_WORDS):
        return "publicity"
    return "other"


def _in_force(qs, day: date):
    return qs.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=day)).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def current_setting(day: date | None = None) -> ScreeningSetting:
    day = day or timezone.localdate()
    return _in_force(ScreeningSetting.objects.all(), day).order_by("-effective_from", "-id").first() or ScreeningSetting()


def city_enforcement_unit() -> OrgUnit | None:
    """The city bureau's enforcement bureau (执法稽查局/综合行政执法支队): the top bureau's ENFORCEMENT unit."""
    return (
        OrgUnit.objects.filter(kind=OrgUnitKind.ENFORCEMENT, parent__parent__isnull=True, parent__kind=OrgUnitKind.BUREAU)
        .order_by("path")
        .first()
    )


def rule_matches(rule: RoutingRule, lead: Lead) -> bool:
    if rule.categories and lead.category not in rule.categories:
        return False
    if rule.divisions and lead.division_id not in rule.divisions:
        return False
    if rule.channels and lead.channel not in rule.channels:
        return False
    if rule.anonymous == RoutingRule.YES and lead.reporter_is_named:
        return False
    if rule.anonymous == RoutingRule.NO and not lead.reporter_is_named:
        return False
    if rule.words:
        text = " ".join([lead.summary or "", lead.party_name or "", lead.party_address or ""])
        words = [w.strip() for w in rule.words.split("|") if w.strip()]
        if not any(w in text for w in words):
            return False
    return True


@dataclass
class OfficerOption:
    officer: User
    score: float
    reasons: list[str]


@dataclass
class Recommendation:
    unit: OrgUnit | None
    priority: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    officers: list[OfficerOption] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # officers left out, with why (recusal, absence)
    group: str = "other"

    @property
    def priority_label(self) -> str:
        return str(Priority(self.priority).label)

    def as_json(self) -> dict:
        return {
            "unit": self.unit.pk if self.unit else None,
            "unit_name": self.unit.name if self.unit else "",
            "priority": self.priority,
            "reasons": [str(r) for r in self.reasons],
            "notes": self.notes,
            "officers": [{"id": o.officer.pk, "name": o.officer.display_name, "reasons": o.reasons} for o in self.officers[:5]],
            "excluded": self.excluded,
        }


class Recommender:
    """Loads officers, workloads, conflicts, absences and rules once; `recommend(lead)` is then pure Python."""

    def __init__(self, *, day: date | None = None):
        self.day = day or timezone.localdate()
        self.setting = current_setting(self.day)
        self.rules = list(_in_force(RoutingRule.objects.filter(active=True), self.day).select_related("target_unit"))
        self.city_unit = city_enforcement_unit()
        self.units = {u.pk: u for u in OrgUnit.objects.all()}
        self.bureau_by_division: dict[str, OrgUnit] = {}
        for b in sorted((u for u in self.units.values() if u.kind == OrgUnitKind.BUREAU), key=lambda u: u.path):
            self.bureau_by_division.setdefault(b.division_id, b)
        self.enforcement_by_bureau: dict[int, OrgUnit] = {}
        for u in OrgUnit.objects.filter(kind=OrgUnitKind.ENFORCEMENT).order_by("path"):
            self.enforcement_by_bureau.setdefault(u.parent_id, u)
        self.officers = list(
            User.objects.filter(role=Role.INVESTIGATOR, is_active=True).exclude(credential_number="").select_related("unit")
        )
        ids = [o.pk for o in self.officers]
        self.lead_load = Counter(
            dict(
                Lead.objects.filter(state__in=(LeadState.DISPATCHED, LeadState.VERIFYING), assignees__in=ids)
                .values_list("assignees").annotate(n=Count("id")).values_list("assignees", "n")
            )
        )
        from silvershield.cases.models import Case, CaseState

        closed = (CaseState.CLOSED, CaseState.STRUCK_OFF, CaseState.EXECUTED, CaseState.TRANSFERRED_POLICE)
        self.case_load = Counter(
            dict(
                Case.objects.exclude(state__in=closed).filter(officers__in=ids)
                .values_list("officers").annotate(n=Count("id")).values_list("officers", "n")
            )
        )
        self._officer_rows = [
            (o, o.unit.path, tuple(o.specialities or ()), self.lead_load.get(o.pk, 0) + self.case_load.get(o.pk, 0))
            for o in self.officers
        ]
        self._speciality_labels = {v: str(label) for v, label in Speciality.choices}
        self._rank_cache: dict = {}
        self._entity_divisions: dict[int, str] = {}
        self.away = {
            a.officer_id: a for a in Unavailability.objects.filter(start__lte=self.day, end__gte=self.day)
        }
        self.conflicts_by_entity: dict[int, set[int]] = {}
        self.conflicts_by_name: list[tuple[str, int]] = []
        for c in Conflict.objects.filter(valid_from__lte=self.day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.day)):
            if c.entity_id:
                self.conflicts_by_entity.setdefault(c.entity_id, set()).add(c.officer_id)
            if c.party_name:
                self.conflicts_by_name.append((c.party_name.strip(), c.officer_id))

    def load_entity_divisions(self, entity_ids) -> None:
        """The registered division of these entities, in one query (the party's division decides the unit)."""
        from silvershield.entities.models import Entity

        self._entity_divisions.update(Entity.objects.filter(pk__in=list(entity_ids)).values_list("pk", "division_id"))

    def entity_division(self, lead: Lead) -> str | None:
        if not lead.party_entity_id:
            return None
        if lead.party_entity_id not in self._entity_divisions:
            self.load_entity_divisions([lead.party_entity_id])
        return self._entity_divisions.get(lead.party_entity_id)

    # --- who is conflicted ----------------------------------------------------------------------------

    @staticmethod
    def conflicted_for(lead: Lead, day: date | None = None) -> set[int]:
        """The officers with a declared conflict with this lead's party, in force on `day` (one lead, a few queries)."""
        day = day or timezone.localdate()
        current = Conflict.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        ids: set[int] = set()
        if lead.party_entity_id:
            ids |= set(current.filter(entity_id=lead.party_entity_id).values_list("officer_id", flat=True))
        name = lead.party_name or ""
        if name:
            for party, officer_id in current.exclude(party_name="").values_list("party_name", "officer_id"):
                if party.strip() and (party.strip() in name or name in party.strip()):
                    ids.add(officer_id)
        return ids

    def conflicted(self, lead: Lead) -> set[int]:
        ids = set(self.conflicts_by_entity.get(lead.party_entity_id, set())) if lead.party_entity_id else set()
        name = lead.party_name or ""
        for party, officer_id in self.conflicts_by_name:
            if party and name and (party in name or name in party):
                ids.add(officer_id)
        return ids

    # --- the unit -------------------------------------------------------------------------------------

    def unit_for_division(self, code: str) -> OrgUnit | None:
        bureau = self.bureau_by_division.get(code)
        if bureau is None:
            return None
        return self.enforcement_by_bureau.get(bureau.pk, bureau)

    def recommend(self, lead: Lead, *, cluster=None) -> Recommendation:
        group = category_group(lead)
        priority = lead.priority or Priority.NORMAL
        reasons: list[str] = []
        notes: list[str] = []
        unit = None
        division = self.entity_division(lead) or lead.division_id
        where = "当事人登记地" if lead.party_entity_id else "线索所属区划"
        if cluster is not None and cluster.crosses_divisions and self.city_unit:
            unit = self.city_unit
            reasons.append(f"与{len(cluster.lead_ids) - 1}条线索构成跨区串案（{len(cluster.divisions)}个区划），报市局执法稽查统一办理")
        elif cluster is not None:
            notes.append(f"与{len(cluster.lead_ids) - 1}条线索共享当事人或联系方式，建议由同一单位合并办理")
            if len(cluster.lead_ids) >= 3 and PRIORITY_RANK.get(priority, 0) < PRIORITY_RANK[Priority.HIGH]:
                priority = Priority.HIGH
                reasons.append(f"同一当事人已有{len(cluster.lead_ids)}条线索，优先级定为高")
        if unit is None and lead.loss_amount is not None and lead.loss_amount >= Decimal(self.setting.major_loss_amount) and self.city_unit:
            unit = self.city_unit
            reasons.append(f"涉案损失{lead.loss_amount}元，达到重大案件标准（{self.setting.major_loss_amount}元），报市局办理")
        for rule in self.rules:
            if not rule_matches(rule, lead):
                continue
            label = f"规则“{rule.name}”"
            if rule.target and unit is None:
                if rule.target == RoutingTarget.CITY_ENFORCEMENT and self.city_unit:
                    unit = self.city_unit
                elif rule.target == RoutingTarget.UNIT and rule.target_unit:
                    unit = rule.target_unit
                elif rule.target == RoutingTarget.DIVISION_BUREAU:
                    unit = self.unit_for_division(division)
                if unit is not None:
                    reasons.append(f"{label}：分派至{unit.name}")
            if rule.priority and PRIORITY_RANK[rule.priority] > PRIORITY_RANK.get(priority, 0):
                priority = rule.priority
                reasons.append(f"{label}：优先级定为{Priority(rule.priority).label}")
            if rule.note:
                notes.append(f"{rule.note}（{label}）")
        if unit is None:
            unit = self.unit_for_division(division)
            if unit is not None:
                reasons.append(f"按{where}（{division}）属地管辖：{unit.name}")
        rec = Recommendation(unit=unit, priority=priority, reasons=reasons, notes=notes, group=group)
        if unit is not None:
            self._rank_officers(lead, rec)
        return rec

    # --- the officers ---------------------------------------------------------------------------------

    TOP = 8  # officers shown (with reasons) per recommendation

    def _ranked(self, bureau_path: str, scope: str, wanted: frozenset[str]) -> list[tuple[float, User, tuple[str, ...]]]:
        """Officers of the bureau by score (speciality, unit, workload), cached per (bureau, unit, specialities)."""
        key = (bureau_path, scope, wanted)
        cached = self._rank_cache.get(key)
        if cached is not None:
            return cached
        ranked = []
        for officer, path, specialities, load in self._officer_rows:
            if not path.startswith(bureau_path):
                continue
            matched = tuple(s for s in specialities if s in wanted)
            score = (5 if path.startswith(scope) else 0) + 3 * len(matched) - 0.5 * load
            ranked.append((score, officer, matched))
        ranked.sort(key=lambda r: (-r[0], r[1].pk))
        self._rank_cache[key] = ranked
        return ranked

    def _rank_officers(self, lead: Lead, rec: Recommendation) -> None:
        unit = rec.unit
        bureau_path = (self.bureau_for(unit) or unit).path
        wanted = set(GROUP_SPECIALITIES.get(rec.group, set()))
        if lead.product_domain in DOMAIN_SPECIALITY:
            wanted.add(DOMAIN_SPECIALITY[lead.product_domain])
        conflicted = self.conflicted(lead)
        options: list[OfficerOption] = []
        for score, officer, matched in self._ranked(bureau_path, unit.path, frozenset(wanted)):
            if officer.pk in conflicted:
                rec.excluded.append(f"{officer.display_name}：已申报与当事人存在利害关系，回避")
                continue
            if len(options) >= self.TOP:
                if conflicted:
                    continue
                break
            if officer.pk in self.away:
                a = self.away[officer.pk]
                rec.excluded.append(f"{officer.display_name}：{a.reason or '不在岗'}（至{a.end:%m月%d日}）")
                continue
            reasons: list[str] = []
            if officer.unit.path.startswith(unit.path):
                reasons.append(f"属{unit.name}")
            if matched:
                reasons.append("专长：" + "、".join(self._speciality_labels[m] for m in matched))
            reasons.append(f"在办线索{self.lead_load.get(officer.pk, 0)}件、案件{self.case_load.get(officer.pk, 0)}件")
            options.append(OfficerOption(officer=officer, score=score, reasons=reasons))
        rec.officers = options

    def bureau_for(self, unit: OrgUnit) -> OrgUnit | None:
        if unit.kind == OrgUnitKind.BUREAU:
            return unit
        return self.units.get(unit.bureau_id) or self.units.get(unit.parent_id)
