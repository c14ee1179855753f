"""Registration in a real browser (issue 3, "Done when"): the legal officer receives a lead on the form, the
lead page shows it as a likely duplicate of a registered lead (same reporter phone, similar facts) and she
merges it; then she downloads the registration form as Word and python-docx reads the right fields back.

Screenshots land in test-results/<test name>/ and /tmp/shots/registration/.
"""

from __future__ import annotations

import shutil
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document

from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_lead, make_person
from silvershield.entities.services import create_entity
from silvershield.leads.models import Lead, LeadState
from silvershield.leads.workflow import run_lead_transition

pytestmark = pytest.mark.browser

SUMMARY = "顺康养生馆以免费健康讲座为名，向七十多岁的老人推销所谓能治糖尿病的保健食品，收款一万二千元"
SHOTS = Path("/tmp/shots/registration")


def keep(path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def desk(browsing):
    org = build_org()
    legal = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
    body = "92150402MA0000001"
    shop = create_entity(
        actor=None, uscc=body + uscc_check_character(body), name="赤峰顺康健康科技有限公司", division="150402",
        address="红山区钢铁街12号",
    )
    survivor = make_lead(
        bureau=org.hongshan, actor=legal, received_date=date(2026, 11, 20), summary=SUMMARY,
        party_name="顺康养生馆", reporter_name="张三丰", reporter_phone="13804761234", reporter_is_named=True,
        suggested_handling="建议分派红山区所核查",
    )
    survivor = run_lead_transition(lead=survivor, name="register", actor=legal)
    return {"org": org, "legal": legal, "survivor": survivor, "shop": shop}


def test_registration_shows_a_duplicate_and_merges_it(browsing, desk):
    page = browsing.sign_in("hs_legal", PASSWORD)
    page.goto("/leads/new/")
    page.select_option("select[name=channel]", "hotline")
    page.fill("textarea[name=summary]", SUMMARY + "。")
    page.fill("input[name=party_name]", "顺康养生馆")
    page.fill("input[name=reporter_phone]", "138 0476 1234")
    with page.expect_navigation():
        page.click("#lead-form button[type=submit]")
    new = Lead.objects.exclude(pk=desk["survivor"].pk).get()
    assert page.url.endswith(f"/leads/{new.pk}/")

    item = page.locator(f"#duplicates [data-duplicate='{desk['survivor'].pk}']")
    item.wait_for()
    reasons = item.locator(".reasons").inner_text()
    assert "举报人电话相同" in reasons and "事实摘要相似" in reasons
    assert page.locator(f"#entity-candidates [data-entity='{desk['shop'].pk}']").is_visible()
    keep(browsing.shoot(page, "duplicate-shown"))

    with page.expect_navigation():
        item.locator("button", has_text="将本线索并入该线索").click()
    new.refresh_from_db()
    assert new.state == LeadState.MERGED and new.merged_into_id == desk["survivor"].pk
    assert "已并案" in page.locator("#lead-state").inner_text() or new.get_state_display() in page.locator(
        "#lead-state"
    ).inner_text()
    keep(browsing.shoot(page, "merged"))

    page.goto(f"/leads/{desk['survivor'].pk}/")
    assert page.locator(f"a[href='/leads/{new.pk}/']").count() >= 1
    keep(browsing.shoot(page, "survivor"))


def test_word_form_downloads_and_reads_back(browsing, desk):
    survivor = desk["survivor"]
    page = browsing.sign_in("hs_legal", PASSWORD)
    page.goto(f"/leads/{survivor.pk}/")
    with page.expect_navigation():  # the link is saved by a form post; wait for its answer, not the old page
        page.locator(f"#entity-candidates [data-entity='{desk['shop'].pk}'] button").click()
    page.goto(f"/leads/{survivor.pk}/form/")
    assert "案件来源登记表" in page.locator("#registration-form").inner_text()
    keep(browsing.shoot(page, "printable-form"))
    page.goto(f"/leads/{survivor.pk}/")
    with page.expect_download() as info:
        page.click("#docx-form-link")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(BytesIO(Path(download.path()).read_bytes()))
    cells = {}
    for table in document.tables:
        for row in table.rows:
            texts = [c.text for c in row.cells]
            for i in range(0, len(texts) - 1, 2):
                cells.setdefault(texts[i], texts[i + 1])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "案件来源登记表" in text and survivor.number in text
    assert cells["接收日期"] == "2026年11月20日"
    with translation.override("zh-hans"):  # the form is in Chinese whatever this process last activated
        assert cells["案件来源"] == survivor.get_channel_display()
    assert cells["举报人（投诉人）"].startswith("张**") and "138****1234" in cells["举报人（投诉人）"]
    assert "张三丰" not in "".join(cells.values())
    assert "顺康养生馆" in cells["当事人"] and desk["shop"].uscc == cells["统一社会信用代码"]
    assert cells["主要事实摘要"] == SUMMARY
    assert cells["登记人"] == "王法制"
    assert cells["处理意见建议"] == "建议分派红山区所核查"
