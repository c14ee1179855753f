"""Document numbers per bureau, kind and year, e.g. 赤市监线〔2026〕00017号 (a lead of 2026).

The pattern of each kind is a NumberingRule an administrator can edit; the counter is incremented by an
UPDATE on one row, which serialises concurrent registrations on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from silvershield.core.models import NumberingRule, NumberSequence, OrgUnit

DEFAULT_PATTERNS = {
    "lead": "{prefix}线〔{year}〕{seq:05d}号",
    "case": "{prefix}立〔{year}〕{seq:05d}号",
}


def next_number(*, bureau: OrgUnit, kind: str, year: int) -> str:
    """Take the next number of `kind` for `bureau` in `year`; must run inside the caller's transaction."""
    assert transaction.get_connection().in_atomic_block, "next_number must run inside a transaction"
    NumberSequence.objects.get_or_create(bureau=bureau, kind=kind, year=year)
    NumberSequence.objects.filter(bureau=bureau, kind=kind, year=year).update(last=F("last") + 1)
    seq = NumberSequence.objects.get(bureau=bureau, kind=kind, year=year).last
    rule = NumberingRule.objects.filter(kind=kind).first()
    pattern = rule.pattern if rule else DEFAULT_PATTERNS[kind]
    return pattern.format(prefix=bureau.short_name or bureau.name, year=year, seq=seq)
