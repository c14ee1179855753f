"""Lockout after repeated failed sign-ins (DESIGN.md section 7).

Failures are counted in the cache (shared by all worker processes: Redis or the file cache) per
account and per client address. An account is locked after SIGN_IN_MAX_FAILURES failures within
SIGN_IN_LOCKOUT_SECONDS; an address after four times as many, because a whole office may share one
address behind its gateway. While locked, the password is not even checked, so guessing gains nothing.
A successful sign-in clears the account's count.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

log = logging.getLogger("silvershield.signin")

ADDRESS_FACTOR = 4


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it (a proxy in front must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _keys(username: str, address: str) -> tuple[str, str]:
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"signin:account:{account}", f"signin:address:{address}"


def is_locked(username: str, address: str) -> bool:
    account_key, address_key = _keys(username, address)
    limit = settings.SIGN_IN_MAX_FAILURES
    return (cache.get(account_key) or 0) >= limit or (cache.get(address_key) or 0) >= limit * ADDRESS_FACTOR


def record_failure(username: str, address: str) -> None:
    window = settings.SIGN_IN_LOCKOUT_SECONDS
    for key in _keys(username, address):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
    log.warning("failed sign-in for %r from %s", username[:150], address)


def clear_failures(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])


def lockout_minutes() -> int:
    return max(1, settings.SIGN_IN_LOCKOUT_SECONDS // 60)
