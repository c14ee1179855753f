"""An ad monitor's day in a real browser (issue 4, "Done when"): import a file of ads, review the
findings in the queue, confirm one into a lead — which the legal officer then finds in the ledger.

Screenshots land in test-results/<test name>/ (and are looked at).
"""

from __future__ import annotations

import pytest

from silvershield.ads.models import Ad, FindingReview
from silvershield.ads.tests.helpers import as_csv, records
from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_person
from silvershield.leads.models import Channel, Lead

pytestmark = pytest.mark.browser


def test_monitor_imports_reviews_and_confirms_an_ad_into_the_ledger(browsing, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    org = build_org()
    make_person("hs_ads", Role.AD_MONITOR, org.hongshan, full_name="孟监测")
    make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
    path = tmp_path / "红山区广告监测.csv"
    path.write_bytes(as_csv(records(n_extra=2)))

    page = browsing.sign_in("hs_ads", PASSWORD)
    page.click("nav.mainnav >> text=广告监测")
    page.click(".ads-subnav >> text=导入广告")
    page.set_input_files("#id_file", str(path))
    browsing.shoot(page, "upload")
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert "/ads/batches/" in page.url
    assert page.inner_text("#batch-stats").split()[:2] == ["4", "读取行数"]
    browsing.shoot(page, "imported")

    page.click("text=审核疑似违法")
    finding = page.locator(".ads-finding", has_text="广告法第17条").first
    assert "专治糖尿病" in finding.locator("mark").inner_text()
    browsing.shoot(page, "queue")
    finding.locator("textarea").fill("宣称治疗糖尿病，违法事实清楚")
    with page.expect_navigation():
        finding.locator("button[value=confirmed]").click()
    assert "已转入线索台账" in page.inner_text(".messages")
    # reject another with a note
    other = page.locator(".ads-finding").first
    other.locator("textarea").fill("画面字幕中已标明")
    with page.expect_navigation():
        other.locator("button[value=rejected]").click()
    assert "已驳回" in page.inner_text(".messages")
    browsing.shoot(page, "reviewed")

    ad = Ad.objects.get(product_name="草原牌苦荞茶")
    lead = Lead.objects.get()
    assert ad.lead_id == lead.pk and lead.channel == Channel.AD_MONITORING
    assert FindingReview.objects.filter(decision="rejected").count() == 1
    page.goto(f"/ads/{ad.pk}/")
    assert page.locator("#ad-lead").is_visible()
    browsing.shoot(page, "ad-with-lead")

    page.goto("/ads/figures/")
    page.wait_for_selector("#chart-medium[data-ready='1']")
    browsing.shoot(page, "figures")

    officer = browsing.sign_in("hs_legal", PASSWORD)
    officer.goto("/leads/?channel=ad_monitoring")
    row = officer.locator(f"tr[data-lead-id='{lead.pk}']")
    assert "赤峰康寿堂保健品店" in row.inner_text() and "广告监测" in row.inner_text()
    browsing.shoot(officer, "ledger")
    row.locator("a").first.click()
    officer.wait_for_load_state()
    assert "广告法第17条" in officer.content()
    browsing.shoot(officer, "lead")
