"""The leads API (线索台账): list and filter the ledger, receive, correct, read, and take transitions.

Every read goes through `leads_visible_to` / `get_lead_for_user` (404 outside the person's reach),
every write through leads.services or leads.workflow. The reporter's identity may be written here but
is never part of any answer (DOMAIN.md C.2, 暂行办法 Art. 33): revealing it is a logged act of the page.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

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
    text_or_blank,
    transition_refs,
    TransitionOut,
    unit_ref,
    UnitRef,
)
from silvershield.core.errors import InvalidInput, PermissionDenied
from silvershield.core.models import Role, User
from silvershield.entities.linking import find_entity_candidates
from silvershield.entities.models import Entity
from silvershield.entities.queries import entities_visible_to, entity_divisions_visible_to
from silvershield.leads.duplicates import find_duplicates
from silvershield.leads.models import (
    Channel,
    FraudCategory,
    Lead,
    LeadState,
    Outcome,
    Priority,
    ProductDomain,
)
from silvershield.leads.queries import (
    LedgerFilter,
    filter_ledger,
    get_lead_for_user,
    leads_visible_to,
    ledger_page,
)
from silvershield.leads.services import create_lead, update_lead
from silvershield.leads.workflow import LEAD_TRANSITIONS, available_lead_transitions, run_lead_transition

router = Router(tags=["leads"])

# Who receives leads into the ledger: the legal officer, and the 12315 operator on a caller's behalf
# (the same roles the "new lead" page offers the form to).
LEAD_ENTERING_ROLES = frozenset({Role.LEGAL_OFFICER, Role.HOTLINE_OPERATOR})

LeadTransitionName = Enum(  # type: ignore[misc]
    "LeadTransitionName", {name: name for name in LEAD_TRANSITIONS.by_name}, type=str
)
_TRANSITION_LABELS = {name: str(t.label) for name, t in LEAD_TRANSITIONS.by_name.items()}
_STATE_LABELS = dict(LeadState.choices)


# --- inputs ------------------------------------------------------------------------------------------


class LeadFilterIn(QueryIn):
    channel: Channel | None = None
    category: FraudCategory | None = None
    division: str | None = Field(None, max_length=6, description="行政区划代码，如 150402")
    unit: Id | None = Field(None, description="承办单位 id")
    state: LeadState | None = None
    received_from: IsoDate | None = None
    received_to: IsoDate | None = None
    q: str | None = Field(None, max_length=100, description="按编号、当事人或事实摘要检索")
    after: str | None = Field(None, max_length=200, description="上一页返回的 next 游标")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class _LeadFields(BodyIn):
    sender: str | None = Field(None, max_length=100)
    category: FraudCategory | None = None
    product_domain: ProductDomain | None = None
    party_name: str | None = Field(None, max_length=200)
    party_uscc: str | None = Field(
        None,
        max_length=30,
        description="当事人统一社会信用代码：关联辖区内已登记的市场主体；空串或 null 取消关联",
    )
    party_address: str | None = Field(None, max_length=200)
    reporter_is_named: bool | None = None
    reporter_name: str | None = Field(None, max_length=50, description="只写：任何答复中都不返回")
    reporter_phone: str | None = Field(None, max_length=30, description="只写：任何答复中都不返回")
    reporter_id_number: str | None = Field(None, max_length=30, description="只写：任何答复中都不返回")
    victim_age: int | None = Field(None, ge=1, le=129)
    loss_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    suggested_handling: str | None = Field(None, max_length=5000)


class LeadCreateIn(_LeadFields):
    channel: Channel
    received_date: IsoDate
    summary: str = Field(max_length=20000)
    division: str = Field(max_length=6, description="行政区划代码，须在本局辖区内")


class LeadUpdateIn(_LeadFields):
    channel: Channel | None = None
    received_date: IsoDate | None = None
    summary: str | None = Field(None, max_length=20000)
    division: str | None = Field(None, max_length=6)


class LeadTransitionIn(BodyIn):
    name: LeadTransitionName  # type: ignore[valid-type]
    reason: str = Field("", max_length=2000)
    version: Id | None = Field(None, description="读取时的 version；已被他人修改时返回 409")
    category: FraudCategory | None = Field(None, description="screen")
    priority: Priority | None = Field(None, description="screen")
    handling_unit: Id | None = Field(None, description="dispatch：承办单位 id")
    assignees: list[Id] | None = Field(None, max_length=20, description="dispatch：核查人员 id")
    outcome: Outcome | None = Field(None, description="conclude")
    result: str | None = Field(None, max_length=5000, description="conclude / open_case")
    title: str | None = Field(None, max_length=200, description="open_case：案件名称")
    merged_into: Id | None = Field(None, description="merge：并入的线索 id")


# --- outputs -----------------------------------------------------------------------------------------


class EntityRef(OutSchema):
    id: int
    uscc: str
    name: str


class LeadListItemOut(OutSchema):
    id: int
    number: str | None
    version: int
    state: str
    state_label: str
    channel: str
    received_date: date
    category: str
    priority: str
    party_name: str
    summary: str
    bureau: UnitRef
    division: DivisionRef
    handling_unit: UnitRef | None
    due_date: date | None


class LeadOut(LeadListItemOut):
    sender: str
    product_domain: str
    party_entity: EntityRef | None
    party_address: str
    reporter_is_named: bool
    victim_age: int | None
    loss_amount: str | None = Field(description="元，字符串形式的十进制数")
    suggested_handling: str
    registered_at: datetime | None
    due_provisional: bool
    assignees: list[PersonRef]
    dispatched_at: datetime | None
    outcome: str
    result: str
    concluded_at: datetime | None
    struck_off_at: datetime | None
    merged_into: NumberedRef | None
    case: NumberedRef | None
    created_at: datetime
    updated_at: datetime
    available_transitions: list[TransitionOut]


class DuplicateOut(OutSchema):
    id: int
    number: str | None
    received_date: date
    state: str
    score: int = Field(description="0–100")
    reasons: list[str]


class EntityCandidateOut(OutSchema):
    id: int
    uscc: str
    name: str
    score: int = Field(description="0–100")
    reasons: list[str]


class LeadReceivedOut(LeadOut):
    category_confidence: float | None
    duplicates: list[DuplicateOut] = Field(description="疑似重复线索（同一举报人、同一当事人、事实相似），附理由")
    entity_candidates: list[EntityCandidateOut] = Field(description="当事人可能对应的市场主体，按可能性排序，附理由")


class LeadPageOut(OutSchema):
    items: list[LeadListItemOut]
    next: str | None = Field(description="下一页的 after 游标；没有下一页时为 null")


def _entity_ref(entity: Entity | None) -> dict[str, Any] | None:
    return {"id": entity.pk, "uscc": entity.uscc, "name": entity.name} if entity is not None else None


def lead_list_item(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "number": lead.number,
        "version": lead.version,
        "state": lead.state,
        "state_label": str(_STATE_LABELS.get(lead.state, lead.state)),
        "channel": lead.channel,
        "received_date": lead.received_date,
        "category": lead.category,
        "priority": lead.priority,
        "party_name": lead.party_name,
        "summary": lead.summary,
        "bureau": unit_ref(lead.bureau),
        "division": division_ref(lead.division),
        "handling_unit": unit_ref(lead.handling_unit),
        "due_date": lead.due_date,
    }


def lead_detail(lead: Lead, user: User, *, new: bool = False) -> dict[str, Any]:
    """Everything about the lead the person may see — and nothing of the reporter's identity.
    `new`: created in this request, so it has no assignees to look up."""
    merged_into = lead.merged_into
    case = lead.case
    return {
        **lead_list_item(lead),
        "sender": lead.sender,
        "product_domain": lead.product_domain,
        "party_entity": _entity_ref(lead.party_entity),
        "party_address": lead.party_address,
        "reporter_is_named": lead.reporter_is_named,
        "victim_age": lead.victim_age,
        "loss_amount": str(lead.loss_amount) if lead.loss_amount is not None else None,
        "suggested_handling": lead.suggested_handling,
        "registered_at": lead.registered_at,
        "due_provisional": lead.due_provisional,
        "assignees": [] if new else [person_ref(p) for p in lead.assignees.order_by("pk")],
        "dispatched_at": lead.dispatched_at,
        "outcome": lead.outcome,
        "result": lead.result,
        "concluded_at": lead.concluded_at,
        "struck_off_at": lead.struck_off_at,
        "merged_into": {"id": merged_into.pk, "number": merged_into.number} if merged_into else None,
        "case": {"id": case.pk, "number": case.number} if case else None,
        "created_at": lead.created_at,
        "updated_at": lead.updated_at,
        "available_transitions": transition_refs(available_lead_transitions(lead, user)),
    }


def _service_fields(payload: _LeadFields, user: User) -> dict[str, Any]:
    """The fields the client sent, in the shape leads.services expects."""
    data = payload.dict(exclude_unset=True)
    for name in ("channel", "category", "product_domain"):
        if name in data:
            data[name] = data[name].value if data[name] is not None else ""
    for name in (
        "sender",
        "party_name",
        "party_address",
        "suggested_handling",
        "summary",
        "reporter_name",
        "reporter_phone",
        "reporter_id_number",
    ):
        if name in data:
            data[name] = text_or_blank(data[name])
    if "reporter_is_named" in data:
        data["reporter_is_named"] = bool(data["reporter_is_named"])
    if "party_uscc" in data:
        uscc = (data.pop("party_uscc") or "").strip()
        entity = entities_visible_to(user).filter(uscc=uscc.upper()).first() if uscc else None
        if uscc and entity is None:
            raise InvalidInput("辖区内没有以此统一社会信用代码登记的市场主体", field="party_uscc")
        data["party_entity"] = entity
    return data


def _transition_params(payload: LeadTransitionIn) -> dict[str, Any]:
    params = payload.dict(exclude_none=True, exclude={"name", "reason", "version"})
    for name in ("category", "priority", "outcome"):
        if name in params:
            params[name] = params[name].value
    return params


# --- endpoints ---------------------------------------------------------------------------------------


@router.get("/leads", response={200: LeadPageOut, **error_responses(400)})
def list_leads(request: HttpRequest, filters: Query[LeadFilterIn]) -> dict[str, Any]:
    """The ledger, newest first, by keyset: pass `next` back as `after` for the following page."""
    user: User = request.auth  # type: ignore[attr-defined]
    ledger_filter = LedgerFilter(
        channel=filters.channel.value if filters.channel else "",
        category=filters.category.value if filters.category else "",
        division=filters.division or "",
        unit=filters.unit,
        state=filters.state.value if filters.state else "",
        received_from=filters.received_from,
        received_to=filters.received_to,
        text=filters.q or "",
    )
    queryset = filter_ledger(leads_visible_to(user), ledger_filter, user=user)
    rows, next_key = ledger_page(queryset, after=decode_cursor(filters.after, kind=date), size=filters.limit)
    return {"items": [lead_list_item(lead) for lead in rows], "next": encode_cursor(next_key)}


@router.post("/leads", response={201: LeadReceivedOut, **error_responses(400)})
def receive_lead(request: HttpRequest, payload: LeadCreateIn) -> Status[dict[str, Any]]:
    """Receive a lead into the ledger of the person's bureau (state "received"; register it next)."""
    user: User = request.auth  # type: ignore[attr-defined]
    if user.role not in LEAD_ENTERING_ROLES:
        raise PermissionDenied("只有法制员和 12315 话务员可以录入线索")
    lead = create_lead(actor=user, **_service_fields(payload, user))
    # The person just created it in their own bureau's ledger: no need to read it back to check reach.
    return Status(201, {**lead_detail(lead, user, new=True), **registration_checks(lead, user, new=True)})


def registration_checks(lead: Lead, user: User, *, new: bool = False) -> dict[str, Any]:
    """What the officer checks at registration: likely duplicates and the party's entity candidates.
    `new`: the lead was created in this request, so no duplicate pair can have been dismissed yet."""
    duplicates = find_duplicates(lead, user=user, limit=5, new=new)
    candidates = (
        find_entity_candidates(
            name=lead.party_name, address=lead.party_address, divisions=entity_divisions_visible_to(user), limit=5
        )
        if (lead.party_name or lead.party_address) and not lead.party_entity_id
        else []
    )
    return {
        "category_confidence": lead.category_confidence,
        "duplicates": [
            {"id": d.lead.pk, "number": d.lead.number, "received_date": d.lead.received_date,
             "state": d.lead.state, "score": d.score, "reasons": d.reasons}
            for d in duplicates
        ],
        "entity_candidates": [
            {"id": c.entity.pk, "uscc": c.entity.uscc, "name": c.entity.name, "score": c.score, "reasons": c.reasons}
            for c in candidates
        ],
    }


class RegistrationChecksOut(OutSchema):
    category_confidence: float | None
    duplicates: list[DuplicateOut]
    entity_candidates: list[EntityCandidateOut]


@router.get("/leads/{lead_id}/checks", response={200: RegistrationChecksOut, **error_responses(404)})
def lead_checks(request: HttpRequest, lead_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Likely duplicates and entity candidates of a lead, each with its reasons (as at registration)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return registration_checks(get_lead_for_user(user, lead_id), user)


@router.get("/leads/{lead_id}", response={200: LeadOut, **error_responses(404)})
def read_lead(request: HttpRequest, lead_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One lead, with its `version` (send it back with a transition) and the transitions you may take."""
    user: User = request.auth  # type: ignore[attr-defined]
    return lead_detail(get_lead_for_user(user, lead_id), user)


@router.patch("/leads/{lead_id}", response={200: LeadOut, **error_responses(400, 404)})
def correct_lead(
    request: HttpRequest, payload: LeadUpdateIn, lead_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Correct the registration data (the legal officer, before dispatch); only the fields sent change."""
    user: User = request.auth  # type: ignore[attr-defined]
    lead = get_lead_for_user(user, lead_id)
    update_lead(lead=lead, actor=user, **_service_fields(payload, user))
    return lead_detail(get_lead_for_user(user, lead_id), user)


@router.get("/leads/{lead_id}/events", response={200: list[EventOut], **error_responses(404)})
def lead_events(request: HttpRequest, lead_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict[str, Any]]:
    """The lead's timeline: who did what, when, from which state to which, and why."""
    user: User = request.auth  # type: ignore[attr-defined]
    return event_refs(get_lead_for_user(user, lead_id), transition_labels=_TRANSITION_LABELS)


@router.post("/leads/{lead_id}/transitions", response={200: LeadOut, **error_responses(400, 404, 409)})
def take_lead_transition(
    request: HttpRequest, payload: LeadTransitionIn, lead_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Take a transition (register, screen, dispatch, …). With `version`, a lead changed since you read it
    answers 409 and nothing is written; a transition the state or your role does not allow answers
    400 or 403, also without writing anything."""
    user: User = request.auth  # type: ignore[attr-defined]
    lead = get_lead_for_user(user, lead_id)
    run_lead_transition(
        lead=lead,
        name=payload.name.value,
        actor=user,
        reason=payload.reason,
        params=_transition_params(payload),
        expected_version=payload.version,
    )
    return lead_detail(get_lead_for_user(user, lead_id), user)
