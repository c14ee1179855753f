"""The cases API: the case list, a case with its leads and timeline, and the ordinary procedure's
transitions — with the role checks, refusals that change nothing, and stale versions."""

from datetime import date

from django.test import Client

from silvershield.board.services import record_publication
from silvershield.cases.models import CaseState
from silvershield.cases.tests.test_workflow import open_case
from silvershield.core.api_auth import issue_token
from silvershield.core.audit import events_for

JSON = "application/json"


def api_client(user) -> Client:
    _token, raw = issue_token(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def transition(user, case, **body):
    return api_client(user).post(f"/api/v1/cases/{case.pk}/transitions", body, content_type=JSON)


def test_a_case_lists_and_reads_with_its_leads_and_the_actions_allowed(personas, org):
    lead, case = open_case(personas, org)
    client = api_client(personas.investigator)
    listing = client.get("/api/v1/cases").json()
    assert [item["number"] for item in listing["items"]] == [case.number] and listing["next"] is None
    assert client.get("/api/v1/cases?state=closed").json()["items"] == []
    assert client.get(f"/api/v1/cases?q={case.number[:6]}").json()["items"][0]["id"] == case.pk

    body = client.get(f"/api/v1/cases/{case.pk}").json()
    assert body["state"] == "opened" and body["version"] == 1 and body["title"] == "康寿堂虚假宣传案"
    assert body["leads"] == [{"id": lead.pk, "number": lead.number}]
    assert {p["id"] for p in body["officers"]} == {personas.investigator.pk, personas.investigator2.pk}
    assert [t["name"] for t in body["available_transitions"]] == ["start_investigation"]
    events = client.get(f"/api/v1/cases/{case.pk}/events").json()
    assert events[0]["action"] == "create"


def test_the_ordinary_procedure_through_the_api(personas, org):
    _lead, case = open_case(personas, org)
    walk = [
        (personas.investigator, {"name": "start_investigation"}),
        (personas.investigator, {"name": "submit_for_review"}),
        (personas.reviewer, {"name": "notify_party"}),
        (
            personas.unit_head,
            {"name": "decide", "decision": "责令停止违法行为，罚款", "fine_amount": "200000"},
        ),
        (personas.investigator, {"name": "execute", "execution_note": "罚款已缴纳"}),
        (personas.unit_head, {"name": "close"}),
        (personas.legal_officer, {"name": "strike_off"}),
    ]
    for actor, body in walk:
        if body["name"] == "strike_off":
            # A fined case is struck off only once the penalty is published (board/checklist.py).
            refused = transition(actor, case, **body)
            assert refused.status_code == 400 and "公示" in refused.json()["message"]
            case.refresh_from_db()
            record_publication(item=case, actor=actor, published_on=date.today(), where="国家企业信用信息公示系统")
        response = transition(actor, case, **body)
        assert response.status_code == 200, response.json()
    assert response.json()["state"] == "struck_off" and response.json()["fine_amount"] == "200000.00"
    assert [e.transition for e in events_for(case) if e.transition] == [body["name"] for _actor, body in walk]


def test_a_role_that_may_not_take_the_transition_gets_403_and_nothing_changes(personas, org):
    _lead, case = open_case(personas, org)
    response = transition(personas.legal_officer, case, name="start_investigation")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    case.refresh_from_db()
    assert case.state == CaseState.OPENED and case.version == 1


def test_an_illegal_transition_is_refused_with_a_message_and_changes_nothing(personas, org):
    _lead, case = open_case(personas, org)
    response = transition(personas.unit_head, case, name="close")
    assert response.status_code == 400
    assert response.json()["code"] == "transition_not_allowed" and "不能执行" in response.json()["message"]
    assert transition(personas.unit_head, case, name="start_investigation").status_code == 200
    no_reason = transition(personas.unit_head, case, name="suspend")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert [e.transition for e in events_for(case)][1:] == ["start_investigation"]


def test_a_decision_without_its_text_names_the_field(personas, org):
    _lead, case = open_case(personas, org)
    for actor, name in [
        (personas.investigator, "start_investigation"),
        (personas.investigator, "submit_for_review"),
        (personas.reviewer, "notify_party"),
    ]:
        assert transition(actor, case, name=name).status_code == 200
    response = transition(personas.unit_head, case, name="decide", fine_amount="100")
    assert response.status_code == 400 and response.json()["field"] == "decision"
    negative = transition(personas.unit_head, case, name="decide", decision="罚款", fine_amount="-1")
    assert negative.status_code == 422 and negative.json()["field"] == "fine_amount"


def test_a_stale_version_is_a_conflict(personas, org):
    _lead, case = open_case(personas, org)
    assert transition(personas.investigator, case, name="start_investigation", version=1).status_code == 200
    stale = transition(personas.unit_head, case, name="suspend", reason="等待检验结果", version=1)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING and case.version == 2
