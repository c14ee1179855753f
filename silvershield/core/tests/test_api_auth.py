"""API sign-in: bearer tokens issued, used and revoked; the browser's session with CSRF; the error shape;
the docs page served from our own static files."""

import re

import pytest
from django.test import Client

from silvershield.core.api_auth import hash_token, issue_token
from silvershield.core.models import ApiToken
from silvershield.core.testing import PASSWORD

JSON = "application/json"


def bearer_client(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def ask_for_token(username: str, password: str) -> "Client.response":
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password, "name": "导入脚本"},
        content_type=JSON,
    )


def test_an_officer_gets_a_token_that_is_stored_only_as_its_hash(personas):
    response = ask_for_token("hs_legal", PASSWORD)
    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    assert body["token_type"] == "Bearer" and body["name"] == "导入脚本" and raw.startswith(body["prefix"])
    stored = ApiToken.objects.get(user=personas.legal_officer)
    assert stored.key_hash == hash_token(raw) and raw not in {stored.key_hash, stored.prefix}

    me = bearer_client(raw).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "hs_legal" and me.json()["role"] == "legal_officer"
    assert me.json()["bureau"]["code"] == "150402" and me.json()["division"]["name"] == "红山区"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_revoked_token_answers_401_from_then_on(personas):
    _token, raw = issue_token(user=personas.investigator)
    client = bearer_client(raw)
    revoked = client.delete("/api/v1/auth/token")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = client.get("/api/v1/me")
    assert again.status_code == 401
    assert again.json() == {
        "code": "unauthenticated",
        "message": "未登录，或访问令牌无效、已撤销",
        "field": None,
    }
    assert client.delete("/api/v1/auth/token").status_code == 401


def test_revoking_one_token_leaves_the_others_working(personas):
    _first, first_raw = issue_token(user=personas.investigator)
    _second, second_raw = issue_token(user=personas.investigator)
    assert bearer_client(first_raw).delete("/api/v1/auth/token").status_code == 200
    assert bearer_client(second_raw).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "header", ["Bearer ss_not-a-token", "Bearer ", "Token abc", "Basic aHNfbGVnYWw6eA=="]
)
def test_an_unknown_token_or_scheme_is_401_even_with_a_session(personas, header):
    client = Client(headers={"Authorization": header})
    client.force_login(personas.legal_officer)
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_a_deactivated_officers_token_stops_working(personas):
    _token, raw = issue_token(user=personas.investigator)
    personas.investigator.is_active = False
    personas.investigator.save()
    assert bearer_client(raw).get("/api/v1/me").status_code == 401


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(personas):
    wrong_password = ask_for_token("hs_legal", "not-the-password")
    unknown_user = ask_for_token("nobody_here", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert (
        wrong_password.json()
        == unknown_user.json()
        == {"code": "invalid_credentials", "message": "用户名或密码错误", "field": None}
    )
    assert not ApiToken.objects.exists()


def test_a_missing_password_is_a_field_error(db):
    response = Client().post("/api/v1/auth/token", {"username": "hs_legal"}, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["field"] == "password" and response.json()["code"] == "invalid"


def test_a_body_that_is_not_json_is_a_json_error(db):
    response = Client().post("/api/v1/auth/token", "{not json", content_type=JSON)
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


def test_no_credentials_at_all_is_401(db):
    assert Client().get("/api/v1/leads").status_code == 401
    response = Client().post("/api/v1/leads", {}, content_type=JSON)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_the_browser_session_works_and_writes_need_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.legal_officer)
    assert client.get("/api/v1/me").json()["username"] == "hs_legal"

    body = {"uscc": "91150402MA0N7X5B35", "name": "赤峰康寿堂保健品店", "division": "150402"}
    refused = client.post("/api/v1/entities", body, content_type=JSON)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"

    client.get("/api/v1/docs")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/entities", body, content_type=JSON, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_the_docs_page_loads_nothing_from_outside(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the docs page must not load from a CDN"


def test_the_schema_documents_the_error_shape_and_both_ways_to_sign_in(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"BearerTokenAuth", "SessionAuth"}
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message"]
    responses = schema["paths"]["/api/v1/leads/{lead_id}/transitions"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(responses)
