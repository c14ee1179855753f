"""The ad-monitoring API: ingest ads (checked as they arrive), read an ad with its findings, review one.

Scoping and writes are the pages': ads_visible_to / get_ad_for_user (404 outside reach), ads.services.
Rows are validated by the same code as file ingest, so an error names the row (1 = the first ad in the
list) and the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status

from silvershield.ads.ingest import canonical_header, clean_record
from silvershield.ads.permissions import can_review_ads
from silvershield.ads.queries import get_ad_for_user, get_finding_for_user
from silvershield.ads.services import ingest_ads, review_finding
from silvershield.core.api import BodyIn, error_responses, OutSchema
from silvershield.core.errors import PermissionDenied
from silvershield.core.models import User

router = Router(tags=["广告监测"])
MAX_ADS_PER_CALL = 5000


class AdIn(BodyIn):
    medium: str = Field(description="tv, radio, newspaper, outdoor, internet, live_stream, leaflet, lecture（或中文）")
    product_type: str = Field(
        description="health_food, ordinary_food, drug, medical_device, elder_service, investment, other"
    )
    text: str = Field(description="广告文本（转写或 OCR），不超过 20000 字")
    outlet: str = ""
    published_at: str | None = Field(None, description="2026-11-02 08:30 或 ISO 8601")
    advertiser: str = ""
    advertiser_uscc: str = ""
    product_name: str = ""
    approval_numbers: list[str] = []
    division: str = Field("", description="区划代码或名称；默认本局")


class IngestIn(BodyIn):
    ads: list[AdIn] = Field(..., max_length=MAX_ADS_PER_CALL)
    skip_bad: bool = Field(False, description="跳过有误的条目、导入其余；默认有一条有误即全部不导入")


class RowErrorOut(OutSchema):
    row: int
    field: str
    message: str


class IngestOut(OutSchema):
    batch_id: int
    rows: int
    created: int
    duplicates: int
    skipped: int
    findings: int
    errors: list[RowErrorOut]


class FindingOut(OutSchema):
    id: int
    article: str
    span: list[int]
    excerpt: str
    explanation: str
    severity: str
    state: str
    review_note: str


class AdOut(OutSchema):
    id: int
    medium: str
    outlet: str
    published_at: datetime | None
    advertiser: str
    advertiser_entity_id: int | None
    product_name: str
    product_type: str
    approval_numbers: list[str]
    division: str | None
    text: str
    lead_id: int | None
    findings: list[FindingOut]


class ReviewIn(BodyIn):
    decision: str = Field(description="confirmed 或 rejected")
    note: str = Field("", description="审核意见；驳回时必填")


def _ad_out(ad) -> dict[str, Any]:
    return {
        "id": ad.pk, "medium": ad.medium, "outlet": ad.outlet, "published_at": ad.published_at,
        "advertiser": ad.advertiser_name, "advertiser_entity_id": ad.advertiser_entity_id,
        "product_name": ad.product_name, "product_type": ad.product_type,
        "approval_numbers": ad.approval_numbers, "division": ad.division_id, "text": ad.text,
        "lead_id": ad.lead_id,
        "findings": [
            {"id": f.pk, "article": f.article, "span": [f.span_start, f.span_end],
             "excerpt": ad.text[f.span_start:f.span_end], "explanation": f.explanation, "severity": f.severity,
             "state": f.state, "review_note": f.review_note}
            for f in ad.findings.all()
        ],
    }


@router.post("/ads/ingest", response={201: IngestOut, **error_responses(400)})
def ingest(request: HttpRequest, payload: IngestIn) -> Status[dict[str, Any]]:
    """Record ads and check each; the same ad sent again is counted as a duplicate, not stored twice."""
    user: User = request.auth  # type: ignore[attr-defined]
    if not can_review_ads(user):
        raise PermissionDenied("只有广告监测员可以导入广告")
    rows = (
        clean_record({canonical_header(k): v for k, v in ad.dict().items()}, row=number)
        for number, ad in enumerate(payload.ads, start=1)
    )
    result = ingest_ads(rows=rows, actor=user, source="API", skip_bad=payload.skip_bad)
    return Status(
        201,
        {
            "batch_id": result.batch.pk, "rows": result.rows, "created": result.created,
            "duplicates": result.duplicates, "skipped": result.skipped, "findings": result.findings,
            "errors": [e.as_dict() for e in result.errors],
        },
    )


@router.get("/ads/{ad_id}", response={200: AdOut, **error_responses(404)})
def read_ad(request: HttpRequest, ad_id: int) -> dict[str, Any]:
    return _ad_out(get_ad_for_user(request.auth, ad_id))  # type: ignore[attr-defined]


@router.post("/ads/findings/{finding_id}/review", response={200: AdOut, **error_responses(400, 404, 409)})
def review(request: HttpRequest, finding_id: int, payload: ReviewIn) -> dict[str, Any]:
    """Confirm (the ad becomes a lead, channel ad monitoring) or reject (kept to tune the rulebook)."""
    user: User = request.auth  # type: ignore[attr-defined]
    finding = get_finding_for_user(user, finding_id)
    review_finding(finding=finding, actor=user, decision=payload.decision, note=payload.note)
    return _ad_out(get_ad_for_user(user, finding.ad_id))
