"""The lead lifecycle (DESIGN.md section 4): the only writer of `Lead.state`.

received → registered → screened → dispatched → verifying → concluded → struck off, and merged on the
side. Each transition is a row of LEAD_TRANSITIONS; `run_lead_transition` takes one.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.clocks import deadline_for
from silvershield.core.errors import InvalidInput, TransitionNotAllowed
from silvershield.core.models import Role, User
from silvershield.core.numbering import next_number
from silvershield.core.queries import reachable_units
from silvershield.core.workflow import Params, Transition, TransitionTable
from silvershield.leads.models import FraudCategory, Lead, LeadState, Outcome, Priority
from silvershield.leads.permissions import can_act_as_verifier

S = LeadState


# --- register (登记): the legal officer enters the lead in the ledger and it gets its number ---------

def _check_register(lead: Lead, actor: User, params: Params) -> None:
    if not lead.summary.strip():
        raise InvalidInput("登记前须填写事实摘要", field="summary")


def _apply_register(lead: Lead, actor: User, params: Params) -> dict[str, Any]:
    now = timezone.now()
    deadline, _rule = deadline_for("lead_verification", lead.received_date)
    return {
        "number": next_number(bureau=lead.bureau, kind="lead", year=timezone.localdate(now).year),
        "registered_at": now,
        "registered_by": actor,
        "due_date": deadline.due,
        "due_provisional": deadline.provisional,
    }


# --- screen (筛查): the weekly meeting or the office confirms category and priority ------------------

def _check_screen(lead: Lead, actor: User, params: Params) -> None:
    category = params.get("category") or lead.category
    if category not in FraudCategory.values:
        raise InvalidInput("筛查时须确定诈骗类别", field="category")
    if params.get("priority") and params["priority"] not in Priority.values:
        raise InvalidInput("优先级无效", field="priority")


def _apply_screen(lead: Lead, actor: User, params: Params) -> dict[str, Any]:
    return {
        "category": params.get("category") or lead.category,
        "priority": params.get("priority") or lead.priority,
    }


# --- dispatch (分派): to a handling unit and named verifiers ----------------------------------------

def _dispatch_targets(lead: Lead, actor: User, params: Params):
    from silvershield.core.models import OrgUnit

    unit_id = params.get("handling_unit")
    if not unit_id:
        raise InvalidInput("请选择承办单位", field="handling_unit")
    unit = reachable_units(actor).filter(pk=unit_id).first()
    if unit is None:
        raise InvalidInput("承办单位不存在或不在本局辖区", field="handling_unit")
    ids = [int(i) for i in params.get("assignees") or []]
    if not ids:
        raise InvalidInput("请指定至少一名核查人员", field="assignees")
    people = list(
        User.objects.filter(pk__in=ids, is_active=True, role=Role.INVESTIGATOR, unit__path__startswith=unit.bureau.path)
        if isinstance(unit, OrgUnit)
        else []
    )
    if len(people) != len(set(ids)):
        raise InvalidInput("核查人员须为承办单位所在局的在职执法人员", field="assignees")
    if any(not p.has_credential for p in people):
        raise InvalidInput("核查人员须持有执法证件", field="assignees")
    return unit, people


def _check_dispatch(lead: Lead, actor: User, params: Params) -> None:
    _dispatch_targets(lead, actor, params)


def _apply_dispatch(lead: Lead, actor: User, params: Params) -> dict[str, Any]:
    unit, _people = _dispatch_targets(lead, actor, params)
    return {"handling_unit": unit, "dispatched_at": timezone.now()}


def _after_dispatch(lead: Lead, actor: User, params: Params) -> None:
    _unit, people = _dispatch_targets(lead, actor, params)
    lead.assignees.set(people)


def _notify_dispatch(lead: Lead, actor: User, params: Params) -> None:
    from silvershield.core.services import notify

    due = f"，核查期限{lead.due_date:%Y年%m月%d日}" if lead.due_date else ""
    notify(recipients=lead.assignees.all(), subject=lead, message=f"线索{lead.number}已分派给您核查{due}")


# --- conclude (办结): the verifiers record the result -------------------------------------------------

def _check_conclude(lead: Lead, actor: User, params: Params) -> None:
    outcome = params.get("outcome")
    if outcome == Outcome.CASE_OPENED:
        raise InvalidInput("立案请使用“立案”操作", field="outcome")
    if outcome not in Outcome.values:
        raise InvalidInput("请选择办理结果", field="outcome")
    if not (params.get("result") or "").strip():
        raise InvalidInput("办结须填写核查结果", field="result")


def _apply_conclude(lead: Lead, actor: User, params: Params) -> dict[str, Any]:
    return {"outcome": params["outcome"], "result": params["result"].strip(), "concluded_at": timezone.now()}


# --- close at screening: the meeting transfers a lead out or decides no action on it ---------------

_SCREENING_OUTCOMES = frozenset({Outcome.TRANSFERRED_DEPARTMENT, Outcome.TRANSFERRED_POLICE, Outcome.NOT_OPENED})


def _check_close_at_screening(lead: Lead, actor: User, params: Params) -> None:
    if params.get("outcome") not in _SCREENING_OUTCOMES:
        raise InvalidInput("筛查时只能决定移送或不予处理", field="outcome")
    if not (params.get("result") or "").strip():
        raise InvalidInput("须写明移送去向或不予处理的依据", field="result")


# --- open a case (立案) from the lead: the unit head approves ----------------------------------------

def _check_open_case(lead: Lead, actor: User, params: Params) -> None:
    if lead.case_id:
        raise TransitionNotAllowed("此线索已立案", field="transition")


def _apply_open_case(lead: Lead, actor: User, params: Params) -> dict[str, Any]:
    from silvershield.cases.services import create_case_from_leads

    case = create_case_from_leads(leads=[lead], actor=actor, title=params.get("title") or "")
    return {
        "case": case,
        "outcome": Outcome.CASE_OPENED,
        "result": params.get("result") or f"经核查予以立案，案件编号 {case.number}",
        "concluded_at": timezone.now(),
    }


# --- strike off (销号) --------------------------------------------------------------------------------

def _notify_case_opened(lead: Lead, actor: User, params: Params) -> None:
    from silvershield.core.services import notify

    case = lead.case
    notify(recipients=case.officers.all(), subject=case, message=f"案件{case.number}已立案，请您承办")


def _check_strike_off(lead: Lead, actor: User, params: Params) -> None:
    """The strike-off checklist (board/checklist.py): refused with exactly what is missing."""
    from silvershield.board.checklist import require_lead_checklist

    require_lead_checklist(lead)


# --- merge (并案) -------------------------------------------------------------------------------------

def _merge_target(lead: Lead, actor: User, params: Params) -> Lead:
    from silvershield.leads.queries import leads_visible_to

    target_id = params.get("merged_into")
    target = leads_visible_to(actor).filter(pk=target_id).first() if target_id else None
    if target is None:
        raise InvalidInput("请选择要并入的线索", field="merged_into")
    if target.pk == lead.pk:
        raise InvalidInput("不能并入自身", field="merged_into")
    if target.state == LeadState.MERGED:
        raise InvalidInput("目标线索已被合并，请选择其存续线索", field="merged_into")
    return target


def _check_merge(lead: Lead, actor: User, params: Params) -> None:
    _merge_target(lead, actor, params)


def _apply_merge(lead: Lead, actor: User, params: Params) -> dict[str, Any]:
    return {"merged_into": _merge_target(lead, actor, params)}


def _verifier(lead: Lead, user: User) -> bool:
    return can_act_as_verifier(lead, user)


LEAD_TRANSITIONS = TransitionTable(
    model=Lead,
    transitions=[
        Transition(
            name="register", label=_("Register"), sources=(S.RECEIVED,), target=S.REGISTERED,
            roles=frozenset({Role.LEGAL_OFFICER}), check=_check_register, apply=_apply_register,
        ),
        Transition(
            name="screen", label=_("Screen"), sources=(S.REGISTERED,), target=S.SCREENED,
            roles=frozenset({Role.TASK_OFFICE, Role.UNIT_HEAD}), check=_check_screen, apply=_apply_screen,
            fields=("category", "priority"),
        ),
        Transition(
            name="dispatch", label=_("Dispatch"), sources=(S.SCREENED,), target=S.DISPATCHED,
            roles=frozenset({Role.TASK_OFFICE, Role.UNIT_HEAD}), check=_check_dispatch, apply=_apply_dispatch,
            after=_after_dispatch, effects=_notify_dispatch, fields=("handling_unit", "assignees"),
        ),
        Transition(
            name="close_at_screening", label=_("Close at screening (transfer or no action)"),
            sources=(S.SCREENED,), target=S.CONCLUDED, roles=frozenset({Role.TASK_OFFICE, Role.UNIT_HEAD}),
            check=_check_close_at_screening, apply=_apply_conclude, reason_required=True,
            fields=("outcome", "result"), style="secondary",
        ),
        Transition(
            name="start_verification", label=_("Start verification"), sources=(S.DISPATCHED,), target=S.VERIFYING,
            roles=frozenset({Role.INVESTIGATOR, Role.UNIT_HEAD}), allowed=_verifier,
        ),
        Transition(
            name="conclude", label=_("Conclude"), sources=(S.VERIFYING,), target=S.CONCLUDED,
            roles=frozenset({Role.INVESTIGATOR, Role.UNIT_HEAD}), allowed=_verifier, check=_check_conclude,
            apply=_apply_conclude, fields=("outcome", "result"),
        ),
        Transition(
            name="open_case", label=_("Open a case"), sources=(S.VERIFYING,), target=S.CONCLUDED,
            roles=frozenset({Role.UNIT_HEAD}), allowed=_verifier, check=_check_open_case, apply=_apply_open_case,
            effects=_notify_case_opened, fields=("title",),
        ),
        Transition(
            name="strike_off", label=_("Strike off"), sources=(S.CONCLUDED,), target=S.STRUCK_OFF,
            roles=frozenset({Role.LEGAL_OFFICER}), check=_check_strike_off,
            apply=lambda lead, actor, params: {"struck_off_at": timezone.now()},
        ),
        Transition(
            name="merge", label=_("Merge into another lead"), sources=(S.RECEIVED, S.REGISTERED, S.SCREENED),
            target=S.MERGED, roles=frozenset({Role.LEGAL_OFFICER, Role.TASK_OFFICE, Role.UNIT_HEAD}),
            check=_check_merge, apply=_apply_merge,
            reason_required=True, fields=("merged_into",), style="secondary",
        ),
    ],
)


def run_lead_transition(
    *, lead: Lead, name: str, actor: User, reason: str = "", params: Params | None = None,
    expected_version: int | None = None,
) -> Lead:
    """Take transition `name` on `lead` as `actor` (see core.workflow.TransitionTable.run)."""
    return LEAD_TRANSITIONS.run(
        obj=lead, name=name, actor=actor, reason=reason, params=params, expected_version=expected_version
    )


def available_lead_transitions(lead: Lead, user: User) -> list[Transition]:
    return LEAD_TRANSITIONS.available(lead, user)
