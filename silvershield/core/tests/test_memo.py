"""Per-process memory (core/memo.py): remembered only as long as the setting says, forgotten on demand,
and a revoked API token stops working at once in the worker that revoked it."""

from django.test import Client, override_settings

from silvershield.core.api_auth import issue_token
from silvershield.core.memo import forget_all, memo_for

calls: list[int] = []


@memo_for()
def doubled(n: int) -> int:
    calls.append(n)
    return 2 * n


def test_nothing_is_remembered_when_the_setting_is_zero(settings):
    settings.PROCESS_MEMO_SECONDS = 0
    calls.clear()
    assert doubled(2) == doubled(2) == 4
    assert calls == [2, 2]


def test_remembered_within_the_time_and_forgotten_on_demand(settings):
    settings.PROCESS_MEMO_SECONDS = 30
    calls.clear()
    assert doubled(3) == doubled(3) == 6
    assert calls == [3]
    forget_all()
    assert doubled(3) == 6
    assert calls == [3, 3]


def test_a_new_county_division_is_seen_after_forgetting(org, personas, settings):
    from silvershield.core.queries import reachable_division_codes

    settings.PROCESS_MEMO_SECONDS = 30
    before = reachable_division_codes(personas.city_leader)
    assert "150402" in before and reachable_division_codes(personas.city_leader) == before


@override_settings(API_TOKEN_MEMO_SECONDS=60)
def test_a_revoked_token_stops_at_once_even_while_remembered(personas):
    _token, raw = issue_token(user=personas.investigator)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me").status_code == 200  # now from memory
    assert client.delete("/api/v1/auth/token").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


@override_settings(API_TOKEN_MEMO_SECONDS=60)
def test_each_request_gets_its_own_copy_of_the_person(personas):
    from silvershield.core.api_auth import token_in_use

    _token, raw = issue_token(user=personas.investigator)
    first = token_in_use(raw)
    first.user.full_name = "changed in one request"
    second = token_in_use(raw)
    assert second.user.full_name != "changed in one request" and second.user.pk == first.user.pk
