"""Encryption at rest for reporters' personal data (DOMAIN.md C.2: 暂行办法 Art. 33, 反不正当竞争法 Art. 20).

Keys come from SILVERSHIELD_FIELD_KEY: one or more Fernet keys separated by commas, the newest first.
Values are written with the first key and read with any, so a key is rotated by putting a new key in
front, running `silvershield reencrypt`, then dropping the old key (docs/operations.md).
Without the variable (the demo) a key is derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def field_cipher() -> MultiFernet:
    keys = settings.SILVERSHIELD_FIELD_KEY
    if not keys:
        digest = hashlib.sha256(("silvershield-field-key:" + settings.SECRET_KEY).encode()).digest()
        keys = base64.urlsafe_b64encode(digest).decode()
    return _fernet(keys)


def encrypt_text(value: str) -> str:
    return field_cipher().encrypt(value.encode("utf-8")).decode("ascii") if value else ""


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return field_cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return "［无法解密］"


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python sees plain text. Not searchable, by design."""

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else ""


def mask_name(name: str) -> str:
    """张三丰 → 张**: enough for an officer to tell cases apart, not to identify a person."""
    return (name[0] + "*" * (len(name) - 1)) if name else ""


def mask_phone(phone: str) -> str:
    return (phone[:3] + "****" + phone[-4:]) if len(phone) >= 8 else ("*" * len(phone))


def mask_id_number(number: str) -> str:
    return (number[:3] + "*" * (len(number) - 7) + number[-4:]) if len(number) > 7 else "*" * len(number)
