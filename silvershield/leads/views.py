"""Lead pages: the ledger (台账) with its Excel export, the registration form, and the lead page with
its timeline, the reporter's masked identity and the transitions the person may take.

Every read goes through leads_visible_to / get_lead_for_user, so a lead outside the person's reach is a
404 here exactly as in the API; every write is a call to leads.services or leads.workflow.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silvershield.cases.queries import cases_visible_to
from silvershield.core.errors import DomainError, PermissionDenied
from silvershield.core.models import Role, User
from silvershield.core.permissions import OWN_SUBMISSION_ROLES, can_see_ledger
from silvershield.core.queries import bureau_of, reachable_units
from silvershield.core.views.pages import (
    FieldSpec,
    TransitionAttempt,
    attempt_transition,
    build_timeline,
    build_transition_forms,
    finish_transition,
    posted_value,
    render_page,
    xlsx_response,
)
from silvershield.core.workflow import Transition
from silvershield.leads.forms import LeadForm, LedgerFilterForm, lead_transition_params
from silvershield.leads.models import FraudCategory, Lead, LeadState, Outcome, Priority
from silvershield.leads.permissions import can_edit_lead, can_reveal_reporter
from silvershield.leads.queries import (
    decode_cursor,
    encode_cursor,
    filter_ledger,
    get_lead_for_user,
    leads_visible_to,
    ledger_page,
)
from silvershield.leads.services import create_lead, reveal_reporter, update_lead
from silvershield.leads.registration import (
    export_queryset,
    form_context,
    render_docx,
    ledger_export_headers,
    ledger_export_row,
    registration_check_context,
)
from silvershield.leads.workflow import LEAD_TRANSITIONS, available_lead_transitions, run_lead_transition

PAGE_SIZE = 50
# Never loaded for lists and exports: not needed, and loading them would decrypt them.
REPORTER_COLUMNS = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address")
# Roles that enter leads: the legal officer registers, the 12315 operator enters calls.
ENTERING_ROLES = frozenset({Role.LEGAL_OFFICER, Role.HOTLINE_OPERATOR})


def _require_ledger_access(user: User) -> None:
    if not (can_see_ledger(user) or user.role in OWN_SUBMISSION_ROLES):
        raise DjangoPermissionDenied


def _filtered_ledger(request: HttpRequest) -> tuple[LedgerFilterForm, Any]:
    form = LedgerFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    queryset = filter_ledger(leads_visible_to(request.user), form.to_filter(), user=request.user)
    return form, queryset.defer(*REPORTER_COLUMNS)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    _require_ledger_access(request.user)
    form, queryset = _filtered_ledger(request)
    errors = form.error_messages() if queryset is None else []
    after = None
    if request.GET.get("after"):
        after = decode_cursor(request.GET["after"])
        if after is None:
            errors.append(_("Page: the page link is not valid; start again from the first page."))
    rows, next_key = ([], None) if errors else ledger_page(queryset, after=after, size=PAGE_SIZE)
    context = {
        "form": form,
        "filter_errors": errors,
        "rows": rows,
        "next_cursor": encode_cursor(next_key),
        "is_first_page": after is None,
        "can_create": request.user.role in ENTERING_ROLES,
        "export_query": _query_without(request, "after"),
    }
    return render_page(
        request,
        template="leads/ledger.html",
        partial="leads/_ledger_results.html",
        context=context,
        status=400 if errors else 200,
    )


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
def export_ledger(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as Excel, one row per lead; the reporter's identity is never exported."""
    _require_ledger_access(request.user)
    form, queryset = _filtered_ledger(request)
    if queryset is None:
        messages.error(request, "；".join(form.error_messages()))
        return redirect(f"{reverse('leads:ledger')}?{_query_without(request, 'after')}")
    headers, widths = ledger_export_headers()
    rows = (ledger_export_row(lead) for lead in export_queryset(queryset).iterator(chunk_size=2000))
    return xlsx_response(
        filename=f"{_('Lead ledger')}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Lead ledger"),
        headers=headers,
        rows=rows,
        widths=widths,
    )


@login_required
def new_lead(request: HttpRequest) -> HttpResponse:
    if request.user.role not in ENTERING_ROLES:
        raise DjangoPermissionDenied
    initial = {"received_date": timezone.localdate(), "division": request.user.bureau.division_id}
    if request.user.role == Role.HOTLINE_OPERATOR:
        initial["channel"] = "hotline"
    form = LeadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    return _lead_form_page(
        request, form=form, lead=None, title=_("New lead"),
        save=lambda fields: _create_with_attachments(request.user, fields, form.cleaned_data.get("attachments") or []),
        saved_message=_("The lead has been received. Register it to give it a number."),
    )


ATTACHMENT_KINDS = ("image", "pdf", "docx")


def _create_with_attachments(user: User, fields: dict[str, Any], files: list[Any]) -> Lead:
    """The lead and its files together, or neither: each file's type and size checked first."""
    from django.db import transaction

    from silvershield.core.uploads import store_attachment, validate_upload

    for uploaded in files:
        validate_upload(uploaded, field="attachments", kinds=ATTACHMENT_KINDS)
    with transaction.atomic():
        lead = create_lead(actor=user, **fields)
        for uploaded in files:
            store_attachment(lead=lead, uploaded_file=uploaded, actor=user)
    return lead


def _lead_form_page(request: HttpRequest, *, form: LeadForm, lead, title, save, saved_message) -> HttpResponse:
    """The registration form, for a new lead and for corrections: save, or show each error at its field."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.service_fields())
        except DomainError as error:
            _attach_error(form, error)
        else:
            messages.success(request, saved_message)
            return redirect("leads:detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, template="leads/form.html", partial=None,
        context={"form": form, "lead": lead, "title": title}, status=status,
    )


def _attach_error(form: LeadForm, error: DomainError) -> None:
    """Show a domain error next to the field it names (or above the form when it names none we show)."""
    field = "party_uscc" if error.field == "party_entity" else error.field
    if field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


@login_required
def edit_lead(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)
    if not can_edit_lead(lead, request.user):
        raise DjangoPermissionDenied
    form = LeadForm(request.POST or None, user=request.user, lead=lead, initial=LeadForm.initial_for(lead))
    return _lead_form_page(
        request, form=form, lead=lead, title=_("Edit registration data"),
        save=lambda fields: update_lead(lead=lead, actor=request.user, **fields),
        saved_message=_("The registration data has been saved."),
    )


# --- the lead page ---------------------------------------------------------------------------------


def _investigator_options(user: User) -> list[tuple[str, str]]:
    """Investigators the person can dispatch to: active, credentialed, in their bureau or below."""
    people = (
        User.objects.filter(
            role=Role.INVESTIGATOR, is_active=True, unit__path__startswith=bureau_of(user).path
        )
        .exclude(credential_number="")
        .select_related("unit")
        .order_by("unit__path", "full_name")
    )
    return [(str(p.pk), f"{p.display_name}（{p.unit.name}）") for p in people]


def _field_builder(lead: Lead, user: User):
    def build(transition: Transition, attempt: TransitionAttempt | None) -> list[FieldSpec]:
        specs = []
        choose = [("", _("Please choose"))]
        for name in transition.fields:
            if name == "category":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("category").verbose_name),
                        kind="select",
                        options=choose + [(v, str(label)) for v, label in FraudCategory.choices],
                        value=posted_value(name, attempt, lead.category),
                        required=True,
                    )
                )
            elif name == "priority":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("priority").verbose_name),
                        kind="select",
                        options=[(v, str(label)) for v, label in Priority.choices],
                        value=posted_value(name, attempt, lead.priority),
                    )
                )
            elif name == "handling_unit":
                units = reachable_units(user).only("pk", "name", "path")
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("handling_unit").verbose_name),
                        kind="select",
                        options=choose + [(str(u.pk), u.name) for u in units],
                        value=posted_value(name, attempt, lead.handling_unit_id or ""),
                        required=True,
                    )
                )
            elif name == "assignees":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("assignees").verbose_name),
                        kind="multiselect",
                        options=_investigator_options(user),
                        value=posted_value(name, attempt, [str(p.pk) for p in lead.assignees.all()]),
                        required=True,
                        help=_("Hold Ctrl (⌘ on a Mac) to choose several officers."),
                    )
                )
            elif name == "outcome":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("outcome").verbose_name),
                        kind="select",
                        options=choose
                        + [(v, str(label)) for v, label in Outcome.choices if v != Outcome.CASE_OPENED],
                        value=posted_value(name, attempt, ""),
                        required=True,
                        help=_("To open a case, the unit head uses “Open a case”."),
                    )
                )
            elif name == "result":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("result").verbose_name),
                        kind="textarea",
                        value=posted_value(name, attempt, ""),
                        required=True,
                    )
                )
            elif name == "merged_into":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=capfirst(Lead._meta.get_field("merged_into").verbose_name),
                        kind="text",
                        value=posted_value(name, attempt, ""),
                        required=True,
                        help=_("The number of the surviving lead, e.g. 红市监线〔2026〕00017号."),
                    )
                )
            elif name == "title":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=_("Case title"),
                        kind="text",
                        value=posted_value(name, attempt, ""),
                        help=_("Leave empty for “<party> suspected violation case”."),
                    )
                )
        return specs

    return build


def _render_lead(
    request: HttpRequest,
    lead: Lead,
    *,
    attempt: TransitionAttempt | None = None,
    status: int = 200,
    revealed: dict[str, str] | None = None,
    reveal_error: str = "",
) -> HttpResponse:
    user = request.user
    forms = build_transition_forms(
        available_lead_transitions(lead, user), build_fields=_field_builder(lead, user), attempt=attempt
    )
    case_visible = bool(lead.case_id) and cases_visible_to(user).filter(pk=lead.case_id).exists()
    context = {
        "lead": lead,
        "assignees": list(lead.assignees.select_related("unit").order_by("full_name")),
        "transition_forms": forms,
        "action_url": reverse("leads:transition", args=[lead.pk]),
        "timeline": build_timeline(lead, state_labels=dict(LeadState.choices), table=LEAD_TRANSITIONS),
        "can_reveal": can_reveal_reporter(lead, user) and bool(lead.reporter_name or lead.reporter_phone),
        "revealed": revealed,
        "reveal_error": reveal_error,
        "reveal_reason": request.POST.get("reason", "") if reveal_error else "",
        "can_edit": can_edit_lead(lead, user),
        "case_visible": case_visible,
        "merged_leads": list(leads_visible_to(user).filter(merged_into=lead).defer(*REPORTER_COLUMNS)),
        **registration_check_context(lead, user),
    }
    response = render_page(
        request,
        template="leads/detail.html",
        partial="leads/_detail_body.html",
        context=context,
        status=status,
    )
    if revealed:
        # The reporter's identity must not stay in a browser or proxy cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_lead(request, get_lead_for_user(request.user, pk))


@login_required
@require_POST
def lead_transition(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)

    def run(**kwargs: Any) -> Lead:
        return run_lead_transition(lead=lead, **kwargs)

    attempt = attempt_transition(
        request, obj=lead, table=LEAD_TRANSITIONS, parse_params=lead_transition_params, run=run
    )
    return finish_transition(
        request,
        attempt=attempt,
        success_url=reverse("leads:detail", args=[pk]),
        render_detail=lambda failed, status: _render_lead(
            request, get_lead_for_user(request.user, pk), attempt=failed, status=status
        ),
    )


@login_required
@require_POST
def reveal_lead_reporter(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's identity once, after a stated reason that the audit log keeps."""
    lead = get_lead_for_user(request.user, pk)
    try:
        revealed = reveal_reporter(lead=lead, actor=request.user, reason=request.POST.get("reason", ""))
    except PermissionDenied as error:
        return _render_lead(request, lead, status=403, reveal_error=error.message)
    except DomainError as error:
        return _render_lead(request, lead, status=error.http_status, reveal_error=error.message)
    return _render_lead(request, lead, revealed=revealed)


# --- the registration form: print, Word, and the checks at registration ------------------------------


def _form_reveal(request: HttpRequest, lead: Lead) -> tuple[dict[str, str] | None, str]:
    """On POST with a reason, the reporter's identity for the form (logged); otherwise masked."""
    if request.method != "POST":
        return None, ""
    try:
        return reveal_reporter(lead=lead, actor=request.user, reason=request.POST.get("reason", "")), ""
    except DomainError as error:
        return None, error.message


@login_required
def print_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The registration form as a printable A4 page."""
    lead = get_lead_for_user(request.user, pk)
    revealed, error = _form_reveal(request, lead)
    response = render_page(
        request, template="leads/print_form.html", partial=None,
        context={
            "lead": lead, "form": form_context(lead, revealed=revealed), "reveal_error": error,
            "can_reveal": can_reveal_reporter(lead, request.user) and bool(lead.reporter_name or lead.reporter_phone),
        },
        status=400 if error else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def form_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The registration form as a Word document (docxtpl template leads/data/registration_form.docx)."""
    from urllib.parse import quote

    lead = get_lead_for_user(request.user, pk)
    revealed, error = _form_reveal(request, lead)
    if error:
        messages.error(request, error)
        return redirect("leads:print_form", pk=pk)
    response = HttpResponse(
        render_docx(lead, revealed=revealed),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"{_('Case-source registration form')}-{lead.number or lead.pk}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def link_entity(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer picks one of the entity candidates: it becomes the lead's party_entity (audited)."""
    from silvershield.entities.queries import entities_visible_to

    lead = get_lead_for_user(request.user, pk)
    if not can_edit_lead(lead, request.user):
        raise DjangoPermissionDenied
    entity = entities_visible_to(request.user).filter(pk=request.POST.get("entity") or 0).first()
    if entity is None:
        messages.error(request, _("No registered entity with this code in your jurisdiction"))
    else:
        try:
            update_lead(lead=lead, actor=request.user, party_entity=entity)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The party is linked to %(name)s.") % {"name": entity.name})
    return redirect("leads:detail", pk=pk)


@login_required
@require_POST
def dismiss_duplicate_view(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """The officer decides the other lead is not a duplicate of this one: it is not proposed again."""
    from silvershield.leads.duplicates import dismiss_duplicate

    lead = get_lead_for_user(request.user, pk)
    other_lead = get_lead_for_user(request.user, other)
    try:
        dismiss_duplicate(lead=lead, other=other_lead, actor=request.user, reason=request.POST.get("reason", ""))
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Not a duplicate: %(number)s will not be proposed again.") % {"number": other_lead.display_number})
    return redirect("leads:detail", pk=pk)
