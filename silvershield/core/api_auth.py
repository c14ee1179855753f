"""API authentication: bearer tokens (stored as SHA-256 only) and the browser's session.

A token is shown once, when it is issued; the database keeps its hash, so a stolen database dump or
backup does not give access. A request that carries an `Authorization: Bearer …` header is judged on
that token alone — a bad token is 401 even when a session cookie is also present, so a script never
silently acts as whoever is signed in in the same browser. Without the header, the Django session is
used, with the CSRF check the browser needs.
"""

import copy
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from silvershield.core.memo import memo_for
from silvershield.core.models import ApiToken, User

TOKEN_PREFIX = "ss_"
# Writing `last_used_at` on every request would turn every read into a write; a few minutes' precision
# is enough for an administrator deciding which tokens are stale.
LAST_USED_PRECISION = timedelta(minutes=5)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip(), key_hash=hash_token(raw), prefix=raw[:8])
    return token, raw


def revoke_token(*, token: ApiToken) -> ApiToken:
    """Revoke `token` for good; revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _live_token.forget_key(token.key_hash)  # type: ignore[attr-defined]
    token.refresh_from_db()
    return token


def user_for_credentials(*, username: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    Django's `authenticate` runs the password hasher even for an unknown username, so the time taken
    does not tell whether the account exists.
    """
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        return None
    return user  # type: ignore[return-value]


def token_in_use(raw: str) -> ApiToken | None:
    """The live token with this raw value (not revoked, user active), or None.

    A worker remembers the answer for API_TOKEN_MEMO_SECONDS (core/memo.py), so a partner system posting
    hundreds of leads a second costs one look-up per worker every few seconds; a revoked token or a
    deactivated account stops working within that time (at once in the worker that revoked it). Each
    request gets its own copy of the person, so nothing one request sets on it leaks into the next.
    """
    if not raw or len(raw) > 200:
        return None
    token = _live_token(hash_token(raw))
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)
        token.last_used_at = now
    mine = copy.copy(token)
    mine.user = copy.copy(token.user)
    return mine


@memo_for("API_TOKEN_MEMO_SECONDS", default=5)
def _live_token(key_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user", "user__unit", "user__unit__bureau")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; sets `request.api_token` for the revoke endpoint."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = token_in_use(token.strip())
        if found is None:
            # Raising (rather than returning None) stops ninja from falling back to the session.
            raise AuthenticationError()
        request.api_token = found  # type: ignore[attr-defined]
        return found.user

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if header and not header.lower().startswith("bearer "):
            # Some other scheme (Basic, a bare key): refuse rather than fall back to the session.
            raise AuthenticationError()
        return super().__call__(request)


class SessionAuth(APIKeyCookie):
    """The browser's Django session. CSRF is checked only once we know someone is signed in, so an
    anonymous request gets 401 (not a confusing CSRF 403)."""

    def __init__(self) -> None:
        # csrf=True also tells ninja's docs page to hand the CSRF token to Swagger UI's requests.
        super().__init__(csrf=True)

    @property  # type: ignore[override]
    def param_name(self) -> str:
        return settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The cookie only; CSRF is checked in `authenticate`, after we know someone is signed in.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return user  # type: ignore[return-value]


API_AUTH = [BearerTokenAuth(), SessionAuth()]
