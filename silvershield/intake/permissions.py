"""Who may use which channel (DESIGN.md section 2). Plain predicates, used by views and templates."""

from __future__ import annotations

from silvershield.core.models import Role, User

# The 12315 hotline form: operators, and legal officers who take calls too.
HOTLINE_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.LEGAL_OFFICER})
# Referrals, assignments, inspection findings, public calls, the 12315 import: the legal officer registers.
OTHER_CHANNEL_ROLES = frozenset({Role.LEGAL_OFFICER})
IMPORT_ROLES = frozenset({Role.LEGAL_OFFICER})
# The informant network's registry: the task office runs it, the legal officer keeps it current.
NETWORK_EDIT_ROLES = frozenset({Role.TASK_OFFICE, Role.LEGAL_OFFICER})
NETWORK_VIEW_ROLES = NETWORK_EDIT_ROLES | frozenset({Role.LEADER, Role.UNIT_HEAD})


def _has(user: User, roles: frozenset) -> bool:
    return bool(user.is_authenticated and user.role in roles)


def can_enter_hotline(user: User) -> bool:
    return _has(user, HOTLINE_ROLES)


def can_enter_other_channels(user: User) -> bool:
    return _has(user, OTHER_CHANNEL_ROLES)


def can_import(user: User) -> bool:
    return _has(user, IMPORT_ROLES)


def can_view_network(user: User) -> bool:
    return _has(user, NETWORK_VIEW_ROLES)


def can_edit_network(user: User) -> bool:
    return _has(user, NETWORK_EDIT_ROLES)


def can_submit_as_informant(user: User) -> bool:
    return bool(user.is_authenticated and user.role == Role.INFORMANT and getattr(user, "informant", None))


def can_use_intake(user: User) -> bool:
    return can_enter_hotline(user) or can_view_network(user) or can_submit_as_informant(user)
