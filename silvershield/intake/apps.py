"""Measure 1, channels (拓宽线索来源渠道): every way a lead comes in lands in the one ledger of leads/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "silvershield.intake"
    label = "intake"
    verbose_name = _("Channels: portal, hotline, informants, referrals, 12315 import")
