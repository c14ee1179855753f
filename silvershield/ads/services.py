"""Writes for ad monitoring: rulebook changes (each a new version and an audit event), ingest of ads with
their findings, and the review of findings, which turns a confirmed ad into a lead."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from silvershield.ads.checker.engine import CompiledRulebook
from silvershield.ads.checker.spec import Violation
from silvershield.ads.ingest import AdRow, RowError
from silvershield.ads.models import (
    Ad,
    AdRule,
    Decision,
    Finding,
    FindingReview,
    FindingState,
    IngestBatch,
    checker_product_type,
)
from silvershield.ads.queries import get_rulebook
from silvershield.core.audit import diff_fields, record_event, snapshot
from silvershield.core.errors import InvalidInput, PermissionDenied, StaleState
from silvershield.core.models import AuditEvent, Division, OrgUnit, OrgUnitKind, User
from silvershield.core.permissions import can_see_entities

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


# --- ingest -----------------------------------------------------------------------------------------

INGEST_CHUNK = 1000
MAX_REPORTED_ERRORS = 200


class IngestFailed(InvalidInput):
    """All-or-nothing ingest met bad rows: nothing was written; `errors` names each row and field."""

    def __init__(self, errors: list[RowError], *, rows: int) -> None:
        first = errors[0]
        more = f"（共{len(errors)}行有误，未导入任何广告）" if len(errors) > 1 else "（未导入任何广告）"
        super().__init__(f"{first}{more}", field=first.field or "file")
        self.errors = errors
        self.rows = rows


@dataclass
class IngestResult:
    batch: IngestBatch | None
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    findings: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Linker:
    """Advertiser name/USCC → registered entity, as leads link their party (entities/linking.py).

    Only a sure match links: the same USCC, or the same name once normalised. Each name is looked up once
    per ingest.
    """

    def __init__(self, actor: User | None) -> None:
        from silvershield.entities.models import Entity

        self.queryset = Entity.objects.all()
        self.divisions: tuple[str, ...] | None = None  # everywhere
        if actor is not None:
            from silvershield.entities.queries import entities_visible_to, entity_divisions_visible_to

            if can_see_entities(actor):
                self.queryset = entities_visible_to(actor)
                self.divisions = entity_divisions_visible_to(actor)
        self.cache: dict[tuple[str, str], int | None] = {}

    def __call__(self, name: str, uscc: str) -> int | None:
        key = (name, uscc)
        if key not in self.cache:
            self.cache[key] = self._find(name, uscc) if (name or uscc) else None
        return self.cache[key]

    def _find(self, name: str, uscc: str) -> int | None:
        try:
            from silvershield.entities.linking import find_entity_candidates
        except ImportError:  # the registry's linking module not there: exact look-ups only
            match = self.queryset.filter(Q(uscc=uscc) if uscc else Q(name=name)).values_list("pk", flat=True)
            return match.first()
        for candidate in find_entity_candidates(name=name, uscc=uscc, divisions=self.divisions, limit=3):
            if "统一社会信用代码一致" in candidate.reasons or candidate.score >= 97:
                return candidate.entity.pk
            break
        return None


class _Divisions:
    """Division codes or names → (division code, owning bureau) within the actor's reach."""

    def __init__(self, bureau: OrgUnit) -> None:
        bureaus = OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, path__startswith=bureau.path)
        self.bureau = bureau
        self.by_division = {b.division_id: b for b in bureaus.order_by("path")}
        self.names = dict(Division.objects.filter(code__in=self.by_division).values_list("name", "code"))
        for name, code in list(self.names.items()):
            if len(name) > 2:
                self.names.setdefault(name[:-1], code)

    def resolve(self, value: str) -> tuple[str, OrgUnit] | str:
        """(code, bureau), or an error message."""
        if not value:
            return self.bureau.division_id, self.bureau
        code = value if value in self.by_division else self.names.get(value)
        if code is None:
            return f"区划 {value!r} 不在本局辖区内（填区划代码如 150402，或名称如 红山区）"
        return code, self.by_division[code]


def ingest_ads(
    *,
    rows: Iterable[AdRow | RowError],
    actor: User | None,
    bureau: OrgUnit | None = None,
    source: str = "",
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = INGEST_CHUNK,
    link_advertisers: bool = True,
) -> IngestResult:
    """Store ads, check each against the rulebook in force on its date, and store the findings.

    All or nothing by default: at the first bad row nothing more is written, the remaining rows are still
    read so that every bad row is reported, and IngestFailed rolls the whole ingest back. With `skip_bad`
    the good rows are stored and the bad ones reported on the batch. The same ad (content hash of medium,
    outlet, time and text) already recorded for the bureau, or twice in one file, is counted as a
    duplicate and not stored again. Rows stream through in chunks (bulk inserts), so memory stays flat.
    """
    if actor is None and bureau is None:
        raise InvalidInput("请指定导入的局", field="bureau")
    home = bureau or actor.bureau
    divisions = _Divisions(home)
    linker = _Linker(actor) if link_advertisers else (lambda name, uscc: None)
    rule_ids: dict[str, dict[str, int]] = {}
    rulebooks = _Rulebooks()
    result = IngestResult(batch=None)
    with transaction.atomic():
        batch = IngestBatch.objects.create(
            bureau=home, source=(source or "api")[:200], skip_bad=skip_bad, created_by=actor
        )
        failed = False
        pending: list[AdRow] = []

        def flush() -> None:
            _store_chunk(
                pending, batch=batch, actor=actor, divisions=divisions, linker=linker, rule_ids=rule_ids,
                rulebooks=rulebooks, result=result,
            )
            if progress is not None:
                progress(len(pending))
            pending.clear()

        for item in rows:
            result.rows += 1
            if isinstance(item, AdRow):
                where = divisions.resolve(item.division)
                if isinstance(where, str):
                    item = RowError(item.row, "division", where)
            if isinstance(item, RowError):
                result.errors.append(item)
                if not skip_bad:
                    failed = True
                    pending.clear()
                continue
            if failed:
                continue
            pending.append(item)
            if len(pending) >= chunk_size:
                flush()
        if failed:
            transaction.set_rollback(True)
        elif result.rows == 0:
            transaction.set_rollback(True)
            raise InvalidInput("文件中没有广告（除表头外没有数据行）", field="file")
        else:
            if pending:
                flush()
            result.skipped = len(result.errors)
            batch.rows, batch.created, batch.duplicates = result.rows, result.created, result.duplicates
            batch.skipped, batch.findings = result.skipped, result.findings
            batch.errors = [e.as_dict() for e in result.errors[:MAX_REPORTED_ERRORS]]
            batch.save()
            record_event(
                subject=batch,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                changes={
                    "source": [None, batch.source],
                    "created": [None, batch.created],
                    "duplicates": [None, batch.duplicates],
                    "skipped": [None, batch.skipped],
                },
            )
            result.batch = batch
    if failed:
        raise IngestFailed(result.errors, rows=result.rows)
    return result


class _Rulebooks:
    """The rulebook for an ad's day, compiled once per stretch of days with the same rules in force.

    Rules change on their effective dates only, so a year of ads needs one or two compilations, not 365.
    """

    def __init__(self) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        edges: set[date] = set()
        for start, end in AdRule.objects.values_list("effective_from", "effective_to"):
            edges.add(start)
            if end is not None:
                edges.add(end + timedelta(days=1))
        self.edges = sorted(edges)
        self.books: dict[int, CompiledRulebook] = {}

    def on(self, day: date) -> CompiledRulebook:
        slot = self._bisect(self.edges, day)
        book = self.books.get(slot)
        if book is None:
            book = self.books[slot] = get_rulebook(on=day)
        return book


def _rule_ids_on(day: date, cache: dict[str, dict[str, int]], rulebooks: _Rulebooks) -> dict[str, int]:
    key = str(rulebooks._bisect(rulebooks.edges, day))
    if key not in cache:
        ids: dict[str, int] = {}
        rules = AdRule.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day)
        for pk, code in rules.order_by("effective_from").values_list("pk", "code"):
            ids[code] = pk
        cache[key] = ids
    return cache[key]


def _store_chunk(
    rows: list[AdRow],
    *,
    batch: IngestBatch,
    actor: User | None,
    divisions: _Divisions,
    linker: Callable[[str, str], int | None],
    rule_ids: dict[str, dict[str, int]],
    rulebooks: _Rulebooks,
    result: IngestResult,
) -> None:
    today = timezone.localdate()
    by_bureau: dict[int, list[tuple[AdRow, str, OrgUnit]]] = {}
    for row in rows:
        code, bureau = divisions.resolve(row.division)  # checked when the row was read
        by_bureau.setdefault(bureau.pk, []).append((row, code, bureau))
    ads: list[Ad] = []
    findings_of: list[list[Violation]] = []
    days: list[date] = []
    for bureau_pk, items in by_bureau.items():
        prints = {row.fingerprint: None for row, _, _ in items}
        known = set(
            Ad.objects.filter(bureau_id=bureau_pk, fingerprint__in=list(prints)).values_list("fingerprint", flat=True)
        )
        for row, code, bureau in items:
            fingerprint = row.fingerprint
            if fingerprint in known:
                result.duplicates += 1
                continue
            known.add(fingerprint)
            day = timezone.localdate(row.published_at) if row.published_at else today
            rulebook = rulebooks.on(day)
            violations = rulebook.check(text=row.text, product_type=checker_product_type(row.product_type))
            ads.append(
                Ad(
                    bureau=bureau,
                    division_id=code,
                    batch=batch,
                    medium=row.medium,
                    outlet=row.outlet,
                    published_at=row.published_at,
                    advertiser_name=row.advertiser,
                    advertiser_uscc=row.advertiser_uscc,
                    advertiser_entity_id=linker(row.advertiser, row.advertiser_uscc),
                    product_name=row.product_name,
                    product_type=row.product_type,
                    approval_numbers=row.approval_numbers,
                    text=row.text,
                    fingerprint=fingerprint,
                    checked_with=rulebook.version,
                    finding_count=len(violations),
                    created_by=actor,
                )
            )
            findings_of.append(violations)
            days.append(day)
    if not ads:
        return
    Ad.objects.bulk_create(ads)
    findings: list[Finding] = []
    for ad, violations, day in zip(ads, findings_of, days, strict=True):
        ids = _rule_ids_on(day, rule_ids, rulebooks)
        for v in violations:
            rule_id = ids.get(v.rule_code)
            if rule_id is None:  # the defaults were used (empty rulebook table): nothing to point at
                continue
            findings.append(
                Finding(
                    ad=ad,
                    rule_id=rule_id,
                    rule_version=v.rule_version,
                    article=v.article,
                    span_start=v.start,
                    span_end=v.end,
                    explanation=v.explanation,
                    severity=v.severity,
                )
            )
    Finding.objects.bulk_create(findings, batch_size=5000)
    result.created += len(ads)
    result.findings += len(findings)


# --- review ----------------------------------------------------------------------------------------

PRODUCT_DOMAINS = {
    "health_food": "food",
    "ordinary_food": "food",
    "drug": "drug",
    "medical_device": "medical_device",
    "elder_service": "elderly_care_service",
    "investment": "investment",
    "other": "other",
}
CATEGORIES = {"elder_service": "elderly_service", "investment": "project_investment"}


def review_finding(*, finding: Finding, actor: User, decision: str, note: str = "") -> Finding:
    """Confirm or reject a finding, with a note; a confirmed finding makes its ad a lead.

    The first confirmation of an ad creates the lead (channel ad monitoring, linked to the advertiser,
    the ad and the finding in the summary and as an attachment); later confirmations of the same ad add
    their finding to that lead as another attachment. Every decision is kept as a FindingReview and
    leaves an audit event on the finding.
    """
    from silvershield.ads.permissions import can_review_ads

    if not can_review_ads(actor):
        raise PermissionDenied("只有广告监测员可以审核广告违法线索")
    if decision not in Decision.values:
        raise InvalidInput("请选择确认或驳回", field="decision")
    note = (note or "").strip()
    if decision == Decision.REJECTED and not note:
        raise InvalidInput("驳回须写明理由（用于调整规则）", field="note")
    with transaction.atomic():
        locked = Finding.objects.select_for_update().select_related("ad", "rule").get(pk=finding.pk)
        if locked.state != FindingState.PENDING:
            raise StaleState("该条已由他人审核，请刷新页面")
        now = timezone.now()
        locked.state = decision
        locked.reviewed_by = actor
        locked.reviewed_at = now
        locked.review_note = note
        locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        FindingReview.objects.create(
            finding=locked,
            rule=locked.rule,
            rule_version=locked.rule_version,
            article=locked.article,
            excerpt=locked.excerpt,
            product_type=locked.ad.product_type,
            decision=decision,
            note=note,
            reviewed_by=actor,
            reviewed_at=now,
        )
        record_event(
            subject=locked,
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            transition="confirm" if decision == Decision.CONFIRMED else "reject",
            from_state=FindingState.PENDING,
            to_state=decision,
            reason=note,
        )
        if decision == Decision.CONFIRMED:
            _lead_for(ad=Ad.objects.select_for_update().get(pk=locked.ad_id), finding=locked, actor=actor)
    return locked


def _evidence(ad: Ad, finding: Finding) -> str:
    when = timezone.localtime(ad.published_at).strftime("%Y-%m-%d %H:%M") if ad.published_at else "不详"
    return (
        f"广告监测发现违法广告。媒介：{ad.get_medium_display()}；发布媒体：{ad.outlet or '不详'}；"
        f"发布时间：{when}；广告主：{ad.advertiser_name or '不详'}；产品：{ad.product_name or '不详'}"
        f"（{ad.get_product_type_display()}）。\n"
        f"违反：{finding.article}。原文“{finding.excerpt}”（第{finding.span_start + 1}至{finding.span_end}字）。"
        f"{finding.explanation}\n审核意见：{finding.review_note or '确认'}\n"
        f"广告原文：{ad.text}"
    )


def _lead_for(*, ad: Ad, finding: Finding, actor: User) -> None:
    from django.core.files.base import ContentFile

    from silvershield.leads.models import Attachment, Channel
    from silvershield.leads.services import create_lead

    evidence = _evidence(ad, finding)
    if ad.lead_id is None:
        lead = create_lead(
            actor=actor,
            bureau=ad.bureau,
            channel=Channel.AD_MONITORING,
            received_date=timezone.localdate(),
            summary=evidence[:4000],
            party_name=ad.advertiser_name,
            party_entity=ad.advertiser_entity,
            division=ad.division or ad.bureau.division,
            product_domain=PRODUCT_DOMAINS.get(ad.product_type, ""),
            category=CATEGORIES.get(ad.product_type, "product_sales"),
            external_ref=f"AD-{ad.pk}",
        )
        ad.lead = lead
        ad.save(update_fields=["lead"])
        record_event(
            subject=ad, actor=actor, action=AuditEvent.Action.UPDATE, changes={"lead": [None, lead.pk]}
        )
    else:
        lead = ad.lead
    content = evidence.encode("utf-8")
    attachment = Attachment(
        lead=lead,
        original_name=f"广告监测证据-广告{ad.pk}-{finding.article}.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=f"{finding.article}：{finding.excerpt}"[:200],
        uploaded_by=actor,
    )
    attachment.file.save(attachment.original_name, ContentFile(content), save=False)
    attachment.save()
