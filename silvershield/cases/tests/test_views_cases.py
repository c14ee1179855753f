"""The case pages: the list, the case page and its transitions."""

import pytest

from silvershield.cases.models import CaseState
from silvershield.cases.workflow import run_case_transition
from silvershield.core.audit import events_for
from silvershield.core.testing import make_lead
from silvershield.leads.workflow import run_lead_transition

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def open_case(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    steps = [
        ("register", personas.legal_officer, {}),
        ("screen", personas.task_office, {"category": "product_sales"}),
        (
            "dispatch",
            personas.task_office,
            {
                "handling_unit": org.hongshan_institute.pk,
                "assignees": [personas.investigator.pk, personas.investigator2.pk],
            },
        ),
        ("start_verification", personas.investigator, {}),
        ("open_case", personas.unit_head, {"title": "康寿堂虚假宣传案"}),
    ]
    for name, actor, params in steps:
        lead = run_lead_transition(lead=lead, name=name, actor=actor, params=params)
    return lead.case


def test_case_list_shows_the_bureaus_cases(client, personas, org):
    case = open_case(personas, org)
    html = signed_in(client, personas.legal_officer).get("/cases/").content.decode()
    assert f'data-case-id="{case.pk}"' in html and "康寿堂虚假宣传案" in html


def test_case_list_filters_and_reports_bad_input(client, personas, org):
    case = open_case(personas, org)
    client = signed_in(client, personas.legal_officer)
    assert f'data-case-id="{case.pk}"' not in client.get("/cases/", {"state": "closed"}).content.decode()
    assert f'data-case-id="{case.pk}"' in client.get("/cases/", {"q": "康寿堂"}).content.decode()
    response = client.get("/cases/", {"division": "999999"})
    assert response.status_code == 400 and "区划" in response.content.decode()
    assert client.get("/cases/", {"after": "%%%"}).status_code == 400


def test_county_officer_gets_404_for_another_countys_case_and_its_transition(client, personas, org):
    case = open_case(personas, org)
    client = signed_in(client, personas.outsider_investigator)
    assert f'data-case-id="{case.pk}"' not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    response = client.post(
        f"/cases/{case.pk}/transition/", {"transition": "start_investigation", "version": 1}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.OPENED


def test_case_page_shows_officers_leads_due_date_and_actions(client, personas, org):
    case = open_case(personas, org)
    html = signed_in(client, personas.investigator).get(f"/cases/{case.pk}/").content.decode()
    assert "张执法" in html and "刘执法" in html
    assert f'data-lead-id="{case.leads.get().pk}"' in html
    assert 'class="due due-' in html
    assert 'name="transition" value="start_investigation"' in html
    assert 'id="timeline"' in html


def test_starting_the_investigation_from_the_page(client, personas, org):
    case = open_case(personas, org)
    client = signed_in(client, personas.investigator)
    response = client.post(
        f"/cases/{case.pk}/transition/", {"transition": "start_investigation", "version": 1}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert events_for(case).last().transition == "start_investigation"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已立案 → 调查中" in html[html.index('id="timeline"') :]


def test_a_bad_fine_is_shown_next_to_its_field(client, personas, org):
    case = open_case(personas, org)
    for name, actor in [
        ("start_investigation", personas.investigator),
        ("submit_for_review", personas.investigator),
        ("notify_party", personas.reviewer),
    ]:
        case = run_case_transition(case=case, name=name, actor=actor)
    response = signed_in(client, personas.unit_head).post(
        f"/cases/{case.pk}/transition/",
        {
            "transition": "decide",
            "version": case.version,
            "decision": "罚款",
            "fine_amount": "二十万",
        },
    )
    assert response.status_code == 400
    assert 'data-field-error="fine_amount"' in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/transition/",
        {
            "transition": "decide",
            "version": case.version,
            "decision": "责令停止违法行为，罚款",
            "fine_amount": "200000",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "¥200,000.00" in html and "20万元" in html


def test_stale_case_version_gives_409_and_changes_nothing(client, personas, org):
    case = open_case(personas, org)
    response = signed_in(client, personas.investigator).post(
        f"/cases/{case.pk}/transition/", {"transition": "start_investigation", "version": 7}
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.state == CaseState.OPENED


def test_reviewer_may_not_start_an_investigation(client, personas, org):
    case = open_case(personas, org)
    response = signed_in(client, personas.reviewer).post(
        f"/cases/{case.pk}/transition/", {"transition": "start_investigation", "version": 1}
    )
    assert response.status_code == 403
