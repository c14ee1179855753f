"""Ad monitoring (measure 1, "widen the channels"): the rulebook, the ads monitored, what the checker found.

The rulebook is data (DESIGN.md section 5, "Rules as data"): each AdRule names the article it enforces,
its effective dates and version, and is edited by an administrator. The checker (ads/checker/) reads the
rules in force on a given day; ads/rulebook/ holds the defaults migration 0002 seeds.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.ads.checker import spec
from silvershield.ads.checker.engine import compile_pattern
from silvershield.core.models import OrgUnit, User


class ProductType(models.TextChoices):
    """What an ad sells, which decides which rules apply (a sentence lawful for a drug is not for a food)."""

    HEALTH_FOOD = spec.HEALTH_FOOD, _("health food")
    ORDINARY_FOOD = spec.ORDINARY_FOOD, _("ordinary food")
    DRUG = spec.DRUG, _("drug")
    MEDICAL_DEVICE = spec.MEDICAL_DEVICE, _("medical device")
    ELDER_SERVICE = spec.ELDER_SERVICE, _("elderly-care service")
    OTHER = spec.OTHER, _("other")


# Ingest also knows "investment" (issue 4): the checker has no rules of its own for it and checks such ads
# as "other"; the Art. 25 rules apply to every type whenever the text speaks of returns.
INVESTMENT = "investment"
AD_PRODUCT_TYPES = [
    *ProductType.choices[:5],
    (INVESTMENT, _("investment")),
    ProductType.choices[5],
]


def checker_product_type(product_type: str) -> str:
    """The product type the checker runs an ad as."""
    return spec.OTHER if product_type == INVESTMENT else product_type


class Law(models.TextChoices):
    ADVERTISING_LAW = spec.ADVERTISING_LAW, _("Advertising Law (广告法)")
    FOOD_SAFETY_LAW = spec.FOOD_SAFETY_LAW, _("Food Safety Law (食品安全法)")


class RuleKind(models.TextChoices):
    PROHIBITED = spec.PROHIBITED, _("prohibited wording: each occurrence is a finding")
    REQUIRED = spec.REQUIRED, _("required wording: a finding when it is missing")


class Severity(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class Medium(models.TextChoices):
    TV = "tv", _("television")
    RADIO = "radio", _("radio")
    NEWSPAPER = "newspaper", _("newspaper or magazine")
    OUTDOOR = "outdoor", _("outdoor")
    INTERNET = "internet", _("internet")
    LIVE_STREAM = "live_stream", _("live stream or short video")
    LEAFLET = "leaflet", _("leaflet")
    LECTURE = "lecture", _("lecture or meeting sale")


def _check_patterns(value: object, field: str, *, required: bool) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise ValidationError({field: _("A list of non-empty phrases or re: expressions.")})
    if required and not value:
        raise ValidationError({field: _("At least one pattern.")})
    for pattern in value:
        try:
            compile_pattern(pattern)
        except re.error as exc:
            raise ValidationError(
                {field: _("Bad regular expression %(p)s: %(e)s") % {"p": pattern, "e": exc}}
            ) from exc
    return value


class AdRule(models.Model):
    """One rule of the ad rulebook: where it applies, what it looks for, and the article it enforces.

    A prohibited rule reports every place one of its `patterns` occurs (a literal phrase, or a regular
    expression written "re:…"); a required rule reports an ad in which none occurs (a warning the law
    demands, such as 广告法 Art. 18(2) "本品不能代替药物"). `context_patterns`, when set, limit the rule
    to ads containing one of them (Art. 25 only for ads with an investment return); a hit inside one of
    the `exception_patterns` is lawful (辅助降血糖 is a registered health-food function). A hit the
    clause denies ("不能治疗") or that quotes someone else's claim ("谨防宣称'包治百病'") is dropped
    unless the flags say otherwise. Every change raises `version` (ads/services.py); the rule in force is
    chosen by the ad's date against `effective_from`/`effective_to`.
    """

    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    law = models.CharField(_("law"), max_length=30, choices=Law.choices)
    article_number = models.PositiveSmallIntegerField(_("article (条)"))
    paragraph_number = models.PositiveSmallIntegerField(_("paragraph (款)"), null=True, blank=True)
    item_number = models.PositiveSmallIntegerField(_("item (项)"), null=True, blank=True)
    article = models.CharField(
        _("citation"),
        max_length=60,
        editable=False,
        help_text=_("Built from the numbers, e.g. 广告法第18条第1款第2项."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices, default=RuleKind.PROHIBITED)
    product_types = models.JSONField(
        _("product types"), default=list, blank=True, help_text=_("Empty: every product type.")
    )
    patterns = models.JSONField(_("patterns"), default=list)
    context_patterns = models.JSONField(_("only in ads containing"), default=list, blank=True)
    exception_patterns = models.JSONField(_("exceptions"), default=list, blank=True)
    negation_applies = models.BooleanField(_("drop negated hits"), default=True)
    quotation_applies = models.BooleanField(_("drop hits in reported quotations"), default=True)
    explanation = models.TextField(
        _("explanation"), help_text=_("Plain Chinese; {match} stands for the words found.")
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    verified = models.BooleanField(
        _("verified"),
        default=True,
        help_text=_("Unticked where DOMAIN.md marks the article number UNVERIFIED."),
    )
    source_note = models.TextField(_("legal source"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["law", "article_number", "paragraph_number", "item_number", "code"]
        verbose_name = _("ad rule")
        verbose_name_plural = _("ad rulebook")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="ad_rule_code_from_unique"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="ad_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} {self.name}"

    def save(self, *args, **kwargs):
        self.article = spec.cite(
            law=self.law, article=self.article_number, paragraph=self.paragraph_number, item=self.item_number
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        _check_patterns(self.patterns, "patterns", required=True)
        _check_patterns(self.context_patterns, "context_patterns", required=False)
        _check_patterns(self.exception_patterns, "exception_patterns", required=False)
        if not isinstance(self.product_types, list) or set(self.product_types) - set(spec.PRODUCT_TYPES):
            raise ValidationError(
                {"product_types": _("A list of: %(types)s.") % {"types": ", ".join(spec.PRODUCT_TYPES)}}
            )
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("Ends before it starts.")})


class IngestBatch(models.Model):
    """One ingest of ads (a file uploaded, a command run, an API call) and what became of its rows."""

    bureau = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    source = models.CharField(_("source"), max_length=200)
    skip_bad = models.BooleanField(_("bad rows skipped"), default=False)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("ads added"), default=0)
    duplicates = models.PositiveIntegerField(_("already recorded"), default=0)
    skipped = models.PositiveIntegerField(_("bad rows skipped"), default=0)
    findings = models.PositiveIntegerField(_("findings"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ad ingest")
        verbose_name_plural = _("ad ingests")

    def __str__(self) -> str:
        return f"{self.source} ({self.created})"


class Ad(models.Model):
    """An ad a monitor recorded: where and when it ran, who paid for it, what it sells, and its text.

    `fingerprint` (medium, outlet, time and text) makes recording the same ad again a no-op.
    """

    bureau = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="ads", verbose_name=_("bureau")
    )
    division = models.ForeignKey(
        "core.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("division"),
    )
    batch = models.ForeignKey(
        IngestBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="ads", verbose_name=_("ingest")
    )
    advertiser_uscc = models.CharField(_("advertiser USCC"), max_length=18, blank=True)
    finding_count = models.PositiveIntegerField(_("findings"), default=0, editable=False)
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("lead")
    )
    medium = models.CharField(_("medium"), max_length=20, choices=Medium.choices)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    advertiser_name = models.CharField(_("advertiser"), max_length=200, blank=True)
    advertiser_entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ads",
        verbose_name=_("registered entity"),
    )
    product_name = models.CharField(_("product"), max_length=200, blank=True)
    product_type = models.CharField(_("product type"), max_length=20, choices=AD_PRODUCT_TYPES)
    approval_numbers = models.JSONField(_("approval numbers shown"), default=list, blank=True)
    text = models.TextField(_("text"))
    fingerprint = models.CharField(max_length=64, editable=False)
    checked_with = models.CharField(_("rulebook version"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("ad")
        verbose_name_plural = _("ads")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "fingerprint"], name="ad_fingerprint_unique")
        ]
        indexes = [
            models.Index(fields=["bureau", "-published_at", "-id"], name="ad_bureau_time_idx"),
            models.Index(fields=["division", "published_at"], name="ad_division_time_idx"),
        ]

    def __str__(self) -> str:
        return self.product_name or f"#{self.pk}"


class FindingState(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    CONFIRMED = "confirmed", _("confirmed as a violation")
    REJECTED = "rejected", _("rejected by review")


class Finding(models.Model):
    """One violation the checker found in an ad: the article, the span of text, the explanation.

    A monitor confirms or rejects it; rejections are kept so the rulebook can be tuned. `rule_version`
    records which version of the rule made the finding, since rules change after the fact.
    """

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="findings", verbose_name=_("ad"))
    rule = models.ForeignKey(
        AdRule, on_delete=models.PROTECT, related_name="findings", verbose_name=_("rule")
    )
    rule_version = models.PositiveIntegerField(_("rule version"))
    article = models.CharField(_("article"), max_length=60)
    span_start = models.PositiveIntegerField(_("from"))
    span_end = models.PositiveIntegerField(_("to"))
    explanation = models.TextField(_("explanation"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=FindingState.choices, default=FindingState.PENDING, editable=False
    )
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("review note"), blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["ad", "span_start", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["state", "severity"], name="finding_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(span_end__gte=models.F("span_start")), name="finding_span_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(state="pending") | models.Q(reviewed_at__isnull=False),
                name="finding_reviewed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.span_start}, {self.span_end})"

    @property
    def excerpt(self) -> str:
        return self.ad.text[self.span_start : self.span_end]


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed as a violation")
    REJECTED = "rejected", _("rejected by review")


class FindingReview(models.Model):
    """A monitor's decision on a finding, kept for good (also when the ad goes) to tune the rulebook.

    The rejection rate per rule (`silvershield ads rejection-rates`, the rulebook page) comes from here:
    a rule most of whose findings are rejected is one to narrow.
    """

    finding = models.OneToOneField(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="review", verbose_name=_("finding")
    )
    rule = models.ForeignKey(AdRule, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("rule"))
    rule_version = models.PositiveIntegerField(_("rule version"))
    article = models.CharField(_("article"), max_length=60)
    excerpt = models.TextField(_("words found"))
    product_type = models.CharField(_("product type"), max_length=20, choices=AD_PRODUCT_TYPES)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("finding review")
        verbose_name_plural = _("finding reviews")

    def __str__(self) -> str:
        return f"{self.article} {self.get_decision_display()}"
