"""Measure 4 in the demo: tiers for every demo entity, a few hazard-ledger items, one deregistration
alert (an entity with an open lead moves to deregistration) and one first-visit flag (`step`); then the
inspections of the last four months (`inspection_step`)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import time_machine

from silvershield.core.demo_data.entities import local_prefix, make_uscc
from silvershield.core.demo_data.names import landline_phone, person_name
from silvershield.core.demo_data.places import COUNTIES
from silvershield.core.demo_data.timeline import add_working, at, office_minutes
from silvershield.core.models import Role, User
from silvershield.entities.detection import redetect_all
from silvershield.entities.models import (
    AlertKind,
    ElderlyCategory,
    Entity,
    EntityStatus,
    HazardItem,
    HazardSource,
    HazardStatus,
    InspectionResult,
)
from silvershield.entities.risk import CLOSED_LEAD_STATES, recompute_risk
from silvershield.entities.services import (
    add_hazard,
    create_entity,
    record_inspection,
    update_entity,
    update_hazard,
)

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


# --- inspections -----------------------------------------------------------------------------------------

_FOOD_CHECK = "检查食品经营许可证公示、进货查验记录，保健食品专区专柜设置及“本品不能代替药物”提示"
_FOOD_FINDINGS = [
    ("店内张贴“降三高”“包治百病”宣传单，涉嫌虚假宣传保健食品功效", True),
    ("以免费健康讲座、送鸡蛋聚集老年人，现场推销保健食品", True),
    ("保健食品未设专区专柜，未标示“本品不能代替药物”", False),
    ("未建立进货查验记录，部分产品无法提供合格证明", False),
    ("保健食品标签未标注保健食品标志和批准文号", False),
    ("临近保质期食品未集中陈列，未作提示", False),
]
# What an inspection of each kind of elderly-related business checks, and what it may find (the finding,
# and whether it is serious).
CHECKS: dict[str, tuple[str, list[tuple[str, bool]]]] = {
    ElderlyCategory.ELDERLY_CARE: (
        "检查收费标准公示、服务合同、消防设施及护理员健康证明",
        [
            ("未公示收费标准，服务合同缺少收费明细", False),
            ("消防通道堆放杂物，应急照明损坏", False),
            ("护理员未取得健康证明上岗", False),
            ("以“预存养老金享高额返利”名义向入住老人收取费用", True),
        ],
    ),
    ElderlyCategory.HEALTH_FOOD: (_FOOD_CHECK, _FOOD_FINDINGS),
    ElderlyCategory.FOOD: (_FOOD_CHECK, _FOOD_FINDINGS),
    ElderlyCategory.MEDICAL_DEVICE: (
        "检查医疗器械经营备案凭证、进货票据、产品注册证及店内宣传材料",
        [
            ("第二类医疗器械经营备案凭证过期未更新", False),
            ("以免费体验为名宣传理疗仪可“治疗”高血压、糖尿病", True),
            ("部分产品无中文标签，无法提供注册证", False),
        ],
    ),
    ElderlyCategory.DRUG: (
        "检查药品经营许可证、处方药销售登记和进货票据",
        [("处方药未凭处方销售，无销售登记", False), ("陈列过期药品", False)],
    ),
    ElderlyCategory.WELLNESS_TRAVEL: (
        "检查旅游合同、行程安排及购物场所告知",
        [("旅游合同未载明购物场所和停留时间", False), ("以低价游组织老年人到指定店铺购物", True)],
    ),
    ElderlyCategory.THERAPY: (
        "检查营业执照公示、服务价目表及店内宣传材料",
        [("未公示服务价目，办卡预付费无书面合同", False), ("宣传理疗服务可“治愈”慢性病", True)],
    ),
}
_OTHER_CHECK = (
    "检查营业执照公示、进货查验记录及店内宣传材料",
    [("未建立进货查验记录，部分产品无法提供合格证明", False)],
)
# New elderly-related registrations of the last months, each visited once (首次走访).
NEW_REGISTRATIONS = [
    ("颐和居家养老服务有限公司", "养老服务；居家养老服务；老年人养护服务"),
    ("松鹤堂保健食品店", "保健食品（预包装）销售；日用百货销售"),
    ("康乐医疗器械有限公司", "第二类医疗器械销售；保健食品（预包装）销售"),
    ("福寿康养老服务中心", "养老服务；康复辅具租赁；助餐服务"),
]
INSPECTED_COUNTIES = 5
PER_COUNTY = 7
WORKING_DAYS_BACK = 85  # about four months


def inspection_step(*, rng: random.Random, org, entities, frame, today: date) -> None:
    """Inspections of elderly-related entities in five county divisions (红山区 and 松山区, where the demo's
    investigator accounts work, and three more), each recorded through `record_inspection` with the clock
    set to its day: two or three officers of one unit, most without problems, some with findings entered
    in the hazard ledger and re-inspected once rectified, and the first visits of new registrations."""
    first = [code for code in ("150402", "150404") if code in org.counties]
    others = sorted(code for code in org.counties if code not in first)
    codes = first + rng.sample(others, min(len(others), INSPECTED_COUNTIES - len(first)))
    last_day = frame.last_day
    touched: set[int] = set()
    for n, code in enumerate(codes):
        staff = org.counties[code]
        units = [people for _unit, people in staff.handling_units if len(people) >= 2]
        if not units:
            continue
        # Not the new registration `step` left waiting for its first visit: the demo shows it waiting.
        active = list(
            Entity.objects.filter(division_id=code, is_elderly_related=True, status=EntityStatus.ACTIVE)
            .exclude(gate_alerts__kind=AlertKind.FIRST_VISIT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = rng.sample(active, min(len(active), PER_COUNTY))
        for entity in Entity.objects.filter(pk__in=chosen).order_by("pk"):
            day = add_working(last_day, -rng.randrange(WORKING_DAYS_BACK))
            if entity.registration_date and day <= entity.registration_date:
                # Registered since: inspected soon after its registration.
                day = min(add_working(entity.registration_date, 5), last_day)
            _inspect(rng, entity, _team(rng, units), day, last_day)
            touched.add(entity.pk)
        if n < len(NEW_REGISTRATIONS):
            entity = _new_registration(rng, staff, code, NEW_REGISTRATIONS[n], last_day)
            visit = add_working(entity.registration_date, rng.randrange(2, 8))
            _inspect(rng, entity, _team(rng, units), visit, last_day)
            touched.add(entity.pk)
    # Each inspection scored its entity as of its own day: score them again as of today.
    recompute_risk(touched)


def _team(rng: random.Random, units: list[list[User]]) -> list[User]:
    """Two officers of one unit (an inspection needs two), sometimes three. The first unit holds the
    bureau's demo investigator: it gets a larger share."""
    people = units[0] if rng.random() < 0.4 else rng.choice(units)
    return rng.sample(people, 3 if len(people) > 2 and rng.random() < 0.2 else 2)


def _new_registration(
    rng: random.Random, staff, code: str, template: tuple[str, str], last_day: date
) -> Entity:
    """A new elderly-related registration of the last two months (flagged for its first visit)."""
    name, scope = template
    county = next(c for c in COUNTIES if c.code == code)
    registered = add_working(last_day, -rng.randrange(15, 60))
    registrar = User.objects.filter(role=Role.REGISTRATION_SECTION, unit=staff.bureau).order_by("pk").first()
    used = set(Entity.objects.filter(uscc__startswith=f"91{code}").values_list("uscc", flat=True))
    with time_machine.travel(at(registered, office_minutes(rng)), tick=False):
        return create_entity(
            actor=registrar,
            uscc=make_uscc(rng, kind="91", division=code, registered=registered, used=used),
            name=local_prefix(county) + name,
            legal_representative=person_name(rng),
            address=f"内蒙古自治区赤峰市{county.name}{rng.choice(county.towns)}{rng.choice(county.roads)}"
            f"{rng.randrange(1, 300)}号",
            phone=landline_phone(rng),
            division=code,
            business_scope=scope,
            registration_date=registered,
            origin="新设登记",
        )


def _inspect(rng: random.Random, entity: Entity, officers: list[User], day: date, last_day: date) -> None:
    """One inspection; with findings, the hazards are due in two weeks (one for serious ones) and, when
    that falls before the end of the demo, most are rectified and checked again (复查)."""
    checked, findings = CHECKS.get(entity.elderly_category, _OTHER_CHECK)
    roll = rng.random()
    found = [] if roll < 0.55 else rng.sample(findings, min(len(findings), 1 if roll < 0.85 else 2))
    if not found:
        result, note, due = InspectionResult.OK, checked + "，未发现问题", None
    else:
        serious = any(flag for _text, flag in found)
        result = InspectionResult.SERIOUS if serious else InspectionResult.ISSUES
        note = "发现问题：" + "；".join(text for text, _flag in found) + "。已当场责令限期整改"
        due = add_working(day, 5 if serious else 10)
    with time_machine.travel(at(day, office_minutes(rng)), tick=False):
        record_inspection(
            entity=entity, actor=officers[0], inspected_on=day, result=result, note=note, officers=officers,
            hazards=[text for text, _flag in found], rectify_by=due,
        )
    if due is None or add_working(due, 3) > last_day or rng.random() < 0.3:
        return  # still to be rectified, or overdue
    again = add_working(due, rng.randrange(0, 4))
    with time_machine.travel(at(again, office_minutes(rng)), tick=False):
        items = HazardItem.objects.filter(
            entity=entity, source=HazardSource.INSPECTION, found_on=day, status=HazardStatus.OPEN,
            description__in=[text for text, _flag in found],
        ).order_by("pk")
        for item in items:
            update_hazard(item=item, actor=officers[0], status=HazardStatus.RECTIFIED, done_on=again)
        record_inspection(
            entity=entity, actor=officers[0], inspected_on=again, result=InspectionResult.OK,
            note="复查：" + "；".join(text for text, _flag in found) + "，已整改到位", officers=officers,
        )
