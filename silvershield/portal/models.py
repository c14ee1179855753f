"""What the public channel keeps beside the lead itself: how the status page recognises the reporter.

A `PortalReceipt` is written with every lead that came through the portal or a partner system. It holds no
personal data: the reporter's phone (if named) is on the lead, encrypted; here only a keyed hash of the
tracking code with the last four digits the status page asks for, so an anonymous reporter can follow
their report without the bureau ever knowing their number.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import ApiToken
from silvershield.leads.models import Lead


class Source(models.TextChoices):
    WEB = "web", _("public portal")
    OPEN311 = "open311", _("partner system (Open311)")


class PortalReceipt(models.Model):
    lead = models.OneToOneField(Lead, on_delete=models.CASCADE, related_name="portal_receipt", verbose_name=_("lead"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    partner_token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("partner token"),
    )
    lookup_hash = models.CharField(max_length=64, blank=True, editable=False)
    public_note = models.CharField(
        _("note for the reporter"), max_length=300, blank=True,
        help_text=_(
            "Optional. One or two plain sentences the reporter sees on the status page, e.g. why no case was "
            "opened. Never write names, phone numbers or internal remarks here."
        ),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("portal receipt")
        verbose_name_plural = _("portal receipts")

    def __str__(self) -> str:
        return self.lead.tracking_code or str(self.lead_id)
