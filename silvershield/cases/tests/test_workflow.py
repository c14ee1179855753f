"""The case lifecycle, from opening on a lead to strike-off."""

from datetime import date

import pytest

from silvershield.board.services import record_publication
from silvershield.cases.models import CaseState
from silvershield.cases.queries import cases_visible_to, get_case_for_user
from silvershield.cases.workflow import CASE_TRANSITIONS, available_case_transitions, run_case_transition
from silvershield.core.audit import events_for
from silvershield.core.errors import PermissionDenied, TransitionNotAllowed
from silvershield.core.testing import make_lead
from silvershield.leads.workflow import run_lead_transition

S = CaseState


def open_case(personas, org, *, assignees=None):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    steps = [
        ("register", personas.legal_officer, {}),
        ("screen", personas.task_office, {"category": "product_sales"}),
        ("dispatch", personas.task_office, {
            "handling_unit": org.hongshan_institute.pk,
            "assignees": assignees or [personas.investigator.pk, personas.investigator2.pk],
        }),
        ("start_verification", personas.investigator, {}),
        ("open_case", personas.unit_head, {"title": "康寿堂虚假宣传案"}),
    ]
    for name, actor, params in steps:
        lead = run_lead_transition(lead=lead, name=name, actor=actor, params=params)
    return lead, lead.case


def test_opening_a_case_concludes_the_lead_and_numbers_the_case(personas, org):
    lead, case = open_case(personas, org)
    assert lead.state == "concluded" and lead.outcome == "case_opened"
    assert case.number.startswith("红市监立〔") and case.state == S.OPENED
    assert set(case.officers.all()) == {personas.investigator, personas.investigator2}
    assert list(case.leads.all()) == [lead]
    assert (case.due_date - case.opened_on).days >= 90  # 程序规定 Art. 64
    assert events_for(case).first().action == "create"


def test_the_whole_ordinary_procedure(personas, org):
    _, case = open_case(personas, org)
    walk = [
        ("start_investigation", personas.investigator, {}, ""),
        ("submit_for_review", personas.investigator, {}, ""),
        ("refer_to_deliberation", personas.reviewer, {}, "案情复杂，涉及多个法律关系"),
        ("notify_party", personas.reviewer, {}, ""),
        ("decide", personas.unit_head, {"decision": "责令停止违法行为，罚款", "fine_amount": "200000"}, ""),
        ("execute", personas.investigator, {"execution_note": "罚款已缴纳"}, ""),
        ("close", personas.unit_head, {}, ""),
        ("strike_off", personas.legal_officer, {}, ""),
    ]
    for name, actor, params, reason in walk:
        if name == "strike_off":
            # A fined case is struck off only once the penalty is published (board/checklist.py).
            with pytest.raises(TransitionNotAllowed, match="公示"):
                run_case_transition(case=case, name=name, actor=actor)
            record_publication(item=case, actor=actor, published_on=date.today(), where="国家企业信用信息公示系统")
        case = run_case_transition(case=case, name=name, actor=actor, params=params, reason=reason)
    assert case.state == S.STRUCK_OFF
    assert str(case.fine_amount) == "200000.00"
    assert [e.transition for e in events_for(case) if e.transition] == [w[0] for w in walk]


def test_investigation_needs_two_credentialed_officers(personas, org):
    personas.investigator2.credential_number = ""
    personas.investigator2.save()
    _, case = open_case(personas, org, assignees=[personas.investigator.pk])
    with pytest.raises(TransitionNotAllowed) as excinfo:
        run_case_transition(case=case, name="start_investigation", actor=personas.investigator)
    assert "两名以上" in excinfo.value.message
    case.refresh_from_db()
    assert case.state == S.OPENED


def test_a_reviewer_who_is_a_case_officer_may_not_review(personas, org):
    _, case = open_case(personas, org)
    case.officers.add(personas.reviewer)
    run_case_transition(case=case, name="start_investigation", actor=personas.investigator)
    case = run_case_transition(case=case, name="submit_for_review", actor=personas.investigator)
    assert available_case_transitions(case, personas.reviewer) == []
    with pytest.raises(PermissionDenied):
        run_case_transition(case=case, name="notify_party", actor=personas.reviewer)


def test_suspend_needs_a_reason_and_resume_returns_to_investigation(personas, org):
    _, case = open_case(personas, org)
    case = run_case_transition(case=case, name="start_investigation", actor=personas.investigator)
    with pytest.raises(TransitionNotAllowed):
        run_case_transition(case=case, name="suspend", actor=personas.unit_head)
    case = run_case_transition(case=case, name="suspend", actor=personas.unit_head, reason="等待检验结果")
    case = run_case_transition(case=case, name="resume", actor=personas.unit_head)
    assert case.state == S.INVESTIGATING


def test_every_state_is_reachable_from_the_table():
    targets = {t.target for t in CASE_TRANSITIONS.transitions} | {S.OPENED}
    assert targets == set(S.values)


def test_county_officer_cannot_see_other_countys_case(personas, org):
    _, case = open_case(personas, org)
    assert not cases_visible_to(personas.outsider).filter(pk=case.pk).exists()
    from django.http import Http404

    with pytest.raises(Http404):
        get_case_for_user(personas.outsider, case.pk)
    assert cases_visible_to(personas.city_leader).filter(pk=case.pk).exists()
