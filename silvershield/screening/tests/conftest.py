"""Fixtures of the screening tests: registered leads, city people, and the 12-shop chain of DOMAIN.md measure 6."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from silvershield.core.models import Role
from silvershield.core.testing import make_lead, make_person
from silvershield.core.tests.browser.conftest import (  # noqa: F401 - the browser fixtures, for test_browser_*
    browsing, chromium_browser, plain_static, screenshots,
)
from silvershield.leads.workflow import run_lead_transition

CHAIN_OPERATOR = "周德厚"
CHAIN_PHONE = "13947600123"


def registered(personas, org, *, bureau=None, actor=None, **fields):
    actor = actor or personas.legal_officer
    fields.setdefault("category", "product_sales")
    lead = make_lead(bureau=bureau or org.hongshan, actor=actor, **fields)
    return run_lead_transition(lead=lead, name="register", actor=actor)


@pytest.fixture
def city(org):
    class C:
        task_office = make_person("city_task", Role.TASK_OFFICE, org.city, full_name="市专班")
        legal = make_person("city_legal", Role.LEGAL_OFFICER, org.city, full_name="市法制")
        inv1 = make_person("city_inv1", Role.INVESTIGATOR, org.city_enforcement, full_name="市执法一")
        inv2 = make_person("city_inv2", Role.INVESTIGATOR, org.city_enforcement, full_name="市执法二")
        ss_task = make_person("ss_task", Role.TASK_OFFICE, org.songshan, full_name="松专班")
        ss_legal = make_person("ss_legal2", Role.LEGAL_OFFICER, org.songshan, full_name="松法制")

    return C


@dataclass
class Chain:
    shops: list
    leads: list


def build_chain(org, personas, city) -> Chain:
    """Twelve 康寿堂 shops in 红山区 and 松山区, one legal representative and phone; leads on five of them."""
    from silvershield.entities.models import Entity

    shops = []
    for i in range(12):
        division = "150402" if i < 6 else "150404"
        district = "红山区" if i < 6 else "松山区"
        shops.append(Entity.objects.create(
            uscc=f"92150{division[-1]}00MA0CHN{i:03d}"[:18], name=f"赤峰市{district}康寿堂保健品店{i + 1}分店",
            legal_representative=CHAIN_OPERATOR, phone=CHAIN_PHONE, address=f"赤峰市{district}某路{i + 1}号",
            division_id=division, is_elderly_related=True,
        ))
    leads = []
    for n, shop in enumerate([shops[0], shops[1], shops[2], shops[6], shops[7]]):
        bureau = org.hongshan if shop.division_id == "150402" else org.songshan
        actor = personas.legal_officer if bureau == org.hongshan else city.ss_legal
        leads.append(registered(
            personas, org, bureau=bureau, actor=actor, division=shop.division_id, party_name=shop.name, party_entity=shop,
            summary=f"{shop.name}以免费健康讲座为名向老年人推销“纳豆激酶胶囊”，负责人{CHAIN_OPERATOR}。第{n}条",
            received_date=date(2026, 11, 2),
        ))
    return Chain(shops=shops, leads=leads)
