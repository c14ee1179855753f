"""Pages of the screening meeting: meetings, the agenda, decisions, carrying out, minutes, clusters, recusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silvershield.core.errors import DomainError
from silvershield.core.models import Role, User
from silvershield.core.queries import bureau_of
from silvershield.core.views.pages import xlsx_response
from silvershield.leads.models import Lead, LeadState, Priority
from silvershield.leads.queries import get_lead_for_user, leads_visible_to
from silvershield.screening import services
from silvershield.screening.agenda import build_agenda, find_cluster_view
from silvershield.screening.forms import ClusterForm, ConflictForm, DecisionForm, MeetingForm, attach_error
from silvershield.screening.models import Decision, Meeting, MeetingState
from silvershield.screening.permissions import (
    can_decide, can_declare_conflict, can_dispatch_urgent, can_open_meeting, can_see_screening,
)
from silvershield.screening.queries import conflicts_visible_to, get_meeting_for_user, meetings_visible_to
from silvershield.screening.rules import Recommender, city_enforcement_unit


def _require_screening(user: User) -> None:
    if not can_see_screening(user):
        raise DjangoPermissionDenied


def _open_meeting_of(user: User) -> Meeting | None:
    return Meeting.objects.filter(bureau=bureau_of(user), state=MeetingState.OPEN).first()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_screening(request.user)
    meetings = list(meetings_visible_to(request.user).prefetch_related("decisions")[:50])
    urgent = (
        leads_visible_to(request.user)
        .filter(state__in=[LeadState.REGISTERED, LeadState.SCREENED], screening_decisions__isnull=True)
        .filter(priority__in=[Priority.URGENT, Priority.HIGH])
        .select_related("division")
        .order_by("due_date", "id")[:20]
    )
    return render(request, "screening/index.html", {
        "meetings": meetings, "open_meeting": _open_meeting_of(request.user),
        "can_open": can_open_meeting(request.user), "can_urgent": can_dispatch_urgent(request.user),
        "urgent_leads": urgent,
    })


@login_required
def new_meeting(request: HttpRequest) -> HttpResponse:
    if not can_open_meeting(request.user):
        raise DjangoPermissionDenied
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.open_meeting(
                actor=request.user, held_on=data["held_on"], chair=data["chair"], attendees=list(data["attendees"]),
                outside_attendees=data["outside_attendees"], due_window_days=data["due_window_days"],
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The meeting is open; its agenda has been built."))
            return redirect("screening:meeting", pk=meeting.pk)
    return render(request, "screening/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    context = {"meeting": meeting, "can_decide": can_decide(request.user) and meeting.is_open,
               "can_carry_out": can_open_meeting(request.user) and meeting.is_open}
    if meeting.is_open:
        agenda = build_agenda(bureau=meeting.bureau, meeting=meeting)
        context["agenda"] = agenda
    context["decisions"] = list(
        meeting.decisions.select_related("lead", "lead__division", "handling_unit", "merged_into", "decided_by", "matter")
        .prefetch_related("verifiers")
    )
    context["attendees"] = list(meeting.attendees.select_related("unit"))
    return render(request, "screening/meeting.html", context)


@login_required
def decide(request: HttpRequest, pk: int, lead_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if not can_decide(request.user):
        raise DjangoPermissionDenied
    lead = get_lead_for_user(request.user, lead_pk)
    return _decision_page(request, lead=lead, meeting=meeting)


@login_required
def urgent(request: HttpRequest, lead_pk: int) -> HttpResponse:
    if not can_dispatch_urgent(request.user):
        raise DjangoPermissionDenied
    lead = get_lead_for_user(request.user, lead_pk)
    return _decision_page(request, lead=lead, meeting=None)


def _decision_page(request: HttpRequest, *, lead: Lead, meeting: Meeting | None) -> HttpResponse:
    from silvershield.screening.clusters import build_clusters, cluster_of, refresh_index

    refresh_index()
    recommender = Recommender(day=meeting.held_on if meeting else None)
    cluster = cluster_of(lead.pk, build_clusters())
    rec = recommender.recommend(lead, cluster=cluster)
    existing = Decision.objects.filter(lead=lead).select_related("meeting", "decided_by").first()
    order = [o.officer.pk for o in rec.officers]
    if existing is not None and (meeting is None or existing.meeting_id != meeting.pk):
        initial = {}
    elif existing is not None:
        initial = {
            "kind": existing.kind, "priority": existing.priority, "category": existing.category,
            "handling_unit": existing.handling_unit_id, "verifiers": list(existing.verifiers.values_list("pk", flat=True)),
            "may_become_case": existing.may_become_case,
            "merged_into": existing.merged_into.number if existing.merged_into_id else "",
            "transfer_department": existing.transfer_department, "reasons": existing.reasons, "version": existing.version,
        }
    else:
        initial = {
            "kind": "dispatch", "priority": Priority.URGENT if meeting is None else rec.priority,
            "category": lead.category, "handling_unit": rec.unit.pk if rec.unit else None,
            "verifiers": order[:2], "may_become_case": True,
            "reasons": "；".join([*map(str, rec.reasons), *rec.notes]),
        }
    form = DecisionForm(request.POST or None, user=request.user, officer_order=order, initial=initial)
    unit_out_of_reach = rec.unit is not None and not form.fields["handling_unit"].queryset.filter(pk=rec.unit.pk).exists()
    if unit_out_of_reach and not form.is_bound and "handling_unit" in form.initial:
        local = recommender.unit_for_division(lead.division_id)
        form.initial["handling_unit"] = local.pk if local else None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                data = form.service_data(user=request.user)
                if meeting is None:
                    data.pop("priority", None)
                    data.pop("kind", None)
                    services.urgent_dispatch(actor=request.user, lead=lead, recommendation=rec.as_json(), **data)
                else:
                    services.record_decision(
                        actor=request.user, lead=lead, meeting=meeting, recommendation=rec.as_json(),
                        expected_version=form.cleaned_data.get("version"), **data,
                    )
            except DomainError as error:
                attach_error(form, error)
                status = error.http_status
            else:
                if meeting is None:
                    messages.success(request, _("The urgent lead has been dispatched."))
                    return redirect("leads:detail", pk=lead.pk)
                messages.success(request, _("The decision has been recorded."))
                return redirect(f"{reverse('screening:meeting', args=[meeting.pk])}#lead-{lead.pk}")
    return render(request, "screening/decide.html", {
        "lead": lead, "meeting": meeting, "rec": rec, "form": form, "cluster": cluster, "existing": existing,
        "decided_elsewhere": existing is not None and (meeting is None or existing.meeting_id != meeting.pk),
        "unit_out_of_reach": unit_out_of_reach,
    }, status=status)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    decision = meeting.decisions.filter(pk=decision_pk).first()
    if decision is None:
        raise Http404
    try:
        services.withdraw_decision(actor=request.user, decision=decision)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision has been withdrawn."))
    return redirect("screening:meeting", pk=meeting.pk)


@login_required
@require_POST
def carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if not can_open_meeting(request.user):
        raise DjangoPermissionDenied
    version = request.POST.get("version")
    try:
        services.carry_out(actor=request.user, meeting=meeting, expected_version=int(version) if version else None)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("screening:meeting", pk=meeting.pk)
    messages.success(request, _("All decisions have been carried out: dispatch orders sent."))
    return redirect("screening:meeting", pk=meeting.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    try:
        services.cancel_meeting(actor=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("screening:meeting", pk=meeting.pk)


def _minutes_context(meeting: Meeting) -> dict:
    decisions = list(
        meeting.decisions.select_related("lead", "lead__division", "handling_unit", "merged_into", "matter")
        .prefetch_related("verifiers").order_by("id")
    )
    return {
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "outside": [line.strip() for line in meeting.outside_attendees.splitlines() if line.strip()],
        "decisions": decisions,
    }


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "screening/minutes.html", _minutes_context(meeting))


@login_required
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    from silvershield.screening.minutes import render_minutes

    meeting = get_meeting_for_user(request.user, pk)
    content = render_minutes(meeting)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    from urllib.parse import quote

    name = quote(f"筛查会纪要-{meeting.held_on:%Y%m%d}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def agenda_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    agenda = build_agenda(bureau=meeting.bureau, meeting=meeting) if meeting.is_open else None
    headers = ["线索编号", "类别分组", "区划", "当事人", "接收日期", "核查期限", "推荐承办单位", "推荐优先级", "推荐理由", "决定", "承办单位", "核查人员"]
    rows = []
    if agenda is not None:
        for item in agenda.items:
            d = item.decision
            rows.append([
                item.lead.display_number, str(dict(_group_labels())[item.group]), item.lead.division.name, item.lead.party_name,
                item.lead.received_date, item.lead.due_date, item.recommendation.unit.name if item.recommendation.unit else "",
                str(Priority(item.recommendation.priority).label), "；".join(map(str, item.recommendation.reasons)),
                d.get_kind_display() if d else "", d.handling_unit.name if d and d.handling_unit else "",
                "、".join(v.display_name for v in d.verifiers.all()) if d else "",
            ])
    else:
        for d in meeting.decisions.select_related("lead", "lead__division", "handling_unit").prefetch_related("verifiers"):
            rows.append([d.lead.display_number, "", d.lead.division.name, d.lead.party_name, d.lead.received_date,
                         d.lead.due_date, "", "", "", d.get_kind_display(), d.handling_unit.name if d.handling_unit else "",
                         "、".join(v.display_name for v in d.verifiers.all())])
    return xlsx_response(filename=f"筛查会议程-{meeting.held_on:%Y%m%d}.xlsx", title="筛查会议程", headers=headers,
                         rows=rows, widths=[24, 14, 12, 28, 12, 12, 30, 10, 60, 14, 30, 30])


def _group_labels():
    from silvershield.screening.rules import GROUPS

    return GROUPS


# --- clusters --------------------------------------------------------------------------------------------

@login_required
def clusters(request: HttpRequest) -> HttpResponse:
    _require_screening(request.user)
    agenda = build_agenda(bureau=bureau_of(request.user))
    return render(request, "screening/clusters.html", {"clusters": agenda.clusters})


@login_required
def cluster_detail(request: HttpRequest, key: str) -> HttpResponse:
    _require_screening(request.user)
    view = find_cluster_view(bureau=bureau_of(request.user), key=key)
    if view is None:
        raise Http404
    unit = city_enforcement_unit()
    people = User.objects.filter(role=Role.INVESTIGATOR, is_active=True).exclude(credential_number="").select_related("unit")
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    form = ClusterForm(request.POST or None, people=people.order_by("full_name"),
                       initial={"reasons": "共享" + "、".join(view.keys_display[:4]) + "，跨区连锁经营，报市局统一查处"})
    meeting = _open_meeting_of(request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if not can_decide(request.user):
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                matter = services.send_cluster(
                    actor=request.user, cluster_key=key, meeting=meeting, verifiers=list(form.cleaned_data["verifiers"]),
                    reasons=form.cleaned_data["reasons"], priority=form.cleaned_data["priority"],
                )
            except DomainError as error:
                attach_error(form, error)
                status = error.http_status
            else:
                messages.success(request, _("The cluster has been sent to the city enforcement bureau as one matter: %(title)s") % {"title": matter.title})
                if meeting is not None:
                    return redirect("screening:meeting", pk=meeting.pk)
                return redirect("screening:cluster", key=key)
    return render(request, "screening/cluster.html", {
        "view": view, "form": form, "unit": unit, "meeting": meeting, "can_decide": can_decide(request.user),
        "matters": list(view.leads[0].screening_matters.all()) if view.leads else [],
    }, status=status)


# --- recusal ---------------------------------------------------------------------------------------------

@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    if not can_declare_conflict(request.user):
        raise DjangoPermissionDenied
    form = ConflictForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            entity = None
            if data["entity_uscc"]:
                from silvershield.entities.models import Entity

                entity = Entity.objects.filter(uscc=data["entity_uscc"].strip().upper()).first()
                if entity is None:
                    form.add_error("entity_uscc", "找不到该统一社会信用代码的登记主体")
            if not form.errors:
                try:
                    services.declare_conflict(
                        actor=request.user, officer=data["officer"], entity=entity, party_name=data["party_name"],
                        reason=data["reason"], valid_from=data["valid_from"], valid_to=data["valid_to"],
                    )
                except DomainError as error:
                    attach_error(form, error)
                else:
                    messages.success(request, _("The conflict has been declared; the officer will not be recommended for this party."))
                    return redirect("screening:conflicts")
    rows = conflicts_visible_to(request.user)[:200]
    return render(request, "screening/conflicts.html", {"form": form, "rows": rows, "today": timezone.localdate()}, status=status)
