"""Strike-off (销号): each missing checklist item refuses the strike-off, naming it; once everything holds
the item is struck off, leaves the board and stays in the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from silvershield.board import services
from silvershield.board.checklist import missing_for_case, missing_for_lead
from silvershield.board.queries import BoardFilter, build_board
from silvershield.board.tests.helpers import close_case, conclude, lead_at
from silvershield.cases.workflow import run_case_transition
from silvershield.core.audit import events_for
from silvershield.core.errors import InvalidInput, TransitionNotAllowed
from silvershield.core.testing import PASSWORD
from silvershield.leads.models import Lead
from silvershield.leads.queries import leads_visible_to
from silvershield.leads.workflow import run_lead_transition

TODAY = date(2026, 11, 20)


def strike(lead, personas):
    return run_lead_transition(lead=lead, name="strike_off", actor=personas.legal_officer)


def test_a_plain_lead_with_its_result_is_struck_off_and_leaves_the_board(personas, org):
    lead = conclude(lead_at(personas, org, "verifying"), personas)
    assert missing_for_lead(lead) == []
    board = build_board(personas.legal_officer, BoardFilter())
    assert board.columns[-1].total == 1
    lead = strike(lead, personas)
    assert lead.state == "struck_off"
    assert build_board(personas.legal_officer, BoardFilter()).total == 0
    assert leads_visible_to(personas.legal_officer).filter(pk=lead.pk).exists()  # still in the ledger


@pytest.mark.parametrize(
    "fields, outcome, missing, record",
    [
        ({"reporter_is_named": True, "reporter_name": "王大爷", "reporter_phone": "13904761234"},
         "not_opened", "未答复实名举报人",
         lambda lead, actor: services.record_reporter_reply(item=lead, actor=actor, method="phone",
                                                            replied_on=TODAY, note="已电话告知核查结果")),
        ({}, "transferred_police", "缺少移送回执",
         lambda lead, actor: services.record_transfer_receipt(item=lead, actor=actor, receiver="赤峰市公安局红山区分局",
                                                              received_on=TODAY, document_number="红公回〔2026〕12号")),
        ({"loss_amount": Decimal("38000")}, "mediated", "未录入挽回损失金额",
         lambda lead, actor: services.record_loss_recovery(item=lead, actor=actor, amount="20000", victims=2,
                                                           recovered_on=TODAY)),
    ],
)
def test_each_missing_item_refuses_the_strike_off_by_name(personas, org, fields, outcome, missing, record):
    lead = conclude(lead_at(personas, org, "verifying", **fields), personas, outcome=outcome)
    assert missing_for_lead(lead) == [missing]
    with pytest.raises(TransitionNotAllowed) as refused:
        strike(lead, personas)
    assert refused.value.message == f"销号条件未满足，尚缺：{missing}"
    lead.refresh_from_db()
    assert lead.state == "concluded"
    record(lead, personas.legal_officer)
    assert missing_for_lead(lead) == []
    assert strike(lead, personas).state == "struck_off"
    changes = [e.changes for e in events_for(lead) if e.action == "update"]
    assert changes, "the record left an audit event on the lead"


def test_several_missing_items_are_all_listed(personas, org):
    lead = conclude(
        lead_at(personas, org, "verifying", reporter_is_named=True, reporter_name="王大爷",
                loss_amount=Decimal("5000")),
        personas, outcome="transferred_department",
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        strike(lead, personas)
    assert refused.value.message == "销号条件未满足，尚缺：未答复实名举报人；缺少移送回执；未录入挽回损失金额"


def test_a_case_with_a_fine_needs_publication_reply_and_recovery(personas, org):
    lead = lead_at(personas, org, "case", reporter_is_named=True, reporter_name="李阿姨", loss_amount=Decimal("12000"))
    case = close_case(lead.case, personas)
    assert missing_for_case(case) == [
        f"未答复实名举报人（{lead.number}）", "行政处罚信息未公示", "未录入挽回损失金额",
    ]
    with pytest.raises(TransitionNotAllowed):
        run_case_transition(case=case, name="strike_off", actor=personas.legal_officer)
    actor = personas.legal_officer
    services.record_reporter_reply(item=lead, actor=actor, method="letter", replied_on=TODAY)
    services.record_publication(item=case, actor=actor, published_on=date.today(), where="国家企业信用信息公示系统")
    services.record_loss_recovery(item=case, actor=actor, amount="12000", recovered_on=date.today(), victims=1)
    case = run_case_transition(case=case, name="strike_off", actor=actor)
    assert case.state == "struck_off"
    assert all(c.key != "investigating" or c.total == 0 for c in build_board(actor, BoardFilter()).columns)


def test_bad_records_are_refused_by_field(personas, org):
    lead = conclude(lead_at(personas, org, "verifying"), personas)
    with pytest.raises(InvalidInput) as bad:
        services.record_reporter_reply(item=lead, actor=personas.legal_officer, method="phone", replied_on=TODAY)
    assert bad.value.field == "method"  # no named reporter
    with pytest.raises(InvalidInput) as bad:
        services.record_loss_recovery(item=lead, actor=personas.legal_officer, amount="-5", recovered_on=TODAY)
    assert bad.value.field == "amount"
    with pytest.raises(InvalidInput) as bad:
        services.record_transfer_receipt(item=lead, actor=personas.legal_officer, receiver="", received_on=TODAY)
    assert bad.value.field == "receiver"
    with pytest.raises(InvalidInput) as bad:
        services.record_loss_recovery(item=lead, actor=personas.legal_officer, amount="1", recovered_on="2999-01-01")
    assert bad.value.field == "recovered_on"


def test_strike_off_page_refuses_then_strikes_off(personas, org, client):
    lead = conclude(lead_at(personas, org, "verifying", loss_amount=Decimal("9000")), personas, outcome="mediated")
    assert client.login(username=personas.legal_officer.username, password=PASSWORD)
    url = f"/board/lead/{lead.pk}/strike-off/"
    page = client.get(url).content.decode()
    assert 'data-check="losses" data-state="missing"' in page and 'data-record="losses"' in page
    refused = client.post(url, {"action": "strike_off", "version": lead.version})
    assert refused.status_code == 400 and "未录入挽回损失金额" in refused.content.decode()
    bad = client.post(url, {"action": "losses", "amount": "abc", "recovered_on": "2026-11-20"})
    assert bad.status_code == 400 and 'data-field-error="amount"' in bad.content.decode()
    ok = client.post(url, {"action": "losses", "amount": "9000", "victims": "1", "recovered_on": "2026-11-20"})
    assert ok.status_code == 302
    lead.refresh_from_db()
    done = client.post(url, {"action": "strike_off", "version": lead.version}, follow=True)
    assert done.status_code == 200 and 'id="struck-off-note"' in done.content.decode()
    assert Lead.objects.get(pk=lead.pk).state == "struck_off"


def test_case_strike_off_page_records_publication_and_reply(personas, org, client):
    lead = lead_at(personas, org, "case", reporter_is_named=True, reporter_name="李阿姨")
    case = close_case(lead.case, personas)
    assert client.login(username=personas.legal_officer.username, password=PASSWORD)
    url = f"/board/case/{case.pk}/strike-off/"
    page = client.get(url).content.decode()
    assert 'data-check="publication" data-state="missing"' in page and 'name="lead"' in page
    refused = client.post(url, {"action": "strike_off", "version": case.version}).content.decode()
    assert "未答复实名举报人" in refused and "行政处罚信息未公示" in refused
    early = client.post(url, {"action": "publication", "published_on": "2020-01-01", "where": "国家企业信用信息公示系统"})
    assert early.status_code == 400 and "不能早于处罚决定日期" in early.content.decode()
    today = date.today().isoformat()
    assert client.post(url, {"action": "publication", "published_on": today, "where": "国家企业信用信息公示系统"}).status_code == 302
    assert client.post(url, {"action": "reporter", "lead": lead.pk, "method": "sms", "replied_on": today}).status_code == 302
    case.refresh_from_db()
    done = client.post(url, {"action": "strike_off", "version": case.version})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == "struck_off"
    # the outsider gets 404 for the case's strike-off page
    client.logout()
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    assert client.get(url).status_code == 404
