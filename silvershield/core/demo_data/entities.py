"""Market entities for the demo registry, and the 12-shop chain of DOMAIN.md measure 6.

Names, scopes and addresses follow what Chifeng's registry holds: individual shops (个体工商户, code 92…),
companies (91…), farmers' co-operatives (93…), private elderly homes (民办非企业单位, 52…), public elderly
homes (事业单位, 12…) and a few codes from other registering authorities (Y…). Every unified social
credit code is valid (GB 32100 check character from core.identifiers; the old-style organisation codes
carry their GB 11714 check character too) and carries the division code of the registering bureau.

Rows are bulk-inserted in batches (create_entity per row would cost an audit-chain lock each); each row
still gets its CREATE audit event through history.append_events.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from silvershield.core.demo_data.history import append_events, import_event
from silvershield.core.demo_data.names import landline_phone, mobile_phone, person_name
from silvershield.core.demo_data.places import COUNTY_BY_CODE, LEAD_WEIGHT_BY_DIVISION, County, town_stem
from silvershield.core.identifiers import USCC_ALPHABET, uscc_check_character
from silvershield.entities.linking import core_name
from silvershield.entities.models import Entity, EntityStatus
from silvershield.entities.services import char_initials, pinyin_initials

CHAIN_BRAND = "康寿堂"
_ELDERLY_BRANDS = (
    "福寿源",
    "松鹤",
    "康泰",
    "益寿",
    "长青",
    "颐和",
    "福康",
    "夕阳红",
    "康乐",
    "寿仙",
    "百岁",
    "延年",
    "鹤年",
    "德寿",
    "仁寿",
    "安康",
    "永康",
    "健龄",
    "晚晴",
    "银龄",
    "金秋",
    "乐龄",
    "颐养",
    "福瑞",
    "祥和",
    "康源",
    "慈济",
    "寿康",
    "百福",
    "同仁",
    "天伦",
    "椿萱",
    "福满堂",
    "怡康",
    "馨安",
    "康之源",
    "养生堂",
    "济世",
)
_PLAIN_BRANDS = (
    "鑫源",
    "宏达",
    "恒泰",
    "金达",
    "顺通",
    "兴旺",
    "泰和",
    "鼎盛",
    "瑞丰",
    "华宇",
    "天成",
    "佳美",
    "诚信",
    "盛世",
    "锦程",
    "广源",
    "明阳",
    "博远",
    "金诚",
    "众鑫",
    "利达",
    "万顺",
    "新世纪",
    "永盛",
    "昊天",
    "兴隆",
    "聚丰",
    "恒通",
    "嘉禾",
    "亿达",
    "正大",
    "宝丰",
    "富源",
    "通达",
    "鸿运",
    "安达",
    "荣盛",
    "金鹏",
    "红峰",
    "草原情",
)

# (name pattern, business scope, code kind, elderly-related, weight). {local} is 赤峰市红山区 in the
# city's districts and the banner or county name elsewhere, as local shops are named.
_ELDERLY_TEMPLATES = (
    ("{local}{town}{brand}保健品店", "保健食品（预包装）销售；日用百货销售；第一类医疗器械销售", "92", 14),
    ("赤峰{brand}养老服务有限公司", "养老服务；老年人养护服务；居家养老服务；家政服务", "91", 8),
    ("{local}{brand}老年公寓", "养老服务；老年人养护服务；助餐服务", "52", 5),
    ("{local}{townfull}敬老院", "特困人员供养；养老服务", "12", 1),
    (
        "赤峰市{brand}健康管理有限公司",
        "健康咨询服务（不含诊疗服务）；保健食品（预包装）销售；养生保健服务（非医疗）",
        "91",
        9,
    ),
    ("内蒙古{brand}医疗器械有限公司", "第二类医疗器械销售；第一类医疗器械销售；康复辅具适配服务", "91", 6),
    ("{local}{town}{brand}大药房", "药品零售；保健食品销售；第二类医疗器械销售；消毒器械销售", "92", 14),
    ("赤峰{brand}康养旅游有限公司", "旅游业务；养老服务；健康咨询服务（不含诊疗服务）", "91", 3),
    ("{local}{town}{brand}食品商行", "保健食品（预包装）销售；食品销售（仅销售预包装食品）", "92", 12),
    ("{local}{brand}老年人日间照料中心", "老年人日间照料；助餐服务；文体活动组织", "52", 4),
    (
        "赤峰{brand}养老产业发展有限公司",
        "养老服务；以自有资金从事投资活动；健康咨询服务（不含诊疗服务）",
        "91",
        3,
    ),
    ("{local}{town}{brand}医疗器械经营部", "第二类医疗器械销售；保健用品（非食品）销售", "92", 8),
    ("{local}老年人体育协会", "组织老年人体育健身活动；养老公益服务", "51", 1),
)
_PLAIN_TEMPLATES = (
    ("{local}{town}{brand}餐饮店", "餐饮服务；小餐饮", "92", 14),
    ("赤峰{brand}商贸有限公司", "日用百货销售；五金产品零售；建筑材料销售", "91", 12),
    ("{local}{town}{brand}汽车修理部", "机动车修理和维护；汽车零配件零售", "92", 6),
    ("{local}{town}{brand}服装店", "服装服饰零售；鞋帽零售", "92", 8),
    ("赤峰{brand}物流有限公司", "道路货物运输（不含危险货物）；普通货物仓储服务", "91", 4),
    ("{local}{town}{brand}农牧业专业合作社", "谷物种植；牲畜饲养；农产品的生产、销售、加工", "93", 4),
    ("赤峰{brand}文化传媒有限公司", "广告设计、代理；广告制作；广告发布", "91", 4),
    ("赤峰{brand}装饰工程有限公司", "住宅室内装饰装修；建筑装饰材料销售", "91", 5),
    ("{local}{town}{brand}便利店", "食品销售（仅销售预包装食品）；日用百货销售；烟草制品零售", "92", 12),
    ("{local}{town}{brand}美容美发店", "理发服务；生活美容服务", "92", 7),
    (
        "赤峰{brand}网络科技有限公司",
        "技术服务、技术开发；软件开发；互联网销售（除销售需要许可的商品）",
        "91",
        4,
    ),
    ("{local}{town}{brand}粮油店", "食品销售（仅销售预包装食品）；粮油零售", "92", 6),
    ("{local}{town}{brand}五金建材店", "五金产品零售；建筑材料销售", "92", 6),
    ("赤峰{brand}房地产经纪有限公司", "房地产经纪；住房租赁", "91", 3),
    ("赤峰{brand}投资咨询有限公司", "以自有资金从事投资活动；企业管理咨询", "91", 2),
    ("赤峰市{brand}驾驶员培训有限公司", "机动车驾驶员培训", "91", 1),
    ("{local}{brand}宗教活动场所管理组织", "宗教活动场所日常管理", "Y1", 1),
)
ELDERLY_SHARE = 0.3


@dataclass(frozen=True)
class EntityRef:
    """What the lead generator needs to know about an entity, without holding model instances."""

    pk: int
    name: str
    address: str
    registered: date
    elderly: bool


@dataclass
class EntityIndex:
    by_division: dict[str, list[EntityRef]] = field(default_factory=dict)
    elderly_by_division: dict[str, list[EntityRef]] = field(default_factory=dict)
    chain: list[EntityRef] = field(default_factory=list)
    chain_operator: str = ""
    chain_phone: str = ""

    def add(self, ref: EntityRef, division: str) -> None:
        self.by_division.setdefault(division, []).append(ref)
        if ref.elderly:
            self.elderly_by_division.setdefault(division, []).append(ref)


def local_prefix(county: County) -> str:
    return f"赤峰市{county.name}" if county.code < "150420" else county.name


def _org_code(rng: random.Random, registered: date, kind: str) -> str:
    """Characters 9-17: an MA… code for market entities registered since the 2015 reform, else an old
    GB 11714 organisation code with its own check character."""
    if kind.startswith("9") and registered.year >= 2016:
        return "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    digits = [rng.randrange(10) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(digits, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return "".join(map(str, digits)) + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, *, kind: str, division: str, registered: date, used: set[str]) -> str:
    while True:
        body = f"{kind}{division}{_org_code(rng, registered, kind)}"
        code = body + uscc_check_character(body)
        if code not in used:
            used.add(code)
            return code


def _registration_date(rng: random.Random, anchor: date) -> date:
    # More entities are young than old: the square root skews towards recent registrations.
    span = (anchor - date(1998, 1, 1)).days - 30
    return anchor - timedelta(days=30 + int(span * rng.random() ** 2))


_PLAZAS = ("金三角", "新天地", "欧式街", "万达", "时代", "财富")


def _address(rng: random.Random, county: County, town: str) -> str:
    tail = rng.choice(
        (
            "",
            "",
            f"（{rng.choice(_PLAZAS)}广场{rng.randrange(1, 4)}层）",
            f"{rng.randrange(1, 30)}号楼底商",
        )
    )
    return f"内蒙古自治区赤峰市{county.name}{town}{rng.choice(county.roads)}{rng.randrange(1, 500)}号{tail}"


class _Builder:
    def __init__(self, rng: random.Random, anchor: date, loaded_at: datetime) -> None:
        self.rng, self.anchor, self.loaded_at = rng, anchor, loaded_at
        self.used_codes: set[str] = set()
        self.used_names: set[str] = set()
        self.divisions = list(LEAD_WEIGHT_BY_DIVISION)
        self.division_weights = list(LEAD_WEIGHT_BY_DIVISION.values())

    def entity(self, *, elderly: bool) -> Entity | None:
        rng = self.rng
        templates = _ELDERLY_TEMPLATES if elderly else _PLAIN_TEMPLATES
        pattern, scope, kind, _w = rng.choices(templates, weights=[t[3] for t in templates])[0]
        county = COUNTY_BY_CODE[rng.choices(self.divisions, weights=self.division_weights)[0]]
        town = rng.choice(county.towns)
        brands = _ELDERLY_BRANDS if elderly else _PLAIN_BRANDS
        name = pattern.format(
            local=local_prefix(county),
            town=town_stem(town) if rng.random() < 0.4 else "",
            townfull=town,
            brand=rng.choice(brands),
        )
        if name in self.used_names:
            return None
        registered = _registration_date(rng, self.anchor)
        # Companies are often registered with the city bureau, the rest with the county's.
        division_in_code = (
            "150400" if kind == "91" and name.startswith("赤峰") and rng.random() < 0.3 else county.code
        )
        return self._entity(
            name=name,
            scope=scope,
            kind=kind,
            county=county,
            town=town,
            registered=registered,
            division_in_code=division_in_code,
            elderly=elderly,
            legal_representative=person_name(rng),
            phone=mobile_phone(rng) if rng.random() < 0.6 else landline_phone(rng),
        )

    def _entity(
        self,
        *,
        name: str,
        scope: str,
        kind: str,
        county: County,
        town: str,
        registered: date,
        division_in_code: str,
        elderly: bool,
        legal_representative: str,
        phone: str,
        always_active: bool = False,
    ) -> Entity:
        rng = self.rng
        self.used_names.add(name)
        roll = rng.random()
        status = (
            EntityStatus.ACTIVE
            if always_active
            else EntityStatus.DEREGISTERED
            if roll < 0.07
            else EntityStatus.DEREGISTERING
            if roll < 0.09
            else EntityStatus.ACTIVE
        )
        created = max(self.loaded_at, timezone.make_aware(datetime.combine(registered, time(10))))
        return Entity(
            uscc=make_uscc(
                rng, kind=kind, division=division_in_code, registered=registered, used=self.used_codes
            ),
            name=name,
            legal_representative=legal_representative,
            address=_address(rng, county, town),
            phone=phone,
            division_id=county.code,
            business_scope=scope,
            status=status,
            registration_date=registered,
            is_elderly_related=elderly,
            name_initials=pinyin_initials(name),
            name_core=(core := core_name(name)[:200]),
            core_initials=char_initials(core),
            created_at=created,
            updated_at=created,
        )

    def chain(self, operator: str, phone: str) -> list[Entity]:
        """One operator's 12 health-product shops, 6 in 红山区 and 6 in 松山区 (DOMAIN.md measure 6)."""
        shops = []
        for code in ("150402", "150404"):
            county = COUNTY_BY_CODE[code]
            for town in county.towns[:6]:
                shops.append(
                    self._entity(
                        name=f"{local_prefix(county)}{CHAIN_BRAND}保健品{town_stem(town)}店",
                        scope="保健食品（预包装）销售；第二类医疗器械销售；健康咨询服务（不含诊疗服务）；会议及展览服务",
                        kind="92",
                        county=county,
                        town=town,
                        registered=self.anchor - timedelta(days=self.rng.randrange(400, 1500)),
                        division_in_code=code,
                        elderly=True,
                        legal_representative=operator,
                        phone=phone,
                        always_active=True,
                    )
                )
        return shops


def build_entities(
    *,
    rng: random.Random,
    count: int,
    anchor: date,
    loaded_at: datetime,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
) -> EntityIndex:
    """Create `count` entities (the 12 chain shops among them) in batches; returns an index for the leads."""
    builder = _Builder(rng, anchor, loaded_at)
    index = EntityIndex(chain_operator=person_name(rng), chain_phone=mobile_phone(rng))
    pending: list[Entity] = builder.chain(index.chain_operator, index.chain_phone)
    made = len(pending)
    elderly_target = max(int(count * ELDERLY_SHARE), 12)
    elderly_made = made
    while made < count or pending:
        while made < count and len(pending) < batch_size:
            # About 30% elderly-related, and never fewer than the target (Chifeng: 5,000+ of the registry).
            entity = builder.entity(
                elderly=rng.random() < ELDERLY_SHARE or count - made <= elderly_target - elderly_made
            )
            if entity is None:
                continue
            pending.append(entity)
            made += 1
            elderly_made += entity.is_elderly_related
        _save_batch(pending, index)
        if progress is not None:
            progress(len(pending))
        pending = []
    return index


def _save_batch(entities: list[Entity], index: EntityIndex) -> None:
    Entity.objects.bulk_create(entities)
    events = []
    for entity in entities:
        ref = EntityRef(
            pk=entity.pk,
            name=entity.name,
            address=entity.address,
            registered=entity.registration_date,
            elderly=entity.is_elderly_related,
        )
        index.add(ref, entity.division_id)
        if entity.name.startswith(
            tuple(local_prefix(COUNTY_BY_CODE[c]) + CHAIN_BRAND for c in ("150402", "150404"))
        ):
            index.chain.append(ref)
        events.append(
            import_event(
                subject_type="entities.entity",
                subject_id=entity.pk,
                at=entity.created_at,
                actor_id=None,
                changes={
                    "uscc": entity.uscc,
                    "name": entity.name,
                    "division": entity.division_id,
                    "status": entity.status,
                    "is_elderly_related": entity.is_elderly_related,
                },
            )
        )
    append_events(events)
