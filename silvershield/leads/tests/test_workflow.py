"""The lead lifecycle: every transition from every state, who may take it, and what it leaves behind."""

import threading

import pytest
from django.db import connection

from silvershield.core.audit import events_for
from silvershield.core.errors import InvalidInput, PermissionDenied, StaleState, TransitionNotAllowed
from silvershield.core.testing import make_lead
from silvershield.leads.models import Lead, LeadState
from silvershield.leads.workflow import LEAD_TRANSITIONS, available_lead_transitions, run_lead_transition

S = LeadState


def params_for(name, personas, org, other_lead=None):
    return {
        "screen": {"category": "product_sales", "priority": "high"},
        "dispatch": {
            "handling_unit": org.hongshan_institute.pk,
            "assignees": [personas.investigator.pk, personas.investigator2.pk],
        },
        "conclude": {"outcome": "not_opened", "result": "经核查，未发现违法行为"},
        "close_at_screening": {"outcome": "transferred_department", "result": "移送卫生健康委员会"},
        "open_case": {"title": "康寿堂虚假宣传案"},
        "merge": {"merged_into": other_lead.pk if other_lead else None},
    }.get(name, {})


def actor_for(name, personas):
    return {
        "register": personas.legal_officer,
        "screen": personas.task_office,
        "dispatch": personas.task_office,
        "start_verification": personas.investigator,
        "conclude": personas.investigator,
        "close_at_screening": personas.task_office,
        "open_case": personas.unit_head,
        "strike_off": personas.legal_officer,
        "merge": personas.legal_officer,
    }[name]


PATH = {
    S.RECEIVED: [],
    S.REGISTERED: ["register"],
    S.SCREENED: ["register", "screen"],
    S.DISPATCHED: ["register", "screen", "dispatch"],
    S.VERIFYING: ["register", "screen", "dispatch", "start_verification"],
    S.CONCLUDED: ["register", "screen", "dispatch", "start_verification", "conclude"],
    S.STRUCK_OFF: ["register", "screen", "dispatch", "start_verification", "conclude", "strike_off"],
    S.MERGED: ["merge"],
}


def lead_in(state, personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    other = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    for name in PATH[state]:
        lead = run_lead_transition(
            lead=lead, name=name, actor=actor_for(name, personas), reason="测试",
            params=params_for(name, personas, org, other),
        )
    assert lead.state == state
    return lead, other


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("transition", [t.name for t in LEAD_TRANSITIONS.transitions])
def test_transition_matrix(state, transition, personas, org):
    """From every state, each transition either succeeds (when the table allows it) or changes nothing."""
    lead, other = lead_in(state, personas, org)
    t = LEAD_TRANSITIONS.get(transition)
    actor = actor_for(transition, personas)
    before_events = events_for(lead).count()
    if state in t.sources:
        result = run_lead_transition(
            lead=lead, name=transition, actor=actor, reason="测试", params=params_for(transition, personas, org, other)
        )
        assert result.state == t.target
        last = events_for(lead).last()
        assert (last.transition, last.from_state, last.to_state, last.actor) == (transition, state, t.target, actor)
        assert events_for(lead).count() == before_events + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            run_lead_transition(
                lead=lead, name=transition, actor=actor, reason="测试",
                params=params_for(transition, personas, org, other),
            )
        lead.refresh_from_db()
        assert lead.state == state
        assert events_for(lead).count() == before_events


def test_registration_gives_a_number_and_the_art_18_deadline(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    lead = run_lead_transition(lead=lead, name="register", actor=personas.legal_officer)
    second = run_lead_transition(
        lead=make_lead(bureau=org.hongshan, actor=personas.legal_officer), name="register", actor=personas.legal_officer
    )
    year = lead.registered_at.year
    assert lead.number == f"红市监线〔{year}〕00001号"
    assert second.number == f"红市监线〔{year}〕00002号"
    assert lead.due_date.isoformat() == "2026-11-23"  # received 2026-11-02 + 15 working days
    assert lead.registered_by == personas.legal_officer


def test_an_investigator_cannot_register_and_nothing_changes(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    with pytest.raises(PermissionDenied):
        run_lead_transition(lead=lead, name="register", actor=personas.investigator)
    lead.refresh_from_db()
    assert lead.state == S.RECEIVED and lead.number is None


def test_only_assigned_verifiers_may_start_verification(personas, org):
    lead, _ = lead_in(S.DISPATCHED, personas, org)
    outsider_inv = personas.outsider_investigator
    assert "start_verification" not in [t.name for t in available_lead_transitions(lead, outsider_inv)]
    with pytest.raises(PermissionDenied):
        run_lead_transition(lead=lead, name="start_verification", actor=outsider_inv)


def test_concluding_without_a_result_is_refused_naming_the_field(personas, org):
    lead, _ = lead_in(S.VERIFYING, personas, org)
    with pytest.raises(InvalidInput) as excinfo:
        run_lead_transition(lead=lead, name="conclude", actor=personas.investigator, params={"outcome": "not_opened"})
    assert excinfo.value.field == "result"
    lead.refresh_from_db()
    assert lead.state == S.VERIFYING and lead.result == ""


def test_dispatch_to_a_unit_outside_the_bureau_is_refused(personas, org):
    lead, _ = lead_in(S.SCREENED, personas, org)
    with pytest.raises(InvalidInput) as excinfo:
        run_lead_transition(
            lead=lead, name="dispatch", actor=personas.task_office,
            params={"handling_unit": org.songshan.pk, "assignees": [personas.investigator.pk]},
        )
    assert excinfo.value.field == "handling_unit"


def test_merge_keeps_history_and_points_to_the_survivor(personas, org):
    lead, other = lead_in(S.REGISTERED, personas, org)
    merged = run_lead_transition(
        lead=lead, name="merge", actor=personas.legal_officer, reason="同一当事人同一事实",
        params={"merged_into": other.pk},
    )
    assert merged.merged_into == other
    assert [e.transition for e in events_for(merged)][-1] == "merge"
    assert events_for(merged).last().reason == "同一当事人同一事实"


def test_stale_version_is_a_conflict_and_changes_nothing(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    first_view = Lead.objects.get(pk=lead.pk)
    second_view = Lead.objects.get(pk=lead.pk)
    run_lead_transition(lead=first_view, name="register", actor=personas.legal_officer, expected_version=1)
    with pytest.raises(StaleState):
        # The second officer still holds the old object: the compare-and-swap finds 0 rows.
        run_lead_transition(lead=second_view, name="merge", actor=personas.legal_officer, reason="重复",
                            params={"merged_into": make_lead(bureau=org.hongshan, actor=personas.legal_officer).pk})
    lead.refresh_from_db()
    assert lead.state == S.REGISTERED and lead.merged_into is None


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_one_wins_the_other_gets_a_conflict(org, personas):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite shares one connection between threads")
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    views = [Lead.objects.get(pk=lead.pk), Lead.objects.get(pk=lead.pk)]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(view):
        barrier.wait()
        try:
            run_lead_transition(lead=view, name="register", actor=personas.legal_officer)
            outcomes.append("won")
        except StaleState:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(v,)) for v in views]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    lead.refresh_from_db()
    assert lead.state == S.REGISTERED
    assert [e.transition for e in events_for(lead)].count("register") == 1


def test_verifiers_are_notified_only_after_the_dispatch_commits(personas, org, django_capture_on_commit_callbacks):
    from silvershield.core.models import Notification

    lead, _ = lead_in(S.SCREENED, personas, org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_lead_transition(
            lead=lead, name="dispatch", actor=personas.task_office, params=params_for("dispatch", personas, org)
        )
    assert len(callbacks) == 1
    assert not Notification.objects.exists()  # nothing is said before the commit
    callbacks[0]()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {personas.investigator.username, personas.investigator2.username}
    assert lead.number in Notification.objects.first().message


def test_a_refused_transition_notifies_nobody(personas, org, django_capture_on_commit_callbacks):
    lead, _ = lead_in(S.SCREENED, personas, org)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(InvalidInput):
            run_lead_transition(lead=lead, name="dispatch", actor=personas.task_office, params={})
    assert callbacks == []


def test_the_meeting_closes_a_lead_it_transfers_out_but_only_with_a_transfer_or_no_action(personas, org):
    lead, _other = lead_in(S.SCREENED, personas, org)
    with pytest.raises(InvalidInput) as refused:
        run_lead_transition(
            lead=lead, name="close_at_screening", actor=personas.task_office, reason="筛查会决定",
            params={"outcome": "mediated", "result": "调解"},
        )
    assert refused.value.field == "outcome"
    lead = run_lead_transition(
        lead=lead, name="close_at_screening", actor=personas.task_office, reason="筛查会决定",
        params={"outcome": "transferred_department", "result": "移送市卫生健康委员会"},
    )
    assert lead.state == S.CONCLUDED and lead.outcome == "transferred_department" and lead.concluded_at
