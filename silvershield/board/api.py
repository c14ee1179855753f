"""The wall-board API (挂图作战): the counts by stage and clock colour with the page's filters, the items
behind a count, the map data, an item's strike-off checklist, and striking it off.

Reads go through board.queries (scoped by the leads and cases queries: another bureau's item is a 404);
the filters are checked by the page's own form, so the API accepts exactly what the page accepts. Striking
off runs the leads/cases `strike_off` transition, which refuses until the checklist holds; the refusal
answers 409 and lists what is missing.
"""

from datetime import date
from enum import Enum, StrEnum
from typing import Any

from django.http import HttpRequest, QueryDict
from ninja import Field, Path, Query, Router, Status

from silvershield.board.checklist import (
    checklist_for_case,
    checklist_for_lead,
    missing_for_case,
    missing_for_lead,
)
from silvershield.board.forms import BoardFilterForm
from silvershield.board.queries import (
    COLOUR_LABELS,
    COLOURS,
    COLUMN_BY_KEY,
    MEASURES,
    BoardFilter,
    Clock,
    available_measures,
    build_board,
    can_see_board,
    column_cards,
    map_data,
)
from silvershield.cases.models import Case
from silvershield.cases.queries import get_case_for_user
from silvershield.cases.workflow import run_case_transition
from silvershield.core.api import (
    BodyIn,
    DEFAULT_PAGE_SIZE,
    error_body,
    error_responses,
    ErrorOut,
    Id,
    MAX_ID,
    MAX_PAGE_SIZE,
    OutSchema,
    QueryIn,
)
from silvershield.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from silvershield.core.models import User
from silvershield.leads.models import Channel, FraudCategory, Lead
from silvershield.leads.queries import get_lead_for_user
from silvershield.leads.workflow import run_lead_transition

router = Router(tags=["board"])

ColumnKey = Enum("ColumnKey", {key: key for key in COLUMN_BY_KEY}, type=str)  # type: ignore[misc]
Colour = Enum("Colour", {c: c for c in COLOURS}, type=str)  # type: ignore[misc]
Measure = Enum("Measure", {m: m for m in MEASURES}, type=str)  # type: ignore[misc]


class ItemKind(StrEnum):
    LEAD = "lead"
    CASE = "case"


# --- inputs ------------------------------------------------------------------------------------------


class BoardFilterIn(QueryIn):
    unit: Id | None = Field(None, description="承办单位 id（本局辖区内）")
    division: str | None = Field(None, max_length=6, description="行政区划代码（本局辖区内）")
    category: FraudCategory | None = None
    officer: Id | None = Field(None, description="办案人员 id")
    colour: Colour | None = Field(
        None, description="时钟颜色：red 超期、yellow 临期、green 正常、grey 不计时"
    )  # type: ignore[valid-type]
    channel: Channel | None = None


class ColumnItemsIn(BoardFilterIn):
    offset: int = Field(0, ge=0, le=10**7, description="跳过的条数（上一页返回的 next_offset）")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class MapIn(QueryIn):
    measure: Measure = Field(
        Measure("open"), description="open 在办线索、overdue 超期事项、risk 较高风险主体（C、D类）"
    )  # type: ignore[valid-type]


class StrikeOffIn(BodyIn):
    reason: str = Field("", max_length=2000)
    version: Id | None = Field(None, description="读取清单时的 version；已被他人修改时返回 409")


# --- outputs -----------------------------------------------------------------------------------------


class ColourCountsOut(OutSchema):
    red: int
    yellow: int
    green: int
    grey: int


class ColumnOut(OutSchema):
    key: str
    label: str
    total: int
    colours: ColourCountsOut


class BoardOut(OutSchema):
    today: date
    warning_days: int = Field(description="剩余工作日不多于此数时为黄色")
    total: int
    colours: ColourCountsOut
    colour_labels: dict[str, str]
    columns: list[ColumnOut]


class CardOut(OutSchema):
    kind: str = Field(description="lead 或 case")
    id: int
    number: str
    party: str
    category: str
    division: str
    unit: str
    officers: list[str]
    due_date: date | None
    colour: str
    working_days_left: int | None = Field(description="黄色事项剩余的工作日")
    priority: str
    state_label: str
    due_text: str


class ColumnItemsOut(OutSchema):
    column: str
    items: list[CardOut]
    next_offset: int | None = Field(description="下一页的 offset；没有下一页时为 null")


class MapDivisionOut(OutSchema):
    code: str
    name: str
    value: int | None = Field(description="不在辖区内的区划为 null")
    reachable: bool


class MapOut(OutSchema):
    measure: str
    label: str
    today: date
    max: int
    total: int
    divisions: list[MapDivisionOut]


class CheckItemOut(OutSchema):
    code: str
    label: str
    applies: bool
    ok: bool
    missing: bool
    detail: str


class ChecklistOut(OutSchema):
    kind: str
    id: int
    number: str | None
    state: str
    state_label: str
    version: int
    awaiting_strike_off: bool = Field(description="已办结、等待销号")
    complete: bool = Field(description="销号条件是否全部满足")
    items: list[CheckItemOut]
    missing: list[str] = Field(description="尚缺的销号条件（中文，与拒绝销号时列出的相同）")


class StrikeOffRefusedOut(ErrorOut):
    missing: list[str] = Field([], description="尚缺的销号条件；因其他原因拒绝时为空")


# --- helpers -----------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    if not can_see_board(user):
        raise PermissionDenied("您的角色不能查看挂图作战")
    return user


def _board_filter(filters: BoardFilterIn, user: User) -> BoardFilter:
    """The filters checked by the page's form: a unit, division or officer out of reach is refused (400)."""
    data = QueryDict(mutable=True)
    for name in ("unit", "division", "category", "officer", "colour", "channel"):
        value = getattr(filters, name)
        if value is not None:
            data[name] = str(value.value if isinstance(value, Enum) else value)
    form = BoardFilterForm(data, user=user)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise InvalidInput(f"{form.fields[name].label}：{' '.join(str(e) for e in errors)}", field=name)
    return form.to_filter()


def _item(user: User, kind: ItemKind, item_id: int) -> Lead | Case:
    return get_lead_for_user(user, item_id) if kind == ItemKind.LEAD else get_case_for_user(user, item_id)


def checklist_out(item: Lead | Case) -> dict[str, Any]:
    is_lead = isinstance(item, Lead)
    checklist = checklist_for_lead(item) if is_lead else checklist_for_case(item)
    missing = missing_for_lead(item) if is_lead else missing_for_case(item)
    return {
        "kind": "lead" if is_lead else "case",
        "id": item.pk,
        "number": item.number,
        "state": item.state,
        "state_label": str(item.get_state_display()),
        "version": item.version,
        "awaiting_strike_off": item.state == ("concluded" if is_lead else "closed"),
        "complete": not missing,
        "items": [
            {
                "code": c.code,
                "label": c.label,
                "applies": c.applies,
                "ok": c.ok,
                "missing": c.missing,
                "detail": c.detail,
            }
            for c in checklist
        ],
        "missing": missing,
    }


# --- endpoints ---------------------------------------------------------------------------------------


@router.get("/board", response={200: BoardOut, **error_responses(400)})
def read_board(request: HttpRequest, filters: Query[BoardFilterIn]) -> dict[str, Any]:
    """Open items by stage (column) and clock colour, with the wall board's filters."""
    user = _user(request)
    board = build_board(user, _board_filter(filters, user), limit=0)
    return {
        "today": board.clock.today,
        "warning_days": board.clock.warning_days,
        "total": board.total,
        "colours": board.colours,
        "colour_labels": {c: str(COLOUR_LABELS[c]) for c in COLOURS},
        "columns": [
            {"key": c.key, "label": str(c.column.label), "total": c.total, "colours": c.colours}
            for c in board.columns
        ],
    }


@router.get("/board/columns/{column}/items", response={200: ColumnItemsOut, **error_responses(400)})
def column_items(
    request: HttpRequest,
    filters: Query[ColumnItemsIn],
    column: ColumnKey,  # type: ignore[valid-type]
) -> dict[str, Any]:
    """The items behind a column's count (with `colour`, behind one colour of it), most urgent first."""
    user = _user(request)
    board_filter = _board_filter(filters, user)
    cards = column_cards(
        user,
        board_filter,
        COLUMN_BY_KEY[column.value],
        clock=Clock.on(),
        offset=filters.offset,
        limit=filters.limit + 1,
    )
    more = len(cards) > filters.limit
    return {
        "column": column.value,
        "items": [
            {
                "kind": c.kind,
                "id": c.pk,
                "number": c.number,
                "party": c.party,
                "category": c.category,
                "division": c.division,
                "unit": c.unit,
                "officers": c.officers,
                "due_date": c.due,
                "colour": c.colour,
                "working_days_left": c.left,
                "priority": c.priority,
                "state_label": c.state_label,
                "due_text": c.due_text,
            }
            for c in cards[: filters.limit]
        ],
        "next_offset": filters.offset + filters.limit if more else None,
    }


@router.get("/board/map", response={200: MapOut, **error_responses(400)})
def board_map(request: HttpRequest, filters: Query[MapIn]) -> dict[str, Any]:
    """The value per county-level division of Chifeng for a measure; divisions out of reach are null."""
    user = _user(request)
    measure = filters.measure.value
    if measure not in available_measures():
        raise InvalidInput("该地图指标暂不可用", field="measure")
    return map_data(user, measure)


@router.get("/board/{kind}/{item_id}/checklist", response={200: ChecklistOut, **error_responses(404)})
def read_checklist(
    request: HttpRequest, kind: ItemKind, item_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """The strike-off checklist of a lead or case: what holds, and what is still missing."""
    user = _user(request)
    return checklist_out(_item(user, kind, item_id))


@router.post(
    "/board/{kind}/{item_id}/strike-off",
    response={200: ChecklistOut, 409: StrikeOffRefusedOut, **error_responses(400, 404)},
)
def strike_off(
    request: HttpRequest, payload: StrikeOffIn, kind: ItemKind, item_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Strike the item off (the legal officer). Refused with 409 while the checklist does not hold; the
    body's `missing` lists what is still needed, and nothing is written."""
    user = _user(request)
    item = _item(user, kind, item_id)
    try:
        if isinstance(item, Lead):
            run_lead_transition(
                lead=item,
                name="strike_off",
                actor=user,
                reason=payload.reason,
                expected_version=payload.version,
            )
        else:
            run_case_transition(
                case=item,
                name="strike_off",
                actor=user,
                reason=payload.reason,
                expected_version=payload.version,
            )
    except TransitionNotAllowed as exc:
        if exc.field != "checklist":
            raise
        item.refresh_from_db()
        missing = missing_for_lead(item) if isinstance(item, Lead) else missing_for_case(item)
        return Status(
            409, {**error_body("checklist_incomplete", exc.message, "checklist"), "missing": missing}
        )
    return checklist_out(_item(user, kind, item_id))
