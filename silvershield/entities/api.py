"""The market-entity registry API (市场主体): search, read, register and correct entities; list and
record inspections.

Reads go through `entities_visible_to` / `get_entity_for_user` (the divisions the person's bureau
reaches; 404 outside them); writes through entities.services, which validates the credit code with the
GB 32100 rules (core/identifiers.py) and audits every change.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Status

from silvershield.core.api import (
    BodyIn,
    decode_cursor,
    DEFAULT_PAGE_SIZE,
    division_ref,
    DivisionRef,
    encode_cursor,
    error_responses,
    Id,
    IsoDate,
    MAX_ID,
    MAX_PAGE_SIZE,
    OutSchema,
    QueryIn,
    text_or_blank,
)
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.models import Role, User
from silvershield.core.queries import reachable_division_codes
from silvershield.entities.inspections import (
    can_record_inspection,
    filter_inspections,
    inspections_visible_to,
)
from silvershield.entities.models import Entity, EntityStatus, Inspection, InspectionResult
from silvershield.entities.queries import entities_visible_to, get_entity_for_user, search_entities
from silvershield.entities.services import create_entity, record_inspection, update_entity

router = Router(tags=["entities"])

# Who keeps the registry: the registration section (登记注册科), and the legal officer, who may need to
# add the party of a lead that the import has not brought in yet.
ENTITY_KEEPING_ROLES = frozenset({Role.REGISTRATION_SECTION, Role.LEGAL_OFFICER})


class EntityFilterIn(QueryIn):
    q: str | None = Field(None, max_length=100, description="名称、统一社会信用代码、法定代表人或拼音首字母")
    division: str | None = Field(None, max_length=6, description="行政区划代码")
    status: EntityStatus | None = None
    elderly_related: bool | None = Field(None, description="只看（或排除）涉老市场主体")
    after: str | None = Field(None, max_length=400, description="上一页返回的 next 游标")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class _EntityFields(BodyIn):
    legal_representative: str | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=30)
    business_scope: str | None = Field(None, max_length=5000)
    status: EntityStatus | None = None
    registration_date: IsoDate | None = None
    is_elderly_related: bool | None = None


class EntityCreateIn(_EntityFields):
    # Not limited to 18 characters here: full-width characters, spaces and dashes are normalised away
    # first, and the registry's own check names what is wrong with a code (400, field "uscc").
    uscc: str = Field(max_length=60, description="统一社会信用代码（GB 32100，18位；全角字符可自动转换）")
    name: str = Field(max_length=200)
    division: str = Field(max_length=6, description="行政区划代码，须在本局辖区内")


class EntityUpdateIn(_EntityFields):
    uscc: str | None = Field(None, max_length=60)
    name: str | None = Field(None, max_length=200)
    division: str | None = Field(None, max_length=6)


class EntityOut(OutSchema):
    id: int
    uscc: str
    name: str
    legal_representative: str
    address: str
    phone: str
    division: DivisionRef
    business_scope: str
    status: str
    status_label: str
    registration_date: date | None
    is_elderly_related: bool
    elderly_category: str
    elderly_keywords: str
    risk_tier: str
    risk_score: float | None
    risk_factors: list[dict]
    created_at: datetime
    updated_at: datetime


class EntityPageOut(OutSchema):
    items: list[EntityOut]
    next: str | None


def entity_out(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.pk,
        "uscc": entity.uscc,
        "name": entity.name,
        "legal_representative": entity.legal_representative,
        "address": entity.address,
        "phone": entity.phone,
        "division": division_ref(entity.division),
        "business_scope": entity.business_scope,
        "status": entity.status,
        "status_label": str(entity.get_status_display()),
        "registration_date": entity.registration_date,
        "is_elderly_related": entity.is_elderly_related,
        "elderly_category": entity.elderly_category,
        "elderly_keywords": entity.elderly_keywords,
        "risk_tier": entity.risk_tier,
        "risk_score": float(entity.risk_score) if entity.risk_score is not None else None,
        "risk_factors": entity.risk_factors or [],
        "created_at": entity.created_at,
        "updated_at": entity.updated_at,
    }


def _require_keeper(user: User) -> None:
    if user.role not in ENTITY_KEEPING_ROLES:
        raise PermissionDenied("只有登记注册科和法制员可以登记或修改市场主体")


def _service_fields(payload: _EntityFields, user: User) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    for name in ("legal_representative", "address", "phone", "business_scope", "uscc", "name"):
        if name in data:
            data[name] = text_or_blank(data[name])
    if "status" in data:
        status = data.pop("status")
        if status is not None:  # null means "leave as it is": every entity has a status
            data["status"] = status.value
    if "is_elderly_related" in data:
        data["is_elderly_related"] = bool(data["is_elderly_related"])
    if "division" in data and data["division"] not in reachable_division_codes(user):
        # A bureau keeps the registry of its own divisions only; the registry itself knows no bureaus.
        raise InvalidInput("行政区划不存在或不在本局辖区", field="division")
    return data


@router.get("/entities", response={200: EntityPageOut, **error_responses(400)})
def list_entities(request: HttpRequest, filters: Query[EntityFilterIn]) -> dict[str, Any]:
    """Registered entities in the person's divisions, by name, keyset-paginated."""
    user: User = request.auth  # type: ignore[attr-defined]
    queryset = search_entities(entities_visible_to(user), filters.q or "")
    if filters.division:
        queryset = queryset.filter(division_id=filters.division)
    if filters.status:
        queryset = queryset.filter(status=filters.status.value)
    if filters.elderly_related is not None:
        queryset = queryset.filter(is_elderly_related=filters.elderly_related)
    queryset = queryset.order_by("name", "id")
    after = decode_cursor(filters.after, kind=str)
    if after is not None:
        queryset = queryset.filter(Q(name__gt=after[0]) | Q(name=after[0], id__gt=after[1]))
    rows = list(queryset[: filters.limit + 1])
    next_key = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        next_key = (rows[-1].name, rows[-1].pk)
    return {"items": [entity_out(e) for e in rows], "next": encode_cursor(next_key)}


@router.get("/entities/{entity_id}", response={200: EntityOut, **error_responses(404)})
def read_entity(request: HttpRequest, entity_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return entity_out(get_entity_for_user(user, entity_id))


@router.post("/entities", response={201: EntityOut, **error_responses(400)})
def register_entity(request: HttpRequest, payload: EntityCreateIn) -> Status[dict[str, Any]]:
    """Register an entity. An invalid or already registered credit code answers 400 with field "uscc"."""
    user: User = request.auth  # type: ignore[attr-defined]
    _require_keeper(user)
    entity = create_entity(actor=user, **_service_fields(payload, user))
    return Status(201, entity_out(get_entity_for_user(user, entity.pk)))


@router.patch("/entities/{entity_id}", response={200: EntityOut, **error_responses(400, 404)})
def correct_entity(
    request: HttpRequest, payload: EntityUpdateIn, entity_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Correct an entity's registration data; only the fields sent change."""
    user: User = request.auth  # type: ignore[attr-defined]
    entity = get_entity_for_user(user, entity_id)
    _require_keeper(user)
    update_entity(entity=entity, actor=user, **_service_fields(payload, user))
    return entity_out(get_entity_for_user(user, entity_id))


class GateAlertOut(OutSchema):
    id: int
    kind: str
    state: str
    entity_id: int
    entity_name: str
    open_leads: int
    open_cases: int
    unpaid_penalties: int
    origin: str
    created_at: datetime


@router.get("/entity-alerts", response={200: list[GateAlertOut]})
def list_gate_alerts(request: HttpRequest) -> list[dict[str, Any]]:
    """Open gate alerts (deregistration with open matters, first visits) the person may see, newest first."""
    from silvershield.entities.gates import open_gate_alerts

    user: User = request.auth  # type: ignore[attr-defined]
    return [
        {
            "id": a.pk, "kind": a.kind, "state": a.state, "entity_id": a.entity_id, "entity_name": a.entity.name,
            "open_leads": a.open_leads, "open_cases": a.open_cases, "unpaid_penalties": a.unpaid_penalties,
            "origin": a.origin, "created_at": a.created_at,
        }
        for a in open_gate_alerts(user)[:200]
    ]


# --- inspections -------------------------------------------------------------------------------------


class InspectionFilterIn(QueryIn):
    division: str | None = Field(None, max_length=6, description="行政区划代码")
    date_from: IsoDate | None = Field(None, description="检查日期起（含）")
    date_to: IsoDate | None = Field(None, description="检查日期止（含）")
    result: InspectionResult | None = None
    first_visit: bool | None = Field(None, description="只看（或排除）首次走访")
    entity: Id | None = Field(None, description="市场主体 id")
    officer: Id | None = Field(None, description="检查人员 id（参加检查的人员之一）")
    after: str | None = Field(None, max_length=400, description="上一页返回的 next 游标")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class InspectionIn(BodyIn):
    inspected_on: IsoDate
    result: InspectionResult
    officers: list[Id] | None = Field(
        None, max_length=20, description="检查人员 id，第一位为主检人；省略时为本人"
    )
    note: str = Field("", max_length=5000, description="检查情况；发现问题的必填")
    hazards: list[Annotated[str, Field(max_length=2000)]] = Field(
        [], max_length=50, description="发现的风险隐患，每项记入风险隐患台账"
    )
    rectify_by: IsoDate | None = Field(None, description="整改期限")


class InspectedEntityOut(OutSchema):
    id: int
    uscc: str
    name: str


class InspectionOut(OutSchema):
    id: int
    entity: InspectedEntityOut
    division: DivisionRef
    inspected_on: date
    result: str
    result_label: str
    note: str
    officers: list[str] = Field(description="检查人员姓名，主检人在前")
    first_visit: bool = Field(description="该次检查是否办结了首次走访提醒")
    created_at: datetime


class InspectionPageOut(OutSchema):
    items: list[InspectionOut]
    next: str | None


def _inspections_out(rows: list[Inspection]) -> list[dict[str, Any]]:
    return [
        {
            "id": i.pk, "entity": {"id": i.entity_id, "uscc": i.entity.uscc, "name": i.entity.name},
            "division": division_ref(i.entity.division), "inspected_on": i.inspected_on, "result": i.result,
            "result_label": str(i.get_result_display()), "note": i.note, "officers": i.officer_names,
            "first_visit": bool(i.is_first_visit), "created_at": i.created_at,
        }
        for i in rows
    ]


@router.get("/inspections", response={200: InspectionPageOut, **error_responses(400)}, tags=["inspections"])
def list_inspections(request: HttpRequest, filters: Query[InspectionFilterIn]) -> dict[str, Any]:
    """Inspections of the entities in the person's divisions, newest first, keyset-paginated."""
    user: User = request.auth  # type: ignore[attr-defined]
    queryset = filter_inspections(
        inspections_visible_to(user), division=filters.division or "", date_from=filters.date_from,
        date_to=filters.date_to, result=filters.result.value if filters.result else "",
        first_visit=filters.first_visit, entity=filters.entity, officer=filters.officer,
    )
    after = decode_cursor(filters.after, kind=date)
    if after is not None:
        queryset = queryset.filter(Q(inspected_on__lt=after[0]) | Q(inspected_on=after[0], id__lt=after[1]))
    rows = list(queryset[: filters.limit + 1])
    next_key = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        next_key = (rows[-1].inspected_on, rows[-1].pk)
    return {"items": _inspections_out(rows), "next": encode_cursor(next_key)}


@router.post(
    "/entities/{entity_id}/inspections", response={201: InspectionOut, **error_responses(400, 404)},
    tags=["inspections"],
)
def create_inspection(
    request: HttpRequest, payload: InspectionIn, entity_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    """Record an inspection or first visit (the same service as the page): resolves the entity's
    first-visit flag; each of `hazards` becomes a hazard-ledger item due by `rectify_by`."""
    user: User = request.auth  # type: ignore[attr-defined]
    entity = get_entity_for_user(user, entity_id)
    if not can_record_inspection(user, entity):
        raise PermissionDenied("只有辖区内的执法人员、单位负责人或登记注册科可以登记检查")
    officers = None
    if payload.officers is not None:
        found = {u.pk: u for u in User.objects.filter(pk__in=payload.officers)}
        missing = [pk for pk in payload.officers if pk not in found]
        if missing:
            raise InvalidInput(f"检查人员 {missing[0]} 不存在", field="officers")
        officers = [found[pk] for pk in payload.officers]
    inspection = record_inspection(
        entity=entity, actor=user, inspected_on=payload.inspected_on, result=payload.result.value,
        note=payload.note, officers=officers, hazards=payload.hazards, rectify_by=payload.rectify_by,
    )
    return Status(201, _inspections_out([inspections_visible_to(user).get(pk=inspection.pk)])[0])
