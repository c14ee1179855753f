"""The demo's ad monitoring (a step of core/demo_data/measures.py): a few hundred ads across the twelve
county-level divisions, ingested by each county's ad monitor through the real ingest (so every ad is
checked and its findings stored), some findings reviewed, and one confirmed into a lead.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from silvershield.ads.ingest import AdRow
from silvershield.ads.models import Finding, FindingState, Medium
from silvershield.ads.services import ingest_ads, review_finding
from silvershield.core.models import Role, User

ADS_PER_DIVISION = 25

# Realistic ads: (product type, product, text). Unlawful ones as monitors meet them, lawful ones as well.
ADS = (
    ("health_food", "康源牌灵芝孢子粉胶囊",
     "中老年朋友的福音！康源牌灵芝孢子粉胶囊，专治高血压、糖尿病，服用三个月彻底告别降压药。"
     "国家级专家推荐，无效退款。咨询热线0476-8888888。"),
    ("health_food", "草原红牌沙棘油软胶囊",
     "草原红牌沙棘油软胶囊，保健功能：辅助降血脂。适宜人群：血脂偏高者。不适宜人群：少年儿童、孕妇、乳母。"
     "本品不能代替药物。国食健注G20190123。"),
    ("health_food", "益寿牌纳豆激酶片",
     "益寿牌纳豆激酶片，溶解血栓、疏通血管，预防脑梗心梗，比吃药效果更好，老年人必备。张大爷吃了半年，走路不用拐杖了。"),
    ("ordinary_food", "蒙草坊苦荞茶",
     "蒙草坊苦荞茶，精选高原苦荞，降血糖、降血压，糖尿病人的救星！买三送一，活动仅限本周。"),
    ("ordinary_food", "塞外小米",
     "塞外小米，颗粒饱满，熬粥香浓。每100克含蛋白质9克。保质期12个月，请置于阴凉干燥处。"),
    ("drug", "复方丹参片",
     "复方丹参片，活血化瘀，理气止痛。用于气滞血瘀所致的胸痹。请按药品说明书或者在药师指导下购买和使用。"
     "禁忌、不良反应详见说明书。国药准字Z15020123。蒙药广审（文）第260411-00012号。"),
    ("drug", "关节痛消丸",
     "关节痛消丸，祖传秘方，三天止痛，七天根治风湿骨病，治愈率高达98%，无任何副作用。"),
    ("medical_device", "量子理疗仪",
     "量子理疗仪，每天照射30分钟，百病不生，癌症、糖尿病都能治好，医院治不好的病我们能治。"),
    ("medical_device", "上臂式电子血压计",
     "上臂式电子血压计，大屏显示，一键测量。请仔细阅读产品说明书或者在医务人员的指导下购买和使用。"
     "蒙械注准20232090012。蒙械广审(文)第260501-00003号。"),
    ("elder_service", "福寿园养老公寓",
     "福寿园养老公寓，预交十年床位费享五折，年返利12%，保本保息，到期全额返还，国家民政部门推荐。"),
    ("elder_service", "夕阳红日间照料中心",
     "夕阳红日间照料中心，提供午餐、文娱活动和健康监测，欢迎社区老人咨询。收费标准公示于服务大厅。"),
    ("investment", "康养基地项目",
     "投资康养基地，年化收益18%，稳赚不赔，零风险，已有上千位退休老师受益。"),
    ("other", "老年智能手机",
     "老年智能手机，大字体、大音量，一键呼叫子女。全市门店均有销售。"),
    ("health_food", "参茸固本膏",
     "健康讲座：秋冬养生重在固本。专家现场讲解，到场即送鸡蛋，参茸固本膏现场优惠，能治疗失眠和骨质疏松，最好的滋补品。"),
)
OUTLETS = {
    Medium.TV: "赤峰电视台经济生活频道", Medium.RADIO: "赤峰人民广播电台交通频率", Medium.NEWSPAPER: "赤峰日报",
    Medium.OUTDOOR: "公交站牌广告", Medium.INTERNET: "本地生活公众号", Medium.LIVE_STREAM: "某短视频平台直播间",
    Medium.LEAFLET: "小区门口散发传单", Medium.LECTURE: "社区活动室养生讲座",
}
# Indexes of the lawful ads above: about half of what a monitor records breaks no rule.
LAWFUL = (1, 4, 5, 8, 10, 12)
SHOPS = ("保健品店", "大药房", "养生馆", "健康科技有限公司", "医疗器械经营部", "养老服务中心")


def _advertisers(division: str, rng: random.Random) -> list[str]:
    from silvershield.entities.models import Entity

    names = list(
        Entity.objects.filter(division_id=division, is_elderly_related=True).order_by("pk").values_list("name", flat=True)[:12]
    )
    return names or [f"{rng.choice(('康寿', '福康', '益年', '颐和'))}{rng.choice(SHOPS)}"]


def seed_ads(*, rng: random.Random, org, today: date, **_ignored) -> None:
    now = timezone.now()
    reviewed_lead = False
    for staff in org.counties.values():
        monitor = User.objects.filter(role=Role.AD_MONITOR, unit=staff.bureau).order_by("pk").first()
        if monitor is None:
            continue
        division = staff.bureau.division_id
        advertisers = _advertisers(division, rng)
        rows = []
        for number in range(ADS_PER_DIVISION):
            if rng.random() < 0.5:
                product_type, product, text = ADS[rng.choice(LAWFUL)]
            else:
                product_type, product, text = rng.choice([ad for i, ad in enumerate(ADS) if i not in LAWFUL])
            medium = rng.choice(list(OUTLETS))
            day = today - timedelta(days=rng.randrange(1, 180))
            moment = timezone.make_aware(datetime.combine(day, time(rng.randrange(7, 21), rng.choice((0, 15, 30, 45)))))
            rows.append(
                AdRow(
                    row=number + 2,
                    medium=medium,
                    product_type=product_type,
                    text=text,
                    outlet=OUTLETS[medium],
                    published_at=min(moment, now),
                    advertiser=rng.choice(advertisers),
                    product_name=product,
                    division=division,
                )
            )
        ingest_ads(rows=rows, actor=monitor, source=f"{staff.bureau.short_name or staff.bureau.name}广告监测.xlsx")
        pending = list(
            Finding.objects.filter(ad__bureau=staff.bureau, state=FindingState.PENDING).order_by("ad_id", "span_start")
        )
        rng.shuffle(pending)
        # Required wording the transcript misses is often on screen: the typical rejection.
        missing = [f for f in pending if f.severity in ("low", "medium") and f.span_start == 0][:2]
        for finding in missing:
            review_finding(finding=finding, actor=monitor, decision="rejected",
                           note="画面字幕中已显著标明，转写文本遗漏，不构成违法")
        if not reviewed_lead:
            high = [f for f in pending if f.severity == "high" and f not in missing]
            if high:
                review_finding(finding=high[0], actor=monitor, decision="confirmed",
                               note="经核查，广告宣称疾病治疗功能，违法事实清楚，转线索处理")
                reviewed_lead = True
