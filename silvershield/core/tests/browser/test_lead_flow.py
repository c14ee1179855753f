"""A county investigator's day in a real browser (issue 2, "Done when"): sign in, filter the ledger, open
a lead dispatched to them, start verifying it and see that on the timeline; an officer of another county
gets 404 for the same lead's page.

Screenshots of each step land in test-results/<test name>/.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_lead, make_person
from silvershield.leads.models import FraudCategory, Lead, LeadState
from silvershield.leads.workflow import LEAD_TRANSITIONS, run_lead_transition

pytestmark = pytest.mark.browser


def zh(text) -> str:
    """A label as the Chinese pages show it."""
    with translation.override("zh-hans"):
        return str(text)


def dispatch_to(lead: Lead, *, category: str, unit, investigator, legal_officer, task_office) -> Lead:
    lead = run_lead_transition(lead=lead, name="register", actor=legal_officer)
    lead = run_lead_transition(lead=lead, name="screen", actor=task_office, params={"category": category})
    return run_lead_transition(
        lead=lead,
        name="dispatch",
        actor=task_office,
        params={"handling_unit": unit.pk, "assignees": [investigator.pk]},
    )


@pytest.fixture
def hongshan_desk(browsing):
    """红山区: two leads dispatched to the same investigator, of different categories and parties."""
    org = build_org()
    legal_officer = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
    task_office = make_person("hs_task", Role.TASK_OFFICE, org.hongshan, full_name="李专班")
    investigator = make_person("hs_inv1", Role.INVESTIGATOR, org.hongshan_institute, full_name="张执法")
    outsider = make_person("ss_legal", Role.LEGAL_OFFICER, org.songshan, full_name="吴松山")
    people = dict(
        unit=org.hongshan_institute,
        investigator=investigator,
        legal_officer=legal_officer,
        task_office=task_office,
    )
    target = dispatch_to(
        make_lead(
            bureau=org.hongshan,
            actor=legal_officer,
            received_date=date(2026, 11, 9),
            party_name="赤峰康寿堂保健品店",
            summary="康寿堂以免费体检、健康讲座为名，向老年人高价推销所谓“降三高”保健食品",
        ),
        category=FraudCategory.PRODUCT_SALES,
        **people,
    )
    other = dispatch_to(
        make_lead(
            bureau=org.hongshan,
            actor=legal_officer,
            received_date=date(2026, 11, 3),
            party_name="红山区夕阳红养老服务中心",
            summary="该中心收取老人“床位预订费”后迟迟不提供养老服务，且拒不退款",
        ),
        category=FraudCategory.ELDERLY_SERVICE,
        **people,
    )
    return dict(org=org, target=target, other=other, investigator=investigator, outsider=outsider)


def test_county_investigator_filters_opens_and_starts_verifying_a_lead(browsing, hongshan_desk):
    target: Lead = hongshan_desk["target"]
    other: Lead = hongshan_desk["other"]
    assert target.state == LeadState.DISPATCHED

    page = browsing.sign_in(hongshan_desk["investigator"].username, PASSWORD)
    page.goto("/leads/")
    page.wait_for_selector(f'tr[data-lead-id="{target.pk}"]')
    assert page.locator(f'tr[data-lead-id="{other.pk}"]').count() == 1
    browsing.shoot(page, "ledger")

    # Filter by category and text, the way the ledger's form is used.
    page.select_option("select[name=category]", FraudCategory.PRODUCT_SALES.value)
    page.fill("input[name=q]", "康寿堂")
    page.fill("input[name=received_from]", "2026-11-01")
    page.fill("input[name=received_to]", "2026-11-30")
    page.click("#ledger-filters button[type=submit]")
    page.wait_for_function("id => !document.querySelector(`tr[data-lead-id='${id}']`)", arg=str(other.pk))
    rows = page.locator("tr[data-lead-id]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-lead-id") == str(target.pk)
    assert "category=product_sales" in page.url  # the filter is in the address, so it can be shared
    browsing.shoot(page, "ledger-filtered")

    rows.first.locator(f'a[href="/leads/{target.pk}/"]').click()
    page.wait_for_url(f"**/leads/{target.pk}/")
    timeline = page.locator("#timeline > li")
    events_before = timeline.count()
    assert events_before >= 4  # created, registered, screened, dispatched
    browsing.shoot(page, "lead")

    start = page.locator("button[name=transition][value=start_verification]")
    assert start.count() == 1
    start.click()
    label = zh(LEAD_TRANSITIONS.by_name["start_verification"].label)
    page.wait_for_function("n => document.querySelectorAll('#timeline > li').length > n", arg=events_before)
    last = timeline.last
    assert label in last.inner_text()
    assert zh(LeadState.VERIFYING.label) in last.inner_text()
    assert hongshan_desk["investigator"].full_name in last.inner_text()
    # The action just taken is no longer offered; the next ones are.
    assert page.locator("button[name=transition][value=start_verification]").count() == 0
    assert page.locator("button[name=transition][value=conclude]").count() == 1
    browsing.shoot(page, "lead-verifying")

    target.refresh_from_db()
    assert target.state == LeadState.VERIFYING


def test_other_countys_officer_gets_404_for_the_lead(browsing, hongshan_desk):
    target: Lead = hongshan_desk["target"]

    page = browsing.sign_in(hongshan_desk["outsider"].username, PASSWORD)
    response = page.goto(f"/leads/{target.pk}/")
    assert response is not None and response.status == 404
    assert target.party_name not in page.content()
    browsing.shoot(page, "outsider-404")

    page.goto("/leads/")
    assert page.locator(f'tr[data-lead-id="{target.pk}"]').count() == 0
