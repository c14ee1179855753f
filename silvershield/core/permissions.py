"""Who may see what, by role (DESIGN.md section 2). Object rules live in each app's permissions.py."""

from __future__ import annotations

from silvershield.core.models import Role, User

# Roles that work the ledger of their bureau (and, for a city bureau, of the bureaus below it).
LEDGER_ROLES = frozenset(
    {Role.LEGAL_OFFICER, Role.TASK_OFFICE, Role.INVESTIGATOR, Role.UNIT_HEAD, Role.REVIEWER, Role.LEADER}
)
# Roles that see only what they entered themselves.
OWN_SUBMISSION_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.INFORMANT})
# Roles that look up registered businesses.
ENTITY_ROLES = LEDGER_ROLES | frozenset(
    {Role.HOTLINE_OPERATOR, Role.AD_MONITOR, Role.REGISTRATION_SECTION, Role.PUBLICITY_OFFICER}
)


def can_see_ledger(user: User) -> bool:
    return user.is_authenticated and user.role in LEDGER_ROLES


def can_see_entities(user: User) -> bool:
    return user.is_authenticated and user.role in ENTITY_ROLES
