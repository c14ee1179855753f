"""What every page view shares: full page or htmx partial, the event timeline, the transition forms and
the handling of a transition POST, keyset cursors and Excel downloads.

Leads and cases run the same TransitionTable machinery (core/workflow.py), so their pages render and
post transitions the same way; only the inputs a transition asks for differ, and each app describes
those as `FieldSpec`s.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from silvershield.core.audit import events_for
from silvershield.core.errors import DomainError, InvalidInput, PermissionDenied, StaleState
from silvershield.core.models import AuditEvent, User
from silvershield.core.workflow import Params, Transition, TransitionTable

STALE_MESSAGE = gettext_lazy("This item was changed by someone else. Please reload and try again.")


def render_page(
    request: HttpRequest, *, template: str, partial: str | None, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The full page, or only the part htmx asked for (STYLE.md, "Interfaces")."""
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


# --- the event timeline --------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: Any
    actor: str
    action: str
    kind: str
    from_label: str = ""
    to_label: str = ""
    reason: str = ""
    changed: list[str] = field(default_factory=list)


def build_timeline(
    subject: models.Model, *, state_labels: dict[str, Any], table: TransitionTable | None
) -> list[TimelineEntry]:
    """One entry per audit row of `subject`, in words: who did what, from which state to which, and why."""
    meta = subject._meta
    entries = []
    for event in events_for(subject):
        if (
            event.action == AuditEvent.Action.TRANSITION
            and table is not None
            and event.transition in table.by_name
        ):
            action = str(table.by_name[event.transition].label)
        else:
            action = str(event.get_action_display())
        changed = []
        if event.action == AuditEvent.Action.UPDATE:
            for name in event.changes:
                try:
                    changed.append(str(meta.get_field(name).verbose_name))
                except Exception:  # a field since renamed still shows, by its stored name
                    changed.append(name)
        entries.append(
            TimelineEntry(
                at=event.at,
                actor=event.actor.display_name if event.actor else _("system"),
                action=action,
                kind=event.action,
                from_label=str(state_labels.get(event.from_state, event.from_state))
                if event.from_state
                else "",
                to_label=str(state_labels.get(event.to_state, event.to_state)) if event.to_state else "",
                reason=event.reason,
                changed=changed,
            )
        )
    return entries


# --- transition forms ----------------------------------------------------------------------------------


@dataclass
class FieldSpec:
    """One input a transition asks for, ready for templates/includes/_transition_forms.html."""

    name: str
    label: str
    kind: str  # "select", "multiselect", "textarea", "text", "number"
    options: list[tuple[str, str]] = field(default_factory=list)
    value: Any = ""
    required: bool = False
    help: str = ""
    error: str = ""

    @property
    def selected_values(self) -> set[str]:
        """The chosen options of a select, as the strings the options carry."""
        if isinstance(self.value, (list, tuple, set)):
            return {str(v) for v in self.value}
        return {str(self.value)} if self.value not in (None, "") else set()


@dataclass
class TransitionForm:
    transition: Transition
    fields: list[FieldSpec]
    reason: str = ""
    reason_error: str = ""
    error: str = ""  # a message for the whole form (a field the form has no input for)

    @property
    def name(self) -> str:
        return self.transition.name


@dataclass
class TransitionAttempt:
    """A transition POST: which one, what was typed, and the domain error if it failed."""

    name: str
    posted: QueryDict
    error: DomainError | None = None

    @property
    def status(self) -> int:
        return self.error.http_status if self.error else 200


FieldBuilder = Callable[[Transition, "TransitionAttempt | None"], list[FieldSpec]]


def build_transition_forms(
    transitions: Iterable[Transition], *, build_fields: FieldBuilder, attempt: TransitionAttempt | None
) -> list[TransitionForm]:
    """A form per transition the person may take; the one that just failed keeps its input and errors."""
    forms = []
    for transition in transitions:
        failed = attempt if attempt is not None and attempt.name == transition.name else None
        specs = build_fields(transition, failed)
        form = TransitionForm(transition=transition, fields=specs)
        if failed is not None:
            form.reason = failed.posted.get("reason", "")
            error = failed.error
            if error is not None and not isinstance(error, StaleState):
                names = {spec.name: spec for spec in specs}
                if error.field in names:
                    names[error.field].error = error.message
                elif error.field == "reason":
                    form.reason_error = error.message
                else:
                    form.error = error.message
        forms.append(form)
    return forms


def posted_value(spec_name: str, attempt: TransitionAttempt | None, default: Any) -> Any:
    """What the person typed into a field of a failed attempt, else the default."""
    if attempt is None or spec_name not in attempt.posted:
        return default
    values = attempt.posted.getlist(spec_name)
    return values if len(values) > 1 else attempt.posted.get(spec_name, "")


def attempt_transition(
    request: HttpRequest,
    *,
    obj: models.Model,
    table: TransitionTable,
    parse_params: Callable[[Transition, QueryDict, User], Params],
    run: Callable[..., Any],
) -> TransitionAttempt:
    """Read a transition POST and take it through the workflow; never raises a DomainError."""
    posted = request.POST
    attempt = TransitionAttempt(name=posted.get("transition", ""), posted=posted)
    try:
        try:
            version = int(posted.get("version", ""))
        except ValueError as exc:
            raise InvalidInput(
                _("The form is missing the item's version; reload the page."), field="version"
            ) from exc
        transition = table.get(attempt.name)
        params = parse_params(transition, posted, request.user)
        run(
            name=transition.name,
            actor=request.user,
            reason=posted.get("reason", ""),
            params=params,
            expected_version=version,
        )
    except DomainError as error:
        attempt.error = error
    return attempt


def finish_transition(
    request: HttpRequest,
    *,
    attempt: TransitionAttempt,
    success_url: str,
    render_detail: Callable[[TransitionAttempt | None, int], HttpResponse],
) -> HttpResponse:
    """Redirect after success (or the refreshed partial for htmx); the page with the error otherwise.

    A conflict shows the item as it now is, so the person sees what the other officer did before trying
    again; other errors keep what was typed next to the field at fault.
    """
    if attempt.error is None:
        if getattr(request, "htmx", False):
            return render_detail(None, 200)
        messages.success(request, _("Done."))
        return redirect(success_url)
    if isinstance(attempt.error, StaleState):
        messages.error(request, str(STALE_MESSAGE))
        return render_detail(None, 409)
    if isinstance(attempt.error, PermissionDenied):
        messages.error(request, attempt.error.message)
        return render_detail(None, 403)
    return render_detail(attempt, attempt.error.http_status)


# --- keyset cursors ------------------------------------------------------------------------------------


def encode_key(values: list[Any]) -> str:
    """An opaque ?after= cursor for keyset pages ordered by something other than the lead ledger's key."""
    raw = json.dumps(values, ensure_ascii=False, default=str).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_key(cursor: str, *, size: int) -> list[Any] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    return values


# --- Excel ---------------------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    *, filename: str, title: str, headers: list[str], rows: Iterable[list[Any]], widths: list[int]
) -> HttpResponse:
    """A one-sheet workbook, written in streaming mode so a large ledger does not sit in memory twice."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
