"""The cases API (案件): list, read, timeline and transitions of the ordinary procedure.

Cases are opened from leads (the lead transition `open_case`), so there is no "create" here. Reads go
through `cases_visible_to` / `get_case_for_user` (404 outside reach), writes through cases.workflow.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router

from silvershield.cases.models import Case, CaseState
from silvershield.cases.queries import cases_visible_to, get_case_for_user
from silvershield.cases.workflow import CASE_TRANSITIONS, available_case_transitions, run_case_transition
from silvershield.core.api import (
    BodyIn,
    decode_cursor,
    DEFAULT_PAGE_SIZE,
    division_ref,
    DivisionRef,
    encode_cursor,
    error_responses,
    event_refs,
    EventOut,
    Id,
    IsoDate,
    MAX_ID,
    MAX_PAGE_SIZE,
    NumberedRef,
    OutSchema,
    person_ref,
    PersonRef,
    QueryIn,
    transition_refs,
    TransitionOut,
    unit_ref,
    UnitRef,
)
from silvershield.core.models import User
from silvershield.leads.models import FraudCategory
from silvershield.leads.queries import leads_visible_to

router = Router(tags=["cases"])

CaseTransitionName = Enum(  # type: ignore[misc]
    "CaseTransitionName", {name: name for name in CASE_TRANSITIONS.by_name}, type=str
)
_TRANSITION_LABELS = {name: str(t.label) for name, t in CASE_TRANSITIONS.by_name.items()}
_STATE_LABELS = dict(CaseState.choices)


class CaseFilterIn(QueryIn):
    state: CaseState | None = None
    category: FraudCategory | None = None
    division: str | None = Field(None, max_length=6, description="行政区划代码")
    unit: Id | None = Field(None, description="承办单位 id")
    opened_from: IsoDate | None = None
    opened_to: IsoDate | None = None
    q: str | None = Field(None, max_length=100, description="按案件编号、案件名称或当事人检索")
    after: str | None = Field(None, max_length=200, description="上一页返回的 next 游标")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class CaseTransitionIn(BodyIn):
    name: CaseTransitionName  # type: ignore[valid-type]
    reason: str = Field("", max_length=2000)
    version: Id | None = Field(None, description="读取时的 version；已被他人修改时返回 409")
    decision: str | None = Field(None, max_length=5000, description="decide：处理决定")
    fine_amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="decide：罚款（元）"
    )
    execution_note: str | None = Field(None, max_length=5000, description="execute：执行情况")


class CaseListItemOut(OutSchema):
    id: int
    number: str
    version: int
    title: str
    state: str
    state_label: str
    party_name: str
    category: str
    bureau: UnitRef
    division: DivisionRef
    handling_unit: UnitRef
    opened_on: date
    due_date: date | None


class CaseOut(CaseListItemOut):
    party_entity_id: int | None
    officers: list[PersonRef]
    opened_by: PersonRef
    due_provisional: bool
    decision: str
    fine_amount: str | None = Field(description="元，字符串形式的十进制数")
    decided_at: datetime | None
    execution_note: str
    closed_at: datetime | None
    struck_off_at: datetime | None
    leads: list[NumberedRef] = Field(description="立案所依据的线索中您可以查看的")
    created_at: datetime
    updated_at: datetime
    available_transitions: list[TransitionOut]


class CasePageOut(OutSchema):
    items: list[CaseListItemOut]
    next: str | None


def case_list_item(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "version": case.version,
        "title": case.title,
        "state": case.state,
        "state_label": str(_STATE_LABELS.get(case.state, case.state)),
        "party_name": case.party_name,
        "category": case.category,
        "bureau": unit_ref(case.bureau),
        "division": division_ref(case.division),
        "handling_unit": unit_ref(case.handling_unit),
        "opened_on": case.opened_on,
        "due_date": case.due_date,
    }


def case_detail(case: Case, user: User) -> dict[str, Any]:
    leads = leads_visible_to(user).filter(case=case).order_by("pk")
    return {
        **case_list_item(case),
        "party_entity_id": case.party_entity_id,
        "officers": [person_ref(p) for p in case.officers.order_by("pk")],
        "opened_by": person_ref(case.opened_by),
        "due_provisional": case.due_provisional,
        "decision": case.decision,
        "fine_amount": str(case.fine_amount) if case.fine_amount is not None else None,
        "decided_at": case.decided_at,
        "execution_note": case.execution_note,
        "closed_at": case.closed_at,
        "struck_off_at": case.struck_off_at,
        "leads": [{"id": lead.pk, "number": lead.number} for lead in leads],
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "available_transitions": transition_refs(available_case_transitions(case, user)),
    }


def _filtered(queryset: QuerySet[Case], filters: CaseFilterIn) -> QuerySet[Case]:
    if filters.state:
        queryset = queryset.filter(state=filters.state.value)
    if filters.category:
        queryset = queryset.filter(category=filters.category.value)
    if filters.division:
        queryset = queryset.filter(division_id=filters.division)
    if filters.unit:
        queryset = queryset.filter(handling_unit_id=filters.unit)
    if filters.opened_from:
        queryset = queryset.filter(opened_on__gte=filters.opened_from)
    if filters.opened_to:
        queryset = queryset.filter(opened_on__lte=filters.opened_to)
    text = (filters.q or "").strip()
    if text:
        queryset = queryset.filter(
            Q(number__icontains=text) | Q(title__icontains=text) | Q(party_name__icontains=text)
        )
    return queryset


@router.get("/cases", response={200: CasePageOut, **error_responses(400)})
def list_cases(request: HttpRequest, filters: Query[CaseFilterIn]) -> dict[str, Any]:
    """The cases the person may see, newest first, by keyset (opened_on, id)."""
    user: User = request.auth  # type: ignore[attr-defined]
    queryset = _filtered(cases_visible_to(user), filters).order_by("-opened_on", "-id")
    after = decode_cursor(filters.after, kind=date)
    if after is not None:
        queryset = queryset.filter(Q(opened_on__lt=after[0]) | Q(opened_on=after[0], id__lt=after[1]))
    rows = list(queryset[: filters.limit + 1])
    next_key = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        next_key = (rows[-1].opened_on, rows[-1].pk)
    return {"items": [case_list_item(case) for case in rows], "next": encode_cursor(next_key)}


@router.get("/cases/{case_id}", response={200: CaseOut, **error_responses(404)})
def read_case(request: HttpRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One case, with its `version` and the transitions you may take."""
    user: User = request.auth  # type: ignore[attr-defined]
    return case_detail(get_case_for_user(user, case_id), user)


@router.get("/cases/{case_id}/events", response={200: list[EventOut], **error_responses(404)})
def case_events(request: HttpRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict[str, Any]]:
    """The case's timeline."""
    user: User = request.auth  # type: ignore[attr-defined]
    return event_refs(get_case_for_user(user, case_id), transition_labels=_TRANSITION_LABELS)


@router.post("/cases/{case_id}/transitions", response={200: CaseOut, **error_responses(400, 404, 409)})
def take_case_transition(
    request: HttpRequest, payload: CaseTransitionIn, case_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Take a transition of the ordinary procedure; 409 when `version` is stale, nothing written on error."""
    user: User = request.auth  # type: ignore[attr-defined]
    case = get_case_for_user(user, case_id)
    params = payload.dict(exclude_none=True, exclude={"name", "reason", "version"})
    run_case_transition(
        case=case,
        name=payload.name.value,
        actor=user,
        reason=payload.reason,
        params=params,
        expected_version=payload.version,
    )
    return case_detail(get_case_for_user(user, case_id), user)
