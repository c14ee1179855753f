from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "silvershield.entities"
    label = "entities"
    verbose_name = _("Market entities")

    def ready(self) -> None:
        from silvershield.entities import signals

        signals.connect()
