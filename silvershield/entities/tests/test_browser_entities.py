"""Measure 4 in a real browser (issue 5, "Done when"): an entity's tier explained, and a deregistration
alert seen by the registration section. Screenshots in test-results/<test>/ and /tmp/shots/entities/."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_lead, make_person
from silvershield.entities.importer import import_entities
from silvershield.entities.models import Entity
from silvershield.entities.services import add_hazard, create_entity

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/entities")


def code(n: int) -> str:
    body = f"92150402MA{n:07d}"
    return body + uscc_check_character(body)


def keep(path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_an_entitys_tier_is_explained(browsing):
    org = build_org()
    legal = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
    shop = create_entity(actor=None, uscc=code(1), name="赤峰市红山区康寿堂保健品店", division="150402",
                         legal_representative="马德胜", business_scope="保健食品（预包装）销售；第二类医疗器械销售",
                         registration_date=date(2019, 4, 1))
    make_lead(bureau=org.hongshan, actor=legal, party_entity=shop)
    make_lead(bureau=org.hongshan, actor=legal, party_entity=shop, channel="complaint")
    add_hazard(entity=shop, actor=legal, description="以免费健康讲座聚集老年人推销保健食品", found_on=date(2026, 11, 2),
               source="lead", due_on=date(2026, 11, 20))
    from silvershield.entities.risk import recompute_risk

    recompute_risk([shop.pk])
    shop.refresh_from_db()

    page = browsing.sign_in("hs_legal", PASSWORD)
    page.goto("/entities/?elderly=yes")
    page.wait_for_selector(f'tr[data-entity-id="{shop.pk}"]')
    keep(browsing.shoot(page, "registry"))
    page.click(f'tr[data-entity-id="{shop.pk}"] a')
    page.wait_for_selector("#risk-factors")
    assert page.locator("#tier-badge").inner_text() == shop.risk_tier
    factors = page.locator("#risk-factors tbody").inner_text()
    assert "投诉举报" in factors and "线索" in factors and "类别" in factors
    assert "保健食品" in page.locator("#elderly-reasons").inner_text()
    keep(browsing.shoot(page, "entity-tier"))


def test_a_deregistration_alert_reaches_the_registration_section(browsing):
    org = build_org()
    legal = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
    make_person("hs_reg", Role.REGISTRATION_SECTION, org.hongshan, full_name="孙登记")
    row = {"uscc": code(2), "name": "赤峰市红山区福寿源保健品店", "division": "红山区",
           "business_scope": "保健食品（预包装）销售", "status": "存续", "registration_date": "2018-06-01"}
    import_entities(iter([row]), file_name="登记数据-11月.csv", actor=None)
    shop = Entity.objects.get(uscc=code(2))
    make_lead(bureau=org.hongshan, actor=legal, party_entity=shop)
    import_entities(iter([{**row, "status": "注销"}]), file_name="登记数据-12月.csv", actor=None)

    page = browsing.sign_in("hs_reg", PASSWORD)
    page.click("#nav-gate-alerts")
    page.wait_for_selector("#alert-list tr[data-alert-id]")
    text = page.locator("#alert-list").inner_text()
    assert "福寿源保健品店" in text and "1" in text
    keep(browsing.shoot(page, "alerts"))
    page.click("#alert-list button:has-text('确认')") if page.locator("#alert-list button:has-text('确认')").count() else None
    page.wait_for_load_state()
    page.fill("#alert-list input[name=resolution]", "已通知申请人：须先办结线索")
    page.click("#alert-list button.btn-primary")
    page.wait_for_load_state()
    page.goto("/entities/alerts/?state=resolved")
    assert "已通知申请人" in page.locator("#alert-list").inner_text()
    keep(browsing.shoot(page, "alert-resolved"))


def test_an_import_with_a_bad_row_shows_the_row_report(browsing, tmp_path):
    org = build_org()
    make_person("hs_reg", Role.REGISTRATION_SECTION, org.hongshan, full_name="孙登记")
    good = code(3)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = tmp_path / "登记数据.csv"
    path.write_text(
        "统一社会信用代码,名称,行政区划,经营范围,登记状态,成立日期\n"
        f"{good},赤峰市红山区益寿保健品店,红山区,保健食品销售,存续,2020-01-01\n"
        f"{bad},赤峰市红山区长青大药房,红山区,药品零售,存续,2020-01-01\n"
        f"{code(4)},赤峰市红山区金秋老年公寓,未知旗,养老服务,存续,2020-01-01\n",
        encoding="utf-8",
    )
    page = browsing.sign_in("hs_reg", PASSWORD)
    page.goto("/entities/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#row-report")
    report = page.locator("#row-report").inner_text()
    assert "校验位" in report and "未知旗" in report
    assert not Entity.objects.exists()  # nothing half-written
    keep(browsing.shoot(page, "import-rejected"))
    page.goto("/entities/import/")
    page.set_input_files("input[name=file]", str(path))
    page.check("input[name=skip_bad]")
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#run-status")
    assert Entity.objects.filter(uscc=good).exists()
    keep(browsing.shoot(page, "import-skip-bad"))
