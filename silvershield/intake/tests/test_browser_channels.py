"""Issue 3 "Done when", this app's part, in a real browser: a 12315 hotline entry made with the keyboard;
an informant's submission on a phone-sized screen; an import with a bad row reported and nothing imported.

Screenshots land in test-results/<test name>/ (and /tmp/shots/channels/ when that folder exists).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from silvershield.core.models import Informant, InformantRole, Role, Station
from silvershield.core.testing import PASSWORD, build_org, make_person
from silvershield.intake.tests.helpers import row, write_xlsx
from silvershield.leads.models import Channel, Lead

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/channels")


def keep(path: Path) -> None:
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def hongshan(browsing):
    org = build_org()
    station = Station.objects.create(code="HS-001", name="站前社区消协工作站", division_id="150402", bureau=org.hongshan)
    informant_user = make_person("hs_info", Role.INFORMANT, org.hongshan, full_name="孙信息")
    Informant.objects.create(name="孙信息", role=InformantRole.INFORMANT, station=station, user=informant_user)
    return dict(
        org=org,
        operator=make_person("hs_12315", Role.HOTLINE_OPERATOR, org.hongshan, full_name="周话务"),
        legal=make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制"),
        informant=informant_user,
    )


def test_hotline_entry_with_the_keyboard(browsing, hongshan):
    page = browsing.sign_in("hs_12315", PASSWORD)
    page.goto("/intake/hotline/")
    # The work-order number has the focus; the date and division are filled in already.
    assert page.evaluate("document.activeElement.name") == "external_ref"
    assert page.input_value("input[name=division]") == "红山区"
    keep(browsing.shoot(page, "hotline-empty"))
    page.keyboard.type("12315202611200007")
    page.keyboard.press("Tab")  # date: keep today
    page.keyboard.press("Tab")
    page.keyboard.type("李大爷")
    page.keyboard.press("Tab")
    page.keyboard.type("1390476")  # a digit short
    page.fill("textarea[name=summary]", "老人参加免费讲座后花三千元买了保健品")
    page.focus("input[name=party_name]")
    page.keyboard.type("赤峰康寿堂保健品店")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    error = page.locator('[data-field-error="reporter_phone"]')
    assert error.count() == 1
    keep(browsing.shoot(page, "hotline-bad-phone"))
    assert Lead.objects.count() == 0
    page.fill("input[name=reporter_phone]", "13904761234")
    page.focus("textarea[name=summary]")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator(".msg-success").count() == 1
    assert "12315202611200007" in page.locator(".msg-success").inner_text()
    # An empty form for the next call, and the call in the operator's own list, the caller masked.
    assert page.input_value("input[name=external_ref]") == ""
    assert page.evaluate("document.activeElement.name") == "external_ref"
    entry = page.locator("#my-entries tr.just-saved")
    assert entry.count() == 1 and "李**" in entry.inner_text() and "139****1234" in entry.inner_text()
    keep(browsing.shoot(page, "hotline-saved"))
    lead = Lead.objects.get()
    assert (lead.channel, lead.external_ref, lead.reporter_phone) == (Channel.HOTLINE, "12315202611200007", "13904761234")


def test_informant_submits_on_a_phone(browsing, hongshan, tmp_path):
    context = browsing.browser.new_context(
        base_url=browsing.base_url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, device_scale_factor=2,
    )
    browsing.contexts.append(context)
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", "hs_info")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    page.goto("/intake/")
    page.wait_for_url("**/intake/report/")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    keep(browsing.shoot(page, "informant-phone-empty"))
    page.fill("input[name=party_name]", "益年堂健康体验馆")
    page.fill("input[name=party_address]", "站前街8号")
    page.select_option("select[name=approach]", "free_gifts")
    page.fill("textarea[name=summary]", "每天早上免费送鸡蛋，下午推销三千多元的理疗床垫")
    photo = tmp_path / "receipt.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 200)
    page.set_input_files("input[name=attachment]", str(photo))
    with page.expect_navigation():
        page.click("#informant-form button[type=submit]")
    assert page.locator(".msg-success").count() == 1
    assert "益年堂健康体验馆" in page.locator("#my-reports").inner_text()
    keep(browsing.shoot(page, "informant-phone-sent"))
    lead = Lead.objects.get()
    assert lead.channel == Channel.INFORMANT and lead.informant.name == "孙信息" and lead.attachments.count() == 1


def test_import_with_a_bad_row_is_reported_and_nothing_imported(browsing, hongshan, tmp_path):
    path = write_xlsx(tmp_path / "12315-2026-03.xlsx", [
        row("12315202603050001"), row("12315202603050002", "2026年3月5日", phone="1380476"), row("12315202603050003"),
    ])
    page = browsing.sign_in("hs_legal", PASSWORD)
    page.goto("/intake/import/")
    keep(browsing.shoot(page, "import-upload"))
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    cells = errors.first.locator("td").all_inner_texts()
    assert cells[0] == "3" and cells[1] == "联系电话"
    assert page.locator("#confirm-import").count() == 0
    assert "有误1行" in page.locator("#import-summary").inner_text()
    keep(browsing.shoot(page, "import-bad-row"))
    assert Lead.objects.count() == 0
