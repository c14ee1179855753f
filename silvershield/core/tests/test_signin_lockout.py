"""Lockout after repeated failed sign-ins (DESIGN.md section 7)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from silvershield.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(SIGN_IN_MAX_FAILURES=3, SIGN_IN_LOCKOUT_SECONDS=600)
def test_account_locked_after_failures_even_with_the_right_password(client, personas):
    username = personas.legal_officer.username
    for _ in range(3):
        response = client.post("/login/", {"username": username, "password": "wrong-password-1"})
        assert response.status_code == 200
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "10" in response.content.decode()  # the minutes to wait are stated


@override_settings(SIGN_IN_MAX_FAILURES=3, SIGN_IN_LOCKOUT_SECONDS=600)
def test_success_clears_the_count_and_other_accounts_are_not_locked(client, personas):
    username = personas.legal_officer.username
    for _ in range(2):
        client.post("/login/", {"username": username, "password": "wrong-password-1"})
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    client.post("/logout/")
    for _ in range(2):
        client.post("/login/", {"username": username, "password": "wrong-password-1"})
    # Two failures after the reset do not lock; a third would.
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    other = personas.investigator.username
    assert client.post("/login/", {"username": other, "password": PASSWORD}).status_code == 302


@override_settings(SIGN_IN_MAX_FAILURES=2, SIGN_IN_LOCKOUT_SECONDS=600)
def test_one_address_guessing_many_accounts_is_locked(client, personas):
    # The address limit is four times the account limit: 8 failures over different names.
    for i in range(8):
        client.post("/login/", {"username": f"nobody{i}", "password": "x"})
    response = client.post("/login/", {"username": personas.investigator.username, "password": PASSWORD})
    assert response.status_code == 429
