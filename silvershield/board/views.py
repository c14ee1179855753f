"""The wall board pages: the board (full page or htmx partial), "show more" per column, the map data,
the big screen, the progress sheets (print and Excel) and the strike-off page with its checklist.

Reads go through board.queries (scoped by leads/cases queries, so another bureau's item is a 404);
writes call board.services and the leads/cases workflows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silvershield.board import services
from silvershield.board.checklist import checklist_for_case, checklist_for_lead
from silvershield.board.forms import RECORD_FORMS, BoardFilterForm
from silvershield.board.models import LossRecovery, Publication, ReporterReply, TransferReceipt
from silvershield.board.progress import SHEET_WIDTHS, case_sheet, lead_sheet, sheet_headers, sheet_row
from silvershield.board.queries import (
    CARD_LIMIT,
    COLOUR_LABELS,
    COLOURS,
    COLUMN_BY_KEY,
    BoardFilter,
    Clock,
    available_measures,
    build_board,
    can_see_board,
    column_cards,
    every_item,
    gate_alert_count,
    map_data,
    red_cards,
)
from silvershield.cases.queries import get_case_for_user
from silvershield.cases.workflow import run_case_transition
from silvershield.core.errors import DomainError
from silvershield.core.views.pages import render_page, xlsx_response
from silvershield.leads.queries import get_lead_for_user
from silvershield.leads.workflow import run_lead_transition


def _require(request: HttpRequest) -> None:
    if not can_see_board(request.user):
        raise DjangoPermissionDenied


def _filter(request: HttpRequest) -> tuple[BoardFilterForm, BoardFilter | None]:
    form = BoardFilterForm(request.GET, user=request.user)
    return form, (form.to_filter() if form.is_valid() else None)


def _query(request: HttpRequest, *drop: str) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _require(request)
    form, f = _filter(request)
    errors = form.error_messages() if f is None else []
    the_board = build_board(request.user, f or BoardFilter())
    measure = request.GET.get("measure") if request.GET.get("measure") in available_measures() else "open"
    in_hand = map_data(request.user, "open", clock=the_board.clock)["divisions"]
    overdue = {d["code"]: d["value"] for d in map_data(request.user, "overdue", clock=the_board.clock)["divisions"]}
    divisions = [{**d, "overdue": overdue.get(d["code"])} for d in in_hand if d["reachable"]]
    context = {
        "divisions": divisions if len(divisions) > 1 else [],
        "division_query": _query(request, "measure", "division"),
        "form": form,
        "filter_errors": errors,
        "board": the_board,
        "colour_labels": COLOUR_LABELS,
        "colours": COLOURS,
        "query": _query(request, "measure"),
        "measures": available_measures(),
        "measure": measure,
        "gate_alerts": gate_alert_count(request.user),
        "card_limit": CARD_LIMIT,
    }
    return render_page(request, template="board/board.html", partial="board/_board.html", context=context,
                       status=400 if errors else 200)


@login_required
def column_more(request: HttpRequest, key: str) -> HttpResponse:
    _require(request)
    column = COLUMN_BY_KEY.get(key)
    if column is None:
        raise Http404
    _form, f = _filter(request)
    try:
        offset = max(0, int(request.GET.get("offset", CARD_LIMIT)))
    except ValueError:
        offset = CARD_LIMIT
    clock = Clock.on()
    cards = column_cards(request.user, f or BoardFilter(), column, clock=clock, offset=offset, limit=CARD_LIMIT + 1)
    has_more = len(cards) > CARD_LIMIT
    params = request.GET.copy()
    params["offset"] = offset + CARD_LIMIT
    return render(request, "board/_cards.html", {
        "cards": cards[:CARD_LIMIT], "column": column, "has_more": has_more,
        "more_url": f"{reverse('board:more', args=[key])}?{params.urlencode()}",
    })


@login_required
def map_json(request: HttpRequest) -> JsonResponse:
    if not can_see_board(request.user):
        return JsonResponse({"code": "permission_denied", "message": "无权查看"}, status=403)
    measure = request.GET.get("measure", "open")
    if measure not in available_measures():
        return JsonResponse({"code": "invalid", "message": "未知的地图指标", "field": "measure"}, status=400)
    return JsonResponse(map_data(request.user, measure))


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The big screen for the office TV: counts per column, the red items, the map; refreshes itself."""
    _require(request)
    clock = Clock.on()
    the_board = build_board(request.user, BoardFilter(), clock=clock, limit=0)
    measure = request.GET.get("measure") if request.GET.get("measure") in available_measures() else "overdue"
    context = {
        "board": the_board,
        "red": red_cards(request.user, BoardFilter(), clock=clock, limit=30),
        "gate_alerts": gate_alert_count(request.user),
        "now": timezone.localtime(),
        "measure": measure,
        "measure_label": available_measures()[measure],
    }
    template = "board/_screen_body.html" if getattr(request, "htmx", False) else "board/screen.html"
    return render(request, template, context)


# --- progress sheets ---------------------------------------------------------------------------------


def _item(request: HttpRequest, kind: str, pk: int):
    if kind == "lead":
        return get_lead_for_user(request.user, pk)
    if kind == "case":
        return get_case_for_user(request.user, pk)
    raise Http404


def _sheet(item):
    return lead_sheet(item) if item._meta.model_name == "lead" else case_sheet(item)


@login_required
def progress(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _require(request)
    sheet = _sheet(_item(request, kind, pk))
    return render(request, "board/progress.html", {"sheet": sheet, "printed": timezone.localtime()})


@login_required
def progress_xlsx(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _require(request)
    sheet = _sheet(_item(request, kind, pk))
    title = _("Progress sheet")
    return xlsx_response(
        filename=f"{title}-{sheet.number}.xlsx", title=title, headers=sheet_headers(), rows=[sheet_row(sheet)],
        widths=SHEET_WIDTHS,
    )


@login_required
def export_board(request: HttpRequest) -> HttpResponse:
    """The whole (filtered) board as one progress sheet, one row per item, column by column."""
    _require(request)
    form, f = _filter(request)
    if f is None:
        messages.error(request, "；".join(form.error_messages()))
        return redirect(f"{reverse('board:board')}?{_query(request)}")
    clock = Clock.on()
    rows = ([str(column.label), *sheet_row(_sheet(item))] for column, item in every_item(request.user, f, clock=clock))
    title = _("Progress sheet")
    return xlsx_response(
        filename=f"{_('Wall board')}-{clock.today:%Y-%m-%d}.xlsx", title=title,
        headers=[_("Stage"), *sheet_headers()], rows=rows, widths=[18, *SHEET_WIDTHS],
    )


# --- strike-off ----------------------------------------------------------------------------------------

RECORD_MODELS = {"reporter": ReporterReply, "publication": Publication, "transfer": TransferReceipt,
                 "losses": LossRecovery}


def _records(item) -> dict[str, list[Any]]:
    key = {"lead": item} if item._meta.model_name == "lead" else {"case": item}
    out = {code: list(model.objects.filter(**key).select_related("recorded_by")) for code, model in RECORD_MODELS.items()}
    if item._meta.model_name == "case":
        out["reporter"] = list(ReporterReply.objects.filter(lead__in=item.leads.all()).select_related("recorded_by", "lead"))
    return out


def _strike_off_page(request, item, *, forms: dict[str, Any] | None = None, error: str = "", status: int = 200,
                     reply_lead=None):
    kind = item._meta.model_name
    checklist = checklist_for_lead(item) if kind == "lead" else checklist_for_case(item)
    forms = forms or {}
    for item_check in checklist:
        if item_check.applies and item_check.code in RECORD_FORMS and item_check.code not in forms:
            forms[item_check.code] = RECORD_FORMS[item_check.code]()
    named_leads = []
    if kind == "case":
        named_leads = [lead for lead in item.leads.all() if lead.reporter_is_named]
    awaiting = (kind == "lead" and item.state == "concluded") or (kind == "case" and item.state == "closed")
    context = {
        "item": item, "kind": kind, "checklist": checklist, "forms": forms, "error": error,
        "records": _records(item), "awaiting": awaiting, "named_leads": named_leads,
        "can_strike_off": request.user.role == "legal_officer" and awaiting,
        "can_record": request.user.role in services.RECORDING_ROLES,
        "sheet": _sheet(item), "reply_lead": reply_lead,
        "complete": not any(c.missing for c in checklist),
    }
    return render(request, "board/strike_off.html", context, status=status)


@login_required
def strike_off(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _require(request)
    item = _item(request, kind, pk)
    if request.method != "POST":
        return _strike_off_page(request, item)
    action = request.POST.get("action", "")
    if action == "strike_off":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            if kind == "lead":
                run_lead_transition(lead=item, name="strike_off", actor=request.user,
                                    reason=request.POST.get("reason", ""), expected_version=version)
            else:
                run_case_transition(case=item, name="strike_off", actor=request.user,
                                    reason=request.POST.get("reason", ""), expected_version=version)
        except DomainError as exc:
            item.refresh_from_db()
            return _strike_off_page(request, item, error=exc.message, status=exc.http_status)
        messages.success(request, _("Struck off. The item has left the board and stays in the ledger."))
        return redirect(reverse("board:strike_off", args=[kind, pk]))
    form_class = RECORD_FORMS.get(action)
    if form_class is None:
        return _strike_off_page(request, item, error=_("Unknown action."), status=400)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            _record(request, item, action, form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Recorded."))
            return redirect(reverse("board:strike_off", args=[kind, pk]))
    return _strike_off_page(request, item, forms={action: form}, status=400)


def _record(request: HttpRequest, item, action: str, data: dict[str, Any]) -> None:
    actor = request.user
    if action == "reporter":
        target = item
        if item._meta.model_name == "case":
            lead_id = request.POST.get("lead")
            target = next((lead for lead in item.leads.all() if str(lead.pk) == lead_id), None)
            if target is None:
                raise DomainError("请选择要答复的线索", field="method")
        services.record_reporter_reply(item=target, actor=actor, method=data["method"],
                                       replied_on=data["replied_on"], note=data.get("note", ""))
    elif action == "publication":
        services.record_publication(item=item, actor=actor, published_on=data["published_on"], where=data["where"],
                                    reference=data.get("reference", ""))
    elif action == "transfer":
        services.record_transfer_receipt(item=item, actor=actor, receiver=data["receiver"],
                                         received_on=data["received_on"], document_number=data.get("document_number", ""))
    elif action == "losses":
        services.record_loss_recovery(item=item, actor=actor, amount=data["amount"], recovered_on=data["recovered_on"],
                                      victims=data.get("victims"), note=data.get("note", ""))
