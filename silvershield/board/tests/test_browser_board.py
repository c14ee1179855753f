"""The wall board in a real browser (issue 5, "Done when"): the board and the map with the 12 divisions
drawn, the big screen, and a strike-off refused with the missing items, then done.

Screenshots land in test-results/<test name>/ (and are copied to /tmp/shots/board when it exists).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from silvershield.board.tests.helpers import conclude, lead_at
from silvershield.core.models import Role
from silvershield.core.testing import PASSWORD, build_org, make_person
from silvershield.leads.models import Lead

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/board")


def keep(path: Path) -> None:
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


class People:
    def __init__(self, org):
        self.legal_officer = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
        self.task_office = make_person("hs_task", Role.TASK_OFFICE, org.hongshan, full_name="李专班")
        self.unit_head = make_person("hs_head", Role.UNIT_HEAD, org.hongshan, full_name="赵所长")
        self.investigator = make_person("hs_inv1", Role.INVESTIGATOR, org.hongshan_institute, full_name="张执法")
        self.investigator2 = make_person("hs_inv2", Role.INVESTIGATOR, org.hongshan_institute, full_name="刘执法")
        self.city_leader = make_person("city_leader", Role.LEADER, org.city, full_name="钱局长")


@pytest.fixture
def wall(browsing):
    org = build_org()
    people = People(org)
    for stage in ("registered", "screened", "dispatched", "verifying", "verifying"):
        lead_at(people, org, stage)
    lead_at(people, org, "registered", party_name="松山区福寿康养生馆", division="150404")
    waiting = conclude(
        lead_at(people, org, "verifying", party_name="红山区夕阳红养老服务中心", loss_amount=Decimal("26000"),
                reporter_is_named=True, reporter_name="王大爷", reporter_phone="13904761234"),
        people, outcome="mediated",
    )
    return dict(org=org, people=people, waiting=waiting)


def test_board_and_map_show_the_twelve_divisions(browsing, wall):
    page = browsing.sign_in("city_leader", PASSWORD)
    page.goto("/board/")
    page.wait_for_selector("#board-map[data-ready='1']")
    drawn = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('board-map')).getOption().series[0].data.length"
    )
    assert drawn == 12
    names = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('board-map')).getOption().series[0].data.map(d => d.name)"
    )
    assert "红山区" in names and "敖汉旗" in names
    # The map's regions themselves: the registered geo has the 12 features.
    regions = page.evaluate("() => echarts.getMap('chifeng').geoJSON.features.length")
    assert regions == 12
    assert page.locator("[data-column-count='verifying']").inner_text() == "2"
    assert page.locator(".board-card").count() == 7
    assert page.get_by_role("link", name="挂图作战").count() >= 1
    keep(browsing.shoot(page, "board-and-map"))
    # A filter narrows the board without a reload (htmx) and the map click opens a division's items.
    page.select_option("#id_division", "150404")
    page.wait_for_function("() => document.querySelectorAll('.board-card').length === 1")
    page.goto("/board/")
    page.wait_for_selector("#board-map[data-ready='1']")
    page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('board-map'))"
        ".dispatchAction({type: 'highlight', name: '松山区'})"
    )
    with page.expect_navigation():
        page.evaluate(
            "() => { const c = echarts.getInstanceByDom(document.getElementById('board-map'));"
            " c.trigger('click', {data: c.getOption().series[0].data.find(d => d.code === '150404')}); }"
        )
    assert "division=150404" in page.url
    assert page.locator(".board-card").count() == 1


def test_big_screen(browsing, wall):
    page = browsing.sign_in("city_leader", PASSWORD)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/board/screen/")
    page.wait_for_selector("#screen-map[data-ready='1']")
    assert page.locator("#screen-total").inner_text() == "7"
    assert page.locator(".mainnav").count() == 0
    keep(browsing.shoot(page, "big-screen"))


def test_strike_off_refused_with_the_missing_items_then_done(browsing, wall):
    lead: Lead = wall["waiting"]
    page = browsing.sign_in("hs_legal", PASSWORD)
    page.goto(f"/board/lead/{lead.pk}/strike-off/")
    assert page.locator("[data-check='reporter'][data-state='missing']").count() == 1
    assert page.locator("[data-check='losses'][data-state='missing']").count() == 1
    page.click("#strike-off-form button[type=submit]")
    refusal = page.locator("#strike-off-refusal")
    assert refusal.inner_text() == "销号条件未满足，尚缺：未答复实名举报人；未录入挽回损失金额"
    keep(browsing.shoot(page, "strike-off-refused"))
    form = page.locator("form[data-record='reporter']")
    form.locator("select[name=method]").select_option("phone")
    form.locator("textarea[name=note]").fill("已电话告知调解结果")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    form = page.locator("form[data-record='losses']")
    form.locator("input[name=amount]").fill("26000")
    form.locator("input[name=victims]").fill("1")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("[data-state='missing']").count() == 0
    with page.expect_navigation():
        page.click("#strike-off-form button[type=submit]")
    assert page.locator("#struck-off-note").is_visible()
    keep(browsing.shoot(page, "strike-off-done"))
    assert Lead.objects.get(pk=lead.pk).state == "struck_off"
    page.goto("/board/")
    assert page.locator(f".board-card[data-pk='{lead.pk}']").count() == 0
    page.goto(f"/board/lead/{lead.pk}/progress/")
    assert "答复举报人" in page.locator("#progress-sheet").inner_text()
    keep(browsing.shoot(page, "progress-sheet"))
