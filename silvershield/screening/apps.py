"""Measure 3, the Monday screening meeting (集中筛查会) and dispatch to units and named officers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "silvershield.screening"
    label = "screening"
    verbose_name = _("Screening meeting and dispatch")
