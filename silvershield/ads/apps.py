from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "silvershield.ads"
    label = "ads"
    verbose_name = _("Ad monitoring")
