"""Who may do what in ad monitoring (DESIGN.md section 2): ad monitors ingest and review; leaders and
the ledger roles of the bureau look at the ads and the figures."""

from __future__ import annotations

from silvershield.core.models import Role, User
from silvershield.core.permissions import LEDGER_ROLES

AD_REVIEW_ROLES = frozenset({Role.AD_MONITOR})
AD_VIEW_ROLES = AD_REVIEW_ROLES | frozenset({Role.LEADER}) | LEDGER_ROLES


def can_see_ads(user: User) -> bool:
    return user.is_authenticated and user.role in AD_VIEW_ROLES


def can_review_ads(user: User) -> bool:
    """Ingest ads and confirm or reject findings."""
    return user.is_authenticated and user.role in AD_REVIEW_ROLES
