"""The leads API: the ledger with filters and keyset pages, receiving and correcting a lead, its timeline,
and transitions — refused ones change nothing, a stale one is a conflict."""

import json
from datetime import date

import pytest
from django.test import Client

from silvershield.core.api_auth import issue_token
from silvershield.core.audit import events_for
from silvershield.core.testing import make_lead
from silvershield.leads.models import Lead, LeadState

JSON = "application/json"
REPORTER = {
    "reporter_name": "张秀英",
    "reporter_phone": "13804761234",
    "reporter_id_number": "11010519491231002X",
}


def api_client(user) -> Client:
    _token, raw = issue_token(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def new_lead_body(**overrides):
    body = {
        "channel": "report",
        "received_date": "2026-11-20",
        "summary": "某养老服务中心以预存养老费返利为名吸收老年人资金",
        "party_name": "赤峰福寿康养老服务中心",
        "division": "150402",
        "victim_age": 78,
        "loss_amount": "36000.50",
    }
    body.update(overrides)
    return body


def test_a_legal_officer_receives_a_lead_and_its_reporter_never_comes_back(personas):
    client = api_client(personas.legal_officer)
    response = client.post(
        "/api/v1/leads", new_lead_body(reporter_is_named=True, **REPORTER), content_type=JSON
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "received" and body["version"] == 1 and body["number"] is None
    assert body["loss_amount"] == "36000.50" and body["reporter_is_named"] is True
    assert [t["name"] for t in body["available_transitions"]] == ["register", "merge"]
    lead = Lead.objects.get(pk=body["id"])
    assert lead.reporter_phone == "13804761234" and lead.created_by == personas.legal_officer

    answers = [response.content]
    answers += [
        client.get(url).content
        for url in ("/api/v1/leads", f"/api/v1/leads/{lead.pk}", f"/api/v1/leads/{lead.pk}/events")
    ]
    for content in answers:
        text = content.decode()
        for secret in ("张秀英", "13804761234", "11010519491231002X", "reporter_name", "reporter_phone"):
            assert secret not in text


def test_a_hotline_operator_may_enter_a_lead_and_an_investigator_may_not(personas):
    hotline = api_client(personas.hotline).post(
        "/api/v1/leads", new_lead_body(channel="hotline"), content_type=JSON
    )
    assert hotline.status_code == 201
    refused = api_client(personas.investigator).post("/api/v1/leads", new_lead_body(), content_type=JSON)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("reporter_phone", "1380476"),
        ("reporter_id_number", "110105194912310021"),
        ("division", "150404"),
        ("received_date", "2099-01-01"),
        ("summary", "   "),
        ("party_uscc", "91150402MA0N7X5B35"),
    ],
)
def test_bad_input_names_the_field_and_nothing_is_written(personas, field, value):
    response = api_client(personas.legal_officer).post(
        "/api/v1/leads", new_lead_body(**{field: value}), content_type=JSON
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == field and body["message"]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    "field, value, status",
    [
        ("channel", "fax", 422),
        ("victim_age", 200, 422),
        ("loss_amount", "1.234", 422),
        ("summary", "a\x00b", 422),
        ("received_date", "0", 422),
        ("colour", "red", 422),
    ],
)
def test_input_that_does_not_fit_the_schema_is_a_field_error_too(personas, field, value, status):
    response = api_client(personas.legal_officer).post(
        "/api/v1/leads", new_lead_body(**{field: value}), content_type=JSON
    )
    assert response.status_code == status
    assert response.json()["field"] == field and response.json()["code"] == "invalid"


def test_the_ledger_filters_and_pages_by_keyset(personas, org):
    officer = personas.legal_officer
    for day in range(1, 8):
        make_lead(
            bureau=org.hongshan,
            actor=officer,
            received_date=date(2026, 11, day),
            channel="hotline" if day % 2 else "report",
            party_name=f"店{day}",
        )
    make_lead(bureau=org.songshan, actor=personas.outsider)  # another county's ledger
    client = api_client(officer)

    seen, after = [], None
    while True:
        url = "/api/v1/leads?limit=3" + (f"&after={after}" if after else "")
        page = client.get(url).json()
        seen += [item["received_date"] for item in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [f"2026-11-0{d}" for d in range(7, 0, -1)]

    hotline = client.get(
        "/api/v1/leads?channel=hotline&received_from=2026-11-02&received_to=2026-11-06"
    ).json()
    assert [i["received_date"] for i in hotline["items"]] == ["2026-11-05", "2026-11-03"]
    assert [i["party_name"] for i in client.get("/api/v1/leads?q=店4").json()["items"]] == ["店4"]
    assert client.get("/api/v1/leads?division=150404").json()["items"] == []
    assert client.get("/api/v1/leads?limit=201").status_code == 422
    bad_cursor = client.get("/api/v1/leads?after=nonsense")
    assert bad_cursor.status_code == 400 and bad_cursor.json()["field"] == "after"


def test_the_legal_officer_corrects_registration_data_and_it_is_audited(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    client = api_client(personas.legal_officer)
    response = client.patch(
        f"/api/v1/leads/{lead.pk}",
        {"party_name": "赤峰康寿堂", "category": "house_for_pension", "sender": None},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["party_name"] == "赤峰康寿堂" and response.json()["category"] == "house_for_pension"
    events = client.get(f"/api/v1/leads/{lead.pk}/events").json()
    assert [e["action"] for e in events] == ["create", "update"]
    assert events[1]["changed_fields"] == ["category", "party_name"]

    bad_phone = client.patch(f"/api/v1/leads/{lead.pk}", {"reporter_phone": "12"}, content_type=JSON)
    assert bad_phone.status_code == 400 and bad_phone.json()["field"] == "reporter_phone"
    refused = api_client(personas.task_office).patch(
        f"/api/v1/leads/{lead.pk}", {"party_name": "x"}, content_type=JSON
    )
    assert refused.status_code == 403
    lead.refresh_from_db()
    assert lead.party_name == "赤峰康寿堂"


def test_a_lead_walks_its_transitions_through_the_api(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    steps = [
        (personas.legal_officer, {"name": "register", "version": 1}),
        (personas.task_office, {"name": "screen", "category": "product_sales", "priority": "high"}),
        (
            personas.task_office,
            {
                "name": "dispatch",
                "handling_unit": org.hongshan_institute.pk,
                "assignees": [personas.investigator.pk, personas.investigator2.pk],
            },
        ),
        (personas.investigator, {"name": "start_verification"}),
        (
            personas.investigator,
            {"name": "conclude", "outcome": "not_opened", "result": "经核查未发现违法行为"},
        ),
        (personas.legal_officer, {"name": "strike_off", "reason": "结果已告知举报人"}),
    ]
    for actor, body in steps:
        response = api_client(actor).post(f"/api/v1/leads/{lead.pk}/transitions", body, content_type=JSON)
        assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "struck_off" and body["outcome"] == "not_opened" and body["version"] == 7
    assert [p["id"] for p in body["assignees"]] == [personas.investigator.pk, personas.investigator2.pk]
    timeline = api_client(personas.legal_officer).get(f"/api/v1/leads/{lead.pk}/events").json()
    assert [e["transition"] for e in timeline][1:] == [s[1]["name"] for s in steps]
    assert timeline[-1]["reason"] == "结果已告知举报人" and timeline[-1]["to_state"] == "struck_off"


def test_an_illegal_transition_is_refused_with_a_message_and_changes_nothing(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    response = api_client(personas.legal_officer).post(
        f"/api/v1/leads/{lead.pk}/transitions", {"name": "strike_off"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "transition_not_allowed",
        "message": "当前状态“已接收”下不能执行“销号”",
        "field": "transition",
    }
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED and lead.version == 1
    assert [e.action for e in events_for(lead)] == ["create"]


def test_a_transition_missing_its_input_names_the_field(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    client = api_client(personas.legal_officer)
    client.post(f"/api/v1/leads/{lead.pk}/transitions", {"name": "register"}, content_type=JSON)
    office = api_client(personas.task_office)
    office.post(f"/api/v1/leads/{lead.pk}/transitions", {"name": "screen"}, content_type=JSON)
    response = office.post(f"/api/v1/leads/{lead.pk}/transitions", {"name": "dispatch"}, content_type=JSON)
    assert response.status_code == 400 and response.json()["field"] == "handling_unit"
    unknown = client.post(f"/api/v1/leads/{lead.pk}/transitions", {"name": "approve"}, content_type=JSON)
    assert unknown.status_code == 422 and unknown.json()["field"] == "name"


def test_a_role_that_may_not_take_the_transition_gets_403(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    response = api_client(personas.city_leader).post(
        f"/api/v1/leads/{lead.pk}/transitions", {"name": "register"}, content_type=JSON
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "您的角色不能执行该操作",
        "field": "transition",
    }
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED


def test_the_second_of_two_officers_acting_on_the_same_version_gets_409(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    target = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    first, second = api_client(personas.legal_officer), api_client(personas.legal_officer)
    version = first.get(f"/api/v1/leads/{lead.pk}").json()["version"]
    assert second.get(f"/api/v1/leads/{lead.pk}").json()["version"] == version

    won = first.post(
        f"/api/v1/leads/{lead.pk}/transitions", {"name": "register", "version": version}, content_type=JSON
    )
    lost = second.post(
        f"/api/v1/leads/{lead.pk}/transitions",
        {"name": "merge", "version": version, "merged_into": target.pk, "reason": "重复线索"},
        content_type=JSON,
    )
    assert won.status_code == 200
    assert lost.status_code == 409
    assert lost.json() == {"code": "conflict", "message": "此事项已被他人修改，请刷新后重试", "field": None}
    lead.refresh_from_db()
    assert lead.state == LeadState.REGISTERED and lead.merged_into is None


def test_a_hotline_operator_sees_only_what_they_entered(personas, org):
    own = api_client(personas.hotline)
    mine = own.post("/api/v1/leads", new_lead_body(channel="hotline"), content_type=JSON).json()
    other = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    assert [i["id"] for i in own.get("/api/v1/leads").json()["items"]] == [mine["id"]]
    assert own.get(f"/api/v1/leads/{other.pk}").status_code == 404
    assert json.loads(own.get(f"/api/v1/leads/{mine['id']}").content)["available_transitions"] == []
