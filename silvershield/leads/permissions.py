"""Object rules for leads: plain predicates shared by the server and the templates."""

from __future__ import annotations

from silvershield.core.models import Role, User
from silvershield.leads.models import Lead


def is_assigned(lead: Lead, user: User) -> bool:
    return lead.assignees.filter(pk=user.pk).exists()


def heads_handling_unit(lead: Lead, user: User) -> bool:
    """A unit head acts on leads dispatched to their unit or below it, or to their bureau's units."""
    if user.role != Role.UNIT_HEAD:
        return False
    unit = lead.handling_unit or lead.bureau
    return unit.path.startswith(user.unit.path)


def can_act_as_verifier(lead: Lead, user: User) -> bool:
    return is_assigned(lead, user) or heads_handling_unit(lead, user)


def can_reveal_reporter(lead: Lead, user: User) -> bool:
    """Only the legal officer who keeps the ledger and the unit head see a reporter's identity, with a reason."""
    return user.role in {Role.LEGAL_OFFICER, Role.UNIT_HEAD}


def can_edit_lead(lead: Lead, user: User) -> bool:
    return user.role == Role.LEGAL_OFFICER and lead.state in {"received", "registered", "screened"}
