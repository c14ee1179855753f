"""Cases (案件) under the ordinary procedure, opened from one or more leads.

A case's state changes only through cases/workflow.py. The decision clock is 90 calendar days from
opening (程序规定 Art. 64), stored as `due_date` when the case is opened.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import Division, OrgUnit, User
from silvershield.leads.models import FraudCategory


class CaseState(models.TextChoices):
    """DESIGN.md section 4: opened → investigating → in review → (deliberation) → notified → decided →
    executed → closed → struck off; suspended and transferred to the police on the side."""

    OPENED = "opened", _("opened")
    INVESTIGATING = "investigating", _("investigating")
    IN_REVIEW = "in_review", _("in review")
    DELIBERATION = "deliberation", _("collective deliberation")
    NOTIFIED = "notified", _("party notified")
    DECIDED = "decided", _("decided")
    EXECUTED = "executed", _("executed")
    CLOSED = "closed", _("closed")
    STRUCK_OFF = "struck_off", _("struck off")
    SUSPENDED = "suspended", _("suspended")
    TRANSFERRED_POLICE = "transferred_police", _("transferred to the police")


class Case(models.Model):
    """An enforcement case (案件), opened on the 立案审批表 by the unit head (程序规定 Art. 19).

    Two or more officers with enforcement credentials investigate it (Art. 19); reviewers may not be
    among them (Art. 49).
    """

    number = models.CharField(_("number"), max_length=40, unique=True)
    bureau = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("bureau"))
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.OPENED, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    title = models.CharField(_("title"), max_length=200)
    party_name = models.CharField(_("party"), max_length=200, blank=True)
    party_entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
        verbose_name=_("registered entity"),
    )
    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name=_("division"))
    category = models.CharField(_("fraud category"), max_length=30, choices=FraudCategory.choices, blank=True)
    handling_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="handled_cases", verbose_name=_("handling unit")
    )
    officers = models.ManyToManyField(User, blank=True, related_name="cases", verbose_name=_("case officers"))
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    due_date = models.DateField(_("decision due"), null=True, blank=True, editable=False)
    due_provisional = models.BooleanField(default=False, editable=False)
    decision = models.TextField(_("decision"), blank=True, editable=False)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    execution_note = models.TextField(_("execution"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    struck_off_at = models.DateTimeField(_("struck off at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["bureau", "-opened_on", "-id"], name="case_ledger_idx"),
            models.Index(fields=["state", "due_date"], name="case_state_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state__in=["decided", "executed", "closed", "struck_off"])
                | models.Q(decided_at__isnull=False),
                name="case_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["closed", "struck_off"]) | models.Q(closed_at__isnull=False),
                name="case_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="struck_off") | models.Q(struck_off_at__isnull=False),
                name="case_struck_off_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state not in {CaseState.CLOSED, CaseState.STRUCK_OFF, CaseState.TRANSFERRED_POLICE}
