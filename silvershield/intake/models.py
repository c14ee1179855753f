"""Channels (measure 1): the records this app keeps beside the leads it creates.

An `ImportBatch` remembers each 12315 file a bureau checked or imported, by its SHA-256, so the same
file imported twice adds nothing (and each lead's work-order number, `Lead.external_ref`, is unique per
channel besides). The leads themselves live in leads.Lead; informants and stations in core.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import OrgUnit, User


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("checked, not imported")
    IMPORTED = "imported", _("imported")
    REJECTED = "rejected", _("rejected: bad rows")
    EXPIRED = "expired", _("expired: not confirmed in time, file deleted")


class ImportBatch(models.Model):
    """One 12315 file: checked on the page (then confirmed) or imported by the command."""

    bureau = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    stored_file = models.FileField(upload_to="intake/imports/%Y/%m/", blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    skip_bad = models.BooleanField(_("skip bad rows"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("leads created"), default=0)
    rows_existing = models.PositiveIntegerField(_("already in the ledger"), default=0)
    rows_bad = models.PositiveIntegerField(_("bad rows"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("12315 import")
        verbose_name_plural = _("12315 imports")
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "sha256"], condition=models.Q(status="imported"), name="intake_file_imported_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
