"""Likely duplicates of a lead (issue 3, item 3): the same reporter, the same party, or a similar account of
the facts, among the leads received within a window of days (DuplicateRule, editable in the admin).

Each look-up uses an index: the reporter's phone through its keyed hash (no row is decrypted), the party
through `party_entity` or the normalised `party_key`, the text through the ledger index (bureau, date) for
the most recent `scan_limit` leads of the window, which rapidfuzz then compares. The officer merges a
duplicate (the `merge` transition: the merged lead keeps its history and points to the survivor) or
dismisses it (DuplicateDismissal: the pair is not proposed again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process

from silvershield.core.audit import record_event
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.models import AuditEvent, User
from silvershield.leads.models import DuplicateDismissal, DuplicateRule, Lead, LeadState

REASON_PHONE = "举报人电话相同"
REASON_ENTITY = "关联的市场主体相同"
REASON_PARTY = "当事人名称相同"


@dataclass
class DuplicateMatch:
    lead: Lead
    score: int
    reasons: list[str] = field(default_factory=list)


def rule_for(day: date) -> DuplicateRule:
    rule = (
        DuplicateRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from", "-id")
        .first()
    )
    return rule or DuplicateRule(window_days=30, text_similarity=70, scan_limit=500, effective_from=day)


def find_duplicates(
    lead: Lead, *, candidates: QuerySet[Lead] | None = None, rule: DuplicateRule | None = None, limit: int = 10
) -> list[DuplicateMatch]:
    """Likely duplicates of `lead` among `candidates` (default: its bureau's ledger), best first."""
    rule = rule or rule_for(lead.received_date)
    window = timedelta(days=rule.window_days)
    base = candidates if candidates is not None else Lead.objects.filter(bureau_id=lead.bureau_id)
    dismissed = set(
        DuplicateDismissal.objects.filter(Q(lead=lead) | Q(other=lead)).values_list("lead_id", "other_id")
    )
    excluded = {a for pair in dismissed for a in pair} - {lead.pk}
    base = (
        base.exclude(pk=lead.pk)
        .exclude(state=LeadState.MERGED)
        .filter(received_date__gte=lead.received_date - window, received_date__lte=lead.received_date + window)
    )
    if excluded:
        base = base.exclude(pk__in=excluded)
    found: dict[int, DuplicateMatch] = {}

    def note(pk: int, score: float, reason: str) -> None:
        match = found.setdefault(pk, DuplicateMatch(lead=None, score=0))  # type: ignore[arg-type]
        if reason not in match.reasons:
            match.reasons.append(reason)
        match.score = max(match.score, round(score))

    key_q = Q(pk__in=[])
    if lead.reporter_phone_hash:
        key_q |= Q(reporter_phone_hash=lead.reporter_phone_hash)
    if lead.party_entity_id:
        key_q |= Q(party_entity_id=lead.party_entity_id)
    if lead.party_key:
        key_q |= Q(party_key=lead.party_key)
    for pk, phone, entity_id, party_key in base.filter(key_q).values_list(
        "pk", "reporter_phone_hash", "party_entity_id", "party_key"
    )[:200]:
        if lead.reporter_phone_hash and phone == lead.reporter_phone_hash:
            note(pk, 90, REASON_PHONE)
        if lead.party_entity_id and entity_id == lead.party_entity_id:
            note(pk, 80, REASON_ENTITY)
        elif lead.party_key and party_key == lead.party_key:
            note(pk, 75, REASON_PARTY)

    recent = list(
        base.order_by("-received_date", "-id").values_list("pk", "summary")[: rule.scan_limit]
    )
    if recent and lead.summary:
        choices = {pk: text for pk, text in recent}
        for _text, similarity, pk in process.extract(
            lead.summary, choices, scorer=fuzz.ratio, score_cutoff=rule.text_similarity, limit=limit
        ):
            note(pk, similarity, f"事实摘要相似（{similarity:.0f}%）")

    for match in found.values():  # several reasons together make a stronger case
        match.score = min(100, match.score + 5 * (len(match.reasons) - 1))
    ranked = sorted(found.items(), key=lambda item: (-item[1].score, -item[0]))[:limit]
    leads = {
        obj.pk: obj
        for obj in Lead.objects.filter(pk__in=[pk for pk, _m in ranked])
        .select_related("bureau", "party_entity")
        .defer("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address")
    }
    result = []
    for pk, match in ranked:
        match.lead = leads[pk]
        result.append(match)
    return result


def dismiss_duplicate(*, lead: Lead, other: Lead, actor: User, reason: str = "") -> DuplicateDismissal:
    """Record that `other` is not a duplicate of `lead`; audited on the lead."""
    from silvershield.leads.permissions import can_edit_lead

    if not can_edit_lead(lead, actor):
        raise PermissionDenied("只有法制员可以在分派前处理疑似重复线索")
    if other.pk == lead.pk:
        raise InvalidInput("不能与自身比较", field="other")
    try:
        with transaction.atomic():
            dismissal = DuplicateDismissal.objects.create(lead=lead, other=other, actor=actor, reason=reason.strip())
            record_event(
                subject=lead, actor=actor, action=AuditEvent.Action.UPDATE,
                reason=reason.strip() or f"排除疑似重复：{other.display_number}",
                changes={"duplicate_dismissed": (None, str(other.display_number))},
            )
    except IntegrityError as exc:
        raise InvalidInput("已排除过此线索", field="other") from exc
    return dismissal
