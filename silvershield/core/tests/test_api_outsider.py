"""Jurisdiction in the API: an officer of 松山区 reaching for 红山区's lead, case or entity gets 404 —
the same answer as for a record that does not exist — on every endpoint, and nothing is changed."""

import pytest
from django.test import Client

from silvershield.cases.tests.test_workflow import open_case
from silvershield.core.api_auth import issue_token
from silvershield.core.audit import events_for
from silvershield.entities.services import create_entity

JSON = "application/json"
NOT_FOUND = {"code": "not_found", "message": "未找到该记录，或不在您的辖区内", "field": None}

# (method, path, body): every endpoint that names one lead, case or entity of 红山区.
BY_ID = [
    ("get", "/api/v1/leads/{lead}", None),
    ("patch", "/api/v1/leads/{lead}", {"party_name": "改名"}),
    ("get", "/api/v1/leads/{lead}/events", None),
    ("post", "/api/v1/leads/{lead}/transitions", {"name": "strike_off", "reason": "越权"}),
    ("get", "/api/v1/cases/{case}", None),
    ("get", "/api/v1/cases/{case}/events", None),
    ("post", "/api/v1/cases/{case}/transitions", {"name": "start_investigation"}),
    ("get", "/api/v1/entities/{entity}", None),
    ("patch", "/api/v1/entities/{entity}", {"name": "改名"}),
]


@pytest.fixture
def hongshan(personas, org):
    lead, case = open_case(personas, org)
    entity = create_entity(
        actor=personas.legal_officer, uscc="91150402MA0N7X5B35", name="赤峰康寿堂保健品店", division="150402"
    )
    return {"lead": lead, "case": case, "entity": entity}


def bearer(user) -> Client:
    _token, raw = issue_token(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("method, path, body", BY_ID, ids=[f"{m.upper()} {p}" for m, p, _b in BY_ID])
@pytest.mark.parametrize("who", ["outsider", "outsider_investigator"])
def test_another_countys_officer_gets_404_like_a_missing_record(personas, hongshan, method, path, body, who):
    client = bearer(getattr(personas, who))
    url = path.format(**{k: v.pk for k, v in hongshan.items()})
    kwargs = {"content_type": JSON, "data": body} if body is not None else {}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 404 and response.json() == NOT_FOUND

    missing = path.format(lead=10**12, case=10**12, entity=10**12)
    assert getattr(client, method)(missing, **kwargs).json() == NOT_FOUND
    for item in hongshan.values():
        before = item.version if hasattr(item, "version") else None
        item.refresh_from_db()
        assert getattr(item, "version", None) == before
    assert [e.action for e in events_for(hongshan["entity"])] == ["create"]


@pytest.mark.parametrize(
    "path, key", [("/api/v1/leads", "lead"), ("/api/v1/cases", "case"), ("/api/v1/entities", "entity")]
)
def test_another_countys_lists_leave_out_our_records(personas, hongshan, path, key):
    response = bearer(personas.outsider).get(path)
    assert response.status_code == 200
    assert hongshan[key].pk not in [item["id"] for item in response.json()["items"]]
    assert hongshan[key].pk in [item["id"] for item in bearer(personas.city_leader).get(path).json()["items"]]


@pytest.mark.parametrize(
    "path, body",
    [
        (
            "/api/v1/leads",
            {"channel": "report", "received_date": "2026-11-20", "summary": "越权录入", "division": "150402"},
        ),
        ("/api/v1/entities", {"uscc": "91150402MA0N7X5B45", "name": "越权登记", "division": "150402"}),
    ],
)
def test_another_county_cannot_file_records_in_our_divisions(personas, path, body):
    response = bearer(personas.outsider).post(path, body, content_type=JSON)
    assert response.status_code == 400 and response.json()["field"] == "division"
