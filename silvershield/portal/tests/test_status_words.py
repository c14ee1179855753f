"""The status page's plain words follow what actually happened to the lead (state and outcome); a lead
that ended without a case is never just "closed"; a merged report speaks for the one it joined."""

from __future__ import annotations

import pytest
from django.utils import translation

from silvershield.leads.workflow import run_lead_transition
from silvershield.portal.models import PortalReceipt
from silvershield.portal.services import submit_report
from silvershield.portal.status import public_status

pytestmark = pytest.mark.django_db


def portal_lead(org, key="k1"):
    from silvershield.core.models import Division

    lead, _ = submit_report(
        fields={"channel": "report", "division": Division.objects.get(code="150402"),
                "summary": "免费讲座推销保健品，骗走老人两万元", "party_name": "赤峰康寿堂保健品店"},
        key=key, lookup_digits="13804761234",
    )
    return lead


def walk(lead, personas, org, *names, **params):
    actors = {"register": personas.legal_officer, "screen": personas.task_office, "dispatch": personas.task_office,
              "start_verification": personas.investigator, "conclude": personas.investigator,
              "open_case": personas.unit_head, "strike_off": personas.legal_officer, "merge": personas.legal_officer}
    defaults = {"screen": {"category": "product_sales"},
                "dispatch": {"handling_unit": org.hongshan_institute.pk, "assignees": [personas.investigator.pk]},
                "open_case": {"title": "康寿堂虚假宣传案"}}
    for name in names:
        lead = run_lead_transition(lead=lead, name=name, actor=actors[name], reason="测试",
                                   params=params.get(name, defaults.get(name, {})))
    return lead


def words(lead):
    with translation.override("zh-hans"):
        return public_status(lead)


def test_each_stage_in_plain_words(org, personas):
    lead = portal_lead(org)
    assert (words(lead).title, words(lead).step, words(lead).closed) == ("已收到", 1, False)
    lead = walk(lead, personas, org, "register")
    assert words(lead).title == "已登记" and words(lead).step == 2
    lead = walk(lead, personas, org, "screen", "dispatch")
    assert words(lead).title == "正在核查"
    lead = walk(lead, personas, org, "start_verification")
    assert "15 个工作日" in words(lead).text


@pytest.mark.parametrize("outcome,title,phrase", [
    ("not_opened", "已核查，没有立案", "没有找到足够的证据"),
    ("transferred_department", "已转给主管部门处理", "其他政府部门"),
    ("transferred_police", "已移送公安机关", "110"),
    ("mediated", "已调解解决", "调解"),
])
def test_outcomes_say_what_was_done(org, personas, outcome, title, phrase):
    lead = walk(portal_lead(org), personas, org, "register", "screen", "dispatch", "start_verification", "conclude",
                conclude={"outcome": outcome, "result": "张执法核查：商家负责人李某拒不配合（内部意见）"})
    status = words(lead)
    assert status.title == title and phrase in status.text and status.closed and status.step == 4
    assert "关闭" not in status.title + status.text and "结案" not in status.title
    # Officers' notes and names never appear.
    assert "张执法" not in status.text and "内部" not in status.text


def test_case_opened_and_struck_off_keep_the_outcome_words(org, personas):
    lead = walk(portal_lead(org), personas, org, "register", "screen", "dispatch", "start_verification", "open_case")
    assert words(lead).title == "已立案调查"


def test_merged_report_follows_the_survivor(org, personas):
    survivor = portal_lead(org, key="a")
    merged = portal_lead(org, key="b")
    merged = walk(merged, personas, org, "merge", merge={"merged_into": survivor.pk})
    status = words(merged)
    assert status.merged and status.title == "与相似的反映合并处理" and "合在一起处理" in status.text
    walk(survivor, personas, org, "register", "screen", "dispatch", "start_verification", "open_case")
    merged.refresh_from_db()
    status = words(merged)
    assert status.step == 4 and status.title == "已立案调查" and "合在一起处理" in status.text


def test_officer_note_for_the_reporter_is_shown(org):
    lead = portal_lead(org)
    PortalReceipt.objects.filter(lead=lead).update(public_note="商家已被责令整改。")
    lead.refresh_from_db()
    assert words(lead).note == "商家已被责令整改。"
