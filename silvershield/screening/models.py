"""Measure 3: the Monday screening meeting (集中筛查会), its decisions, dispatch recommendation, clusters.

Business rules:
- A bureau's task office holds one open meeting at a time; its agenda is built live (agenda.py) from the
  registered leads in the bureau's reach, the leads whose clocks run out soon and the clusters.
- Each lead gets exactly ONE screening decision (a database constraint on `Decision.lead`); a second
  decision for the same lead, in another meeting or between meetings, is a conflict (HTTP 409).
- Decisions are recorded while the meeting is open (editable, with a version), then carried out together
  in one transaction (services.carry_out): all or nothing.
- Recusal: an officer with a declared `Conflict` with a lead's party is never recommended nor accepted.
- Routing rules and thresholds are data (RoutingRule, ScreeningSetting) an administrator edits.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import OrgUnit, User
from silvershield.leads.models import FraudCategory, Lead, Priority


class MeetingState(models.TextChoices):
    OPEN = "open", _("open")
    HELD = "held", _("held, decisions carried out")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(models.Model):
    """One screening meeting of a bureau (集中筛查会), normally on Monday."""

    bureau = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="screening_meetings", verbose_name=_("bureau"))
    held_on = models.DateField(_("meeting date"))
    state = models.CharField(_("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.OPEN, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair"))
    attendees = models.ManyToManyField(User, blank=True, related_name="screening_meetings", verbose_name=_("attendees"))
    outside_attendees = models.TextField(
        _("other attendees"), blank=True, help_text=_("People without an account, one per line (name, organisation).")
    )
    due_window_days = models.PositiveSmallIntegerField(
        _("clock window (working days)"), default=5,
        help_text=_("Leads due within this many working days are put on the agenda."),
    )
    notes = models.TextField(_("notes"), blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", editable=False)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    carried_out_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    carried_out_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("screening meeting")
        verbose_name_plural = _("screening meetings")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "held_on"], name="screening_meeting_one_per_day"),
            models.UniqueConstraint(fields=["bureau"], condition=Q(state="open"), name="screening_one_open_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.bureau.short_name or self.bureau.name} {self.held_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state == MeetingState.OPEN


class DecisionKind(models.TextChoices):
    DISPATCH = "dispatch", _("dispatch to a unit and verifiers")
    MERGE = "merge", _("merge into another lead")
    TRANSFER = "transfer", _("transfer out to another department")
    NO_ACTION = "no_action", _("no action")


class Matter(models.Model):
    """A cluster sent as one matter (一案统办), e.g. to the city enforcement bureau: one decision for all its leads."""

    title = models.CharField(_("title"), max_length=200)
    keys = models.JSONField(_("shared keys"), default=list, blank=True)
    leads = models.ManyToManyField(Lead, related_name="screening_matters", verbose_name=_("leads"))
    handling_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="matters")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cluster matter")
        verbose_name_plural = _("cluster matters")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """The one screening decision on a lead, in a meeting or (urgent) between meetings, with its reasons."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="screening_decisions", verbose_name=_("lead"))
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    category = models.CharField(_("category confirmed"), max_length=30, choices=FraudCategory.choices)
    handling_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit")
    )
    verifiers = models.ManyToManyField(User, blank=True, related_name="screening_assignments", verbose_name=_("verifiers"))
    may_become_case = models.BooleanField(
        _("may become a case"), default=True,
        help_text=_("Then two or more verifiers with enforcement credentials are required (程序规定 Art. 19)."),
    )
    merged_into = models.ForeignKey(
        Lead, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("merge into")
    )
    transfer_department = models.CharField(_("transfer to department"), max_length=100, blank=True)
    reasons = models.TextField(_("reasons"))
    recommendation = models.JSONField(_("recommendation at the time"), default=dict, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    carry_out_note = models.CharField(_("carried out"), max_length=300, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("screening decision")
        verbose_name_plural = _("screening decisions")
        constraints = [models.UniqueConstraint(fields=["lead"], name="screening_one_decision_per_lead")]

    def __str__(self) -> str:
        return f"{self.lead} · {self.get_kind_display()}"


class Conflict(models.Model):
    """A declared conflict of interest (回避): the officer is never recommended nor accepted for the party."""

    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="declared_conflicts", verbose_name=_("officer"))
    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered entity")
    )
    party_name = models.CharField(_("party name"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    declared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", editable=False)
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.CheckConstraint(condition=Q(entity__isnull=False) | ~Q(party_name=""), name="screening_conflict_has_party")
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.entity or self.party_name}"


class Unavailability(models.Model):
    """An officer away (leave, training, secondment): not recommended on those days."""

    officer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("officer"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("officer absence")
        verbose_name_plural = _("officer absences")

    def __str__(self) -> str:
        return f"{self.officer} {self.start}–{self.end}"


class RoutingTarget(models.TextChoices):
    NONE = "", _("keep the recommended unit")
    CITY_ENFORCEMENT = "city_enforcement", _("the city enforcement bureau")
    DIVISION_BUREAU = "division_bureau", _("the bureau of the lead's division")
    UNIT = "unit", _("the unit named below")


class RoutingRule(models.Model):
    """A routing rule (in the spirit of Amsterdam's Signalen): conditions on a lead → unit, priority, note.

    Empty conditions match everything; all given conditions must hold. Rules apply in `order`; the first
    rule with a target decides the unit, the highest priority of all matching rules wins, every note is kept.
    """

    ANY, YES, NO = "", "yes", "no"

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    categories = models.JSONField(_("categories"), default=list, blank=True, help_text=_("Fraud category codes; empty = any."))
    divisions = models.JSONField(_("divisions"), default=list, blank=True, help_text=_("Division codes; empty = any."))
    channels = models.JSONField(_("channels"), default=list, blank=True, help_text=_("Channel codes; empty = any."))
    words = models.CharField(
        _("words in the text"), max_length=300, blank=True, help_text=_("Separated by | ; any one of them in the party, address or facts.")
    )
    anonymous = models.CharField(
        _("anonymous reporter"), max_length=3, blank=True, choices=[(ANY, _("any")), (YES, _("yes")), (NO, _("no"))]
    )
    target = models.CharField(_("route to"), max_length=20, blank=True, choices=RoutingTarget.choices)
    target_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    priority = models.CharField(_("priority"), max_length=10, blank=True, choices=Priority.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name


class ScreeningSetting(models.Model):
    """Thresholds of the screening (no statute fixes them: UNVERIFIED, a bureau's practice, editable)."""

    due_window_days = models.PositiveSmallIntegerField(_("clock window (working days)"), default=5)
    major_loss_amount = models.DecimalField(
        _("major matter from losses of (yuan)"), max_digits=14, decimal_places=2, default=100000
    )
    min_verifiers = models.PositiveSmallIntegerField(_("verifiers when it may become a case"), default=2)
    max_leads_per_key = models.PositiveIntegerField(
        _("ignore keys shared by more leads than"), default=60,
        help_text=_("A phone or address shared by very many leads (a hotline, a market) is not a cluster key."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("screening setting")
        verbose_name_plural = _("screening settings")

    def __str__(self) -> str:
        return f"{self.due_window_days} / {self.major_loss_amount} ({self.effective_from})"


class KeyKind(models.TextChoices):
    ENTITY = "entity", _("registered entity")
    PARTY = "party", _("party name")
    PERSON = "person", _("legal representative")
    PHONE = "phone", _("phone")
    ACCOUNT = "account", _("payment account")
    VENUE = "venue", _("venue")
    PRODUCT = "product", _("product")
    APPROVAL = "approval", _("approval number")


class LeadKey(models.Model):
    """One linking key extracted from a lead (clusters.py); rebuilt by clusters.refresh_index."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="screening_keys")
    kind = models.CharField(max_length=10, choices=KeyKind.choices)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="screening_key_idx")]
        constraints = [models.UniqueConstraint(fields=["lead", "kind", "value"], name="screening_key_unique")]


class LeadIndexState(models.Model):
    """When a lead's keys were last extracted; a lead changed since (updated_at later) is re-indexed."""

    lead = models.OneToOneField(Lead, on_delete=models.CASCADE, primary_key=True, related_name="screening_index")
    indexed_at = models.DateTimeField()
