"""The lead pages: the ledger and its export, the registration form, and the lead page's actions."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from silvershield.core.audit import events_for
from silvershield.core.models import AuditEvent
from silvershield.core.testing import make_lead
from silvershield.leads import views as lead_views
from silvershield.leads.models import Lead, LeadState
from silvershield.leads.workflow import run_lead_transition

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def lead_of_hongshan(personas, org, **fields):
    return make_lead(bureau=org.hongshan, actor=personas.legal_officer, **fields)


def advance(lead, personas, org, *steps):
    params = {
        "screen": {"category": "product_sales"},
        "dispatch": {
            "handling_unit": org.hongshan_institute.pk,
            "assignees": [personas.investigator.pk, personas.investigator2.pk],
        },
    }
    actors = {
        "register": personas.legal_officer,
        "screen": personas.task_office,
        "dispatch": personas.task_office,
        "start_verification": personas.investigator,
    }
    for name in steps:
        lead = run_lead_transition(lead=lead, name=name, actor=actors[name], params=params.get(name, {}))
    return lead


# --- the ledger ------------------------------------------------------------------------------------


def test_ledger_lists_the_bureaus_leads_in_chinese(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).get("/leads/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<tr data-lead-id="{lead.pk}">' in html
    for heading in ["编号", "接收日期", "渠道", "类别", "当事人", "区划", "承办单位", "状态", "期限"]:
        assert heading in html
    assert "新登记线索" in html
    assert "2026年11月2日" in html


def test_county_officer_sees_no_other_countys_lead_in_the_ledger(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    html = signed_in(client, personas.outsider).get("/leads/").content.decode()
    assert f'data-lead-id="{lead.pk}"' not in html


def test_ledger_filters_by_state_and_text(client, personas, org):
    registered = advance(
        lead_of_hongshan(personas, org, party_name="赤峰福寿养生馆"), personas, org, "register"
    )
    received = lead_of_hongshan(personas, org, party_name="红山区康乐老年公寓")
    client = signed_in(client, personas.legal_officer)
    html = client.get("/leads/", {"state": "registered"}).content.decode()
    assert f'data-lead-id="{registered.pk}"' in html and f'data-lead-id="{received.pk}"' not in html
    html = client.get("/leads/", {"q": "康乐"}).content.decode()
    assert f'data-lead-id="{received.pk}"' in html and f'data-lead-id="{registered.pk}"' not in html


@pytest.mark.parametrize(
    "params, field_label",
    [
        ({"received_from": "2026-13-45"}, "接收日期（起）"),
        ({"state": "vanished"}, "状态"),
        ({"unit": "abc"}, "承办单位"),
        ({"received_from": "2026-11-20", "received_to": "2026-11-01"}, "接收日期（止）"),
    ],
)
def test_bad_filter_input_gives_a_message_naming_the_field(client, personas, org, params, field_label):
    lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).get("/leads/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert field_label in html and "筛选条件未生效" in html
    assert "data-lead-id" not in html


def test_bad_page_cursor_gives_a_message(client, personas, org):
    lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).get("/leads/", {"after": "not-a-cursor"})
    assert response.status_code == 400
    assert "翻页" in response.content.decode()


def test_ledger_pages_by_keyset(client, personas, org, monkeypatch):
    monkeypatch.setattr(lead_views, "PAGE_SIZE", 2)
    leads = [lead_of_hongshan(personas, org) for _ in range(3)]
    client = signed_in(client, personas.legal_officer)
    first = client.get("/leads/")
    cursor = first.context["next_cursor"]
    assert [r.pk for r in first.context["rows"]] == [leads[2].pk, leads[1].pk]
    second = client.get("/leads/", {"after": cursor})
    assert [r.pk for r in second.context["rows"]] == [leads[0].pk]
    assert second.context["next_cursor"] == ""


def test_htmx_asks_only_for_the_results(client, personas, org):
    lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).get("/leads/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="ledger-results"' in html and "<html" not in html


def test_export_has_one_row_per_lead_and_never_the_reporter(client, personas, org):
    lead_of_hongshan(
        personas,
        org,
        reporter_name="张三丰",
        reporter_phone="13804761234",
        reporter_id_number="11010519491231002X",
        reporter_is_named=True,
    )
    lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).get("/leads/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3  # the header and two leads
    text = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    for secret in ["张三丰", "13804761234", "1380", "11010519491231002X", "张*"]:
        assert secret not in text
    reporter_column = rows[0].index("举报人")
    assert sorted(row[reporter_column] for row in rows[1:]) == ["匿名", "实名（已保密）"]


def test_export_follows_the_filters_and_the_jurisdiction(client, personas, org):
    lead_of_hongshan(personas, org)
    response = signed_in(client, personas.outsider).get("/leads/export.xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1


# --- entering and editing a lead ------------------------------------------------------------------


def lead_form(**overrides):
    data = {
        "channel": "report",
        "received_date": "2026-11-20",
        "summary": "以“免费体检”为名向老年人推销保健品",
        "party_name": "赤峰康寿堂保健品店",
        "division": "150402",
        "reporter_name": "李秀英",
        "reporter_phone": "13804761234",
    }
    data.update(overrides)
    return data


def test_legal_officer_receives_a_lead_from_the_form(client, personas, org):
    response = signed_in(client, personas.legal_officer).post("/leads/new/", lead_form())
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert lead.state == LeadState.RECEIVED and lead.reporter_name == "李秀英"


def test_bad_phone_is_shown_next_to_its_field_and_nothing_is_written(client, personas, org):
    response = signed_in(client, personas.legal_officer).post("/leads/new/", lead_form(reporter_phone="12"))
    assert response.status_code == 400
    assert 'data-field-error="reporter_phone"' in response.content.decode()
    assert not Lead.objects.exists()


def test_division_outside_the_jurisdiction_is_refused(client, personas, org):
    response = signed_in(client, personas.outsider).post("/leads/new/", lead_form(division="150402"))
    assert response.status_code == 400
    assert 'data-field-error="division"' in response.content.decode()


def test_investigator_cannot_enter_leads(client, personas):
    assert signed_in(client, personas.investigator).get("/leads/new/").status_code == 403


def test_legal_officer_corrects_registration_data_and_keeps_the_reporter(client, personas, org):
    lead = lead_of_hongshan(personas, org, reporter_name="李秀英")
    client = signed_in(client, personas.legal_officer)
    page = client.get(f"/leads/{lead.pk}/edit/").content.decode()
    assert "李秀英" not in page
    data = lead_form(party_name="赤峰福寿堂", reporter_name="", reporter_phone="", received_date="2026-11-02")
    response = client.post(f"/leads/{lead.pk}/edit/", data)
    lead.refresh_from_db()
    assert response.status_code == 302
    assert lead.party_name == "赤峰福寿堂" and lead.reporter_name == "李秀英"
    assert events_for(lead).last().action == AuditEvent.Action.UPDATE


# --- the lead page --------------------------------------------------------------------------------


def test_lead_page_shows_the_form_masked_reporter_and_timeline(client, personas, org):
    lead = lead_of_hongshan(personas, org, reporter_name="李秀英", reporter_phone="13804761234")
    html = signed_in(client, personas.legal_officer).get(f"/leads/{lead.pk}/").content.decode()
    assert "案件来源登记表" in html
    assert "李**" in html and "138****1234" in html
    assert "李秀英" not in html and "13804761234" not in html
    assert 'id="timeline"' in html
    assert '<button class="btn btn-primary" type="submit" name="transition" value="register"' in html
    assert 'name="version" value="1"' in html
    assert "查看举报人信息" in html


def test_county_officer_gets_404_for_another_countys_lead_and_its_transition(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    client = signed_in(client, personas.outsider)
    assert client.get(f"/leads/{lead.pk}/").status_code == 404
    response = client.post(f"/leads/{lead.pk}/transition/", {"transition": "register", "version": 1})
    assert response.status_code == 404
    assert client.post(f"/leads/{lead.pk}/reveal/", {"reason": "核实"}).status_code == 404
    assert client.get(f"/leads/{lead.pk}/edit/").status_code == 404
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED


def test_registering_from_the_page_changes_the_state_and_shows_on_the_timeline(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    client = signed_in(client, personas.legal_officer)
    response = client.post(
        f"/leads/{lead.pk}/transition/", {"transition": "register", "version": 1, "reason": "材料齐全"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == LeadState.REGISTERED and lead.number
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert "登记" in timeline and "已接收 → 已登记" in timeline and "材料齐全" in timeline
    assert timeline.count("<li") == 2


def test_dispatching_from_the_page_with_units_and_verifiers(client, personas, org):
    lead = advance(lead_of_hongshan(personas, org), personas, org, "register", "screen")
    client = signed_in(client, personas.task_office)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert 'name="assignees"' in page and "张执法" in page
    response = client.post(
        f"/leads/{lead.pk}/transition/",
        {
            "transition": "dispatch",
            "version": lead.version,
            "handling_unit": org.hongshan_institute.pk,
            "assignees": [personas.investigator.pk, personas.investigator2.pk],
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == LeadState.DISPATCHED
    assert set(lead.assignees.all()) == {personas.investigator, personas.investigator2}


def test_stale_version_gives_409_and_changes_nothing(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    events = events_for(lead).count()
    response = signed_in(client, personas.legal_officer).post(
        f"/leads/{lead.pk}/transition/", {"transition": "register", "version": 0}
    )
    assert response.status_code == 409
    assert "此事项已被他人修改，请刷新后重试" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED and events_for(lead).count() == events


def test_missing_input_is_shown_next_to_the_field(client, personas, org):
    lead = advance(lead_of_hongshan(personas, org), personas, org, "register", "screen")
    response = signed_in(client, personas.task_office).post(
        f"/leads/{lead.pk}/transition/",
        {
            "transition": "dispatch",
            "version": lead.version,
            "handling_unit": org.hongshan_institute.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="assignees"' in html and "请指定至少一名核查人员" in html
    lead.refresh_from_db()
    assert lead.state == LeadState.SCREENED


def test_concluding_without_a_result_is_refused(client, personas, org):
    lead = advance(
        lead_of_hongshan(personas, org), personas, org, "register", "screen", "dispatch", "start_verification"
    )
    response = signed_in(client, personas.investigator).post(
        f"/leads/{lead.pk}/transition/",
        {
            "transition": "conclude",
            "version": lead.version,
            "outcome": "not_opened",
            "result": " ",
        },
    )
    assert response.status_code == 400
    assert 'data-field-error="result"' in response.content.decode()


def test_role_that_may_not_act_gets_403(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    response = signed_in(client, personas.task_office).post(
        f"/leads/{lead.pk}/transition/", {"transition": "register", "version": 1}
    )
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.state == LeadState.RECEIVED


def test_unknown_transition_is_a_clear_400(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).post(
        f"/leads/{lead.pk}/transition/", {"transition": "teleport", "version": 1}
    )
    assert response.status_code == 400


def test_merging_by_lead_number(client, personas, org):
    survivor = advance(lead_of_hongshan(personas, org), personas, org, "register")
    duplicate = lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).post(
        f"/leads/{duplicate.pk}/transition/",
        {
            "transition": "merge",
            "version": 1,
            "merged_into": survivor.number,
            "reason": "同一当事人同一事实",
        },
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == LeadState.MERGED and duplicate.merged_into == survivor


def test_opening_a_case_links_the_case_from_the_lead(client, personas, org):
    lead = advance(
        lead_of_hongshan(personas, org), personas, org, "register", "screen", "dispatch", "start_verification"
    )
    client = signed_in(client, personas.unit_head)
    response = client.post(
        f"/leads/{lead.pk}/transition/",
        {
            "transition": "open_case",
            "version": lead.version,
            "title": "康寿堂虚假宣传案",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f'href="/cases/{lead.case_id}/"' in html and lead.case.number in html


def test_htmx_transition_returns_the_refreshed_part(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    response = signed_in(client, personas.legal_officer).post(
        f"/leads/{lead.pk}/transition/", {"transition": "register", "version": 1}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="detail-body"' in html and "<html" not in html and 'name="version" value="2"' in html


# --- the reporter's identity ----------------------------------------------------------------------


def test_reveal_needs_a_reason_and_is_logged(client, personas, org):
    lead = lead_of_hongshan(personas, org, reporter_name="李秀英", reporter_phone="13804761234")
    client = signed_in(client, personas.legal_officer)
    refused = client.post(f"/leads/{lead.pk}/reveal/", {"reason": " "})
    assert refused.status_code == 400 and "李秀英" not in refused.content.decode()
    shown = client.post(f"/leads/{lead.pk}/reveal/", {"reason": "需电话回复举报人处理结果"})
    assert shown.status_code == 200 and "李秀英" in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    last = events_for(lead).last()
    assert last.action == AuditEvent.Action.VIEW_PERSONAL_DATA and last.actor == personas.legal_officer


def test_investigator_has_no_reveal_form_and_is_refused(client, personas, org):
    lead = advance(
        lead_of_hongshan(personas, org, reporter_name="李秀英"),
        personas,
        org,
        "register",
        "screen",
        "dispatch",
    )
    client = signed_in(client, personas.investigator)
    assert "查看举报人信息" not in client.get(f"/leads/{lead.pk}/").content.decode()
    response = client.post(f"/leads/{lead.pk}/reveal/", {"reason": "好奇"})
    assert response.status_code == 403 and "李秀英" not in response.content.decode()


# --- languages ------------------------------------------------------------------------------------


def test_english_can_be_chosen(client, personas, org):
    lead = lead_of_hongshan(personas, org)
    client = signed_in(client, personas.legal_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/leads/"})
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Case-source registration form" in html and "Register" in html
    assert "案件来源登记表" not in html
