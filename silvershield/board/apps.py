"""Measure 4, the wall (挂图作战): the board by stage, the map, the progress sheet and strike-off (销号)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "silvershield.board"
    label = "board"
    verbose_name = _("Wall board, map and strike-off")
