"""Measure 4 in the demo: tiers for every demo entity, a few hazard-ledger items, one deregistration
alert (an entity with an open lead moves to deregistration) and one first-visit flag."""

from __future__ import annotations

import random
from datetime import date, timedelta

from silvershield.core.demo_data.entities import make_uscc
from silvershield.core.models import Role, User
from silvershield.entities.detection import redetect_all
from silvershield.entities.models import Entity, EntityStatus
from silvershield.entities.risk import CLOSED_LEAD_STATES, recompute_risk
from silvershield.entities.services import add_hazard, create_entity, update_entity, update_hazard

HAZARDS = [
    ("店内张贴“降三高”“包治百病”宣传单，涉嫌虚假宣传保健食品功效", "inspection"),
    ("以免费健康讲座、送鸡蛋聚集老年人，现场推销保健食品", "lead"),
    ("保健食品未设专区专柜，未标示“本品不能代替药物”", "inspection"),
    ("第二类医疗器械经营备案凭证过期未更新", "inspection"),
]


def step(*, rng: random.Random, org, entities, frame, today: date) -> None:
    from silvershield.leads.models import Lead

    redetect_all()
    recompute_risk(None)
    hongshan = org.counties.get("150402") or org.city
    registrar = User.objects.filter(role=Role.REGISTRATION_SECTION, unit=hongshan.bureau).order_by("pk").first() or User.objects.filter(
        role=Role.REGISTRATION_SECTION
    ).first()
    officer = (hongshan.demo_investigator or (hongshan.legal_officers or [None])[0])

    # Hazard ledger: the chain's shops first (measure 6), then other elderly-related shops of 红山区.
    shops = [ref.pk for ref in entities.chain[:3]] or list(
        Entity.objects.filter(is_elderly_related=True, division_id="150402").order_by("pk").values_list("pk", flat=True)[:3]
    )
    for index, pk in enumerate(shops):
        entity = Entity.objects.get(pk=pk)
        description, source = HAZARDS[index % len(HAZARDS)]
        found = today - timedelta(days=20 + 7 * index)
        item = add_hazard(
            entity=entity, actor=officer, owner=officer, description=description, found_on=found, source=source,
            due_on=found + timedelta(days=15),
        )
        if index == 0:
            update_hazard(item=item, actor=officer, status="rectified", done_on=found + timedelta(days=10))
        elif index == 1:
            update_hazard(item=item, actor=officer, status="rectifying")

    # One deregistration alert: an active elderly-related entity with an open lead moves to deregistration.
    candidate = (
        Lead.objects.exclude(state__in=CLOSED_LEAD_STATES)
        .filter(party_entity__status=EntityStatus.ACTIVE, party_entity__is_elderly_related=True,
                party_entity__division_id="150402")
        .exclude(party_entity_id__in=shops).exclude(party_entity_id__in=[r.pk for r in entities.chain])
        .values_list("party_entity_id", flat=True).first()
    )
    if candidate is None:
        candidate = (
            Lead.objects.exclude(state__in=CLOSED_LEAD_STATES).filter(party_entity__status=EntityStatus.ACTIVE)
            .values_list("party_entity_id", flat=True).first()
        )
    if candidate is not None:
        update_entity(
            entity=Entity.objects.get(pk=candidate), actor=registrar, status=EntityStatus.DEREGISTERING,
            origin="登记注册科受理注销申请",
        )

    # One first-visit flag: an elderly-care company registered three days ago.
    registered = today - timedelta(days=3)
    create_entity(
        actor=registrar,
        uscc=make_uscc(rng, kind="91", division="150402", registered=registered,
                       used=set(Entity.objects.values_list("uscc", flat=True).filter(uscc__startswith="91150402"))),
        name="赤峰颐康居家养老服务有限公司",
        legal_representative="高淑琴",
        address="内蒙古自治区赤峰市红山区昭乌达路58号",
        division="150402",
        business_scope="养老服务；居家养老服务；老年人养护服务；保健食品（预包装）销售",
        registration_date=registered,
        origin="新设登记",
    )
    recompute_risk(None)
