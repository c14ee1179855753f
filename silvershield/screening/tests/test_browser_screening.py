"""The screening meeting in a real browser (issue 5, "Done when"): a meeting held from its agenda to dispatch
orders; the seeded chain of shops seen as one cluster and sent to the city enforcement bureau as one matter.

Screenshots land in test-results/<test name>/.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_person
from silvershield.leads.models import Lead, LeadState
from silvershield.screening.models import Decision, Matter
from silvershield.screening.tests.conftest import build_chain, registered

pytestmark = pytest.mark.browser


@pytest.fixture
def people(browsing):
    org = build_org()
    p = SimpleNamespace(
        legal_officer=make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制"),
        task_office=make_person("hs_task", Role.TASK_OFFICE, org.hongshan, full_name="李专班"),
        unit_head=make_person("hs_head", Role.UNIT_HEAD, org.hongshan, full_name="赵所长"),
        investigator=make_person("hs_inv1", Role.INVESTIGATOR, org.hongshan_institute, full_name="张执法"),
        investigator2=make_person("hs_inv2", Role.INVESTIGATOR, org.hongshan_institute, full_name="刘执法"),
    )
    p.investigator.specialities = ["food"]
    p.investigator.save()
    city = SimpleNamespace(
        task_office=make_person("city_task", Role.TASK_OFFICE, org.city, full_name="市专班"),
        inv1=make_person("city_inv1", Role.INVESTIGATOR, org.city_enforcement, full_name="市执法一"),
        inv2=make_person("city_inv2", Role.INVESTIGATOR, org.city_enforcement, full_name="市执法二"),
        ss_legal=make_person("ss_legal2", Role.LEGAL_OFFICER, org.songshan, full_name="松法制"),
    )
    return SimpleNamespace(org=org, p=p, city=city)


def test_meeting_held_from_agenda_to_dispatch_orders(browsing, people):
    org, p = people.org, people.p
    lead = registered(p, org, product_domain="food", party_name="红山区福寿堂保健品店",
                      summary="福寿堂以免费讲座向老人推销“降糖胶囊”，称可替代药物")
    page = browsing.sign_in("hs_task", PASSWORD)
    page.goto("/screening/")
    assert "筛查会" in page.locator("nav.mainnav").inner_text()
    page.click("#open-meeting")
    page.select_option("select[name=chair]", str(p.unit_head.pk))
    page.select_option("select[name=attendees]", [str(p.legal_officer.pk), str(p.investigator.pk)])
    page.fill("textarea[name=outside_attendees]", "王律师（法律顾问）")
    browsing.shoot(page, "open-meeting-form")
    with page.expect_navigation():
        page.click("#meeting-form button[type=submit]")
    browsing.shoot(page, "agenda-opened")
    row = page.locator(f"#lead-{lead.pk}")
    assert row.is_visible()
    assert "食品" in page.locator("#group-food h2").inner_text()
    browsing.shoot(page, "agenda")
    with page.expect_navigation():
        row.locator("a.btn", has_text="决定").click()
    assert page.locator("#ranked-officers li").first.inner_text().startswith("张执法")  # speciality: food
    browsing.shoot(page, "decision-form")
    with page.expect_navigation():
        page.click("#save-decision")
    assert "已记录" in page.locator(".messages").inner_text()
    assert page.locator(f"#lead-{lead.pk} .decision").is_visible()
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#carry-out")
    assert "已举行" in page.locator("#meeting-state").inner_text()
    browsing.shoot(page, "carried-out")
    lead.refresh_from_db()
    assert lead.state == LeadState.DISPATCHED
    assert set(lead.assignees.all()) == {p.investigator, p.investigator2}
    page.goto(f"/leads/{lead.pk}/")
    assert "已分派" in page.content()
    browsing.shoot(page, "lead-dispatched")
    page.goto(page.url.replace(f"/leads/{lead.pk}/", "/screening/"))
    with page.expect_navigation():
        page.locator("#meetings a", has_text="纪要").first.click()
    assert "线索集中筛查会会议纪要" in page.content()
    browsing.shoot(page, "minutes")


def test_chain_cluster_seen_and_sent_as_one_matter(browsing, people):
    org, p, city = people.org, people.p, people.city
    chain = build_chain(org, p, city)
    page = browsing.sign_in("city_task", PASSWORD)
    page.goto("/screening/clusters/")
    rows = page.locator("#cluster-table tbody tr[data-cluster]")
    assert rows.count() == 1
    assert "5" in rows.first.inner_text() and "周德厚" in rows.first.inner_text()
    browsing.shoot(page, "clusters")
    with page.expect_navigation():
        rows.first.locator("a").click()
    assert page.locator("#cluster-leads tbody tr").count() == 5
    assert "13947600123" in page.locator("#shared-keys").inner_text()
    page.select_option("select[name=verifiers]", [str(city.inv1.pk), str(city.inv2.pk)])
    browsing.shoot(page, "cluster")
    with page.expect_navigation():
        page.click("#send-cluster-button")
    assert "作为一案" in page.locator(".messages").inner_text()
    browsing.shoot(page, "cluster-sent")
    assert Matter.objects.count() == 1
    for lead in Lead.objects.filter(pk__in=[x.pk for x in chain.leads]):
        assert lead.state == LeadState.DISPATCHED and lead.handling_unit == org.city_enforcement
    assert Decision.objects.filter(matter__isnull=False).count() == 5
