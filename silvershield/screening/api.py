"""The screening-meeting API (集中筛查会): list meetings, read one with its agenda and decisions, record a
decision on a lead, and carry the meeting out.

Reads go through `meetings_visible_to` / `get_meeting_for_user` and `get_lead_for_user` (404 outside the
person's bureau); writes through screening.services — the same functions the meeting page calls — so a
lead already decided elsewhere answers 409, and carrying out is all or nothing.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
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
    MAX_ID,
    MAX_PAGE_SIZE,
    NumberedRef,
    OutSchema,
    person_ref,
    PersonRef,
    QueryIn,
    unit_ref,
    UnitRef,
)
from silvershield.core.errors import InvalidInput
from silvershield.core.models import OrgUnit, User
from silvershield.leads.models import FraudCategory, Lead, Priority
from silvershield.leads.queries import get_lead_for_user, leads_visible_to
from silvershield.screening import services
from silvershield.screening.agenda import build_agenda
from silvershield.screening.models import Decision, DecisionKind, Meeting, MeetingState
from silvershield.screening.permissions import can_decide, can_open_meeting
from silvershield.screening.queries import get_meeting_for_user, meetings_visible_to
from silvershield.screening.rules import GROUP_LABELS, Recommender

router = Router(tags=["screening"])

_DECISION_RELATED = ("lead", "handling_unit", "merged_into", "decided_by")


# --- inputs ------------------------------------------------------------------------------------------


class MeetingFilterIn(QueryIn):
    state: MeetingState | None = None
    after: str | None = Field(None, max_length=200, description="上一页返回的 next 游标")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class DecisionIn(BodyIn):
    kind: DecisionKind
    reasons: str = Field(max_length=5000, description="决定理由；不予处理须写明依据")
    category: FraudCategory | None = Field(None, description="确认的诈骗类别；省略时沿用线索的类别")
    priority: Priority | None = None
    handling_unit: Id | None = Field(None, description="dispatch：承办单位 id")
    verifiers: list[Id] = Field([], max_length=20, description="dispatch：核查人员 id（持执法证件）")
    may_become_case: bool = Field(True, description="dispatch：可能立案的须两名以上核查人员")
    merged_into: Id | None = Field(None, description="merge：并入的线索 id")
    transfer_department: str = Field("", max_length=100, description="transfer：移送的部门")
    version: Id | None = Field(
        None, description="修改已记录的决定时带上读取时的 version；已被他人修改返回 409"
    )


class CarryOutIn(BodyIn):
    version: Id | None = Field(None, description="读取会议时的 version；会议已被他人修改或执行时返回 409")


# --- outputs -----------------------------------------------------------------------------------------


class MeetingListItemOut(OutSchema):
    id: int
    bureau: UnitRef
    held_on: date
    state: str
    state_label: str
    version: int
    chair: PersonRef
    decisions: int = Field(description="已记录的决定数")
    carried_out_at: datetime | None


class MeetingPageOut(OutSchema):
    items: list[MeetingListItemOut]
    next: str | None = Field(description="下一页的 after 游标；没有下一页时为 null")


class AgendaLeadOut(OutSchema):
    id: int
    number: str | None
    party_name: str
    category: str
    division: DivisionRef
    received_date: date
    due_date: date | None
    state: str


class OfficerOptionOut(OutSchema):
    id: int
    name: str
    reasons: list[str]


class RecommendationOut(OutSchema):
    unit: UnitRef | None
    priority: str
    reasons: list[str]
    notes: list[str]
    officers: list[OfficerOptionOut] = Field(description="推荐的核查人员（已排除回避、请假人员），附理由")
    excluded: list[str]


class AgendaItemOut(OutSchema):
    lead: AgendaLeadOut
    group: str
    group_label: str
    due_soon: bool = Field(description="核查期限在会议窗口内到期")
    recommendation: RecommendationOut
    decision_id: int | None


class DecisionOut(OutSchema):
    id: int
    lead: NumberedRef
    meeting_id: int | None
    kind: str
    kind_label: str
    priority: str
    category: str
    handling_unit: UnitRef | None
    verifiers: list[PersonRef]
    may_become_case: bool
    merged_into: NumberedRef | None
    transfer_department: str
    reasons: str
    decided_by: PersonRef
    decided_at: datetime
    version: int
    carried_out_at: datetime | None
    carry_out_note: str


class MeetingOut(MeetingListItemOut):
    attendees: list[PersonRef]
    outside_attendees: list[str]
    due_window_days: int
    notes: str
    can_decide: bool
    can_carry_out: bool
    agenda: list[AgendaItemOut] = Field(description="会议进行中时的议程（线索与推荐）；会议结束后为空")
    decisions: list[DecisionOut]


# --- shaping -----------------------------------------------------------------------------------------


def _meeting_item(meeting: Meeting, decisions: int) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "bureau": unit_ref(meeting.bureau),
        "held_on": meeting.held_on,
        "state": meeting.state,
        "state_label": str(meeting.get_state_display()),
        "version": meeting.version,
        "chair": person_ref(meeting.chair),
        "decisions": decisions,
        "carried_out_at": meeting.carried_out_at,
    }


def _numbered(lead: Lead | None) -> dict[str, Any] | None:
    return {"id": lead.pk, "number": lead.number} if lead is not None else None


def decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "lead": _numbered(decision.lead),
        "meeting_id": decision.meeting_id,
        "kind": decision.kind,
        "kind_label": str(decision.get_kind_display()),
        "priority": decision.priority,
        "category": decision.category,
        "handling_unit": unit_ref(decision.handling_unit),
        "verifiers": [person_ref(p) for p in decision.verifiers.all()],
        "may_become_case": decision.may_become_case,
        "merged_into": _numbered(decision.merged_into),
        "transfer_department": decision.transfer_department,
        "reasons": decision.reasons,
        "decided_by": person_ref(decision.decided_by),
        "decided_at": decision.decided_at,
        "version": decision.version,
        "carried_out_at": decision.carried_out_at,
        "carry_out_note": decision.carry_out_note,
    }


def _recommendation_out(rec: Any) -> dict[str, Any]:
    return {
        "unit": unit_ref(rec.unit),
        "priority": rec.priority,
        "reasons": [str(r) for r in rec.reasons],
        "notes": [str(n) for n in rec.notes],
        "officers": [
            {"id": o.officer.pk, "name": o.officer.display_name, "reasons": [str(r) for r in o.reasons]}
            for o in rec.officers[:5]
        ],
        "excluded": [str(e) for e in rec.excluded],
    }


def meeting_out(meeting: Meeting, user: User) -> dict[str, Any]:
    decisions = list(
        meeting.decisions.select_related(*_DECISION_RELATED).prefetch_related("verifiers").order_by("id")
    )
    agenda = []
    if meeting.is_open:
        for item in build_agenda(bureau=meeting.bureau, meeting=meeting).items:
            lead = item.lead
            agenda.append(
                {
                    "lead": {
                        "id": lead.pk,
                        "number": lead.number,
                        "party_name": lead.party_name,
                        "category": lead.category,
                        "division": division_ref(lead.division),
                        "received_date": lead.received_date,
                        "due_date": lead.due_date,
                        "state": lead.state,
                    },
                    "group": item.group,
                    "group_label": str(GROUP_LABELS.get(item.group, item.group)),
                    "due_soon": item.due_soon,
                    "recommendation": _recommendation_out(item.recommendation),
                    "decision_id": item.decision.pk if item.decision else None,
                }
            )
    return {
        **_meeting_item(meeting, len(decisions)),
        "attendees": [person_ref(p) for p in meeting.attendees.order_by("pk")],
        "outside_attendees": [
            line.strip() for line in meeting.outside_attendees.splitlines() if line.strip()
        ],
        "due_window_days": meeting.due_window_days,
        "notes": meeting.notes,
        "can_decide": can_decide(user) and meeting.is_open,
        "can_carry_out": can_open_meeting(user) and meeting.is_open,
        "agenda": agenda,
        "decisions": [decision_out(d) for d in decisions],
    }


def _decision_data(payload: DecisionIn, user: User) -> dict[str, Any]:
    """The decision in the shape screening.services.record_decision expects (it checks the rules)."""
    data: dict[str, Any] = {
        "kind": payload.kind.value,
        "reasons": payload.reasons,
        "category": payload.category.value if payload.category else "",
        "priority": payload.priority.value if payload.priority else "",
        "may_become_case": payload.may_become_case,
        "transfer_department": payload.transfer_department,
        "handling_unit": None,
        "verifiers": [],
        "merged_into": None,
    }
    if payload.handling_unit is not None:
        data["handling_unit"] = OrgUnit.objects.filter(pk=payload.handling_unit).first()
        if data["handling_unit"] is None:
            raise InvalidInput("承办单位不存在", field="handling_unit")
    if payload.verifiers:
        people = {u.pk: u for u in User.objects.filter(pk__in=payload.verifiers).select_related("unit")}
        unknown = [pk for pk in payload.verifiers if pk not in people]
        if unknown:
            raise InvalidInput(f"核查人员 {unknown[0]} 不存在", field="verifiers")
        data["verifiers"] = [people[pk] for pk in dict.fromkeys(payload.verifiers)]
    if payload.merged_into is not None:
        data["merged_into"] = leads_visible_to(user).filter(pk=payload.merged_into).first()
        if data["merged_into"] is None:
            raise InvalidInput("要并入的线索不存在或不在本局辖区", field="merged_into")
    return data


# --- endpoints ---------------------------------------------------------------------------------------


@router.get("/screening/meetings", response={200: MeetingPageOut, **error_responses(400)})
def list_meetings(request: HttpRequest, filters: Query[MeetingFilterIn]) -> dict[str, Any]:
    """The screening meetings of the person's bureau and those below it, latest first."""
    user: User = request.auth  # type: ignore[attr-defined]
    queryset = meetings_visible_to(user).annotate(n_decisions=Count("decisions")).order_by("-held_on", "-id")
    if filters.state:
        queryset = queryset.filter(state=filters.state.value)
    after = decode_cursor(filters.after, kind=date)
    if after is not None:
        queryset = queryset.filter(Q(held_on__lt=after[0]) | Q(held_on=after[0], id__lt=after[1]))
    rows = list(queryset[: filters.limit + 1])
    next_key = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        next_key = (rows[-1].held_on, rows[-1].pk)
    return {"items": [_meeting_item(m, m.n_decisions) for m in rows], "next": encode_cursor(next_key)}


@router.get("/screening/meetings/{meeting_id}", response={200: MeetingOut, **error_responses(404)})
def read_meeting(request: HttpRequest, meeting_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One meeting: while open, its live agenda with a recommendation per lead; its decisions."""
    user: User = request.auth  # type: ignore[attr-defined]
    return meeting_out(get_meeting_for_user(user, meeting_id), user)


@router.post(
    "/screening/meetings/{meeting_id}/leads/{lead_id}/decision",
    response={200: DecisionOut, 201: DecisionOut, **error_responses(400, 404, 409)},
)
def decide_lead(
    request: HttpRequest,
    payload: DecisionIn,
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    lead_id: int = Path(..., ge=1, le=MAX_ID),
) -> Status[dict[str, Any]]:
    """Record the meeting's decision on a lead (201), or change it while the meeting is open (200, with
    `version`). A lead already decided in another meeting or between meetings answers 409."""
    from silvershield.screening.clusters import build_clusters, cluster_of, refresh_index

    user: User = request.auth  # type: ignore[attr-defined]
    meeting = get_meeting_for_user(user, meeting_id)
    lead = get_lead_for_user(user, lead_id)
    data = _decision_data(payload, user)
    existed = Decision.objects.filter(lead=lead, meeting=meeting).exists()
    # The recommendation at the time is kept with the decision, as the page keeps it.
    refresh_index()
    recommendation = Recommender(day=meeting.held_on).recommend(
        lead, cluster=cluster_of(lead.pk, build_clusters())
    )
    decision = services.record_decision(
        actor=user,
        lead=lead,
        meeting=meeting,
        expected_version=payload.version,
        recommendation=recommendation.as_json(),
        **data,
    )
    decision = (
        Decision.objects.select_related(*_DECISION_RELATED).prefetch_related("verifiers").get(pk=decision.pk)
    )
    return Status(200 if existed else 201, decision_out(decision))


@router.post(
    "/screening/meetings/{meeting_id}/carry-out", response={200: MeetingOut, **error_responses(400, 404, 409)}
)
def carry_out_meeting(
    request: HttpRequest, payload: CarryOutIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Carry out every decision of the meeting in one step (the task office): all or nothing — one
    decision that can no longer be carried out refuses the whole meeting and names its lead."""
    user: User = request.auth  # type: ignore[attr-defined]
    meeting = get_meeting_for_user(user, meeting_id)
    services.carry_out(actor=user, meeting=meeting, expected_version=payload.version)
    return meeting_out(get_meeting_for_user(user, meeting_id), user)
