"""Working days by the State Council's holiday schedule (DOMAIN.md C.9), and statutory periods.

chinese-calendar carries the schedule up to 2026. Administrators enter later years (CalendarDay plus a
CalendarYear saying the year is complete); for a year with neither, weekends are taken as rest days and
the deadline is marked provisional, so the page can say so rather than guess silently.

Counting follows 程序规定 Art. 80: the start day is not counted; a period that ends on a statutory
holiday ends on the first day after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from silvershield.core.models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool  # True when the period runs through a year with no known holiday schedule


@lru_cache(maxsize=1)
def _package_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def _overrides(start: date, end: date) -> dict[date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def _known_years() -> set[int]:
    first, last = _package_years()
    return set(range(first, last + 1)) | set(CalendarYear.objects.values_list("year", flat=True))


def _is_working_day(day: date, overrides: dict[date, bool]) -> tuple[bool, bool]:
    """(is a working day, known from a schedule)."""
    if day in overrides:
        return overrides[day], True
    first, last = _package_years()
    if first <= day.year <= last:
        return chinese_calendar.is_workday(day), True
    return day.weekday() < 5, False


def add_working_days(start: date, days: int) -> Deadline:
    """The date `days` working days after `start` (the start day itself is not counted)."""
    overrides = _overrides(start, start + timedelta(days=days * 3 + 30))
    known = _known_years()
    provisional = False
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        working, from_schedule = _is_working_day(day, overrides)
        if not from_schedule and day.year not in known:
            provisional = True
        if working:
            counted += 1
    return Deadline(due=day, provisional=provisional)


def add_calendar_days(start: date, days: int) -> Deadline:
    """`days` calendar days after `start`; a last day that is a rest day moves to the next working day.

    程序规定 Art. 80 speaks of 法定节假日; like the courts, we read it as including the weekly rest days.
    """
    due = start + timedelta(days=days)
    overrides = _overrides(due, due + timedelta(days=15))
    known = _known_years()
    provisional = due.year not in known
    while not _is_working_day(due, overrides)[0]:
        due += timedelta(days=1)
    return Deadline(due=due, provisional=provisional)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides(start, end)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if _is_working_day(day, overrides)[0]:
            count += 1
    return count
