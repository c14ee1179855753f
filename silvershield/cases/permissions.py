"""Object rules for cases."""

from __future__ import annotations

from silvershield.cases.models import Case
from silvershield.core.models import Role, User


def is_case_officer(case: Case, user: User) -> bool:
    return case.officers.filter(pk=user.pk).exists()


def heads_case_unit(case: Case, user: User) -> bool:
    return user.role == Role.UNIT_HEAD and case.handling_unit.path.startswith(user.unit.path)


def can_work_case(case: Case, user: User) -> bool:
    return is_case_officer(case, user) or heads_case_unit(case, user)


def can_review_case(case: Case, user: User) -> bool:
    """Reviewers may not review a case they investigate (程序规定 Art. 49)."""
    return user.role == Role.REVIEWER and not is_case_officer(case, user)
