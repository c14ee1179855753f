"""What every part of the JSON API shares: the error shape and its handlers, input hygiene, references
to other records, keyset cursors, the event timeline — and the core endpoints (tokens, "who am I").

Every error answers {"code", "message", "field"}: a stable code for programs, a message in Chinese for
people, and the input field at fault (or null). Out of jurisdiction answers exactly like missing (404).
"""

import base64
import json
import re
from datetime import date, datetime
from typing import Annotated, Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from silvershield.core.api_auth import BearerTokenAuth, issue_token, revoke_token, user_for_credentials
from silvershield.core.audit import events_for
from silvershield.core.clocks import NoClockRule
from silvershield.core.errors import DomainError, InvalidInput
from silvershield.core.models import AuditEvent, Division, OrgUnit, Role, User
from silvershield.core.workflow import Transition

# The largest primary key the databases store (signed 64-bit); larger ids cannot name a record.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


# --- the base of every answer ------------------------------------------------------------------------


class OutSchema(BaseModel):
    """The base of every answer's schema. Endpoints build their answers as plain dicts (unit_ref,
    lead_detail, …), which pydantic validates as they are; ninja's Schema would wrap each nested object to
    read it attribute by attribute as from a Django model, which cost a quarter of a received lead's answer.
    Attributes are still read from plain objects (from_attributes)."""

    model_config = ConfigDict(from_attributes=True)


# --- the error shape ---------------------------------------------------------------------------------


class ErrorOut(OutSchema):
    code: str = Field(description="稳定的错误代码，供程序判断")
    message: str = Field(description="中文说明")
    field: str | None = Field(None, description="出错的输入项名称；与具体输入项无关时为 null")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The documented error answers of an endpoint (every authenticated endpoint may answer 401, 403
    for a failed CSRF check of a session request, and 422 for input that does not fit its schema)."""
    return {status: ErrorOut for status in sorted({401, 403, 422, *statuses})}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field}


_VALIDATION_MESSAGES = {
    "missing": "缺少必填项",
    "string_too_long": "长度不能超过{max_length}个字符",
    "string_too_short": "长度不能少于{min_length}个字符",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "less_than_equal": "不能大于{le}",
    "greater_than_equal": "不能小于{ge}",
    "less_than": "应小于{lt}",
    "greater_than": "应大于{gt}",
    "enum": "取值无效，可选：{expected}",
    "literal_error": "取值无效，可选：{expected}",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数不能超过{decimal_places}位",
    "decimal_whole_digits": "整数部分位数过多",
    "finite_number": "应为有限数字",
    "list_type": "应为列表",
    "too_long": "项目过多（最多{max_length}项）",
    "extra_forbidden": "不接受此输入项",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
}
# Where ninja puts a parameter (the first element of an error's `loc`) and the names we give body
# parameters; neither is an input field a client would recognise.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
_BODY_PARAMETERS = {"payload", "filters"}


def _field_of(loc: list[Any]) -> str | None:
    rest = list(loc)
    if rest and rest[0] in _LOCATIONS:
        rest = rest[1:]
    if rest and rest[0] in _BODY_PARAMETERS:
        rest = rest[1:]
    return next((str(part) for part in rest if isinstance(part, str)), None)


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    template = _VALIDATION_MESSAGES.get(kind, "输入无效")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return "输入无效"


def _on_validation_error(request: HttpRequest, exc: NinjaValidationError, *, api: NinjaAPI) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(list(first.get("loc") or []))
    message = _validation_message(first)
    if field:
        message = f"{field}：{message}"
    return api.create_response(request, error_body("invalid", message, field), status=422)


def _on_domain_error(request: HttpRequest, exc: DomainError, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request, error_body(exc.code, str(exc.message), exc.field), status=exc.http_status
    )


def _on_not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    # The same words whether the record is missing or outside the person's jurisdiction.
    return api.create_response(request, error_body("not_found", "未找到该记录，或不在您的辖区内"), status=404)


def _on_http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    status = exc.status_code
    if status == 401:
        body = error_body("unauthenticated", "未登录，或访问令牌无效、已撤销")
    elif status == 403 and "csrf" in exc.message.lower():
        body = error_body("csrf_failed", "CSRF 校验失败，请刷新页面后重试")
    elif status == 403:
        body = error_body("permission_denied", "您无权执行该操作")
    elif status == 400 and "parse request body" in exc.message:
        body = error_body("invalid_json", "请求体不是有效的 JSON")
    elif status == 429:
        body = error_body("throttled", "请求过于频繁，请稍后再试")
    else:
        body = error_body("http_error", exc.message)
    return api.create_response(request, body, status=status)


def _on_no_clock_rule(request: HttpRequest, exc: NoClockRule, *, api: NinjaAPI) -> HttpResponse:
    # A configuration gap (no statutory clock in force on the item's date), reported to the officer
    # with its fix instead of failing as a server error; the transition has been rolled back.
    return api.create_response(request, error_body("no_clock_rule", str(exc)), status=400)


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every error the API knows in the shape {"code", "message", "field"}."""

    def bind(handler: Any) -> Any:
        return lambda request, exc: handler(request, exc, api=api)

    api.add_exception_handler(NinjaValidationError, bind(_on_validation_error))
    api.add_exception_handler(DomainError, bind(_on_domain_error))
    api.add_exception_handler(Http404, bind(_on_not_found))
    api.add_exception_handler(HttpError, bind(_on_http_error))
    api.add_exception_handler(NoClockRule, bind(_on_no_clock_rule))


class ReadableJSONRenderer(JSONRenderer):
    """JSON with Chinese as Chinese (UTF-8) rather than \\u escapes: readable in logs and consoles."""

    json_dumps_params = {"ensure_ascii": False}


# --- input hygiene -----------------------------------------------------------------------------------


def _check_storable(value: Any) -> Any:
    """Refuse text no database column can hold: NUL characters (PostgreSQL refuses them) and lone
    surrogates (not encodable as UTF-8)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("不能包含空字符（\\x00）")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("含有无效的字符") from exc
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_storable(item)
    return value


def _iso_date_only(value: Any) -> Any:
    """Dates as YYYY-MM-DD only: pydantic would also read "0" as 1970-01-01 (a Unix time), which
    no officer means."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("日期格式应为 YYYY-MM-DD")
    if isinstance(value, (int, float)):
        raise ValueError("日期格式应为 YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


class QueryIn(Schema):
    """Base of query-string inputs: text must be storable and searchable."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return _check_storable(value)


class BodyIn(QueryIn):
    """Base of JSON bodies: unknown fields are refused, so a typo is an error rather than ignored."""

    model_config = ConfigDict(extra="forbid")


# --- references to other records ---------------------------------------------------------------------


class UnitRef(OutSchema):
    id: int
    code: str
    name: str


class DivisionRef(OutSchema):
    code: str
    name: str


class PersonRef(OutSchema):
    id: int
    name: str


class NumberedRef(OutSchema):
    id: int
    number: str | None


class TransitionOut(OutSchema):
    name: str
    label: str
    fields: list[str] = Field(description="该操作需要提交的参数")
    reason_required: bool


def unit_ref(unit: OrgUnit | None) -> dict[str, Any] | None:
    return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None


def division_ref(division: Division) -> dict[str, Any]:
    return {"code": division.code, "name": division.name}


def person_ref(person: User) -> dict[str, Any]:
    return {"id": person.pk, "name": person.display_name}


def transition_refs(transitions: list[Transition]) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "label": str(t.label),
            "fields": list(t.fields),
            "reason_required": t.reason_required,
        }
        for t in transitions
    ]


def text_or_blank(value: str | None) -> str:
    """Optional text inputs: null means "empty" for the text columns, which are never NULL."""
    return value or ""


# --- keyset cursors ----------------------------------------------------------------------------------


def encode_cursor(key: tuple[Any, int] | None) -> str | None:
    """An opaque cursor for the row after which the next page starts."""
    if key is None:
        return None
    first = key[0].isoformat() if isinstance(key[0], date) else key[0]
    return (
        base64.urlsafe_b64encode(json.dumps([first, key[1]], ensure_ascii=False).encode())
        .decode()
        .rstrip("=")
    )


def decode_cursor(cursor: str | None, *, kind: type) -> tuple[Any, int] | None:
    """The key in `cursor` (its first part of type `kind`: date or str); InvalidInput when it is not ours."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        first, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
        if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(first, str):
            raise ValueError(cursor)
        return (date.fromisoformat(first) if kind is date else first), pk
    except (ValueError, TypeError, UnicodeError) as exc:
        raise InvalidInput("分页游标无效，请从第一页重新开始", field="after") from exc


# --- the event timeline ------------------------------------------------------------------------------


class EventOut(OutSchema):
    id: int
    at: datetime
    actor: PersonRef | None
    action: str = Field(description="create / update / transition / view_personal_data")
    action_label: str
    transition: str
    from_state: str
    to_state: str
    reason: str
    changed_fields: list[str] = Field(description="变更的字段名（不含变更前后的值）")


def event_refs(subject: models.Model, *, transition_labels: dict[str, str]) -> list[dict[str, Any]]:
    """The subject's audit events, naming changed fields but never their values: the values of some
    (a reporter's identity) must not leave the server, and the names are what a timeline shows."""
    return [
        {
            "id": event.pk,
            "at": event.at,
            "actor": person_ref(event.actor) if event.actor else None,
            "action": event.action,
            "action_label": transition_labels.get(event.transition) or str(event.get_action_display()),
            "transition": event.transition,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "reason": event.reason,
            "changed_fields": sorted(event.changes) if event.action == AuditEvent.Action.UPDATE else [],
        }
        for event in events_for(subject)
    ]


# --- tokens and "who am I" ---------------------------------------------------------------------------

router = Router(tags=["auth"])


class TokenIn(BodyIn):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="令牌用途说明，例如“12315 批量导入脚本”")


class TokenOut(OutSchema):
    token: str = Field(description="访问令牌，仅此一次显示；请求时放在 Authorization: Bearer 之后")
    token_type: str = "Bearer"
    prefix: str
    name: str
    created_at: datetime


class RevokedOut(OutSchema):
    prefix: str
    revoked_at: datetime


class MeOut(OutSchema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    unit: UnitRef
    bureau: UnitRef
    division: DivisionRef


@router.post("/auth/token", auth=None, response={201: TokenOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Issue a bearer token for a username and password. The token is shown only in this answer."""
    user = user_for_credentials(username=payload.username, password=payload.password)
    if user is None:
        # One answer for an unknown user, a wrong password and an inactive account.
        return Status(401, error_body("invalid_credentials", "用户名或密码错误"))
    token, raw = issue_token(user=user, name=payload.name)
    return Status(
        201, {"token": raw, "prefix": token.prefix, "name": token.name, "created_at": token.created_at}
    )


@router.delete("/auth/token", auth=BearerTokenAuth(), response={200: RevokedOut, **error_responses()})
def delete_token(request: HttpRequest) -> dict[str, Any]:
    """Revoke the token this request is made with; it answers 401 from now on."""
    token = revoke_token(token=request.api_token)  # type: ignore[attr-defined]
    return {"prefix": token.prefix, "revoked_at": token.revoked_at}


@router.get("/me", response={200: MeOut, **error_responses()}, tags=["me"])
def who_am_i(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person: role, unit and bureau, which fix what they see and may do."""
    user: User = request.auth  # type: ignore[attr-defined]
    bureau = user.bureau
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": str(Role(user.role).label) if user.role in Role.values else user.role,
        "unit": unit_ref(user.unit),
        "bureau": unit_ref(bureau),
        "division": division_ref(bureau.division),
    }
