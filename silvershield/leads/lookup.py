"""Keys that let leads be compared without decrypting them (DOMAIN.md C.2).

`phone_hash` is an HMAC-SHA256 of the normalised phone under a key derived from the first key of
SILVERSHIELD_FIELD_KEY (or the demo key), so the database holds nothing a dictionary of phone numbers can be
run against without the key. After a key rotation, `silvershield reencrypt` recomputes the hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache


def first_field_key() -> str:
    """The key new values are written with: the first of SILVERSHIELD_FIELD_KEY, or the demo's derived key."""
    import base64

    from django.conf import settings

    keys = [k.strip() for k in (settings.SILVERSHIELD_FIELD_KEY or "").split(",") if k.strip()]
    if keys:
        return keys[0]
    digest = hashlib.sha256(("silvershield-field-key:" + settings.SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


@lru_cache(maxsize=4)
def _derive(key: str) -> bytes:
    return hashlib.sha256(b"silvershield-lookup:" + key.encode()).digest()


def _lookup_key() -> bytes:
    return _derive(first_field_key())


def phone_hash(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    digits = digits[-11:] if len(digits) > 11 and digits.startswith("86") else digits
    return hmac.new(_lookup_key(), digits.encode(), hashlib.sha256).hexdigest()
