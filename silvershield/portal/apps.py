"""Measure 1, the public channel: the portal made for elderly people and their families, the status
page answering a tracking code, and the partner endpoints shaped after Open311 GeoReport v2. No sign-in."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "silvershield.portal"
    label = "portal"
    verbose_name = _("Public portal")
