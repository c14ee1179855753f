"""The wall board: colours at the thresholds (working days, time-machine), scoping, map data, sheets."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from silvershield.board.models import WarningRule
from silvershield.board.queries import BoardFilter, Clock, build_board, map_data
from silvershield.board.tests.helpers import lead_at
from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, make_person
from silvershield.core.workdays import add_working_days

TZ = ZoneInfo("Asia/Shanghai")


def _client(client, person):
    assert client.login(username=person.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_colours_at_the_thresholds_count_working_days():
    # Friday 2026-11-27: the next working days are Mon 30, Tue 1, Wed 2, Thu 3.
    clock = Clock.on(date(2026, 11, 27))
    assert clock.warning_days == 3
    assert clock.green_from == date(2026, 12, 3)
    assert clock.colour(date(2026, 11, 26), True) == "red"
    assert clock.colour(date(2026, 11, 27), True) == "yellow"  # due today
    assert clock.colour(date(2026, 11, 29), True) == "yellow"  # Sunday: still within 1 working day
    assert clock.colour(date(2026, 12, 2), True) == "yellow"  # 3 working days left
    assert clock.colour(date(2026, 12, 3), True) == "green"  # 4 working days left
    assert clock.colour(date(2026, 11, 1), False) == "grey"  # no running clock


@pytest.mark.django_db
def test_the_national_day_holiday_is_not_counted():
    # 2026-09-30 (Wed): 1–7 October are holidays, so three working days reach into the week after.
    clock = Clock.on(date(2026, 9, 30))
    assert clock.green_from == add_working_days(date(2026, 9, 30), 4).due
    assert clock.colour(date(2026, 10, 7), True) == "yellow"
    assert clock.green_from > date(2026, 10, 9)


@pytest.mark.django_db
def test_the_threshold_is_data():
    WarningRule.objects.update(effective_to=date(2026, 11, 30))
    WarningRule.objects.create(warning_working_days=5, effective_from=date(2026, 12, 1), source="测试")
    assert Clock.on(date(2026, 11, 27)).warning_days == 3
    assert Clock.on(date(2026, 12, 2)).warning_days == 5


def test_board_cards_change_colour_as_time_passes(personas, org):
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=TZ), tick=False):
        lead = lead_at(personas, org, "verifying", received_date=date(2026, 11, 2))
    due = lead.due_date  # 15 working days after 2 November
    assert due == add_working_days(date(2026, 11, 2), 15).due
    for today, colour in [
        (date(2026, 11, 10), "green"),
        (add_working_days(date(2026, 11, 2), 12).due, "yellow"),  # 3 working days left
        (due, "yellow"),
        (add_working_days(due, 1).due, "red"),
    ]:
        board = build_board(personas.city_leader, BoardFilter(), clock=Clock.on(today))
        verifying = next(c for c in board.columns if c.key == "verifying")
        assert verifying.total == 1 and verifying.colours[colour] == 1, (today, verifying.colours)
        assert verifying.cards[0].colour == colour
        coloured = build_board(personas.city_leader, BoardFilter(colour=colour), clock=Clock.on(today))
        assert coloured.total == 1


def test_columns_by_stage_and_filters(personas, org):
    leads = {stage: lead_at(personas, org, stage) for stage in ("registered", "screened", "dispatched", "verifying")}
    case_lead = lead_at(personas, org, "case")
    board = build_board(personas.city_leader, BoardFilter())
    counts = {c.key: c.total for c in board.columns}
    assert counts["registered"] == counts["screened"] == counts["dispatched"] == counts["verifying"] == 1
    assert counts["investigating"] == 1  # the case
    assert counts["awaiting_strike_off"] == 1  # the lead whose result is the opened case
    assert board.total == 6
    by_officer = build_board(personas.city_leader, BoardFilter(officer=personas.investigator.pk))
    assert by_officer.total == 4  # dispatched, verifying, the case lead and the case
    assert build_board(personas.city_leader, BoardFilter(division="150404")).total == 0
    assert build_board(personas.city_leader, BoardFilter(channel="hotline")).total == 0
    assert build_board(personas.city_leader, BoardFilter(channel="report")).total == 6
    assert leads and case_lead.case_id


def test_a_county_user_sees_only_their_bureau(personas, org, client):
    lead = lead_at(personas, org, "verifying")
    assert build_board(personas.outsider, BoardFilter()).total == 0
    assert build_board(personas.legal_officer, BoardFilter()).total == 1
    c = _client(client, personas.outsider)
    page = c.get("/board/")
    assert page.status_code == 200 and lead.number not in page.content.decode()
    assert c.get(f"/board/lead/{lead.pk}/progress/").status_code == 404
    assert c.get(f"/board/lead/{lead.pk}/strike-off/").status_code == 404
    assert c.get(f"/board/lead/{lead.pk}/progress.xlsx").status_code == 404
    # A hotline operator has no board at all.
    assert _client(client, personas.hotline).get("/board/").status_code == 403


def test_board_page_shows_cards_in_chinese(personas, org, client):
    lead = lead_at(personas, org, "verifying")
    page = _client(client, personas.city_leader).get("/board/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "挂图作战" in text and lead.number in text and "核查中" in text or "核查" in text
    partial = client.get("/board/?colour=red", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert client.get("/board/?colour=purple").status_code == 400


def test_map_data_covers_the_twelve_divisions(personas, org, client):
    lead_at(personas, org, "verifying")
    lead_at(personas, org, "registered", division="150404")
    data = map_data(personas.city_leader, "open")
    assert len(data["divisions"]) == 12
    values = {d["code"]: d["value"] for d in data["divisions"]}
    assert values["150402"] == 1 and values["150404"] == 1 and values["150430"] == 0
    county = map_data(personas.legal_officer, "open")
    assert [d["code"] for d in county["divisions"] if d["reachable"]] == ["150402"]
    response = _client(client, personas.city_leader).get("/board/map.json?measure=overdue")
    assert response.status_code == 200 and len(response.json()["divisions"]) == 12
    assert client.get("/board/map.json?measure=nonsense").status_code == 400


def test_progress_sheet_page_and_excel_columns(personas, org, client):
    lead = lead_at(personas, org, "verifying")
    c = _client(client, personas.legal_officer)
    page = c.get(f"/board/lead/{lead.pk}/progress/")
    text = page.content.decode()
    assert page.status_code == 200 and "案件查办进度表" in text and "张执法" in text
    response = c.get(f"/board/lead/{lead.pk}/progress.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert len(header) == 12
    assert [header[i] for i in (0, 1, 6, 7, 9, 10, 11)] == [
        "编号", "当事人", "分派日期", "办理期限", "已办步骤", "下一步", "办理结果"
    ]
    assert "渠道" in header[2] and header[3] == "承办人员"
    row = [cell.value for cell in sheet[2]]
    assert row[0] == lead.number and "张执法" in row[3] and "开始核查" in row[9] and row[10] == "办结"
    whole = c.get("/board/export.xlsx")
    book = load_workbook(BytesIO(whole.content)).active
    assert [cell.value for cell in book[1]][0] == "阶段" and book.max_row == 2


def test_big_screen_renders(personas, org, client):
    lead_at(personas, org, "verifying")
    c = _client(client, make_person("city_legal", Role.LEGAL_OFFICER, org.city))
    page = c.get("/board/screen/")
    assert page.status_code == 200 and 'id="screen-map"' in page.content.decode()
    assert "<html" not in c.get("/board/screen/", HTTP_HX_REQUEST="true").content.decode()


def test_risk_measure_and_gate_alerts_when_entities_offer_them(personas, org, client):
    from silvershield.board.queries import available_measures, gate_alert_count, risk_tier_field

    if risk_tier_field() is None:
        pytest.skip("the entities app has no risk tiers yet")
    assert "risk" in available_measures()
    data = map_data(personas.city_leader, "risk")
    assert len(data["divisions"]) == 12 and data["total"] == 0
    count = gate_alert_count(personas.city_leader)
    page = _client(client, personas.city_leader).get("/board/").content.decode()
    if count is not None:
        assert 'id="gate-alerts"' in page
