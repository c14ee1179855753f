"""Who may do what at the screening meeting: plain predicates used by the server and the templates."""

from __future__ import annotations

from silvershield.core.models import Role, User

SCREENING_ROLES = frozenset({Role.TASK_OFFICE, Role.UNIT_HEAD, Role.LEADER})
DECIDING_ROLES = frozenset({Role.TASK_OFFICE, Role.UNIT_HEAD})


def can_see_screening(user: User) -> bool:
    return user.is_authenticated and user.role in SCREENING_ROLES


def can_open_meeting(user: User) -> bool:
    """The campaign task office convenes the meeting and carries out its decisions."""
    return user.is_authenticated and user.role == Role.TASK_OFFICE


def can_decide(user: User) -> bool:
    return user.is_authenticated and user.role in DECIDING_ROLES


def can_dispatch_urgent(user: User) -> bool:
    """Between meetings a unit head (or the task office) dispatches an urgent lead."""
    return user.is_authenticated and user.role in DECIDING_ROLES


def can_declare_conflict(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.INVESTIGATOR, Role.UNIT_HEAD, Role.TASK_OFFICE, Role.LEADER, Role.LEGAL_OFFICER, Role.REVIEWER}
