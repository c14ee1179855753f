"""Measure 4, the wall (挂图作战): the colour rule of the board, and the records a strike-off (销号) needs.

The leads and cases models record results, decisions and executions; what they do not record, and the
legal officer must see before striking an item off, is kept here: the reply to a named reporter, the
publication of a penalty, the receipt for a transfer, and the losses recovered for victims. Each record
belongs to a lead or to a case (exactly one), is written only by board.services (with an audit event on
the item) and is never edited afterwards: a wrong record is followed by a correct one.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import User


class WarningRule(models.Model):
    """When a card turns yellow: this many working days or fewer left on its clock (red once overdue).

    Law as data: the "3 working days" of issue 5 is local practice, not a statute, so it is a row with
    its source and effective dates that an administrator edits in the admin; the rule in force on the
    day the board is drawn applies.
    """

    warning_working_days = models.PositiveSmallIntegerField(_("yellow at working days left or fewer"), default=3)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("board warning rule")
        verbose_name_plural = _("board warning rules")

    def __str__(self) -> str:
        return f"≤{self.warning_working_days} ({self.effective_from}–{self.effective_to or '…'})"


class _ItemRecord(models.Model):
    """A record about exactly one lead or one case."""

    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead")
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def item(self):
        return self.lead if self.lead_id else self.case


def _one_item(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(models.Q(lead__isnull=False) & models.Q(case__isnull=True))
        | (models.Q(lead__isnull=True) & models.Q(case__isnull=False)),
        name=name,
    )


class ReplyMethod(models.TextChoices):
    PHONE = "phone", _("by phone")
    SMS = "sms", _("by text message")
    LETTER = "letter", _("by letter")
    IN_PERSON = "in_person", _("in person")
    PLATFORM = "platform", _("through the 12315 platform")


class ReporterReply(_ItemRecord):
    """The legal officer told a named reporter the outcome (跟踪督办: the legal officer replies to reporters)."""

    method = models.CharField(_("how"), max_length=20, choices=ReplyMethod.choices)
    replied_on = models.DateField(_("replied on"))
    note = models.TextField(_("what was said"), blank=True)

    class Meta:
        ordering = ["replied_on", "id"]
        verbose_name = _("reply to the reporter")
        verbose_name_plural = _("replies to reporters")
        constraints = [_one_item("reporter_reply_one_item")]


class Publication(_ItemRecord):
    """A penalty decision published on the national credit-information system (公示规定 Art. 2, 9)."""

    published_on = models.DateField(_("published on"))
    where = models.CharField(_("where"), max_length=200, default="国家企业信用信息公示系统")
    reference = models.CharField(_("reference or address"), max_length=300, blank=True)

    class Meta:
        ordering = ["published_on", "id"]
        verbose_name = _("penalty publication")
        verbose_name_plural = _("penalty publications")
        constraints = [_one_item("publication_one_item")]


class TransferReceipt(_ItemRecord):
    """The receiving department's or police's receipt (回执) for an item transferred to it."""

    receiver = models.CharField(_("received by"), max_length=200)
    received_on = models.DateField(_("received on"))
    document_number = models.CharField(_("receipt number"), max_length=100, blank=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("transfer receipt")
        verbose_name_plural = _("transfer receipts")
        constraints = [_one_item("transfer_receipt_one_item")]


class LossRecovery(_ItemRecord):
    """Losses recovered for the victims (挽回损失); 0 is a valid entry ("nothing could be recovered")."""

    amount = models.DecimalField(_("recovered (yuan)"), max_digits=14, decimal_places=2)
    victims = models.PositiveIntegerField(_("victims"), null=True, blank=True)
    recovered_on = models.DateField(_("recorded for"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["recovered_on", "id"]
        verbose_name = _("recovered losses")
        verbose_name_plural = _("recovered losses")
        constraints = [
            _one_item("loss_recovery_one_item"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="loss_recovery_not_negative"),
        ]
