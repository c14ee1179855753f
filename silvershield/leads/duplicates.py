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

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from rapidfuzz import fuzz, process

from silvershield.core.audit import record_event
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.memo import memo_for
from silvershield.core.models import AuditEvent, User
from silvershield.core.sql import instance_from_row, param_marks, prepared_cursor
from silvershield.leads.models import DuplicateDismissal, DuplicateRule, Lead, LeadState

REASON_PHONE = "举报人电话相同"
REASON_ENTITY = "关联的市场主体相同"
REASON_PARTY = "当事人名称相同"


# The columns the registration desk and the API show of a duplicate, read in the same statement as the scan.
_SHOWN_FIELDS = ("summary", "number", "received_date", "state", "party_name")
_SHOWN = ", ".join(_SHOWN_FIELDS)
# The text scan reads hundreds of rows for their summaries alone; the other shown columns stay empty.
# (Its ORDER BY names the table's columns: a bare "received_date" would be this empty output column.)
_UNSHOWN = ", ".join(f"CAST(NULL AS {'DATE' if f == 'received_date' else 'TEXT'}) AS {f}" for f in _SHOWN_FIELDS[1:])


@dataclass
class DuplicateMatch:
    lead: Lead
    score: int
    reasons: list[str] = field(default_factory=list)


@memo_for()
def rule_for(day: date) -> DuplicateRule:
    rule = (
        DuplicateRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from", "-id")
        .first()
    )
    return rule or DuplicateRule(window_days=30, text_similarity=70, scan_limit=500, effective_from=day)


def find_duplicates(
    lead: Lead,
    *,
    user: User | None = None,
    rule: DuplicateRule | None = None,
    limit: int = 10,
    new: bool = False,
) -> list[DuplicateMatch]:
    """Likely duplicates of `lead` among the leads `user` may see (default: its bureau's ledger), best first.
    `new`: the lead has just been created, so it has no dismissed pairs to look up.

    Both look-ups go to the database as one statement written here (no ORM compilation: this runs in
    every POST /api/v1/leads), scoped by `lead_scope_sql`, the SQL twin of `leads_visible_to`."""
    from silvershield.leads.queries import lead_scope_sql

    rule = rule or rule_for(lead.received_date)
    window = timedelta(days=rule.window_days)
    scope, scope_params = lead_scope_sql(user) if user is not None else ("bureau_id = %s", [lead.bureau_id])
    excluded: set[int] = set()
    if not new:
        dismissed = DuplicateDismissal.objects.filter(Q(lead=lead) | Q(other=lead)).values_list("lead_id", "other_id")
        excluded = {a for pair in dismissed for a in pair} - {lead.pk}
    common = f"({scope}) AND id <> %s AND state <> %s AND received_date >= %s AND received_date <= %s"
    common_params = [
        *scope_params, lead.pk or 0, LeadState.MERGED, lead.received_date - window, lead.received_date + window,
    ]
    if excluded:
        common += f" AND id NOT IN ({param_marks(excluded)})"
        common_params += sorted(excluded)
    keys, key_params = [], []
    for column, value in (
        ("reporter_phone_hash", lead.reporter_phone_hash),
        ("party_entity_id", lead.party_entity_id),
        ("party_key", lead.party_key),
    ):
        if value:
            keys.append(f"{column} = %s")
            key_params.append(value)
    parts, params = [], []
    if keys:
        parts.append(
            f"SELECT * FROM (SELECT id, reporter_phone_hash, party_entity_id, party_key, {_SHOWN}, 1 AS kind "
            f"FROM leads_lead WHERE {common} AND ({' OR '.join(keys)}) LIMIT 200) AS by_key"
        )
        params += [*common_params, *key_params]
    if lead.summary and rule.scan_limit:
        parts.append(
            "SELECT * FROM (SELECT id, CAST(NULL AS TEXT) AS reporter_phone_hash, CAST(NULL AS BIGINT) AS party_entity_id, "
            f"CAST(NULL AS TEXT) AS party_key, summary, {_UNSHOWN}, 2 AS kind "
            f"FROM leads_lead WHERE {common} ORDER BY leads_lead.received_date DESC, leads_lead.id DESC LIMIT %s) AS recent"
        )
        params += [*common_params, rule.scan_limit]
    rows = []
    if parts:
        # Planned afresh each time, not prepared: a plan kept for the connection would be the one that
        # suited the ledger when the connection began (a seq scan of a young, small ledger, kept while it
        # grows by hundreds of leads a second: measured, database CPU per lead tripled within a minute).
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()

    found: dict[int, DuplicateMatch] = {}

    def note(pk: int, score: float, reason: str) -> None:
        match = found.setdefault(pk, DuplicateMatch(lead=None, score=0))  # type: ignore[arg-type]
        if reason not in match.reasons:
            match.reasons.append(reason)
        match.score = max(match.score, round(score))

    # The text scan's rows are most of them: their summaries go straight to the comparison.
    choices: dict[int, str] = {row[0]: row[4] for row in rows if row[-1] == 2}
    shown: dict[int, tuple] = {}
    for row in rows:
        if row[-1] == 2:
            continue
        pk, phone, entity_id, party_key = row[:4]
        shown[pk] = row[4:-1]
        if lead.reporter_phone_hash and phone == lead.reporter_phone_hash:
            note(pk, 90, REASON_PHONE)
        if lead.party_entity_id and entity_id == lead.party_entity_id:
            note(pk, 80, REASON_ENTITY)
        elif lead.party_key and party_key == lead.party_key:
            note(pk, 75, REASON_PARTY)
    if choices:
        for _text, similarity, pk in process.extract(
            lead.summary, choices, scorer=fuzz.ratio, score_cutoff=rule.text_similarity, limit=limit
        ):
            note(pk, similarity, f"事实摘要相似（{similarity:.0f}%）")

    for match in found.values():  # several reasons together make a stronger case
        match.score = min(100, match.score + 5 * (len(match.reasons) - 1))
    ranked = sorted(found.items(), key=lambda item: (-item[1].score, -item[0]))[:limit]
    missing = [pk for pk, _m in ranked if pk not in shown]
    if missing:  # found by text alone: the scan read only their summaries
        with prepared_cursor() as cursor:
            cursor.execute(f"SELECT id, {_SHOWN} FROM leads_lead WHERE id IN ({param_marks(missing)})", missing)
            shown.update((pk, values) for pk, *values in cursor.fetchall())
    result = []
    for pk, match in ranked:
        # Only what the registration desk shows; any other field loads on first use.
        match.lead = instance_from_row(Lead, {"id": pk, **dict(zip(_SHOWN_FIELDS, shown[pk], strict=True))})
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
