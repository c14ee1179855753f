"""Partner endpoints shaped after Open311 GeoReport v2: list services, a service's attributes, post a
request (api_key, field errors, idempotency, rate limit), get its public status (never reporter data)."""

from __future__ import annotations

import pytest

from silvershield.core.api_auth import issue_token, revoke_token
from silvershield.core.models import Role
from silvershield.core.testing import make_person
from silvershield.leads.models import FraudCategory, Lead
from silvershield.leads.workflow import run_lead_transition
from silvershield.portal.models import PortalReceipt
from silvershield.portal.tests.files import EXE, receipt_jpeg, upload

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def partner(org):
    user = make_person("partner_12345", Role.HOTLINE_OPERATOR, org.city, full_name="12345热线对接")
    token, raw = issue_token(user=user, name="12345 hotline")
    return token, raw


def payload(raw, **overrides):
    data = {
        "api_key": raw,
        "service_code": "product_sales",
        "jurisdiction_id": "150402",
        "description": "老人在免费健康讲座上被推销高价保健品，花了一万二千元。",
        "first_name": "秀英", "last_name": "王", "phone": "13804761234",
        "attribute[victim_age]": "78", "attribute[loss_amount]": "12000",
        "attribute[approach]": "free_lecture", "attribute[reporter_relation]": "child",
        "attribute[party_name]": "赤峰康寿堂保健品店", "address_string": "红山区站前街12号",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_services_list_is_the_fraud_categories(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    services = response.json()
    assert [s["service_code"] for s in services] == FraudCategory.values
    first = services[0]
    assert set(first) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert first["type"] == "realtime" and first["metadata"] is True and first["service_name"].startswith("养老服务")
    assert client.get(f"{BASE}/services.json?jurisdiction_id=999999").status_code == 404


def test_service_definition_lists_attributes(client):
    body = client.get(f"{BASE}/services/product_sales.json").json()
    codes = {a["code"]: a for a in body["attributes"]}
    assert body["service_code"] == "product_sales"
    assert {"victim_age", "loss_amount", "approach", "reporter_relation", "party_name"} <= set(codes)
    assert codes["victim_age"]["datatype"] == "number"
    assert [v["key"] for v in codes["approach"]["values"]][:2] == ["free_lecture", "free_gifts"]
    assert client.get(f"{BASE}/services/nope.json").status_code == 404
    assert client.get(f"{BASE}/services.xml").status_code == 400


def test_post_without_or_with_a_bad_key_is_403_with_an_open311_error(client, partner):
    token, raw = partner
    for data in (payload(None), payload("ss_wrong")):
        response = client.post(f"{BASE}/requests.json", data)
        assert response.status_code == 403
        body = response.json()
        assert body[0]["code"] == 403 and "api_key" in body[0]["description"] and body[0]["field"] == "api_key"
    revoke_token(token=token)
    assert client.post(f"{BASE}/requests.json", payload(raw)).status_code == 403
    assert not Lead.objects.exists()


def test_post_creates_a_lead_and_get_shows_public_status(client, partner, org, personas):
    token, raw = partner
    response = client.post(f"{BASE}/requests.json", payload(raw), HTTP_IDEMPOTENCY_KEY="order-1")
    assert response.status_code == 201
    [item] = response.json()
    code = item["service_request_id"]
    lead = Lead.objects.get(tracking_code=code)
    assert lead.bureau == org.hongshan and lead.category == "product_sales" and lead.channel == "report"
    assert lead.victim_age == 78 and lead.reporter_relation == "child" and lead.party_address == "红山区站前街12号"
    assert lead.reporter_name == "王 秀英" and lead.reporter_phone == "13804761234" and lead.created_by == token.user
    assert PortalReceipt.objects.get(lead=lead).partner_token == token

    response = client.get(f"{BASE}/requests/{code}.json?api_key={raw}")
    assert response.status_code == 200
    [status] = response.json()
    assert status["service_request_id"] == code and status["status"] == "open"
    assert status["status_notes"].startswith("已收到") and status["service_code"] == "product_sales"
    text = response.content.decode()
    for secret in ("王", "秀英", "13804761234", "老人在免费健康讲座"):
        assert secret not in text.replace(code, "")

    lead = run_lead_transition(lead=lead, name="register", actor=personas.legal_officer)
    for name, actor, params in [
        ("screen", personas.task_office, {"category": "product_sales"}),
        ("dispatch", personas.task_office, {"handling_unit": org.hongshan_institute.pk,
                                            "assignees": [personas.investigator.pk]}),
        ("start_verification", personas.investigator, {}),
        ("conclude", personas.investigator, {"outcome": "not_opened", "result": "张执法：证据不足"}),
    ]:
        lead = run_lead_transition(lead=lead, name=name, actor=actor, params=params)
    [status] = client.get(f"{BASE}/requests/{code}.json", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert status["status"] == "closed" and "没有立案" in status["status_notes"] and "张执法" not in status["status_notes"]
    # A list form with several ids.
    listed = client.get(f"{BASE}/requests.json?api_key={raw}&service_request_id={code},ZZZZ-ZZZ-ZZZ").json()
    assert [s["service_request_id"] for s in listed] == [code]


def test_get_needs_a_key_and_only_shows_the_partners_own(client, partner, org):
    token, raw = partner
    code = client.post(f"{BASE}/requests.json", payload(raw)).json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests/{code}.json").status_code == 403
    other_user = make_person("partner_b", Role.HOTLINE_OPERATOR, org.city)
    _, other_raw = issue_token(user=other_user)
    response = client.get(f"{BASE}/requests/{code}.json?api_key={other_raw}")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


@pytest.mark.parametrize("overrides,field", [
    ({"service_code": "parking"}, "service_code"),
    ({"jurisdiction_id": "110101"}, "jurisdiction_id"),
    ({"jurisdiction_id": None}, "jurisdiction_id"),
    ({"description": ""}, "description"),
    ({"phone": "12"}, "phone"),
    ({"phone": None}, "phone"),  # a name without a phone
    ({"attribute[victim_age]": "old"}, "attribute[victim_age]"),
    ({"attribute[victim_age]": "300"}, "attribute[victim_age]"),
    ({"attribute[loss_amount]": "lots"}, "attribute[loss_amount]"),
    ({"attribute[approach]": "telepathy"}, "attribute[approach]"),
])
def test_bad_input_is_400_naming_the_field(client, partner, overrides, field):
    _, raw = partner
    response = client.post(f"{BASE}/requests.json", payload(raw, **overrides))
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and error["field"] == field and error["description"]
    assert not Lead.objects.exists()


def test_media_file_type_is_checked(client, partner):
    _, raw = partner
    data = payload(raw)
    data["media"] = upload("a.jpg", EXE)
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 400 and response.json()[0]["field"] == "media"
    data["media"] = receipt_jpeg()
    assert client.post(f"{BASE}/requests.json", data).status_code == 201
    assert Lead.objects.get().attachments.count() == 1


def test_anonymous_partner_request(client, partner):
    _, raw = partner
    response = client.post(f"{BASE}/requests.json", payload(raw, first_name=None, last_name=None, phone=None))
    assert response.status_code == 201
    lead = Lead.objects.get()
    assert not lead.reporter_is_named and lead.reporter_phone == ""


def test_idempotency_key_returns_the_same_request(client, partner):
    _, raw = partner
    first = client.post(f"{BASE}/requests.json", payload(raw), HTTP_IDEMPOTENCY_KEY="retry-42")
    second = client.post(f"{BASE}/requests.json", payload(raw), HTTP_IDEMPOTENCY_KEY="retry-42")
    assert first.status_code == 201 and second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()[0]["service_request_id"] == second.json()[0]["service_request_id"]
    assert Lead.objects.count() == 1
    # Without a key, or with another key, each POST is a new request.
    client.post(f"{BASE}/requests.json", payload(raw), HTTP_IDEMPOTENCY_KEY="retry-43")
    client.post(f"{BASE}/requests.json", payload(raw))
    assert Lead.objects.count() == 3


def test_post_is_csrf_exempt_but_key_authenticated(partner):
    from django.test import Client

    _, raw = partner
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{BASE}/requests.json", payload(raw)).status_code == 201
    assert strict.post(f"{BASE}/requests.json", payload(None)).status_code == 403


def test_post_is_rate_limited(client, partner, settings):
    _, raw = partner
    settings.PORTAL_RATE_LIMITS = {"open311_post": (2, 60)}
    assert client.post(f"{BASE}/requests.json", payload(raw)).status_code == 201
    assert client.post(f"{BASE}/requests.json", payload(raw, description="x")).status_code == 400
    response = client.post(f"{BASE}/requests.json", payload(raw))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json()[0]["code"] == 429
    assert Lead.objects.count() == 1
