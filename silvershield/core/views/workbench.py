"""The workbench (工作台): what waits for the signed-in person, by their role, with its due dates.

Each queue is a scoped query (leads_visible_to / cases_visible_to) narrowed to the states the person's
role acts on in the transition tables, so the workbench never lists an item the person cannot open or
act on. Every count links to the ledger filtered the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from silvershield.cases.models import CaseState
from silvershield.cases.queries import cases_visible_to
from silvershield.core.models import Role, User
from silvershield.core.permissions import OWN_SUBMISSION_ROLES
from silvershield.leads.models import LeadState
from silvershield.leads.queries import leads_visible_to

ITEMS_PER_QUEUE = 8
# Reporter columns are never needed here; deferring them also skips their decryption.
_LEAD_SECRET_COLUMNS = ("reporter_name", "reporter_phone", "reporter_id_number")


@dataclass
class Queue:
    title: Any
    hint: Any
    kind: str  # "lead" or "case"
    count: int
    url: str
    items: list[Any]


def _queue(
    *, title: Any, hint: Any, kind: str, queryset: QuerySet, url_name: str, params: dict[str, str]
) -> Queue:
    # Soonest deadline first; items with no clock yet (unregistered leads) after them, oldest first.
    ordered = queryset.order_by(F("due_date").asc(nulls_last=True), "id")
    return Queue(
        title=title,
        hint=hint,
        kind=kind,
        count=queryset.count(),
        url=f"{reverse(url_name)}?{urlencode(params)}",
        items=list(ordered[:ITEMS_PER_QUEUE]),
    )


def _lead_queues(user: User) -> list[Queue]:
    leads = leads_visible_to(user).defer(*_LEAD_SECRET_COLUMNS)
    queues = []

    def add(title: Any, hint: Any, queryset: QuerySet, params: dict[str, str]) -> None:
        queues.append(
            _queue(
                title=title, hint=hint, kind="lead", queryset=queryset, url_name="leads:ledger", params=params
            )
        )

    if user.role == Role.LEGAL_OFFICER:
        add(
            _("Received leads to register"),
            _("Enter each on the registration form"),
            leads.filter(state=LeadState.RECEIVED),
            {"state": LeadState.RECEIVED},
        )
        add(
            _("Concluded leads to strike off"),
            _("Check the result, then strike off"),
            leads.filter(state=LeadState.CONCLUDED),
            {"state": LeadState.CONCLUDED},
        )
    if user.role in {Role.TASK_OFFICE, Role.UNIT_HEAD}:
        add(
            _("Registered leads to screen"),
            _("For the weekly screening meeting"),
            leads.filter(state=LeadState.REGISTERED),
            {"state": LeadState.REGISTERED},
        )
        add(
            _("Screened leads to dispatch"),
            _("Choose a handling unit and verifiers"),
            leads.filter(state=LeadState.SCREENED),
            {"state": LeadState.SCREENED},
        )
    if user.role == Role.UNIT_HEAD:
        # The ledger filters on one handling unit; a bureau's head heads every unit of the bureau, so
        # their link filters on the state alone, an institute head's on their institute.
        unit_params = {} if user.unit.is_bureau else {"unit": str(user.unit_id)}
        add(
            _("Leads under verification in my unit"),
            _("Approve opening a case, or conclude"),
            leads.filter(state=LeadState.VERIFYING, handling_unit__path__startswith=user.unit.path),
            {"state": LeadState.VERIFYING, **unit_params},
        )
    if user.role == Role.INVESTIGATOR:
        add(
            _("Leads dispatched to me"),
            _("Start verification"),
            leads.filter(state=LeadState.DISPATCHED, assignees=user),
            {"state": LeadState.DISPATCHED, "mine": "1"},
        )
        add(
            _("Leads I am verifying"),
            _("Record the result within the time limit"),
            leads.filter(state=LeadState.VERIFYING, assignees=user),
            {"state": LeadState.VERIFYING, "mine": "1"},
        )
    if user.role in OWN_SUBMISSION_ROLES:
        add(_("Leads I entered"), _("Their progress in the ledger"), leads, {})
    return queues


def _case_queues(user: User) -> list[Queue]:
    cases = cases_visible_to(user)
    queues = []

    def add(title: Any, hint: Any, queryset: QuerySet, params: dict[str, str]) -> None:
        queues.append(
            _queue(
                title=title, hint=hint, kind="case", queryset=queryset, url_name="cases:list", params=params
            )
        )

    if user.role == Role.REVIEWER:
        add(
            _("Cases in review"),
            _("Legal review and case review"),
            cases.filter(state=CaseState.IN_REVIEW).exclude(officers=user),
            {"state": CaseState.IN_REVIEW},
        )
        add(
            _("Cases in collective deliberation"),
            _("Notify the party once deliberated"),
            cases.filter(state=CaseState.DELIBERATION).exclude(officers=user),
            {"state": CaseState.DELIBERATION},
        )
    if user.role == Role.UNIT_HEAD:
        mine = cases.filter(handling_unit__path__startswith=user.unit.path)
        add(
            _("Cases awaiting the decision"),
            _("Record the penalty decision"),
            mine.filter(state=CaseState.NOTIFIED),
            {"state": CaseState.NOTIFIED},
        )
        add(
            _("Executed cases to close"),
            _("Approve closing"),
            mine.filter(state=CaseState.EXECUTED),
            {"state": CaseState.EXECUTED},
        )
    if user.role == Role.LEGAL_OFFICER:
        add(
            _("Closed cases to strike off"),
            _("The final check of the ledger"),
            cases.filter(state=CaseState.CLOSED),
            {"state": CaseState.CLOSED},
        )
    return queues


def _my_cases(user: User) -> QuerySet:
    """Open cases the person works on: as a case officer, or as head of the handling unit."""
    cases = cases_visible_to(user).exclude(
        state__in=[CaseState.CLOSED, CaseState.STRUCK_OFF, CaseState.TRANSFERRED_POLICE]
    )
    if user.role == Role.UNIT_HEAD:
        return cases.filter(handling_unit__path__startswith=user.unit.path).order_by(
            F("due_date").asc(nulls_last=True), "id"
        )
    return cases.filter(officers=user).order_by(F("due_date").asc(nulls_last=True), "id")


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    queues = _lead_queues(user) + _case_queues(user)
    # Only those who work cases have "my cases": officers on them and the heads of their units.
    works_cases = user.role in {Role.INVESTIGATOR, Role.UNIT_HEAD}
    my_cases = _my_cases(user) if works_cases else None
    context = {
        "queues": queues,
        "works_cases": works_cases,
        "my_cases": list(my_cases[:20]) if my_cases is not None else [],
        "my_cases_count": my_cases.count() if my_cases is not None else 0,
        "total_waiting": sum(q.count for q in queues),
        "today": timezone.localdate(),
    }
    return render(request, "core/workbench.html", context)
