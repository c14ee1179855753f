"""An elderly person's daughter reports for her father on a phone, with a photo of the receipt; she gets a
tracking code and later looks up the status in plain words (issue 3, "Done when"). Also the same pages at
1280 px and at 200 % zoom (a 640 px CSS viewport at twice the pixel density is what 200 % zoom is), with
no sideways scrolling anywhere. Screenshots land in test-results/<test name>/ and /tmp/shots/portal/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from silvershield.core.models import Role
from silvershield.core.testing import build_org, make_person
from silvershield.leads.models import Lead
from silvershield.leads.workflow import run_lead_transition
from silvershield.portal.tests.files import JPEG

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/portal")


def _page(browser, base_url, *, width, height, scale=1, mobile=False):
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": width, "height": height},
        device_scale_factor=scale, is_mobile=mobile, has_touch=mobile,
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _shoot(page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_daughter_reports_for_her_father_on_a_phone(
    chromium_browser, live_server, plain_static, screenshots, settings
):
    settings.PORTAL_CAPTCHA_FIXED_ANSWER = 7
    org = build_org()
    legal = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
    task = make_person("hs_task", Role.TASK_OFFICE, org.hongshan, full_name="李专班")
    investigator = make_person("hs_inv1", Role.INVESTIGATOR, org.hongshan_institute, full_name="张执法")

    context, page = _page(chromium_browser, live_server.url, width=375, height=812, scale=2, mobile=True)
    page.goto("/portal/")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    _shoot(page, screenshots, "01-home-375")
    page.click("#start-report")
    page.wait_for_selector("#report-form")
    _no_sideways_scroll(page)

    page.check("input[name=relation][value=child]")
    page.fill("#id_victim_age", "81")
    page.check("input[name=approach][value=free_lecture]")
    page.fill("#id_summary", "我父亲去听了免费健康讲座，对方送鸡蛋，后来让他买了一万二的“降三高”保健品，说吃了能停药。")
    page.fill("#id_loss_amount", "12000")
    page.select_option("#id_division", "150402")
    page.fill("#id_party_name", "赤峰康寿堂保健品店")
    page.fill("#id_party_address", "红山区站前街12号")
    page.set_input_files("#id_photos", files=[{"name": "收据.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    page.check("input[name=named][value=named]")
    page.fill("#id_reporter_name", "王秀英")
    page.fill("#id_reporter_phone", "13804761234")
    assert page.is_hidden("#id_lookup_digits")  # only for anonymous reporters
    page.fill("#id_captcha", "7")
    _shoot(page, screenshots, "02-form-filled-375")
    with page.expect_navigation():
        page.click("#send-report")

    code = page.inner_text("#tracking-code").strip()
    lead = Lead.objects.get()
    assert code == lead.tracking_code and lead.attachments.count() == 1 and lead.reporter_relation == "child"
    assert page.is_visible("#print-code") and "抄下来" in page.content()
    assert float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('#tracking-code')).fontSize)")) >= 30
    _no_sideways_scroll(page)
    _shoot(page, screenshots, "03-tracking-code-375")

    # Later: the bureau registers and checks it, and finds no case to open.
    lead = run_lead_transition(lead=lead, name="register", actor=legal)
    lead = run_lead_transition(lead=lead, name="screen", actor=task, params={"category": "product_sales"})
    lead = run_lead_transition(lead=lead, name="dispatch", actor=task, params={
        "handling_unit": org.hongshan_institute.pk, "assignees": [investigator.pk]})
    lead = run_lead_transition(lead=lead, name="start_verification", actor=investigator)

    page.goto("/portal/status/")
    page.fill("#id_code", code.replace("-", " ").lower())
    page.fill("#id_digits", "1234")
    with page.expect_navigation():
        page.click("#check-status")
    assert page.inner_text("#status-title") == "正在核查"
    assert "15 个工作日" in page.inner_text("#status-text")
    html = page.content()
    for secret in ("王秀英", "13804761234", "张执法", "王法制"):
        assert secret not in html
    _no_sideways_scroll(page)
    _shoot(page, screenshots, "04-status-375")

    # A wrong last four digits: one neutral message.
    page.fill("#id_code", code)
    page.fill("#id_digits", "0000")
    with page.expect_navigation():
        page.click("#check-status")
    assert "没有查到" in page.inner_text("#status-not-found")
    context.close()

    # The same pages at 1280 px and at 200 % zoom, and the narrowest phone (320 px).
    for label, kwargs in [("1280", dict(width=1280, height=900)), ("zoom200", dict(width=640, height=450, scale=2)),
                          ("320", dict(width=320, height=640, scale=2, mobile=True))]:
        context, page = _page(chromium_browser, live_server.url, **kwargs)
        page.goto("/portal/report/")
        _no_sideways_scroll(page)
        _shoot(page, screenshots, f"05-form-{label}")
        page.goto("/portal/status/")
        page.fill("#id_code", code)
        page.fill("#id_digits", "1234")
        with page.expect_navigation():
            page.click("#check-status")
        assert page.inner_text("#status-title") == "正在核查"
        _no_sideways_scroll(page)
        _shoot(page, screenshots, f"06-status-{label}")
        context.close()


def test_wrong_photo_and_missing_phone_are_named_in_the_browser(
    chromium_browser, live_server, plain_static, screenshots, settings
):
    settings.PORTAL_CAPTCHA_FIXED_ANSWER = 7
    build_org()
    context, page = _page(chromium_browser, live_server.url, width=375, height=812, scale=2, mobile=True)
    page.goto("/portal/report/")
    page.check("input[name=approach][value=phone]")
    page.fill("#id_summary", "有人打电话说帮老人代办养老保险，要先交五千元手续费。")
    page.select_option("#id_division", "150404")
    page.set_input_files("#id_photos", files=[{"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": b"MZ" + b"\0" * 99}])
    page.fill("#id_reporter_name", "赵大爷")
    page.fill("#id_captcha", "7")
    with page.expect_navigation():
        page.click("#send-report")
    assert page.is_visible("#form-errors")
    assert "内容" in page.inner_text("[data-field-error=photos]")
    assert "电话" in page.inner_text("[data-field-error=reporter_phone]")
    # What was typed is still there; nothing was saved.
    assert page.input_value("#id_summary").startswith("有人打电话")
    assert not Lead.objects.exists()
    _no_sideways_scroll(page)
    _shoot(page, screenshots, "07-errors-375")
    context.close()
