"""Statutory periods counted in Chinese working days (DOMAIN.md C.9, 程序规定 Art. 80)."""

from datetime import date

import pytest

from silvershield.core.clocks import deadline_for, rule_in_force
from silvershield.core.models import CalendarDay, CalendarYear
from silvershield.core.workdays import add_calendar_days, add_working_days, working_days_between

pytestmark = pytest.mark.django_db


def test_fifteen_working_days_skip_national_day_and_count_the_working_saturday():
    # Received Monday 2026-09-28: 9-29, 9-30 (2); 10-1..10-7 holidays; 10-8, 10-9 (4); Saturday 10-10 is a
    # working day (5); 10-12..10-16 (10); 10-19..10-23 (15).
    deadline = add_working_days(date(2026, 9, 28), 15)
    assert deadline.due == date(2026, 10, 23)
    assert not deadline.provisional


def test_working_sunday_2026_01_04_counts():
    assert add_working_days(date(2026, 1, 3), 1).due == date(2026, 1, 4)


def test_period_running_into_a_year_without_schedule_is_provisional():
    deadline = add_working_days(date(2026, 12, 20), 15)
    assert deadline.provisional
    assert deadline.due.year == 2027


def test_an_entered_year_is_no_longer_provisional_and_its_holidays_count():
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False, note="元旦")
    deadline = add_working_days(date(2026, 12, 31), 1)
    assert deadline.due == date(2027, 1, 4)  # 1-1 holiday, 1-2/1-3 weekend
    assert not deadline.provisional


def test_calendar_period_ending_on_a_holiday_moves_to_the_next_working_day():
    # 90 days from 2026-07-04 is 2026-10-02, inside the National Day holiday; 10-8 is the next working day.
    assert add_calendar_days(date(2026, 7, 4), 90).due == date(2026, 10, 8)


def test_working_days_between_is_signed():
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 27)) == 4
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 23)) == -4


def test_complaint_rule_changes_on_2026_04_15_and_the_new_one_is_marked_unverified():
    old = rule_in_force("complaint_acceptance", date(2026, 4, 14))
    new = rule_in_force("complaint_acceptance", date(2026, 4, 15))
    assert old.verified and "暂行办法" in old.source
    assert not new.verified and "121" in new.source


def test_lead_verification_clock_is_fifteen_working_days_from_art_18():
    deadline, rule = deadline_for("lead_verification", date(2026, 11, 2))
    assert rule.length == 15 and "第十八条" in rule.source
    assert deadline.due == date(2026, 11, 23)
