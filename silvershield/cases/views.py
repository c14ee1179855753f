"""Case pages: the case list and the case page with its officers, linked leads, due date, timeline and
the transitions the person may take (the same machinery as the lead page, core/views/pages.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silvershield.cases.forms import CaseFilterForm, case_transition_params
from silvershield.cases.models import Case, CaseState
from silvershield.cases.queries import cases_visible_to, get_case_for_user
from silvershield.cases.workflow import CASE_TRANSITIONS, available_case_transitions, run_case_transition
from silvershield.core.models import User
from silvershield.core.views.pages import (
    FieldSpec,
    TransitionAttempt,
    attempt_transition,
    build_timeline,
    build_transition_forms,
    decode_key,
    encode_key,
    finish_transition,
    posted_value,
    render_page,
)
from silvershield.core.workflow import Transition
from silvershield.leads.queries import leads_visible_to

PAGE_SIZE = 50


def _page(queryset: Any, cursor: str) -> tuple[list[Case], str, bool]:
    """A keyset page by (opened_on desc, id desc); (rows, next cursor, cursor was valid)."""
    queryset = queryset.order_by("-opened_on", "-id")
    if cursor:
        key = decode_key(cursor, size=2)
        if key is None:
            return [], "", False
        try:
            opened, pk = date.fromisoformat(str(key[0])), int(key[1])
        except (TypeError, ValueError):
            return [], "", False
        queryset = queryset.filter(Q(opened_on__lt=opened) | Q(opened_on=opened, id__lt=pk))
    rows = list(queryset[: PAGE_SIZE + 1])
    next_cursor = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        next_cursor = encode_key([rows[-1].opened_on.isoformat(), rows[-1].pk])
    return rows, next_cursor, True


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET, user=request.user)
    errors: list[str] = []
    rows: list[Case] = []
    next_cursor = ""
    if form.is_valid():
        rows, next_cursor, valid = _page(
            form.filter(cases_visible_to(request.user)), request.GET.get("after", "")
        )
        if not valid:
            errors.append(_("Page: the page link is not valid; start again from the first page."))
    else:
        errors = form.error_messages()
    context = {
        "form": form,
        "filter_errors": errors,
        "rows": rows,
        "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("after"),
    }
    return render_page(
        request,
        template="cases/list.html",
        partial="cases/_list_results.html",
        context=context,
        status=400 if errors else 200,
    )


def _field_builder(case: Case):
    def build(transition: Transition, attempt: TransitionAttempt | None) -> list[FieldSpec]:
        specs = []
        for name in transition.fields:
            label = capfirst(Case._meta.get_field(name).verbose_name)
            if name == "fine_amount":
                specs.append(
                    FieldSpec(
                        name=name,
                        label=label,
                        kind="number",
                        value=posted_value(name, attempt, ""),
                        help=_("In yuan; leave empty when there is no fine."),
                    )
                )
            else:
                specs.append(
                    FieldSpec(
                        name=name,
                        label=label,
                        kind="textarea",
                        value=posted_value(name, attempt, ""),
                        required=True,
                    )
                )
        return specs

    return build


def _render_case(
    request: HttpRequest, case: Case, *, attempt: TransitionAttempt | None = None, status: int = 200
) -> HttpResponse:
    user: User = request.user
    forms = build_transition_forms(
        available_case_transitions(case, user), build_fields=_field_builder(case), attempt=attempt
    )
    context = {
        "case": case,
        "officers": list(case.officers.select_related("unit").order_by("full_name")),
        "leads": list(
            leads_visible_to(user)
            .filter(case=case)
            .defer("reporter_name", "reporter_phone", "reporter_id_number")
        ),
        "transition_forms": forms,
        "action_url": reverse("cases:transition", args=[case.pk]),
        "timeline": build_timeline(case, state_labels=dict(CaseState.choices), table=CASE_TRANSITIONS),
    }
    return render_page(
        request,
        template="cases/detail.html",
        partial="cases/_detail_body.html",
        context=context,
        status=status,
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, get_case_for_user(request.user, pk))


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)

    def run(**kwargs: Any) -> Case:
        return run_case_transition(case=case, **kwargs)

    attempt = attempt_transition(
        request, obj=case, table=CASE_TRANSITIONS, parse_params=case_transition_params, run=run
    )
    return finish_transition(
        request,
        attempt=attempt,
        success_url=reverse("cases:detail", args=[pk]),
        render_detail=lambda failed, status: _render_case(
            request, get_case_for_user(request.user, pk), attempt=failed, status=status
        ),
    )
