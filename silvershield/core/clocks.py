"""Statutory clocks: the ClockRule in force for a date, and the deadline it gives.

Rules are data (ClockRule rows, seeded from DOMAIN.md Part B by migration, editable in the admin).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q

from silvershield.core.errors import InvalidInput
from silvershield.core.models import ClockRule, ClockUnit
from silvershield.core.workdays import Deadline, add_calendar_days, add_working_days


class NoClockRule(InvalidInput):
    """No rule in force for that date: a configuration gap the officer is told about, not a crash."""

    code = "no_clock_rule"


def rule_in_force(code: str, on: date) -> ClockRule:
    rule = (
        ClockRule.objects.filter(code=code, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise NoClockRule(f"没有在 {on} 生效的时限规则 {code}，请管理员在“时限规则”中配置")
    return rule


def deadline_for(code: str, start: date | datetime) -> tuple[Deadline, ClockRule]:
    """The deadline of clock `code` started on `start`, by the rule in force on that day."""
    start_date = start.date() if isinstance(start, datetime) else start
    rule = rule_in_force(code, start_date)
    if rule.unit == ClockUnit.WORKING_DAYS:
        deadline = add_working_days(start_date, rule.length)
    elif rule.unit == ClockUnit.CALENDAR_DAYS:
        deadline = add_calendar_days(start_date, rule.length)
    else:
        deadline = Deadline(due=(start_date + timedelta(hours=rule.length)), provisional=False)
    return deadline, rule
