"""The public channel's writes and reads: a report from the portal or a partner system becomes a lead
(leads.services.create_lead) with its photos, a tracking code and a receipt, in one transaction; the
status page finds it again by tracking code and the last four digits of a phone.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from silvershield.core.errors import InvalidInput
from silvershield.core.models import ApiToken, Division, OrgUnit, OrgUnitKind, User
from silvershield.core.uploads import store_attachment
from silvershield.leads.models import Lead
from silvershield.leads.services import create_lead
from silvershield.portal.models import PortalReceipt, Source

# 32 letters and digits without 0/O and 1/I (and so easy to read aloud over the phone); 10 of them give
# 50 bits, far beyond guessing under the rate limit. Shown grouped 4-3-3, e.g. K7P3-QX9-M2D.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_GROUPS = (4, 3, 3)
CHIFENG = "150400"


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    out, i = [], 0
    for n in _GROUPS:
        out.append(raw[i:i + n])
        i += n
    return "-".join(out)


def normalize_code(text: str) -> str | None:
    """A typed tracking code in its stored form, or None when it cannot be one (spaces, dashes, case,
    full-width characters forgiven; O/0 and I/1 are read as the letters' look-alikes that do exist)."""
    value = unicodedata.normalize("NFKC", text or "").upper()
    value = re.sub(r"[\s\-—_－·.]", "", value)
    if len(value) != CODE_LENGTH or any(c not in ALPHABET for c in value):
        return None
    return format_code(value)


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text or ""))


def _lookup_hash(code: str, last4: str) -> str:
    return salted_hmac("silvershield.portal.lookup", f"{code}:{last4}", algorithm="sha256").hexdigest()


def idempotency_key(namespace: str, key: str) -> str:
    """The stored form of a client's idempotency key: namespaced and hashed to 64 characters."""
    return hashlib.sha256(f"{namespace}:{key}".encode()).hexdigest()


def county_divisions():
    """The 12 county-level divisions of Chifeng, the places a report can be about."""
    return Division.objects.filter(parent_id=CHIFENG, level="county").order_by("code")


def bureau_for_division(division: Division) -> OrgUnit:
    """The bureau whose jurisdiction is `division` (a bureau's jurisdiction is its division, core/models.py),
    else the nearest bureau above it (the city bureau registers for a county without its own yet)."""
    current: Division | None = division
    while current is not None:
        bureau = OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, division=current).order_by("path").first()
        if bureau is not None:
            return bureau
        current = current.parent
    raise InvalidInput("该地区暂时没有受理的市场监管局，请拨打12315", field="division")


def division_by_code(code: str, *, field: str = "division") -> Division:
    division = county_divisions().filter(code=(code or "").strip()).first()
    if division is None:
        raise InvalidInput("请选择赤峰市的一个旗县区", field=field)
    return division


def submit_report(
    *, fields: dict[str, Any], files: list | tuple = (), key: str, source: str = Source.WEB,
    actor: User | None = None, partner_token: ApiToken | None = None, lookup_digits: str = "",
) -> tuple[Lead, bool]:
    """Create the lead (channel, division and the fields the public gives) with its photos and receipt.

    `key` is the already namespaced idempotency key: a second call with the same key creates nothing and
    returns the first lead with created=False. Files must have been validated (core.uploads).
    """
    existing = Lead.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    division = fields.get("division")
    if not isinstance(division, Division):
        raise InvalidInput("请选择赤峰市的一个旗县区", field="division")
    bureau = bureau_for_division(division)
    last4 = digits_only(lookup_digits)[-4:]
    if lookup_digits and len(last4) != 4:
        raise InvalidInput("请填写手机号的后四位数字", field="lookup_digits")
    data = dict(fields)
    data.setdefault("received_date", date.today())
    for attempt in range(3):
        code = new_tracking_code()
        try:
            with transaction.atomic():
                lead = create_lead(actor=actor, bureau=bureau, tracking_code=code, idempotency_key=key, **data)
                for upload in files:
                    store_attachment(lead=lead, uploaded_file=upload, actor=actor, description="举报人上传")
                PortalReceipt.objects.create(
                    lead=lead, source=source, partner_token=partner_token,
                    lookup_hash=_lookup_hash(code, last4) if last4 else "",
                )
            return lead, True
        except IntegrityError:
            existing = Lead.objects.filter(idempotency_key=key).first()
            if existing is not None:  # the same submission won a race with this one
                return existing, False
            if attempt == 2:  # three tracking-code collisions in a row cannot happen by chance
                raise
    raise AssertionError("unreachable")


def find_for_status(code_text: str, digits_text: str) -> Lead | None:
    """The lead for a tracking code and the last four digits of the phone given with it, else None.

    Without a phone given at submission (anonymous, nothing left), the code alone finds it only when the
    digits box is left empty. Comparisons are constant-time; the caller shows one neutral message for
    every failure so nobody learns whether a code exists.
    """
    code = normalize_code(code_text)
    digits = digits_only(digits_text)
    if code is None:
        return None
    lead = Lead.objects.select_related("portal_receipt").filter(tracking_code=code).first()
    if lead is None:
        # Spend the same work as a hit, so timing does not tell codes apart.
        hmac.compare_digest(_lookup_hash(code, digits[-4:] or "0000"), "0" * 64)
        return None
    receipt = getattr(lead, "portal_receipt", None)
    expected = receipt.lookup_hash if receipt else ""
    if expected:
        return lead if len(digits) >= 4 and hmac.compare_digest(_lookup_hash(code, digits[-4:]), expected) else None
    phone_digits = digits_only(lead.reporter_phone)
    if phone_digits:
        return lead if len(digits) >= 4 and hmac.compare_digest(phone_digits[-4:], digits[-4:]) else None
    return lead if not digits else None
