"""Entity pages: the registry list (with Excel export) and the entity page with the leads and cases
about it that the person may see, and its audit history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silvershield.cases.queries import cases_visible_to
from silvershield.core.models import User
from silvershield.core.permissions import can_see_entities
from silvershield.core.views.pages import build_timeline, decode_key, encode_key, render_page, xlsx_response
from silvershield.entities.forms import EntityFilterForm
from silvershield.entities.models import Entity, EntityStatus
from silvershield.entities.queries import entities_visible_to, get_entity_for_user
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
    context = {
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
        widths=[22, 34, 12, 36, 16, 10, 60, 10, 12, 10],
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
    context = {
        "entity": entity,
        "leads": list(leads[:100]),
        "leads_count": leads.count(),
        "cases": list(
            cases_visible_to(request.user).filter(party_entity=entity).order_by("-opened_on", "-id")[:100]
        ),
        "timeline": build_timeline(entity, state_labels=dict(EntityStatus.choices), table=None),
    }
    return render_page(request, template="entities/detail.html", partial=None, context=context)
