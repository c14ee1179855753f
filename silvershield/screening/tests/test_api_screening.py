"""The screening API: meetings listed and read with their agenda, a decision recorded through the same
service as the page (409 when the lead is already decided), the meeting carried out; 404 for another
county's meeting or lead."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from silvershield.core.api_auth import issue_token
from silvershield.leads.models import LeadState
from silvershield.screening import services
from silvershield.screening.models import Decision, MeetingState
from silvershield.screening.tests.conftest import registered

pytestmark = pytest.mark.django_db
JSON = "application/json"
DAY = date(2026, 11, 9)


def bearer(user) -> Client:
    _token, raw = issue_token(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def open_meeting(personas):
    return services.open_meeting(
        actor=personas.task_office, held_on=DAY, chair=personas.unit_head, attendees=[personas.legal_officer]
    )


def dispatch(personas, org, **kw):
    data = {
        "kind": "dispatch",
        "priority": "high",
        "category": "product_sales",
        "handling_unit": org.hongshan_institute.pk,
        "verifiers": [personas.investigator.pk, personas.investigator2.pk],
        "reasons": "属地管辖，指定两名执法人员核查",
    }
    data.update(kw)
    return data


def test_meetings_are_listed_and_read_with_their_agenda(org, personas):
    lead = registered(personas, org)
    meeting = open_meeting(personas)
    client = bearer(personas.task_office)
    listed = client.get("/api/v1/screening/meetings").json()
    assert [m["id"] for m in listed["items"]] == [meeting.pk] and listed["next"] is None
    assert listed["items"][0]["state"] == "open" and listed["items"][0]["decisions"] == 0
    body = client.get(f"/api/v1/screening/meetings/{meeting.pk}").json()
    assert body["can_decide"] and body["can_carry_out"]
    item = next(i for i in body["agenda"] if i["lead"]["id"] == lead.pk)
    assert item["recommendation"]["reasons"] and item["decision_id"] is None
    assert [a["name"] for a in body["attendees"]] == ["王法制"]


def test_a_decision_is_recorded_then_the_meeting_carried_out(org, personas):
    lead = registered(personas, org)
    meeting = open_meeting(personas)
    client = bearer(personas.task_office)
    url = f"/api/v1/screening/meetings/{meeting.pk}/leads/{lead.pk}/decision"
    bad = client.post(url, dispatch(personas, org, verifiers=[personas.investigator.pk]), content_type=JSON)
    assert (
        bad.status_code == 400 and bad.json()["field"] == "verifiers"
    )  # two verifiers when it may become a case
    created = client.post(url, dispatch(personas, org), content_type=JSON)
    assert created.status_code == 201, created.content
    decision = created.json()
    assert (
        decision["kind"] == "dispatch" and decision["version"] == 1 and decision["meeting_id"] == meeting.pk
    )
    assert Decision.objects.get(pk=decision["id"]).recommendation  # kept as the page keeps it
    changed = client.post(url, dispatch(personas, org, priority="urgent", version=1), content_type=JSON)
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.post(url, dispatch(personas, org, version=1), content_type=JSON)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"

    meeting.refresh_from_db()
    stale_meeting = client.post(
        f"/api/v1/screening/meetings/{meeting.pk}/carry-out",
        {"version": meeting.version + 1},
        content_type=JSON,
    )
    assert stale_meeting.status_code == 409
    done = client.post(
        f"/api/v1/screening/meetings/{meeting.pk}/carry-out", {"version": meeting.version}, content_type=JSON
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == MeetingState.HELD and done.json()["agenda"] == []
    assert done.json()["decisions"][0]["carried_out_at"]
    lead.refresh_from_db()
    assert lead.state == LeadState.DISPATCHED and lead.priority == "urgent"


def test_a_lead_decided_elsewhere_is_a_409_and_nothing_changes(org, personas):
    lead = registered(personas, org)
    services.urgent_dispatch(
        actor=personas.unit_head,
        lead=lead,
        category="product_sales",
        handling_unit=org.hongshan_institute,
        verifiers=[personas.investigator, personas.investigator2],
        reasons="老人停药，紧急",
    )
    meeting = open_meeting(personas)
    response = bearer(personas.task_office).post(
        f"/api/v1/screening/meetings/{meeting.pk}/leads/{lead.pk}/decision",
        dispatch(personas, org),
        content_type=JSON,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "不能重复决定" in response.json()["message"]
    assert Decision.objects.filter(lead=lead).count() == 1 and not meeting.decisions.exists()


def test_another_countys_meeting_and_lead_are_404(org, personas, city):
    lead = registered(personas, org)
    meeting = open_meeting(personas)
    outsider = bearer(city.ss_task)
    assert outsider.get("/api/v1/screening/meetings").json()["items"] == []
    for method, path, body in [
        ("get", f"/api/v1/screening/meetings/{meeting.pk}", None),
        (
            "post",
            f"/api/v1/screening/meetings/{meeting.pk}/leads/{lead.pk}/decision",
            dispatch(personas, org),
        ),
        ("post", f"/api/v1/screening/meetings/{meeting.pk}/carry-out", {}),
    ]:
        kwargs = {"data": body, "content_type": JSON} if body is not None else {}
        response = getattr(outsider, method)(path, **kwargs)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    # 松山区's own meeting cannot take 红山区's lead either: the lead is out of reach, so 404.
    theirs = services.open_meeting(actor=city.ss_task, held_on=DAY, chair=city.ss_task)
    response = outsider.post(
        f"/api/v1/screening/meetings/{theirs.pk}/leads/{lead.pk}/decision",
        dispatch(personas, org),
        content_type=JSON,
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
    # A role that may see the meeting but not decide gets 403.
    refused = bearer(personas.city_leader).post(
        f"/api/v1/screening/meetings/{meeting.pk}/leads/{lead.pk}/decision",
        dispatch(personas, org),
        content_type=JSON,
    )
    assert refused.status_code == 403
