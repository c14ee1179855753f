"""Dates for the demo, all counted back from one anchor day (the seed's `--today`, by default today).

Nothing else reads the clock: the same seed and anchor give the same data. The last 210 days before
the anchor are the *workflow window*, in which a few hundred leads are driven through the real
workflow with the clock set to each step's time; the three years before it are *history*, bulk-loaded
in final states. Numbers therefore follow registration order within each bureau and year.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_DAYS = 210
HISTORY_YEARS = 3


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    """By the State Council schedule where chinese-calendar knows the year, else Monday to Friday.

    Only used to place demo steps on plausible days; deadlines come from core.clocks as always. Cached:
    the history asks about the same few thousand days millions of times.
    """
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working(day: date, n: int) -> date:
    """`n` working days after `day` (before it when `n` is negative); 0 moves to the next working day."""
    step = 1 if n >= 0 else -1
    if n == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < abs(n):
        day += timedelta(days=step)
        if is_working_day(day):
            counted += 1
    return day


def next_monday(day: date) -> date:
    """The screening meeting is held on Mondays (measure 3); on a Monday holiday, the next working day."""
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    return add_working(monday, 0)


def at(day: date, minutes_after_eight: int) -> datetime:
    return datetime.combine(day, time(8), tzinfo=SHANGHAI) + timedelta(minutes=minutes_after_eight)


def office_minutes(rng: random.Random) -> int:
    """A time of day in office hours, 08:30 to 17:30, as minutes after 08:00."""
    return rng.randrange(30, 570)


@dataclass(frozen=True)
class Frame:
    anchor: date

    @property
    def last_day(self) -> date:
        """The last day steps may fall on: the working day before the anchor, so no step is in the future."""
        return add_working(self.anchor, -1)

    @property
    def window_start(self) -> date:
        return self.anchor - timedelta(days=WINDOW_DAYS)

    @property
    def history_start(self) -> date:
        return self.window_start - timedelta(days=365 * HISTORY_YEARS + 1)

    @property
    def loaded_at(self) -> datetime:
        """When the registry was loaded into SilverShield: the start of the history."""
        return at(self.history_start, 0)
