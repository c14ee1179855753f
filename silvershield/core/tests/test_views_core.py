"""Sign-in, the layout and the workbench: what each role finds waiting, with its due dates."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from silvershield.cases.models import CaseState
from silvershield.core.testing import PASSWORD, make_lead
from silvershield.leads.workflow import run_lead_transition

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def signed_in(client, user):
    client.force_login(user)
    return client


def registered_lead(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    return run_lead_transition(lead=lead, name="register", actor=personas.legal_officer)


def dispatched_lead(personas, org):
    lead = registered_lead(personas, org)
    lead = run_lead_transition(
        lead=lead, name="screen", actor=personas.task_office, params={"category": "product_sales"}
    )
    return run_lead_transition(
        lead=lead,
        name="dispatch",
        actor=personas.task_office,
        params={
            "handling_unit": org.hongshan_institute.pk,
            "assignees": [personas.investigator.pk, personas.investigator2.pk],
        },
    )


def test_sign_in_page_has_the_fields_and_needs_no_account(client, db):
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html and 'name="password"' in html and 'type="submit"' in html
    assert "银盾" in html and "登录" in html


def test_signing_in_leads_to_the_workbench(client, personas):
    response = client.post("/login/", {"username": "hs_legal", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert "王法制" in html and "法制员" in html and "赤峰市红山区市场监督管理局" in html


def test_wrong_password_is_refused_with_a_message(client, personas):
    response = client.post("/login/", {"username": "hs_legal", "password": "wrong-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="msg msg-error"' in response.content.decode()


def test_sign_in_does_not_redirect_to_another_site(client, personas):
    response = client.post(
        "/login/", {"username": "hs_legal", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_pages_need_a_sign_in(client, db):
    for url in ["/", "/leads/", "/cases/", "/entities/", "/leads/export.xlsx"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_sign_out_is_a_post(client, personas):
    client = signed_in(client, personas.legal_officer)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_layout_shows_the_system_name_nav_and_language_switch(client, personas):
    html = signed_in(client, personas.legal_officer).get("/").content.decode()
    assert "银盾" in html and "养老诈骗线索与案件管理" in html
    for item in ["工作台", "线索台账", "案件", "市场主体"]:
        assert item in html
    assert 'action="/i18n/setlang/"' in html and 'value="en"' in html
    assert "/admin/" not in html
    assert "fonts.googleapis" not in html and "cdn" not in html.lower()


def test_staff_see_the_administration_link(client, personas):
    personas.legal_officer.is_staff = True
    personas.legal_officer.save()
    assert 'href="/admin/"' in signed_in(client, personas.legal_officer).get("/").content.decode()


def test_english_switch_changes_the_pages(client, personas):
    client = signed_in(client, personas.legal_officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Workbench" in html and "Lead ledger" in html and "工作台" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


def test_legal_officer_finds_leads_to_register_with_a_link_to_the_ledger(client, personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    html = signed_in(client, personas.legal_officer).get("/").content.decode()
    assert "待登记的线索" in html
    assert 'href="/leads/?state=received"' in html
    assert f'href="/leads/{lead.pk}/"' in html


def test_task_office_finds_leads_to_screen(client, personas, org):
    lead = registered_lead(personas, org)
    html = signed_in(client, personas.task_office).get("/").content.decode()
    assert 'href="/leads/?state=registered"' in html and f'href="/leads/{lead.pk}/"' in html


def test_investigator_finds_leads_dispatched_to_them(client, personas, org):
    lead = dispatched_lead(personas, org)
    html = signed_in(client, personas.investigator).get("/").content.decode()
    assert 'href="/leads/?state=dispatched&amp;mine=1"' in html and f'href="/leads/{lead.pk}/"' in html
    ledger = client.get("/leads/?state=dispatched&mine=1").content.decode()
    assert f'data-lead-id="{lead.pk}"' in ledger


def test_outsider_workbench_shows_nothing_of_another_county(client, personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    html = signed_in(client, personas.outsider).get("/").content.decode()
    assert f'href="/leads/{lead.pk}/"' not in html


def test_reviewer_finds_cases_in_review(client, personas, org):
    lead = dispatched_lead(personas, org)
    lead = run_lead_transition(lead=lead, name="start_verification", actor=personas.investigator)
    lead = run_lead_transition(lead=lead, name="open_case", actor=personas.unit_head)
    from silvershield.cases.workflow import run_case_transition

    case = run_case_transition(case=lead.case, name="start_investigation", actor=personas.investigator)
    case = run_case_transition(case=case, name="submit_for_review", actor=personas.investigator)
    assert case.state == CaseState.IN_REVIEW
    html = signed_in(client, personas.reviewer).get("/").content.decode()
    assert 'href="/cases/?state=in_review"' in html and f'href="/cases/{case.pk}/"' in html
    # The investigators see it among their cases.
    assert f'href="/cases/{case.pk}/"' in signed_in(client, personas.investigator).get("/").content.decode()


@pytest.mark.parametrize(
    "today, colour",
    [
        (datetime(2026, 11, 10, 10, tzinfo=SHANGHAI), "due-ok"),
        (datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), "due-warning"),
        (datetime(2026, 11, 25, 10, tzinfo=SHANGHAI), "due-overdue"),
    ],
)
def test_due_dates_are_coloured_by_working_days_left(client, personas, org, today, colour):
    # Received 2026-11-02: 15 working days to verify (程序规定 Art. 18) gives 2026-11-23.
    with time_machine.travel(datetime(2026, 11, 3, 9, tzinfo=SHANGHAI)):
        lead = registered_lead(personas, org)
    assert str(lead.due_date) == "2026-11-23"
    with time_machine.travel(today):
        html = signed_in(client, personas.task_office).get("/").content.decode()
    assert f'class="due {colour}"' in html
    assert "2026年11月23日" in html


def test_the_menu_offers_inspections_to_those_who_keep_them(client, personas):
    client.force_login(personas.unit_head)
    assert 'id="nav-inspections"' in client.get("/").content.decode()
    client.force_login(personas.hotline)
    assert 'id="nav-inspections"' not in client.get("/").content.decode()


def test_chinese_whatever_the_browser_asks_until_english_is_chosen(client, personas):
    client = signed_in(client, personas.legal_officer)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作台" in html and "Workbench" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "Workbench" in html and "工作台" not in html
    # The public portal too: an English browser without the switch's cookie still gets Chinese.
    english_browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english_browser.get("/portal/").headers["Content-Language"] == "zh-hans"
    english_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert english_browser.get("/portal/").headers["Content-Language"] == "en"
