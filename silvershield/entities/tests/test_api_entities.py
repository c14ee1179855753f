"""The entity registry API: search and pages, registering and correcting entities with checked credit
codes and phone numbers, and the registry of one county closed to another."""

import pytest
from django.test import Client

from silvershield.core.api_auth import issue_token
from silvershield.core.audit import events_for
from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import Role
from silvershield.core.testing import make_person
from silvershield.entities.models import Entity
from silvershield.entities.services import create_entity

JSON = "application/json"
USCC = "91150402MA0N7X5B35"


def api_client(user) -> Client:
    _token, raw = issue_token(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def entity_body(**overrides):
    body = {
        "uscc": USCC,
        "name": "赤峰康寿堂保健品店",
        "division": "150402",
        "legal_representative": "李建国",
        "phone": "0476-8123456",
        "business_scope": "保健食品销售；养老服务",
        "is_elderly_related": True,
        "registration_date": "2021-05-06",
    }
    body.update(overrides)
    return body


def test_the_registration_section_registers_an_entity_with_a_full_width_code(personas, org):
    registrar = make_person("hs_registration", Role.REGISTRATION_SECTION, org.hongshan)
    full_width = USCC.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    response = api_client(registrar).post("/api/v1/entities", entity_body(uscc=full_width), content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["uscc"] == USCC and body["status"] == "active" and body["is_elderly_related"] is True
    assert events_for(Entity.objects.get(pk=body["id"])).first().action == "create"


@pytest.mark.parametrize(
    "field, value",
    [
        ("uscc", "91150402MA0N2X3Y4Z"),
        ("uscc", "123"),
        ("phone", "12"),
        ("name", "  "),
        ("division", "150404"),
    ],
)
def test_bad_input_names_the_field_and_nothing_is_written(personas, field, value):
    response = api_client(personas.legal_officer).post(
        "/api/v1/entities", entity_body(**{field: value}), content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["code"] == "invalid"
    assert not Entity.objects.exists()


def test_a_code_already_registered_is_refused_on_the_code(personas):
    client = api_client(personas.legal_officer)
    assert client.post("/api/v1/entities", entity_body(), content_type=JSON).status_code == 201
    again = client.post("/api/v1/entities", entity_body(name="另一家店"), content_type=JSON)
    assert again.status_code == 400 and again.json()["field"] == "uscc"


def test_an_investigator_may_read_the_registry_but_not_change_it(personas):
    entity = create_entity(actor=personas.legal_officer, **entity_body())
    client = api_client(personas.investigator)
    assert client.get(f"/api/v1/entities/{entity.pk}").json()["name"] == "赤峰康寿堂保健品店"
    assert (
        client.post("/api/v1/entities", entity_body(uscc="91150402MA0N7X5B45"), content_type=JSON).status_code
        == 403
    )
    assert client.patch(f"/api/v1/entities/{entity.pk}", {"name": "x"}, content_type=JSON).status_code == 403


def test_corrections_are_audited_and_checked(personas):
    entity = create_entity(actor=personas.legal_officer, **entity_body())
    client = api_client(personas.legal_officer)
    response = client.patch(
        f"/api/v1/entities/{entity.pk}",
        {"status": "deregistering", "address": "红山区站前街1号"},
        content_type=JSON,
    )
    assert response.status_code == 200 and response.json()["status"] == "deregistering"
    assert events_for(entity).last().changes.keys() == {"status", "address"}
    bad = client.patch(f"/api/v1/entities/{entity.pk}", {"uscc": "91150402MA0N7X5B3X"}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["field"] == "uscc"
    away = client.patch(f"/api/v1/entities/{entity.pk}", {"division": "150404"}, content_type=JSON)
    assert away.status_code == 400 and away.json()["field"] == "division"
    entity.refresh_from_db()
    assert entity.uscc == USCC and entity.division_id == "150402"


def test_the_registry_searches_filters_and_pages(personas):
    officer = personas.legal_officer
    for i, name in enumerate(["赤峰顺康保健品店", "赤峰福寿养老院", "红山区便民超市", "赤峰康宁大药房"]):
        code17 = f"9115040{i}MA0N7X5B3"
        create_entity(
            actor=officer,
            uscc=code17 + uscc_check_character(code17),
            name=name,
            division="150402",
            is_elderly_related=(i != 2),
        )
    create_entity(actor=officer, uscc="91150404MA0N7X5B45", name="松山区保健品店", division="150404")
    client = api_client(officer)

    names, after = [], None
    while True:
        page = client.get("/api/v1/entities?limit=2" + (f"&after={after}" if after else "")).json()
        names += [e["name"] for e in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert names == sorted(names) and len(names) == 4 and "松山区保健品店" not in names
    assert [e["name"] for e in client.get("/api/v1/entities?q=cfsk").json()["items"]] == ["赤峰顺康保健品店"]
    assert len(client.get("/api/v1/entities?elderly_related=false").json()["items"]) == 1
    assert client.get("/api/v1/entities?status=deregistered").json()["items"] == []
