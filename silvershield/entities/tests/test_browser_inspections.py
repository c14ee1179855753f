"""Recording an inspection in a real browser: from the first-visit flag to the form, a wrong field named,
then the visit recorded and the flag gone. Screenshots in test-results/<test>/ and /tmp/shots/entities/."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_person
from silvershield.entities.models import AlertKind, GateAlert, HazardItem, Inspection
from silvershield.entities.services import create_entity

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/entities")


def keep(path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_recording_the_first_visit_clears_the_flag(browsing):
    org = build_org()
    make_person("hs_head", Role.UNIT_HEAD, org.hongshan_institute, full_name="赵所长")
    make_person("hs_inv1", Role.INVESTIGATOR, org.hongshan_institute, full_name="张执法")
    make_person("ss_inv", Role.INVESTIGATOR, org.songshan, full_name="郑松山")
    body = "92150402MA0000091"
    home = create_entity(
        actor=None,
        uscc=body + uscc_check_character(body),
        name="赤峰市红山区福康老年公寓",
        division="150402",
        business_scope="养老服务；老年人养护服务",
        address="赤峰市红山区站前街8号",
        registration_date=timezone.localdate() - timedelta(days=10),
    )
    flag = GateAlert.objects.get(entity=home, kind=AlertKind.FIRST_VISIT)

    page = browsing.sign_in("hs_head", PASSWORD)
    page.goto("/entities/")
    page.click("#first-visit-link")
    page.wait_for_selector(f'#alert-list tr[data-alert-id="{flag.pk}"]')
    page.click(f'#alert-list tr[data-alert-id="{flag.pk}"] a.record-visit')
    page.wait_for_selector("#inspection-form")
    assert page.locator("#first-visit-badge").is_visible()
    officers = page.locator("#officers-field").inner_text()
    assert (
        "赵所长" in officers and "张执法" in officers and "郑松山" not in officers
    )  # 松山区 does not cover 红山区
    keep(browsing.shoot(page, "inspection-form"))

    # Problems found but not described: nothing is recorded and the page names the field.
    page.check("input[name=result][value=issues]")
    page.check("#officers-field label:has-text('张执法') input")
    page.fill("textarea[name=hazards]", "消防通道堆放杂物")
    with page.expect_navigation():
        page.click("#inspection-form button[type=submit]")
    assert page.locator("[data-field-error=note]").is_visible()
    assert (
        "检查情况" in page.locator("#form-error-summary").inner_text()
        or "检查发现的问题" in page.locator("#form-error-summary").inner_text()
    )
    assert not Inspection.objects.exists()
    keep(browsing.shoot(page, "inspection-form-error"))

    page.fill("textarea[name=note]", "消防通道堆放杂物，已当场责令清理；收费标准未公示")
    page.fill("input[name=rectify_by]", (timezone.localdate() + timedelta(days=15)).isoformat())
    with page.expect_navigation():
        page.click("#inspection-form button[type=submit]")
    page.wait_for_selector("#inspections tr[data-inspection-id]")
    text = page.locator("#inspections").inner_text()
    assert "首次走访" in text and "赵所长、张执法" in text and "发现问题" in text
    assert "消防通道堆放杂物" in page.locator("#hazards").inner_text()
    keep(browsing.shoot(page, "entity-after-inspection"))

    flag.refresh_from_db()
    assert flag.state == "resolved"
    assert HazardItem.objects.get(entity=home).source == "inspection"
    page.goto("/entities/alerts/?kind=first_visit")
    assert "福康老年公寓" not in page.locator("#alert-list").inner_text()
    page.goto("/entities/inspections/?first_visit=yes")
    page.wait_for_selector("#inspection-list tr[data-inspection-id]")
    keep(browsing.shoot(page, "inspection-list"))
