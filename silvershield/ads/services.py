"""Writes for ad monitoring: changes to the rulebook, each with a new version and an audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from silvershield.ads.models import AdRule
from silvershield.core.audit import diff_fields, record_event, snapshot
from silvershield.core.errors import InvalidInput
from silvershield.core.models import User

_AUDITED_FIELDS = [
    "name",
    "law",
    "article_number",
    "paragraph_number",
    "item_number",
    "kind",
    "product_types",
    "patterns",
    "context_patterns",
    "exception_patterns",
    "negation_applies",
    "quotation_applies",
    "explanation",
    "severity",
    "effective_from",
    "effective_to",
    "enabled",
    "verified",
    "source_note",
]


@transaction.atomic
def save_rule(*, rule: AdRule, actor: User | None, reason: str = "") -> AdRule:
    """Create or change an ad rule: validate it, raise its version, and record what changed.

    Rules as data (DESIGN.md section 5): the checker picks the new version up on its next run
    (ads/queries.py), and findings keep the version that made them.
    """
    try:
        rule.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(f"{field}: {' '.join(messages)}", field=field) from exc
    before = {}
    if rule.pk is not None:
        current = AdRule.objects.select_for_update().get(pk=rule.pk)
        before = snapshot(current, _AUDITED_FIELDS)
        rule.version = current.version + 1
    rule.updated_at = timezone.now()
    rule.save()
    changes = diff_fields(before, snapshot(rule, _AUDITED_FIELDS))
    record_event(
        subject=rule, actor=actor, action="update" if before else "create", reason=reason, changes=changes
    )
    return rule


def set_rule_enabled(*, rule: AdRule, actor: User | None, enabled: bool, reason: str = "") -> AdRule:
    """Switch a rule on or off (a new version, so findings made before stay explained)."""
    rule.enabled = enabled
    return save_rule(rule=rule, actor=actor, reason=reason)
