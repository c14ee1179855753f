from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "silvershield.core"
    label = "core"
    verbose_name = _("Organisation and shared records")

    def ready(self) -> None:
        from silvershield.core import checks  # noqa: F401  (registers the deployment checks)
