"""Entity pages: the registry list (with Excel export), the entity page with the leads and cases about it
that the person may see and its audit history, the hazard ledger, gate alerts, imports, and inspections
(record one from the entity's page; the list with filters and Excel export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from silvershield.cases.queries import cases_visible_to
from silvershield.core.models import User
from silvershield.core.permissions import can_see_entities
from silvershield.core.views.pages import build_timeline, decode_key, encode_key, render_page, xlsx_response
from silvershield.core.errors import DomainError
from silvershield.entities.detection import describe_reasons
from silvershield.entities.forms import (
    EntityFilterForm,
    HazardForm,
    ImportForm,
    InspectionFilterForm,
    InspectionForm,
)
from silvershield.entities.gates import (
    ALERT_ACT_ROLES,
    acknowledge_alert,
    alerts_visible_to,
    get_alert_for_user,
    resolve_alert,
)
from silvershield.entities.models import (
    AlertKind,
    AlertState,
    ElderlyCategory,
    Entity,
    EntityStatus,
    GateAlert,
    HazardItem,
    HazardStatus,
    ImportRun,
    Inspection,
    InspectionResult,
    RiskFactor,
    RiskTierRule,
)
from silvershield.entities.inspections import (
    LEDGER_KEEPING_ROLES,
    can_record_inspection,
    can_see_inspections,
    filter_inspections,
    inspecting_officers,
    inspections_visible_to,
)
from silvershield.entities.queries import entities_visible_to, get_entity_for_user
from silvershield.entities.services import add_hazard, record_inspection, update_hazard
from silvershield.leads.queries import leads_visible_to

PAGE_SIZE = 50


def _require_entity_access(user: User) -> None:
    if not can_see_entities(user):
        raise DjangoPermissionDenied


def _page(queryset: Any, cursor: str) -> tuple[list[Entity], str, bool]:
    """A keyset page by (name, id): the registry holds hundreds of thousands of entities."""
    queryset = queryset.order_by("name", "id")
    if cursor:
        key = decode_key(cursor, size=2)
        if key is None or not isinstance(key[0], str) or not isinstance(key[1], int):
            return [], "", False
        queryset = queryset.filter(Q(name__gt=key[0]) | Q(name=key[0], id__gt=key[1]))
    rows = list(queryset[: PAGE_SIZE + 1])
    next_cursor = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        next_cursor = encode_key([rows[-1].name, rows[-1].pk])
    return rows, next_cursor, True


@login_required
def entity_list(request: HttpRequest) -> HttpResponse:
    _require_entity_access(request.user)
    form = EntityFilterForm(request.GET, user=request.user)
    errors: list[str] = []
    rows: list[Entity] = []
    next_cursor = ""
    if form.is_valid():
        rows, next_cursor, valid = _page(
            form.filter(entities_visible_to(request.user)), request.GET.get("after", "")
        )
        if not valid:
            errors.append(_("Page: the page link is not valid; start again from the first page."))
    else:
        errors = form.error_messages()
    export_params = request.GET.copy()
    export_params.pop("after", None)
    by_division = {}
    tiers = {}
    if form.is_valid():
        filtered = form.filter(entities_visible_to(request.user))
        by_division = {
            r["division__name"]: r["n"]
            for r in filtered.values("division__name").annotate(n=Count("id")).order_by()
        }
        tiers = {r["risk_tier"]: r["n"] for r in filtered.values("risk_tier").annotate(n=Count("id")).order_by()}
    context = {
        "map_data": [{"name": k, "value": v} for k, v in by_division.items()],
        "can_see_hazards": request.user.role in HAZARD_ROLES,
        "tier_counts": [(t, tiers.get(t, 0)) for t in "ABCD"],
        "first_visit_count": alerts_visible_to(request.user).filter(
            kind=AlertKind.FIRST_VISIT, state__in=[AlertState.OPEN, AlertState.ACKNOWLEDGED]
        ).count() if request.user.role in HAZARD_ROLES else 0,
        "form": form,
        "filter_errors": errors,
        "rows": rows,
        "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("after"),
        "export_query": export_params.urlencode(),
    }
    return render_page(
        request,
        template="entities/list.html",
        partial="entities/_list_results.html",
        context=context,
        status=400 if errors else 200,
    )


@login_required
def export_entities(request: HttpRequest) -> HttpResponse:
    _require_entity_access(request.user)
    form = EntityFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, "；".join(form.error_messages()))
        return redirect(reverse("entities:list"))
    field = Entity._meta.get_field
    names = [
        "uscc",
        "name",
        "legal_representative",
        "address",
        "phone",
        "division",
        "business_scope",
        "status",
        "registration_date",
        "is_elderly_related",
        "elderly_category",
        "elderly_keywords",
        "risk_tier",
        "risk_score",
    ]
    headers = [str(field(name).verbose_name) for name in names]
    yes, no = _("Yes"), _("No")
    rows = (
        [
            e.uscc,
            e.name,
            e.legal_representative,
            e.address,
            e.phone,
            e.division.name,
            e.business_scope,
            e.get_status_display(),
            e.registration_date,
            yes if e.is_elderly_related else no,
            e.get_elderly_category_display(),
            e.elderly_keywords,
            e.risk_tier,
            e.risk_score,
        ]
        for e in form.filter(entities_visible_to(request.user))
        .order_by("name", "id")
        .iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"{_('Market entities')}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Market entities"),
        headers=headers,
        rows=rows,
        widths=[22, 34, 12, 36, 16, 10, 60, 10, 12, 10, 14, 24, 8, 8],
    )


@login_required
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_entity_access(request.user)
    entity = get_entity_for_user(request.user, pk)
    leads = (
        leads_visible_to(request.user)
        .filter(party_entity=entity)
        .defer("reporter_name", "reporter_phone", "reporter_id_number")
        .order_by("-received_date", "-id")
    )
    inspections = list(filter_inspections(inspections_visible_to(request.user), entity=entity.pk)[:20])
    context = {
        "entity": entity,
        "leads": list(leads[:100]),
        "leads_count": leads.count(),
        "cases": list(
            cases_visible_to(request.user).filter(party_entity=entity).order_by("-opened_on", "-id")[:100]
        ),
        "timeline": build_timeline(entity, state_labels=dict(EntityStatus.choices), table=None),
        "reasons": describe_reasons(entity.elderly_reasons),
        "factors": _factor_rows(entity.risk_factors),
        "tier_rule": RiskTierRule.objects.filter(tier=entity.risk_tier, active=True).first() if entity.risk_tier else None,
        "hazards": list(entity.hazards.select_related("owner")),
        "alerts": list(alerts_visible_to(request.user).filter(entity=entity)),
        "inspections": inspections,
        "can_record_inspection": can_record_inspection(request.user, entity),
        "awaiting_first_visit": GateAlert.objects.filter(
            entity=entity, kind=AlertKind.FIRST_VISIT, state__in=[AlertState.OPEN, AlertState.ACKNOWLEDGED]
        ).exists(),
        "can_keep_hazards": request.user.role in HAZARD_ROLES,
        "hazard_form": HazardForm(initial={"found_on": timezone.localdate()}),
        "hazard_statuses": HazardStatus.choices,
    }
    return render_page(request, template="entities/detail.html", partial=None, context=context)


# Who keeps the hazard ledger and sees gate flags: the ledger roles and the registration section.
HAZARD_ROLES = LEDGER_KEEPING_ROLES
IMPORT_ROLES = frozenset({"registration_section", "legal_officer"})


def _factor_rows(factors: list[dict]) -> list[dict]:
    labels = dict(RiskFactor.choices)
    categories = dict(ElderlyCategory.choices)
    rows = []
    for f in factors or []:
        label = str(labels.get(f.get("factor"), f.get("factor")))
        if f.get("factor") == "category":
            label = f"{label}：{categories.get(f.get('category'), f.get('category'))}"
        if f.get("shops"):
            label = f"{label}（{f['shops']}）"
        rows.append({**f, "label": label})
    return rows


def _domain_error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc))


@login_required
def add_hazard_view(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_entity_for_user(request.user, pk)
    if request.method != "POST" or request.user.role not in HAZARD_ROLES:
        raise DjangoPermissionDenied
    form = HazardForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items()))
    else:
        try:
            add_hazard(entity=entity, actor=request.user, owner=request.user, **form.cleaned_data)
            messages.success(request, _("Hazard entered in the ledger."))
        except DomainError as exc:
            _domain_error(request, exc)
    return redirect(reverse("entities:detail", args=[entity.pk]) + "#hazards")


def hazards_visible_to(user: User):
    if user.role not in HAZARD_ROLES:
        return HazardItem.objects.none()
    return HazardItem.objects.select_related("entity", "entity__division", "owner").filter(
        entity__in=entities_visible_to(user)
    )


@login_required
def update_hazard_view(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    item = get_object_or_404(hazards_visible_to(request.user), pk=pk)
    if request.method != "POST":
        raise DjangoPermissionDenied
    try:
        update_hazard(
            item=item, actor=request.user, status=request.POST.get("status") or None,
            done_on=request.POST.get("done_on", "-") or None if "done_on" in request.POST else "-",
        )
        messages.success(request, _("Rectification updated."))
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect(reverse("entities:detail", args=[item.entity_id]) + "#hazards")


def _filtered_hazards(request: HttpRequest):
    queryset = hazards_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in HazardStatus.values:
        queryset = queryset.filter(status=status)
    division = request.GET.get("division", "")
    if division:
        queryset = queryset.filter(entity__division_id=division)
    if request.GET.get("overdue"):
        queryset = queryset.exclude(status=HazardStatus.RECTIFIED).filter(due_on__lt=timezone.localdate())
    return queryset.order_by("-found_on", "-id")


@login_required
def hazard_ledger(request: HttpRequest) -> HttpResponse:
    if request.user.role not in HAZARD_ROLES:
        raise DjangoPermissionDenied
    from silvershield.core.queries import reachable_divisions

    rows = list(_filtered_hazards(request)[:500])
    return render_page(request, template="entities/hazards.html", partial=None, context={
        "rows": rows, "statuses": HazardStatus.choices, "divisions": reachable_divisions(request.user),
        "query": request.GET.urlencode(), "today": timezone.localdate(),
    })


@login_required
def export_hazards(request: HttpRequest) -> HttpResponse:
    if request.user.role not in HAZARD_ROLES:
        raise DjangoPermissionDenied
    headers = [_("Entity"), _("Unified social credit code"), _("Division"), _("Hazard"), _("Found on"), _("Source"),
               _("Owner"), _("Rectification"), _("Rectify by"), _("Rectified on")]
    rows = (
        [h.entity.name, h.entity.uscc, h.entity.division.name, h.description, h.found_on, h.get_source_display(),
         h.owner.display_name if h.owner else "", h.get_status_display(), h.due_on, h.done_on]
        for h in _filtered_hazards(request).iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"{_('Risk and hazard ledger')}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Risk and hazard ledger"), headers=[str(h) for h in headers], rows=rows,
        widths=[34, 22, 10, 50, 12, 10, 10, 10, 12, 12],
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    queryset = alerts_visible_to(request.user)
    if not (request.user.role in HAZARD_ROLES or request.user.role in ALERT_ACT_ROLES):
        raise DjangoPermissionDenied
    state = request.GET.get("state", "unresolved")
    if state == "unresolved":
        queryset = queryset.filter(state__in=[AlertState.OPEN, AlertState.ACKNOWLEDGED])
    elif state in AlertState.values:
        queryset = queryset.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind in AlertKind.values:
        queryset = queryset.filter(kind=kind)
    return render_page(request, template="entities/alerts.html", partial=None, context={
        "rows": list(queryset[:500]), "state": state, "kind": kind, "kinds": AlertKind.choices,
        "states": AlertState.choices, "can_act": request.user.role in ALERT_ACT_ROLES,
        "can_inspect": can_record_inspection(request.user),
    })


@login_required
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk)
    if request.method != "POST":
        raise DjangoPermissionDenied
    try:
        if request.POST.get("action") == "acknowledge":
            acknowledge_alert(alert=alert, actor=request.user)
            messages.success(request, _("Alert acknowledged."))
        else:
            resolve_alert(alert=alert, actor=request.user, note=request.POST.get("resolution", ""))
            messages.success(request, _("Alert resolved."))
    except DomainError as exc:
        _domain_error(request, exc)
    return redirect(reverse("entities:alerts"))


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if request.user.role not in IMPORT_ROLES:
        raise DjangoPermissionDenied
    from silvershield.entities.importer import BadRow, import_entities, read_rows
    from silvershield.entities.risk import recompute_risk

    form = ImportForm(request.POST or None, request.FILES or None)
    run = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = import_entities(
                read_rows(upload.name, upload.file), file_name=upload.name, actor=request.user,
                skip_bad=form.cleaned_data["skip_bad"],
            )
            if run.status == ImportRun.Status.DONE and run.touched_ids:
                recompute_risk(run.touched_ids if len(run.touched_ids) < 20000 else None)
            return redirect(reverse("entities:import_run", args=[run.pk]))
        except BadRow as exc:
            form.add_error("file", exc.message)
    runs = ImportRun.objects.filter(started_by__unit=request.user.unit)[:20]
    return render_page(request, template="entities/import.html", partial=None, context={"form": form, "runs": runs})


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.role not in IMPORT_ROLES:
        raise DjangoPermissionDenied
    from django.shortcuts import get_object_or_404

    run = get_object_or_404(ImportRun.objects.filter(started_by__unit=request.user.unit), pk=pk)
    return render_page(request, template="entities/import_run.html", partial=None, context={"run": run})


# --- inspections -------------------------------------------------------------------------------------


@login_required
def record_inspection_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an inspection (or first visit) of an entity in the person's jurisdiction (else 404)."""
    entity = get_entity_for_user(request.user, pk)
    if not can_record_inspection(request.user, entity):
        raise DjangoPermissionDenied
    form = InspectionForm(
        request.POST or None, officers=inspecting_officers(entity=entity, among=request.user),
        initial={"inspected_on": timezone.localdate(), "officers": [request.user.pk],
                 "result": InspectionResult.OK},
    )
    first_visit = GateAlert.objects.filter(
        entity=entity, kind=AlertKind.FIRST_VISIT, state__in=[AlertState.OPEN, AlertState.ACKNOWLEDGED]
    ).exists()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                data = form.service_data(leading=request.user)
                record_inspection(entity=entity, actor=request.user, **data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.http_status
            else:
                done = _("Inspection recorded; the first-visit flag is resolved.") if first_visit else None
                messages.success(request, done or _("Inspection recorded."))
                return redirect(reverse("entities:detail", args=[entity.pk]) + "#inspections")
    context = {
        "entity": entity, "form": form, "form_errors": form.error_messages() if form.errors else [],
        "first_visit": first_visit,
    }
    return render_page(
        request, template="entities/inspection_form.html", partial=None, status=status, context=context
    )


def _inspection_rows(request: HttpRequest) -> tuple[InspectionFilterForm, Any]:
    form = InspectionFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    return form, filter_inspections(inspections_visible_to(request.user), **form.filters())


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    if not can_see_inspections(request.user):
        raise DjangoPermissionDenied
    from django.core.paginator import Paginator

    form, queryset = _inspection_rows(request)
    page = Paginator(queryset if queryset is not None else Inspection.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render_page(request, template="entities/inspections.html", partial=None,
                       status=400 if form.errors else 200, context={
                           "form": form, "filter_errors": form.error_messages() if form.errors else [],
                           "page": page, "rows": rows, "query": params.urlencode(),
                       })


@login_required
def export_inspections(request: HttpRequest) -> HttpResponse:
    if not can_see_inspections(request.user):
        raise DjangoPermissionDenied
    form, queryset = _inspection_rows(request)
    if queryset is None:
        messages.error(request, "；".join(form.error_messages()))
        return redirect(reverse("entities:inspections"))
    yes, no = _("Yes"), _("No")
    # iterator(chunk_size=…) runs the officers' prefetch once per chunk of 500.
    rows = (
        [i.inspected_on, i.entity.name, i.entity.uscc, i.entity.division.name, i.get_result_display(),
         yes if i.is_first_visit else no, "、".join(i.officer_names), i.note]
        for i in queryset.iterator(chunk_size=500)
    )
    headers = [
        _("Inspected on"), _("Entity"), _("Unified social credit code"), _("Division"),
        pgettext("inspection", "Result"), _("First visit"), pgettext("inspection", "Officers"), _("Findings"),
    ]
    return xlsx_response(
        filename=f"{_('Inspections')}-{timezone.localdate():%Y-%m-%d}.xlsx", title=_("Inspections"),
        headers=[str(h) for h in headers], rows=rows, widths=[12, 34, 22, 10, 12, 8, 24, 60],
    )

