"""The wall-board API: counts by stage and colour with the page's filters, the items behind a count, the
map, the strike-off checklist, and a strike-off refused (409, listing what is missing) until it holds;
another county's item is a 404."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from silvershield.board import services
from silvershield.board.tests.helpers import close_case, conclude, lead_at
from silvershield.core.api_auth import issue_token
from silvershield.core.audit import events_for
from silvershield.core.testing import make_lead

pytestmark = pytest.mark.django_db
JSON = "application/json"
TODAY = date(2026, 11, 20)


def bearer(user) -> Client:
    _token, raw = issue_token(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_counts_by_stage_and_colour_with_the_pages_filters(personas, org):
    lead_at(personas, org, "registered")
    lead_at(personas, org, "dispatched", received_date=date(2025, 1, 6))  # long overdue
    conclude(lead_at(personas, org, "verifying"), personas)
    client = bearer(personas.legal_officer)
    board = client.get("/api/v1/board").json()
    columns = {c["key"]: c for c in board["columns"]}
    assert board["total"] == 3
    assert columns["registered"]["total"] == 1 and columns["dispatched"]["colours"]["red"] == 1
    assert columns["awaiting_strike_off"]["colours"]["grey"] == 1
    assert board["colour_labels"]["red"] == "已超期"
    red = client.get("/api/v1/board?colour=red").json()
    assert red["total"] == board["colours"]["red"] >= 1 and red["colours"]["green"] == 0
    # The page's form checks the filters: a division out of reach is refused, naming the field.
    refused = client.get("/api/v1/board?division=150404")
    assert refused.status_code == 400 and refused.json()["field"] == "division"
    assert client.get("/api/v1/board?colour=purple").status_code == 422


def test_the_items_behind_a_count_are_paged(personas, org):
    leads = [lead_at(personas, org, "registered") for _ in range(3)]
    client = bearer(personas.legal_officer)
    first = client.get("/api/v1/board/columns/registered/items?limit=2").json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    rest = client.get(f"/api/v1/board/columns/registered/items?limit=2&offset={first['next_offset']}").json()
    assert rest["next_offset"] is None
    assert sorted(i["id"] for i in first["items"] + rest["items"]) == sorted(lead.pk for lead in leads)
    assert {i["kind"] for i in first["items"]} == {"lead"}
    assert client.get("/api/v1/board/columns/nowhere/items").status_code == 422
    assert bearer(personas.outsider).get("/api/v1/board/columns/registered/items").json()["items"] == []


def test_the_map_covers_the_twelve_divisions(personas, org):
    lead_at(personas, org, "dispatched")
    data = bearer(personas.legal_officer).get("/api/v1/board/map?measure=open").json()
    assert len(data["divisions"]) == 12 and data["total"] == 1
    hongshan = next(d for d in data["divisions"] if d["code"] == "150402")
    songshan = next(d for d in data["divisions"] if d["code"] == "150404")
    assert hongshan["value"] == 1 and songshan == {**songshan, "value": None, "reachable": False}


def test_strike_off_is_refused_with_the_missing_items_until_the_checklist_holds(personas, org):
    lead = conclude(
        lead_at(
            personas,
            org,
            "verifying",
            reporter_is_named=True,
            reporter_name="王大爷",
            loss_amount=Decimal("5000"),
        ),
        personas,
        outcome="transferred_department",
    )
    client = bearer(personas.legal_officer)
    checklist = client.get(f"/api/v1/board/lead/{lead.pk}/checklist").json()
    assert checklist["awaiting_strike_off"] and not checklist["complete"]
    assert checklist["missing"] == ["未答复实名举报人", "缺少移送回执", "未录入挽回损失金额"]
    assert {i["code"]: i["missing"] for i in checklist["items"]}["result"] is False

    url = f"/api/v1/board/lead/{lead.pk}/strike-off"
    refused = client.post(url, {"version": checklist["version"]}, content_type=JSON)
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "checklist_incomplete",
        "field": "checklist",
        "message": "销号条件未满足，尚缺：未答复实名举报人；缺少移送回执；未录入挽回损失金额",
        "missing": ["未答复实名举报人", "缺少移送回执", "未录入挽回损失金额"],
    }
    lead.refresh_from_db()
    assert lead.state == "concluded"

    actor = personas.legal_officer
    services.record_reporter_reply(item=lead, actor=actor, method="phone", replied_on=TODAY)
    services.record_transfer_receipt(
        item=lead, actor=actor, receiver="赤峰市卫生健康委员会", received_on=TODAY
    )
    services.record_loss_recovery(item=lead, actor=actor, amount="0", recovered_on=TODAY)
    lead.refresh_from_db()
    stale = client.post(url, {"version": lead.version + 1}, content_type=JSON)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert bearer(personas.investigator).post(url, {}, content_type=JSON).status_code == 403
    done = client.post(url, {"version": lead.version, "reason": "材料齐全"}, content_type=JSON)
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "struck_off" and done.json()["complete"]
    assert [e.transition for e in events_for(lead)][-1] == "strike_off"


def test_a_case_checklist_names_publication(personas, org):
    lead = lead_at(personas, org, "case")
    case = close_case(lead.case, personas)
    client = bearer(personas.legal_officer)
    checklist = client.get(f"/api/v1/board/case/{case.pk}/checklist").json()
    assert checklist["kind"] == "case" and "行政处罚信息未公示" in checklist["missing"]
    refused = client.post(f"/api/v1/board/case/{case.pk}/strike-off", {}, content_type=JSON)
    assert refused.status_code == 409 and "行政处罚信息未公示" in refused.json()["missing"]


def test_another_countys_item_is_404(personas, org):
    lead = conclude(lead_at(personas, org, "verifying"), personas)
    outsider = bearer(personas.outsider)
    for method, path in [
        ("get", f"/api/v1/board/lead/{lead.pk}/checklist"),
        ("post", f"/api/v1/board/lead/{lead.pk}/strike-off"),
    ]:
        kwargs = {"data": {}, "content_type": JSON} if method == "post" else {}
        response = getattr(outsider, method)(path, **kwargs)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    lead.refresh_from_db()
    assert lead.state == "concluded"
    # A role without the board (the 12315 operator) is refused outright.
    make_lead(bureau=org.hongshan, actor=personas.hotline)
    assert bearer(personas.hotline).get("/api/v1/board").status_code == 403
