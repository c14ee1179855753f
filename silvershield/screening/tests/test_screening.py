"""The screening meeting: agenda, decisions, conflicts, recusal, routing, verifier rule, carry-out, clusters, scoping."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from silvershield.core.errors import InvalidInput, StaleState
from silvershield.core.models import Notification, Role
from silvershield.core.testing import PASSWORD, make_person
from silvershield.leads.models import Lead, LeadState
from silvershield.leads.workflow import run_lead_transition
from silvershield.screening import services
from silvershield.screening.agenda import build_agenda
from silvershield.screening.clusters import build_clusters, refresh_index
from silvershield.screening.models import Decision, Matter, MeetingState, RoutingRule
from silvershield.screening.rules import Recommender
from silvershield.screening.tests.conftest import build_chain, registered

DAY = date(2026, 11, 9)


def _meeting(personas, **kw):
    return services.open_meeting(actor=personas.task_office, held_on=kw.pop("held_on", DAY), chair=personas.unit_head,
                                 attendees=[personas.legal_officer, personas.investigator], outside_attendees="王律师（特邀）", **kw)


def _dispatch(personas, org, **kw):
    data = dict(kind="dispatch", priority="high", category="product_sales", handling_unit=org.hongshan_institute,
                verifiers=[personas.investigator, personas.investigator2], reasons="属地管辖，指定两名执法人员核查")
    data.update(kw)
    return data


@pytest.mark.django_db
def test_agenda_holds_registered_leads_in_reach_grouped(org, personas, city):
    new = registered(personas, org, product_domain="food")
    received_only = __import__("silvershield.core.testing", fromlist=["make_lead"]).make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    other_county = registered(personas, org, bureau=org.songshan, actor=city.ss_legal, division="150404")
    dispatched = registered(personas, org, summary="某药店向老人推销药品", product_domain="drug")
    run_lead_transition(lead=dispatched, name="screen", actor=personas.task_office)
    run_lead_transition(lead=dispatched, name="dispatch", actor=personas.task_office, params={
        "handling_unit": org.hongshan_institute.pk, "assignees": [personas.investigator.pk]})
    meeting = _meeting(personas, held_on=Lead.objects.get(pk=dispatched.pk).due_date - timedelta(days=1))
    agenda = build_agenda(bureau=meeting.bureau, meeting=meeting)
    ids = [i.lead.pk for i in agenda.items]
    assert new.pk in ids
    assert received_only.pk not in ids and other_county.pk not in ids and dispatched.pk not in ids
    assert dispatched.pk in [lead.pk for lead in agenda.clocks]  # its clock runs out within the window
    item = next(i for i in agenda.items if i.lead.pk == new.pk)
    assert item.group == "food" and item.due_soon
    assert [g[0] for g in agenda.groups] == ["food"]
    assert item.recommendation.reasons  # every recommendation explains itself


@pytest.mark.django_db
def test_one_decision_per_lead_editable_with_version(org, personas):
    lead = registered(personas, org)
    meeting = _meeting(personas)
    d = services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting, **_dispatch(personas, org))
    d2 = services.record_decision(actor=personas.unit_head, lead=lead, meeting=meeting, expected_version=1,
                                  **_dispatch(personas, org, priority="urgent"))
    assert d2.pk == d.pk and d2.version == 2 and d2.priority == "urgent"
    assert Decision.objects.filter(lead=lead).count() == 1
    with pytest.raises(StaleState):
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting, expected_version=1,
                                 **_dispatch(personas, org))


@pytest.mark.django_db
def test_decision_for_lead_decided_elsewhere_is_a_conflict(client, org, personas):
    lead = registered(personas, org)
    services.urgent_dispatch(actor=personas.unit_head, lead=lead, category="product_sales",
                             handling_unit=org.hongshan_institute, verifiers=[personas.investigator, personas.investigator2],
                             reasons="老人停药，紧急")
    lead.refresh_from_db()
    assert lead.state == LeadState.DISPATCHED and lead.priority == "urgent"
    decision = Decision.objects.get(lead=lead)
    assert decision.meeting is None and decision.carried_out_at
    meeting = _meeting(personas)
    with pytest.raises(StaleState, match="不能重复决定"):
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting, **_dispatch(personas, org))
    # A lead decided in one meeting cannot be decided again in a later one either.
    other = registered(personas, org)
    services.record_decision(actor=personas.task_office, lead=other, meeting=meeting, **_dispatch(personas, org))
    client.login(username="hs_head", password=PASSWORD)
    url = reverse("screening:urgent", args=[other.pk])
    response = client.post(url, {"category": "product_sales", "handling_unit": org.hongshan_institute.pk,
                                 "verifiers": [personas.investigator.pk, personas.investigator2.pk], "may_become_case": "on",
                                 "reasons": "紧急"})
    assert response.status_code == 409
    assert "不能重复决定" in response.content.decode()


@pytest.mark.django_db
def test_recused_officer_never_recommended_nor_accepted(org, personas):
    lead = registered(personas, org, party_name="赤峰康寿堂保健品店")
    services.declare_conflict(actor=personas.investigator, officer=personas.investigator, party_name="康寿堂", reason="配偶在该店任职")
    rec = Recommender().recommend(lead)
    assert personas.investigator.pk not in [o.officer.pk for o in rec.officers]
    assert any("回避" in e for e in rec.excluded)
    meeting = _meeting(personas)
    with pytest.raises(InvalidInput, match="回避") as err:
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting, **_dispatch(personas, org))
    assert err.value.field == "verifiers"


@pytest.mark.django_db
def test_routing_rules_applied(org, personas):
    chain = registered(personas, org, summary="康寿堂在红山区、松山区有多家门店，以讲座推销保健品")
    rec = Recommender().recommend(chain)
    assert rec.unit == org.city_enforcement and rec.priority == "high"
    assert any("连锁" in str(r) for r in rec.reasons)
    plain = registered(personas, org, summary="某店向老人推销保健品", channel="hotline")
    rec = Recommender().recommend(plain)
    assert rec.unit == org.hongshan and rec.priority == "normal"
    RoutingRule.objects.create(name="12315匿名转所", channels=["hotline"], anonymous="yes", target="unit",
                               target_unit=org.hongshan_institute, priority="urgent", note="测试规则", source="test")
    rec = Recommender().recommend(plain)
    assert rec.unit == org.hongshan_institute and rec.priority == "urgent"
    assert any("测试规则" in n for n in rec.notes)


@pytest.mark.django_db
def test_two_credentialed_verifiers_when_it_may_become_a_case(org, personas):
    lead = registered(personas, org)
    meeting = _meeting(personas)
    with pytest.raises(InvalidInput, match="2名以上") as err:
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting,
                                 **_dispatch(personas, org, verifiers=[personas.investigator]))
    assert err.value.field == "verifiers"
    no_card = make_person("hs_inv3", Role.INVESTIGATOR, org.hongshan_institute, credential="x")
    no_card.credential_number = ""
    no_card.save()
    with pytest.raises(InvalidInput, match="执法证件"):
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting,
                                 **_dispatch(personas, org, verifiers=[personas.investigator, no_card]))
    d = services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting,
                                 **_dispatch(personas, org, verifiers=[personas.investigator], may_become_case=False))
    assert d.verifiers.count() == 1


@pytest.mark.django_db
def test_dispatch_outside_the_units_reach_is_refused(org, personas):
    lead = registered(personas, org)
    meeting = _meeting(personas)
    with pytest.raises(InvalidInput, match="郑松山.*不在承办单位") as err:
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting,
                                 **_dispatch(personas, org, verifiers=[personas.investigator, personas.outsider_investigator]))
    assert err.value.field == "verifiers"
    with pytest.raises(InvalidInput, match="不在.*辖区") as err:
        services.record_decision(actor=personas.task_office, lead=lead, meeting=meeting,
                                 **_dispatch(personas, org, handling_unit=org.city_enforcement))
    assert err.value.field == "handling_unit"


@pytest.mark.django_db
def test_carry_out_is_all_or_nothing(org, personas, django_capture_on_commit_callbacks):
    first, second = registered(personas, org), registered(personas, org)
    meeting = _meeting(personas)
    services.record_decision(actor=personas.task_office, lead=first, meeting=meeting, **_dispatch(personas, org))
    services.record_decision(actor=personas.task_office, lead=second, meeting=meeting, **_dispatch(personas, org))
    # Meanwhile the legal officer merges the second lead away: its dispatch can no longer be done.
    run_lead_transition(lead=second, name="merge", actor=personas.legal_officer, reason="重复",
                        params={"merged_into": first.pk})
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Exception, match=str(second.display_number)):
            services.carry_out(actor=personas.task_office, meeting=meeting)
    first.refresh_from_db()
    meeting.refresh_from_db()
    assert first.state == LeadState.REGISTERED and meeting.state == MeetingState.OPEN
    assert not Notification.objects.exists()
    assert not Decision.objects.filter(carried_out_at__isnull=False).exists()
    # Withdraw the stale decision, then it goes through: dispatch orders and notifications.
    services.withdraw_decision(actor=personas.task_office, decision=Decision.objects.get(lead=second))
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out(actor=personas.task_office, meeting=meeting)
    first.refresh_from_db()
    assert first.state == LeadState.DISPATCHED and first.handling_unit == org.hongshan_institute
    assert set(first.assignees.all()) == {personas.investigator, personas.investigator2}
    assert first.priority == "high"
    assert Notification.objects.filter(recipient=personas.investigator).exists()
    assert Meeting_state(meeting) == MeetingState.HELD


def Meeting_state(meeting):
    meeting.refresh_from_db()
    return meeting.state


@pytest.mark.django_db
def test_chain_is_one_cluster_and_is_sent_as_one_matter(org, personas, city):
    chain = build_chain(org, personas, city)
    unrelated = registered(personas, org, party_name="某某养生馆", summary="某养生馆推销理疗仪")
    refresh_index()
    clusters = build_clusters()
    assert len(clusters) == 1
    cluster = clusters[0]
    assert sorted(cluster.lead_ids) == sorted(lead.pk for lead in chain.leads)
    assert unrelated.pk not in cluster.lead_ids
    assert cluster.divisions == {"150402", "150404"}
    kinds = {k for k, _v in cluster.keys}
    assert {"person", "phone"} <= kinds
    # The city agenda shows it as one cluster; the 红山区 agenda shows its part and counts the rest.
    agenda = build_agenda(bureau=org.city, day=DAY)
    assert len(agenda.clusters) == 1 and len(agenda.clusters[0].leads) == 5
    hs = build_agenda(bureau=org.hongshan, day=DAY)
    assert len(hs.clusters[0].leads) == 3 and hs.clusters[0].others == 2
    rec = next(i for i in agenda.items if i.lead.pk == chain.leads[0].pk).recommendation
    assert rec.unit == org.city_enforcement and "跨区" in rec.reasons[0]
    # The county cannot send it to the city; the city task office can, as one matter.
    with pytest.raises(InvalidInput):
        services.send_cluster(actor=personas.task_office, cluster_key=cluster.key, meeting=None,
                              verifiers=[city.inv1, city.inv2], reasons="跨区连锁")
    matter = services.send_cluster(actor=city.task_office, cluster_key=cluster.key, meeting=None,
                                   verifiers=[city.inv1, city.inv2], reasons="跨区连锁")
    assert Matter.objects.count() == 1 and matter.leads.count() == 5
    for lead in Lead.objects.filter(pk__in=[x.pk for x in chain.leads]):
        assert lead.state == LeadState.DISPATCHED and lead.handling_unit == org.city_enforcement
        assert Decision.objects.get(lead=lead).matter == matter


@pytest.mark.django_db
def test_scoping_404_and_roles(client, org, personas, city):
    lead = registered(personas, org)
    meeting = _meeting(personas)
    client.login(username="ss_task", password=PASSWORD)
    assert client.get(reverse("screening:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("screening:urgent", args=[lead.pk])).status_code == 404
    client.login(username="hs_inv1", password=PASSWORD)
    assert client.get(reverse("screening:index")).status_code == 403
    client.login(username="city_task", password=PASSWORD)
    assert client.get(reverse("screening:meeting", args=[meeting.pk])).status_code == 200


@pytest.mark.django_db
def test_meeting_pages_from_agenda_to_minutes(client, org, personas, django_capture_on_commit_callbacks):
    lead = registered(personas, org, product_domain="food")
    client.login(username="hs_task", password=PASSWORD)
    response = client.post(reverse("screening:new_meeting"), {
        "held_on": DAY.isoformat(), "chair": personas.unit_head.pk, "attendees": [personas.legal_officer.pk],
        "outside_attendees": "王律师", "due_window_days": 5})
    assert response.status_code == 302
    meeting_url = response["Location"]
    page = client.get(meeting_url).content.decode()
    assert lead.display_number in page and "食品" in page
    meeting_id = int(meeting_url.rstrip("/").split("/")[-1])
    decide = reverse("screening:decide", args=[meeting_id, lead.pk])
    form = client.get(decide)
    assert form.status_code == 200
    bad = client.post(decide, {"kind": "dispatch", "priority": "high", "category": "product_sales",
                               "handling_unit": org.hongshan_institute.pk, "verifiers": [personas.investigator.pk],
                               "may_become_case": "on", "reasons": "属地"})
    assert bad.status_code == 400 and 'data-field-error="verifiers"' in bad.content.decode()
    ok = client.post(decide, {"kind": "dispatch", "priority": "high", "category": "product_sales",
                              "handling_unit": org.hongshan_institute.pk,
                              "verifiers": [personas.investigator.pk, personas.investigator2.pk],
                              "may_become_case": "on", "reasons": "属地"})
    assert ok.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("screening:carry_out", args=[meeting_id]))
    lead.refresh_from_db()
    assert lead.state == LeadState.DISPATCHED
    docx = client.get(reverse("screening:minutes_docx", args=[meeting_id]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "筛查会会议纪要" in text and "王律师" in text
    assert lead.display_number in client.get(reverse("screening:minutes", args=[meeting_id])).content.decode()
    assert client.get(reverse("screening:agenda_xlsx", args=[meeting_id])).status_code == 200
    assert client.get(reverse("screening:clusters")).status_code == 200
    assert client.get(reverse("screening:conflicts")).status_code == 200
