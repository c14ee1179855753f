"""The case lifecycle (DESIGN.md section 4): the only writer of `Case.state`.

opened → investigating → in review → (collective deliberation) → notified → decided → executed →
closed → struck off; suspended and transferred to the police on the side.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.cases.models import Case, CaseState
from silvershield.cases.permissions import can_review_case, can_work_case, heads_case_unit
from silvershield.core.errors import InvalidInput, TransitionNotAllowed
from silvershield.core.models import Role, User
from silvershield.core.workflow import Params, Transition, TransitionTable

S = CaseState


def _check_start(case: Case, actor: User, params: Params) -> None:
    credentialed = [p for p in case.officers.all() if p.has_credential]
    if len(credentialed) < 2:
        raise TransitionNotAllowed(
            "立案后须由两名以上具有行政执法资格的办案人员调查（程序规定第十九条）", field="officers"
        )


def _check_decide(case: Case, actor: User, params: Params) -> None:
    if not (params.get("decision") or "").strip():
        raise InvalidInput("请填写处理决定", field="decision")
    fine = params.get("fine_amount")
    if fine not in (None, ""):
        try:
            value = Decimal(str(fine))
        except InvalidOperation as exc:
            raise InvalidInput("罚款金额应为数字", field="fine_amount") from exc
        if value < 0 or value >= Decimal("1e12"):
            raise InvalidInput("罚款金额无效", field="fine_amount")


def _apply_decide(case: Case, actor: User, params: Params) -> dict[str, Any]:
    fine = params.get("fine_amount")
    return {
        "decision": params["decision"].strip(),
        "fine_amount": Decimal(str(fine)) if fine not in (None, "") else None,
        "decided_at": timezone.now(),
    }


def _check_execute(case: Case, actor: User, params: Params) -> None:
    if not (params.get("execution_note") or "").strip():
        raise InvalidInput("请填写执行情况", field="execution_note")


def _check_strike_off(case: Case, actor: User, params: Params) -> None:
    """The strike-off checklist (board/checklist.py): refused with exactly what is missing."""
    from silvershield.board.checklist import require_case_checklist

    require_case_checklist(case)


WORKERS = frozenset({Role.INVESTIGATOR, Role.UNIT_HEAD})

CASE_TRANSITIONS = TransitionTable(
    model=Case,
    transitions=[
        Transition(
            name="start_investigation", label=_("Start investigation"), sources=(S.OPENED,),
            target=S.INVESTIGATING, roles=WORKERS, allowed=can_work_case, check=_check_start,
        ),
        Transition(
            name="submit_for_review", label=_("Submit for review"), sources=(S.INVESTIGATING,),
            target=S.IN_REVIEW, roles=WORKERS, allowed=can_work_case,
        ),
        Transition(
            name="return_for_investigation", label=_("Return for further investigation"),
            sources=(S.IN_REVIEW,), target=S.INVESTIGATING, roles=frozenset({Role.REVIEWER}),
            allowed=can_review_case, reason_required=True, style="secondary",
        ),
        Transition(
            name="refer_to_deliberation", label=_("Refer to collective deliberation"), sources=(S.IN_REVIEW,),
            target=S.DELIBERATION, roles=frozenset({Role.REVIEWER}), allowed=can_review_case,
            reason_required=True, style="secondary",
        ),
        Transition(
            name="notify_party", label=_("Review passed; notify the party"),
            sources=(S.IN_REVIEW, S.DELIBERATION), target=S.NOTIFIED,
            roles=frozenset({Role.REVIEWER}), allowed=can_review_case,
        ),
        Transition(
            name="decide", label=_("Record the decision"), sources=(S.NOTIFIED,), target=S.DECIDED,
            roles=frozenset({Role.UNIT_HEAD}), allowed=heads_case_unit, check=_check_decide, apply=_apply_decide,
            fields=("decision", "fine_amount"),
        ),
        Transition(
            name="execute", label=_("Record execution"), sources=(S.DECIDED,), target=S.EXECUTED,
            roles=WORKERS, allowed=can_work_case, check=_check_execute,
            apply=lambda case, actor, params: {"execution_note": params["execution_note"].strip()},
            fields=("execution_note",),
        ),
        Transition(
            name="close", label=_("Close the case"), sources=(S.EXECUTED,), target=S.CLOSED,
            roles=frozenset({Role.UNIT_HEAD}), allowed=heads_case_unit,
            apply=lambda case, actor, params: {"closed_at": timezone.now()},
        ),
        Transition(
            name="strike_off", label=_("Strike off"), sources=(S.CLOSED,), target=S.STRUCK_OFF,
            roles=frozenset({Role.LEGAL_OFFICER}), check=_check_strike_off,
            apply=lambda case, actor, params: {"struck_off_at": timezone.now()},
        ),
        Transition(
            name="suspend", label=_("Suspend"), sources=(S.INVESTIGATING,), target=S.SUSPENDED,
            roles=frozenset({Role.UNIT_HEAD}), allowed=heads_case_unit, reason_required=True, style="secondary",
        ),
        Transition(
            name="resume", label=_("Resume"), sources=(S.SUSPENDED,), target=S.INVESTIGATING,
            roles=frozenset({Role.UNIT_HEAD}), allowed=heads_case_unit,
        ),
        Transition(
            name="transfer_to_police", label=_("Transfer to the police"),
            sources=(S.INVESTIGATING, S.IN_REVIEW, S.DELIBERATION), target=S.TRANSFERRED_POLICE,
            roles=frozenset({Role.UNIT_HEAD}), allowed=heads_case_unit, reason_required=True, style="danger",
        ),
    ],
)


def run_case_transition(
    *, case: Case, name: str, actor: User, reason: str = "", params: Params | None = None,
    expected_version: int | None = None,
) -> Case:
    return CASE_TRANSITIONS.run(
        obj=case, name=name, actor=actor, reason=reason, params=params, expected_version=expected_version
    )


def available_case_transitions(case: Case, user: User) -> list[Transition]:
    return CASE_TRANSITIONS.available(case, user)
