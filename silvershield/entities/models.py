"""The market-entity registry (市场主体): every registered business a lead or case can be about."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.query import ValuesIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from silvershield.core.models import Division, User


class EntityStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DEREGISTERING = "deregistering", _("deregistering")
    DEREGISTERED = "deregistered", _("deregistered")


class ElderlyCategory(models.TextChoices):
    """What kind of elderly-related business an entity is (DOMAIN.md measure 4)."""

    ELDERLY_CARE = "elderly_care", _("elderly care")
    HEALTH_FOOD = "health_food", _("health food and health products")
    FOOD = "food", _("food")
    MEDICAL_DEVICE = "medical_device", _("medical devices")
    DRUG = "drug", _("drugs")
    WELLNESS_TRAVEL = "wellness_travel", _("wellness and elderly travel")
    THERAPY = "therapy", _("physiotherapy and wellness services")


class CreditStatus(models.TextChoices):
    """Where the entity stands on the credit lists (经营异常名录 / 严重违法失信名单)."""

    NONE = "", _("not listed")
    ABNORMAL = "abnormal", _("list of abnormal operations")
    SERIOUS = "serious", _("list of serious illegal and dishonest entities")


class RiskTier(models.TextChoices):
    """The four credit-risk classes of 国市监信发〔2022〕6号 (DOMAIN.md C.7)."""

    A = "A", _("A (low)")
    B = "B", _("B (general)")
    C = "C", _("C (higher)")
    D = "D", _("D (high)")


_RISK_PATHS = {
    "risk_tier": "risk__tier",
    "risk_score": "risk__score",
    "risk_factors": "risk__factors",
    "risk_computed_at": "risk__computed_at",
}
_RISK_NAMES = {path: name for name, path in _RISK_PATHS.items()}


def _risk_path(name: Any) -> Any:
    """"risk_tier__in" → "risk__tier__in" (the tier lives in EntityRisk); other names unchanged."""
    if not isinstance(name, str):
        return name
    sign = "-" if name.startswith("-") else ""
    head, sep, rest = name.lstrip("-").partition("__")
    if head in _RISK_PATHS:
        return sign + _RISK_PATHS[head] + sep + rest
    return name


def _risk_q(q: Any) -> Any:
    if not isinstance(q, Q):
        return q
    clone = copy.copy(q)
    clone.children = [
        _risk_q(c) if isinstance(c, Q) else (_risk_path(c[0]), c[1]) if isinstance(c, tuple) else c
        for c in q.children
    ]
    return clone


class _RiskValuesIterable(ValuesIterable):
    """values("risk_tier") rows keyed "risk_tier", not by the path "risk__tier" that was queried."""

    def __iter__(self):
        for row in super().__iter__():
            yield {_RISK_NAMES.get(k, k): v for k, v in row.items()}


class EntityQuerySet(models.QuerySet):
    """Lets readers keep writing `filter(risk_tier="C")`, `values("risk_tier")`, `order_by("-risk_score")`:
    the names of the risk fields are translated to their place in EntityRisk (`risk__tier`, …)."""

    def filter(self, *args: Any, **kwargs: Any) -> EntityQuerySet:
        return super().filter(*map(_risk_q, args), **{_risk_path(k): v for k, v in kwargs.items()})

    def exclude(self, *args: Any, **kwargs: Any) -> EntityQuerySet:
        return super().exclude(*map(_risk_q, args), **{_risk_path(k): v for k, v in kwargs.items()})

    def order_by(self, *names: Any) -> EntityQuerySet:
        return super().order_by(*map(_risk_path, names))

    def values_list(self, *fields: Any, **kwargs: Any) -> EntityQuerySet:
        return super().values_list(*map(_risk_path, fields), **kwargs)

    def values(self, *fields: Any, **expressions: Any) -> EntityQuerySet:
        paths = [_risk_path(f) for f in fields]
        clone = super().values(*paths, **expressions)
        if paths != list(fields):
            clone._iterable_class = _RiskValuesIterable
        return clone


class _RiskValue:
    """`entity.risk_tier` and co.: read from the entity's EntityRisk row (none: not elderly-related)."""

    def __init__(self, attr: str, empty: Any) -> None:
        self.attr, self.empty = attr, empty

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        try:
            risk = instance.risk
        except ObjectDoesNotExist:
            return list(self.empty) if isinstance(self.empty, list) else self.empty
        return getattr(risk, self.attr)


class RiskAlias(models.Field):
    """A name without a column: `Entity._meta.get_field("risk_tier")` answers (label, choices) while the
    value is kept in EntityRisk. Reads go through `_RiskValue`, lookups through EntityQuerySet."""

    def __init__(self, *args: Any, attr: str = "", empty: Any = None, **kwargs: Any) -> None:
        self.attr, self.empty = attr, empty
        kwargs["editable"] = False
        kwargs["blank"] = True
        kwargs["null"] = True
        super().__init__(*args, **kwargs)

    def get_attname_column(self) -> tuple[str, None]:
        return self.get_attname(), None

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=True)
        setattr(cls, name, _RiskValue(self.attr, self.empty))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None), kwargs.pop("blank", None), kwargs.pop("null", None)
        return name, path, args, {**kwargs, "attr": self.attr, "empty": self.empty}


class Entity(models.Model):
    """A registered market entity, keyed by its unified social credit code (GB 32100).

    `is_elderly_related` marks the entities Chifeng's measure 4 manages by risk tier (涉老市场主体:
    scope containing 养老, 养老服务, 老年人养护服务, health products, food, health food, devices).

    The risk score, tier and factors are kept in `EntityRisk` (`entity.risk`), a narrow table of their own:
    a full recomputation writes 300,000 short rows instead of rewriting the wide entity rows. The old names
    (`entity.risk_tier`, `filter(risk_tier=…)`, `values("risk_tier")`) still read them.
    """

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # No index of its own: entity_division_idx starts with the division.
    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name=_("division"), db_index=False)
    business_scope = models.TextField(_("business scope"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EntityStatus.choices, default=EntityStatus.ACTIVE)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    # No index of its own: a third of the rows or more; entity_division_idx serves division + elderly.
    is_elderly_related = models.BooleanField(_("elderly-related"), default=False)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, blank=True)
    # The name without region words, branch, legal form or shop word (entities.linking.core_name): party
    # names are looked up by its prefix — one index range instead of one per region word a name may start with.
    name_core = models.CharField(_("core name"), max_length=200, blank=True, default="")
    # Its pinyin initials, character by character (entities.services.char_initials): homophones ("舜康" for
    # "顺康") are looked up by their prefix, also one index range.
    core_initials = models.CharField(_("core name initials"), max_length=100, blank=True, default="")
    # Measure 4 (entities.detection and entities.risk write these; derived, so not audited per change):
    elderly_category = models.CharField(_("category"), max_length=30, choices=ElderlyCategory.choices, blank=True)
    elderly_reasons = models.JSONField(_("matched reasons"), default=list, blank=True)
    elderly_keywords = models.CharField(_("matched keywords"), max_length=300, blank=True)
    credit_status = models.CharField(_("credit list"), max_length=20, choices=CreditStatus.choices, blank=True, default="")
    risk_score = RiskAlias(_("risk score"), attr="score", empty=None)
    risk_tier = RiskAlias(_("risk tier"), choices=RiskTier.choices, attr="tier", empty="")
    risk_factors = RiskAlias(_("contributing factors"), attr="factors", empty=[])
    risk_computed_at = RiskAlias(_("risk computed at"), attr="computed_at", empty=None)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("market entity")
        verbose_name_plural = _("market entities")
        # Plain b-tree indexes (db_index=True would add a second, varchar_pattern_ops one on PostgreSQL for
        # LIKE 'x%', which nothing here runs, and every import row pays for each index).
        indexes = [
            models.Index(fields=["division", "is_elderly_related", "name"], name="entity_division_idx"),
            models.Index(fields=["name"], name="entity_name_idx"),
            models.Index(fields=["phone"], name="entity_phone_idx"),
            models.Index(fields=["name_core", "division"], name="entity_core_idx"),
            models.Index(fields=["core_initials", "division"], name="entity_core_initials_idx"),
            models.Index(fields=["elderly_category"], name="entity_category_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Bulk paths (the import, the demo seed) fill name_core and core_initials themselves; every single
        # save keeps them true.
        from silvershield.entities.linking import core_name
        from silvershield.entities.services import char_initials

        self.name_core = core_name(self.name)[:200]
        self.core_initials = char_initials(self.name_core)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = list(dict.fromkeys([*update_fields, "name_core", "core_initials"]))
        super().save(*args, **kwargs)


class EntityRisk(models.Model):
    """Score, tier and the factors that made them, for an elderly-related entity (one row each; entities
    that are not elderly-related have none). Written in bulk by entities.risk.recompute_risk."""

    entity = models.OneToOneField(
        Entity, primary_key=True, on_delete=models.CASCADE, related_name="risk", verbose_name=_("entity")
    )
    score = models.DecimalField(_("risk score"), max_digits=9, decimal_places=2)
    tier = models.CharField(_("risk tier"), max_length=1, choices=RiskTier.choices)
    factors = models.JSONField(_("contributing factors"), default=list, blank=True)
    computed_at = models.DateTimeField(_("risk computed at"))

    class Meta:
        verbose_name = _("entity risk")
        verbose_name_plural = _("entity risks")
        indexes = [models.Index(fields=["tier"], name="entity_risk_tier_idx")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.tier}"


# --- measure 4: elderly-related detection, risk tiers, hazard ledger, gates -------------------------------


class _RuleDates(models.Model):
    """Law as data: every rule row names its source and the dates it is in force."""

    source = models.CharField(_("source"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True


class ElderlyRule(_RuleDates):
    """One keyword of the rulebook that marks an entity as elderly-related (涉老), with its category.

    Matched against the business scope, the name, or both; the matched keywords are stored on the entity
    as its reasons and shown on its page.
    """

    class Where(models.TextChoices):
        SCOPE = "scope", _("business scope")
        NAME = "name", _("name")
        BOTH = "both", _("name or business scope")

    keyword = models.CharField(_("keyword"), max_length=50)
    where = models.CharField(_("matched in"), max_length=10, choices=Where.choices, default=Where.BOTH)
    category = models.CharField(_("category"), max_length=30, choices=ElderlyCategory.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["category", "keyword"]
        verbose_name = _("elderly-related rule")
        verbose_name_plural = _("elderly-related rules")

    def __str__(self) -> str:
        return self.keyword


class RiskFactor(models.TextChoices):
    COMPLAINTS = "complaints", _("complaints and reports")
    LEADS = "leads", _("leads")
    OPEN_LEADS = "open_leads", _("open leads")
    CASES = "cases", _("cases")
    PENALTIES = "penalties", _("penalties")
    AD_FINDINGS = "ad_findings", _("confirmed ad findings")
    INSPECTION_ISSUES = "inspection_issues", _("inspections with problems")
    INSPECTION_SERIOUS = "inspection_serious", _("inspections with serious problems")
    OPEN_HAZARDS = "open_hazards", _("open hazards")
    CHAIN = "chain", _("chain membership")
    CREDIT_ABNORMAL = "credit_abnormal", _("on the list of abnormal operations")
    CREDIT_SERIOUS = "credit_serious", _("on the list of serious illegal and dishonest entities")
    CATEGORY = "category", _("category")


class RiskWeight(_RuleDates):
    """Points per unit of one risk factor; `cap` limits the points one factor can give.

    For the factor "category" the row applies to entities of `category`.
    """

    factor = models.CharField(_("factor"), max_length=30, choices=RiskFactor.choices)
    category = models.CharField(_("category"), max_length=30, choices=ElderlyCategory.choices, blank=True)
    weight = models.DecimalField(_("points per unit"), max_digits=7, decimal_places=2)
    cap = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["factor", "category"]
        verbose_name = _("risk weight")
        verbose_name_plural = _("risk weights")

    def __str__(self) -> str:
        return f"{self.get_factor_display()} {self.category}".strip()


class RiskTierRule(_RuleDates):
    """The score from which an entity is in a tier, and how often the tier is inspected.

    No national figures exist for the inspection ratio and frequency (DOMAIN.md C.7: the national text
    sets none; Inner Mongolia's are UNVERIFIED): the defaults are the 大庆/林甸 example, to be set locally.
    """

    tier = models.CharField(_("tier"), max_length=1, choices=RiskTier.choices)
    min_score = models.DecimalField(_("from score"), max_digits=7, decimal_places=2)
    inspection_ratio = models.DecimalField(
        _("inspection ratio (%)"), max_digits=5, decimal_places=2,
        help_text=_("Share of the tier drawn for random inspection. No national figure exists: set it locally."),
    )
    inspections_per_year = models.DecimalField(
        _("inspections per year"), max_digits=5, decimal_places=2,
        help_text=_("No national figure exists: set it locally."),
    )
    meaning = models.CharField(_("meaning"), max_length=300, blank=True)

    class Meta:
        ordering = ["tier"]
        verbose_name = _("risk tier rule")
        verbose_name_plural = _("risk tier rules")

    def __str__(self) -> str:
        return self.tier


class InspectionResult(models.TextChoices):
    OK = "ok", _("no problems")
    ISSUES = "issues", _("problems found")
    SERIOUS = "serious", _("serious problems")


class Inspection(models.Model):
    """An on-site inspection or first visit of an entity and its result (an input of the risk score).

    `officers` are the officers who went, in the order the recorder gave them (`InspectionOfficer.position`);
    the first is the leading inspector, who is also `inspector` and owns the hazards found.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("entity"))
    inspected_on = models.DateField(_("inspected on"))
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    note = models.TextField(_("note"), blank=True)
    inspector = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(
        User, through="InspectionOfficer", related_name="+", blank=True,
        verbose_name=pgettext_lazy("inspection", "officers"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    @property
    def officer_names(self) -> list[str]:
        """The officers' names, the leading inspector first. `inspections_visible_to` prefetches the rows;
        `officers.all()` would come in the user model's order instead."""
        return [place.officer.display_name for place in self.officer_places.all()]


class InspectionOfficer(models.Model):
    """One officer who went on an inspection, at `position` in its list (0: the leading inspector)."""

    # No index of its own: inspection_officer_position_uniq starts with the inspection.
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="officer_places", db_index=False
    )
    officer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("inspection", "officer")
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("inspection", "position"))

    class Meta:
        ordering = ["inspection_id", "position"]
        verbose_name = _("inspection officer")
        verbose_name_plural = _("inspection officers")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "position"], name="inspection_officer_position_uniq"
            ),
            models.UniqueConstraint(fields=["inspection", "officer"], name="inspection_officer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.position} {self.officer_id}"


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("inspection")
    LEAD = "lead", _("lead")
    CASE = "case", _("case")
    AD = "ad", _("ad monitoring")
    COMPLAINT = "complaint", _("complaint")
    OTHER = "other", _("other")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("to be rectified")
    RECTIFYING = "rectifying", _("rectifying")
    RECTIFIED = "rectified", _("rectified")


class HazardItem(models.Model):
    """One item of the risk and hazard ledger (风险隐患台账) of an entity: what was found, when, from
    where, who owns it, and how rectification stands. Every change leaves an audit event."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="hazards", verbose_name=_("entity"))
    description = models.TextField(_("hazard"))
    found_on = models.DateField(_("found on"))
    source = models.CharField(_("found through"), max_length=20, choices=HazardSource.choices)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    status = models.CharField(_("rectification"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    due_on = models.DateField(_("rectify by"), null=True, blank=True)
    done_on = models.DateField(_("rectified on"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("hazard item")
        verbose_name_plural = _("hazard items")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rectified") | models.Q(done_on__isnull=False),
                name="hazard_rectified_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.description[:40]


class AlertKind(models.TextChoices):
    DEREGISTRATION = "deregistration", _("deregistration with open matters")
    FIRST_VISIT = "first_visit", _("first visit of a new elderly-related registration")


class AlertState(models.TextChoices):
    OPEN = "open", pgettext_lazy("gate alert", "open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("gate alert", "acknowledged")
    RESOLVED = "resolved", pgettext_lazy("gate alert", "resolved")


class GateAlert(models.Model):
    """A gate of measure 4 that the registration section must act on.

    Deregistration: the entity moved to deregistration while leads or cases about it were open or a fine
    was not yet executed (`open_leads`, `open_cases`, `unpaid_penalties` as found then). First visit: a
    newly registered entity whose scope is elderly-related, to be visited once.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="gate_alerts", verbose_name=_("entity"))
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=AlertState.choices, default=AlertState.OPEN, db_index=True)
    to_status = models.CharField(_("new status"), max_length=20, blank=True)
    open_leads = models.PositiveIntegerField(_("open leads"), default=0)
    open_cases = models.PositiveIntegerField(_("open cases"), default=0)
    unpaid_penalties = models.PositiveIntegerField(_("unexecuted penalties"), default=0)
    detail = models.JSONField(default=dict, blank=True)
    origin = models.CharField(_("raised by"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gate alert")
        verbose_name_plural = _("gate alerts")
        indexes = [models.Index(fields=["state", "kind"], name="gate_alert_state_idx")]


class ImportRun(models.Model):
    """One import of business-registration data, with its counts and its row-level report."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        REJECTED = "rejected", _("rejected: nothing written")

    file_name = models.CharField(_("file"), max_length=255)
    skip_bad = models.BooleanField(_("skip bad rows"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    bad = models.PositiveIntegerField(_("bad rows"), default=0)
    alerts = models.PositiveIntegerField(_("gate alerts"), default=0)
    report = models.JSONField(_("row report"), default=list, blank=True)
    started_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("entity import")
        verbose_name_plural = _("entity imports")
