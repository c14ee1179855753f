"""Writes of the screening app: meetings, decisions, carrying them out, cluster matters, conflicts.

Every function is keyword-only, atomic and leaves an audit event. Lead states change only through
leads.workflow.run_lead_transition (screen, dispatch, merge).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from silvershield.core.audit import record_event
from silvershield.core.errors import DomainError, InvalidInput, PermissionDenied, StaleState
from silvershield.core.models import AuditEvent, OrgUnit, OrgUnitKind, Role, User
from silvershield.core.queries import bureau_of, reachable_units
from silvershield.leads.models import FraudCategory, Lead, LeadState, Outcome, Priority
from silvershield.leads.queries import leads_visible_to
from silvershield.leads.workflow import run_lead_transition
from silvershield.screening.models import (
    Conflict, Decision, DecisionKind, Matter, Meeting, MeetingState,
)
from silvershield.screening.permissions import can_decide, can_declare_conflict, can_dispatch_urgent, can_open_meeting
from silvershield.screening.rules import Recommender, city_enforcement_unit, current_setting

TO_DECIDE = (LeadState.REGISTERED, LeadState.SCREENED)


def _on_commit_notify(recipients, subject, message: str) -> None:
    from silvershield.core.services import notify

    people = list(recipients)
    if people:
        transaction.on_commit(lambda: notify(recipients=people, subject=subject, message=message))


# --- meetings ------------------------------------------------------------------------------------------

def open_meeting(
    *, actor: User, held_on: date, chair: User, attendees: list[User] = (), outside_attendees: str = "",
    due_window_days: int | None = None, notes: str = "",
) -> Meeting:
    """The task office convenes the week's meeting of its bureau; its agenda builds itself."""
    if not can_open_meeting(actor):
        raise PermissionDenied("只有专班（任务办）可以召开筛查会")
    bureau = bureau_of(actor)
    for person, field in [(chair, "chair"), *[(a, "attendees") for a in attendees]]:
        if not person.unit.path.startswith(bureau.path):
            raise InvalidInput(f"{person.display_name}不属于{bureau.name}，不能列为参会人员", field=field)
    window = due_window_days if due_window_days is not None else current_setting(held_on).due_window_days
    if Meeting.objects.filter(bureau=bureau, state=MeetingState.OPEN).exists():
        raise InvalidInput("本局已有一次筛查会尚未结束，请先执行或取消该次会议", field="held_on")
    if Meeting.objects.filter(bureau=bureau, held_on=held_on).exists():
        raise InvalidInput("该日期已召开过筛查会", field="held_on")
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                bureau=bureau, held_on=held_on, chair=chair, outside_attendees=outside_attendees.strip(),
                due_window_days=window, notes=notes, opened_by=actor,
            )
            meeting.attendees.set(attendees)
            record_event(
                subject=meeting, actor=actor, action=AuditEvent.Action.CREATE, to_state=MeetingState.OPEN,
                changes={"held_on": (None, held_on), "chair": (None, chair), "attendees": (None, [a.pk for a in attendees]),
                         "outside_attendees": (None, outside_attendees)},
            )
    except IntegrityError as exc:
        raise InvalidInput("本局已有一次筛查会尚未结束，或该日期已召开过筛查会", field="held_on") from exc
    return meeting


def update_attendance(*, actor: User, meeting: Meeting, chair: User, attendees: list[User], outside_attendees: str) -> Meeting:
    _require_open(meeting, actor)
    with transaction.atomic():
        before = {"chair": meeting.chair_id, "attendees": sorted(meeting.attendees.values_list("pk", flat=True)),
                  "outside_attendees": meeting.outside_attendees}
        Meeting.objects.filter(pk=meeting.pk).update(chair=chair, outside_attendees=outside_attendees.strip(), updated_at=timezone.now())
        meeting.attendees.set(attendees)
        meeting.refresh_from_db()
        record_event(subject=meeting, actor=actor, action=AuditEvent.Action.UPDATE, changes={
            "chair": (before["chair"], chair.pk), "attendees": (before["attendees"], sorted(a.pk for a in attendees)),
            "outside_attendees": (before["outside_attendees"], meeting.outside_attendees)})
    return meeting


def _require_open(meeting: Meeting | None, actor: User) -> None:
    if meeting is None:
        return
    if not can_decide(actor):
        raise PermissionDenied("只有专班或单位负责人可以作出筛查决定")
    if not meeting.bureau.path.startswith(bureau_of(actor).path):
        raise PermissionDenied("不是本局的筛查会")
    if meeting.state != MeetingState.OPEN:
        raise StaleState("本次筛查会已结束，决定不能再修改")


# --- decisions -----------------------------------------------------------------------------------------

def _validate_dispatch(*, actor: User, lead: Lead, unit: OrgUnit | None, verifiers: list[User], may_become_case: bool) -> None:
    if unit is None:
        raise InvalidInput("请选择承办单位", field="handling_unit")
    if not reachable_units(actor).filter(pk=unit.pk).exists():
        raise InvalidInput(f"承办单位“{unit.name}”不在{bureau_of(actor).name}的辖区内，不能分派", field="handling_unit")
    if not verifiers:
        raise InvalidInput("请指定核查人员", field="verifiers")
    unit_bureau = unit if unit.kind == OrgUnitKind.BUREAU else (unit.bureau or unit.parent)
    recommender_conflicts = Recommender.conflicted_for(lead)
    for person in verifiers:
        if not person.unit.path.startswith(unit_bureau.path):
            raise InvalidInput(
                f"{person.display_name}（{person.unit.name}）不在承办单位“{unit.name}”所在局的辖区内，不能分派", field="verifiers"
            )
        if person.role != Role.INVESTIGATOR or not person.is_active:
            raise InvalidInput(f"{person.display_name}不是在职执法人员，不能担任核查人员", field="verifiers")
        if not person.has_credential:
            raise InvalidInput(f"{person.display_name}未持有执法证件，不能担任核查人员", field="verifiers")
        if person.pk in recommender_conflicts:
            raise InvalidInput(f"{person.display_name}已申报与当事人存在利害关系，应当回避", field="verifiers")
    minimum = current_setting().min_verifiers
    if may_become_case and len(verifiers) < minimum:
        raise InvalidInput(
            f"可能立案的线索须指定{minimum}名以上持有执法证件的核查人员（《市场监督管理行政处罚程序规定》第十九条）",
            field="verifiers",
        )


def _clean_decision(*, actor: User, lead: Lead, data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("kind")
    if kind not in DecisionKind.values:
        raise InvalidInput("请选择筛查决定", field="kind")
    category = data.get("category") or lead.category
    if category not in FraudCategory.values:
        raise InvalidInput("请确认诈骗类别", field="category")
    priority = data.get("priority") or Priority.NORMAL
    if priority not in Priority.values:
        raise InvalidInput("优先级无效", field="priority")
    reasons = (data.get("reasons") or "").strip()
    if not reasons:
        raise InvalidInput("请填写决定理由" if kind != DecisionKind.NO_ACTION else "不予处理须写明依据", field="reasons")
    clean = {
        "kind": kind, "category": category, "priority": priority, "reasons": reasons,
        "handling_unit": None, "may_become_case": bool(data.get("may_become_case", True)),
        "merged_into": None, "transfer_department": "", "verifiers": [],
    }
    if kind == DecisionKind.DISPATCH:
        verifiers = list(data.get("verifiers") or [])
        _validate_dispatch(actor=actor, lead=lead, unit=data.get("handling_unit"), verifiers=verifiers,
                           may_become_case=clean["may_become_case"])
        clean.update(handling_unit=data["handling_unit"], verifiers=verifiers)
    elif kind == DecisionKind.MERGE:
        target = data.get("merged_into")
        if target is None or not leads_visible_to(actor).filter(pk=target.pk).exists():
            raise InvalidInput("请选择要并入的线索", field="merged_into")
        if target.pk == lead.pk:
            raise InvalidInput("不能并入自身", field="merged_into")
        if target.state == LeadState.MERGED:
            raise InvalidInput("目标线索已被合并，请选择其存续线索", field="merged_into")
        clean["merged_into"] = target
    elif kind == DecisionKind.TRANSFER:
        department = (data.get("transfer_department") or "").strip()
        if not department:
            raise InvalidInput("请填写移送的部门", field="transfer_department")
        clean["transfer_department"] = department
    return clean


def _decided_elsewhere_message(existing: Decision) -> str:
    where = f"{existing.meeting}筛查会" if existing.meeting_id else "会外紧急分派"
    return (
        f"线索{existing.lead.display_number}已由{existing.decided_by.display_name}于"
        f"{timezone.localtime(existing.decided_at):%Y-%m-%d %H:%M}在{where}作出决定（{existing.get_kind_display()}），不能重复决定"
    )


def record_decision(
    *, actor: User, lead: Lead, meeting: Meeting | None, expected_version: int | None = None,
    matter: Matter | None = None, recommendation: dict | None = None, **data: Any,
) -> Decision:
    """Record (or, while the same meeting is open, change) the one decision on `lead`.

    A lead already decided elsewhere — another meeting, or between meetings — is a conflict (StaleState,
    409); so is a change made on a stale version of the decision.
    """
    if not can_decide(actor):
        raise PermissionDenied("只有专班或单位负责人可以作出筛查决定")
    _require_open(meeting, actor)
    if not leads_visible_to(actor).filter(pk=lead.pk).exists():
        raise InvalidInput("线索不存在或不在本局辖区", field="lead")
    if meeting is not None and not lead.bureau.path.startswith(meeting.bureau.path):
        raise InvalidInput("该线索不属于本次筛查会的辖区", field="lead")
    existing = Decision.objects.select_related("meeting", "decided_by", "lead").filter(lead=lead).first()
    if existing is not None and (meeting is None or existing.meeting_id != meeting.pk):
        raise StaleState(_decided_elsewhere_message(existing))
    if existing is not None and existing.carried_out_at:
        raise StaleState("该决定已执行，不能修改")
    if existing is None and lead.state not in TO_DECIDE:
        raise InvalidInput(f"线索当前状态为“{lead.get_state_display()}”，不在待筛查之列", field="lead")
    if existing is not None and expected_version is not None and existing.version != expected_version:
        raise StaleState("此决定已被他人修改，请刷新后重试")
    clean = _clean_decision(actor=actor, lead=lead, data=data)
    verifiers = clean.pop("verifiers")
    try:
        with transaction.atomic():
            if existing is None:
                decision = Decision.objects.create(
                    lead=lead, meeting=meeting, matter=matter, decided_by=actor, recommendation=recommendation or {}, **clean
                )
                action = AuditEvent.Action.CREATE
                before: dict[str, Any] = {}
            else:
                before = {k: getattr(existing, k) for k in clean}
                before["verifiers"] = sorted(existing.verifiers.values_list("pk", flat=True))
                rows = Decision.objects.filter(pk=existing.pk, version=existing.version).update(
                    **clean, decided_by=actor, decided_at=timezone.now(), version=F("version") + 1
                )
                if rows == 0:
                    raise StaleState("此决定已被他人修改，请刷新后重试")
                decision = Decision.objects.get(pk=existing.pk)
                action = AuditEvent.Action.UPDATE
            decision.verifiers.set(verifiers)
            after = {**clean, "verifiers": sorted(v.pk for v in verifiers)}
            record_event(
                subject=decision, actor=actor, action=action,
                changes={k: (before.get(k), v) for k, v in after.items() if before.get(k) != v},
                reason=clean["reasons"],
            )
    except IntegrityError as exc:  # someone recorded a decision for the same lead at the same moment
        raise StaleState("该线索已在其他地方作出决定，不能重复决定") from exc
    return decision


def withdraw_decision(*, actor: User, decision: Decision) -> None:
    """While the meeting is open, a recorded decision may be withdrawn (the lead goes back to undecided)."""
    _require_open(decision.meeting, actor)
    if decision.meeting is None or decision.carried_out_at:
        raise StaleState("已执行的决定不能撤回")
    with transaction.atomic():
        record_event(subject=decision, actor=actor, action=AuditEvent.Action.UPDATE, reason="撤回决定",
                     changes={"withdrawn": (False, True), "lead": (decision.lead_id, decision.lead_id)})
        decision.verifiers.clear()
        decision.delete()


# --- carrying out --------------------------------------------------------------------------------------

def _legal_officers(lead: Lead) -> list[User]:
    return list(User.objects.filter(role=Role.LEGAL_OFFICER, is_active=True, unit__path__startswith=lead.bureau.path,
                                    unit__bureau=lead.bureau))


def _execute(decision: Decision, actor: User) -> str:
    """Carry out one decision through the leads workflow; returns what was done."""
    lead = Lead.objects.select_related("bureau").get(pk=decision.lead_id)
    reason = f"筛查决定：{decision.reasons}"
    if lead.state == LeadState.REGISTERED:
        lead = run_lead_transition(
            lead=lead, name="screen", actor=actor, reason=reason,
            params={"category": decision.category, "priority": decision.priority},
        )
    if decision.kind == DecisionKind.DISPATCH:
        run_lead_transition(
            lead=lead, name="dispatch", actor=actor, reason=reason,
            params={"handling_unit": decision.handling_unit_id, "assignees": list(decision.verifiers.values_list("pk", flat=True))},
        )
        heads = User.objects.filter(role=Role.UNIT_HEAD, is_active=True, unit=decision.handling_unit)
        _on_commit_notify(heads, lead, f"筛查会决定将线索{lead.display_number}分派至{decision.handling_unit.name}办理")
        return f"已分派至{decision.handling_unit.name}"
    if decision.kind == DecisionKind.MERGE:
        target = decision.merged_into
        run_lead_transition(lead=lead, name="merge", actor=actor, reason=reason, params={"merged_into": target.pk})
        return f"已并入{target.display_number}"
    if decision.kind == DecisionKind.TRANSFER:
        run_lead_transition(
            lead=lead, name="close_at_screening", actor=actor, reason=reason,
            params={"outcome": Outcome.TRANSFERRED_DEPARTMENT,
                    "result": f"经筛查会决定移送{decision.transfer_department}：{decision.reasons}"},
        )
        _on_commit_notify(_legal_officers(lead), lead,
                          f"筛查会决定将线索{lead.display_number}移送{decision.transfer_department}，请办理移送并留存回执")
        return f"已决定移送{decision.transfer_department}"
    run_lead_transition(
        lead=lead, name="close_at_screening", actor=actor, reason=reason,
        params={"outcome": Outcome.NOT_OPENED, "result": f"经筛查会决定不予处理：{decision.reasons}"},
    )
    return "已决定不予处理"


def _execute_all(decisions: list[Decision], actor: User) -> None:
    now = timezone.now()
    for decision in decisions:
        try:
            note = _execute(decision, actor)
        except DomainError as error:
            raise type(error)(f"线索{decision.lead.display_number}：{error.message}", field=error.field) from error
        Decision.objects.filter(pk=decision.pk).update(carried_out_at=now, carry_out_note=note[:300])
        record_event(subject=decision, actor=actor, action=AuditEvent.Action.TRANSITION, transition="carry_out",
                     to_state="carried_out", changes={"carry_out_note": (None, note)})


def carry_out(*, actor: User, meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """Carry out every decision of the meeting in one step: all or nothing."""
    if not can_open_meeting(actor):
        raise PermissionDenied("只有专班（任务办）可以执行筛查会决定")
    _require_open(meeting, actor)
    if expected_version is not None and expected_version != meeting.version:
        raise StaleState("本次筛查会已被他人修改，请刷新后重试")
    decisions = list(meeting.decisions.select_related("lead", "handling_unit", "merged_into").order_by("id"))
    if not decisions:
        raise InvalidInput("本次会议尚未作出任何决定", field="decisions")
    with transaction.atomic():
        rows = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.OPEN, version=meeting.version).update(
            state=MeetingState.HELD, version=F("version") + 1, carried_out_by=actor, carried_out_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if rows == 0:
            raise StaleState("本次筛查会已被他人执行或修改，请刷新后重试")
        _execute_all(decisions, actor)
        meeting.refresh_from_db()
        record_event(subject=meeting, actor=actor, action=AuditEvent.Action.TRANSITION, transition="carry_out",
                     from_state=MeetingState.OPEN, to_state=MeetingState.HELD,
                     changes={"decisions": (None, len(decisions))})
    return meeting


def cancel_meeting(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    if not can_open_meeting(actor):
        raise PermissionDenied("只有专班（任务办）可以取消筛查会")
    _require_open(meeting, actor)
    if not reason.strip():
        raise InvalidInput("请填写取消理由", field="reason")
    with transaction.atomic():
        for decision in meeting.decisions.all():
            decision.verifiers.clear()
            decision.delete()
        rows = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.OPEN).update(
            state=MeetingState.CANCELLED, version=F("version") + 1, updated_at=timezone.now())
        if rows == 0:
            raise StaleState("本次筛查会已被他人执行或修改，请刷新后重试")
        record_event(subject=meeting, actor=actor, action=AuditEvent.Action.TRANSITION, transition="cancel",
                     from_state=MeetingState.OPEN, to_state=MeetingState.CANCELLED, reason=reason.strip())
    meeting.refresh_from_db()
    return meeting


def urgent_dispatch(*, actor: User, lead: Lead, **data: Any) -> Decision:
    """Between meetings: a unit head dispatches an urgent lead, recorded as a decision and carried out at once."""
    if not can_dispatch_urgent(actor):
        raise PermissionDenied("只有单位负责人或专班可以在会外紧急分派")
    data = {**data, "kind": DecisionKind.DISPATCH, "priority": Priority.URGENT}
    with transaction.atomic():
        decision = record_decision(actor=actor, lead=lead, meeting=None, **data)
        _execute_all([decision], actor)
    decision.refresh_from_db()
    return decision


# --- a cluster as one matter ----------------------------------------------------------------------------

def send_cluster(
    *, actor: User, cluster_key: str, meeting: Meeting | None, verifiers: list[User], reasons: str,
    priority: str = Priority.HIGH, category: str = "",
) -> Matter:
    """Send a cluster to the city enforcement bureau as one matter: one decision for all its undecided leads.

    In an open meeting the decisions are recorded and carried out with the meeting; outside a meeting
    (a unit head, urgent) they are carried out at once.
    """
    from silvershield.screening.agenda import find_cluster_view

    if not can_decide(actor):
        raise PermissionDenied("只有专班或单位负责人可以作出筛查决定")
    _require_open(meeting, actor)
    unit = city_enforcement_unit()
    if unit is None:
        raise InvalidInput("系统中没有市局执法稽查单位", field="handling_unit")
    view = find_cluster_view(bureau=bureau_of(actor), key=cluster_key)
    if view is None:
        raise InvalidInput("串案不存在或不在本局辖区", field="cluster")
    if not reachable_units(actor).filter(pk=unit.pk).exists():
        raise InvalidInput(f"“{unit.name}”不在{bureau_of(actor).name}的辖区内：串案须由市局专班报送", field="handling_unit")
    decided = set(Decision.objects.filter(lead__in=view.leads).values_list("lead_id", flat=True))
    todo = [lead for lead in view.leads if lead.state in TO_DECIDE and lead.pk not in decided]
    if not todo:
        raise InvalidInput("该串案的线索均已作出决定或已分派，无需再次报送", field="cluster")
    title = f"串案：{todo[0].party_name or todo[0].display_number}等{len(view.cluster.lead_ids)}条线索"
    with transaction.atomic():
        matter = Matter.objects.create(
            title=title[:200], keys=[[k, v] for k, v in view.cluster.keys], handling_unit=unit, meeting=meeting,
            created_by=actor,
        )
        matter.leads.set(view.leads)
        record_event(subject=matter, actor=actor, action=AuditEvent.Action.CREATE, reason=reasons,
                     changes={"leads": (None, [lead.pk for lead in view.leads]), "handling_unit": (None, unit.pk)})
        decisions = [
            record_decision(
                actor=actor, lead=lead, meeting=meeting, matter=matter, kind=DecisionKind.DISPATCH,
                priority=priority, category=category or lead.category, handling_unit=unit, verifiers=verifiers,
                may_become_case=True, reasons=f"串案一并办理（{title}）：{reasons}",
            )
            for lead in todo
        ]
        if meeting is None:
            _execute_all(decisions, actor)
    return matter


# --- recusal -------------------------------------------------------------------------------------------

def declare_conflict(
    *, actor: User, officer: User, reason: str, entity=None, party_name: str = "", valid_from: date | None = None,
    valid_to: date | None = None,
) -> Conflict:
    if not can_declare_conflict(actor):
        raise PermissionDenied("您不能申报回避")
    if officer.pk != actor.pk and not (
        actor.role in {Role.TASK_OFFICE, Role.UNIT_HEAD} and officer.unit.path.startswith(bureau_of(actor).path)
    ):
        raise InvalidInput("只能为本人或本局人员申报回避", field="officer")
    if entity is None and not party_name.strip():
        raise InvalidInput("请选择登记主体或填写当事人名称", field="party_name")
    if not reason.strip():
        raise InvalidInput("请填写回避理由", field="reason")
    valid_from = valid_from or timezone.localdate()
    if valid_to and valid_to < valid_from:
        raise InvalidInput("截止日期早于开始日期", field="valid_to")
    with transaction.atomic():
        conflict = Conflict.objects.create(
            officer=officer, entity=entity, party_name=party_name.strip(), reason=reason.strip(),
            valid_from=valid_from, valid_to=valid_to, declared_by=actor,
        )
        record_event(subject=conflict, actor=actor, action=AuditEvent.Action.CREATE, reason=reason.strip(),
                     changes={"officer": (None, officer.pk), "entity": (None, entity.pk if entity else None),
                              "party_name": (None, party_name.strip())})
    return conflict
