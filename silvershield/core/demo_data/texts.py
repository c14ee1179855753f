"""Plausible lead texts for each fraud category (DOMAIN.md C.6), assembled from fragments.

Each summary is an opening (how the matter came to light), the conduct, and a detail (victim, money,
request). The fragments follow what the 2022 campaign and SAMR's 2025 campaign name as typical: health
lectures and free gifts selling "miracle" supplements, membership fees for care beds, fake care-project
investments, house-for-pension mortgages, pension-insurance "agents", and "help for the elderly" tours.
"""

from __future__ import annotations

import random

from silvershield.leads.models import FraudCategory, ProductDomain

PRODUCTS = (
    "纳豆激酶胶囊",
    "深海鱼油软胶囊",
    "灵芝孢子粉",
    "富硒黑蒜",
    "降糖茶",
    "人参肽口服液",
    "骨胶原蛋白肽",
    "牛初乳咀嚼片",
    "蜂胶软胶囊",
    "葛根解酒茶",
    "“通脉”植物饮品",
    "虫草精片",
)
DEVICES = (
    "量子能量床垫",
    "远红外理疗仪",
    "磁疗保健枕",
    "负离子手环",
    "足浴理疗桶",
    "电位治疗仪",
    "艾灸理疗贴",
    "氢水杯",
    "颈椎按摩仪",
    "“太赫兹”理疗毯",
)
DRUGS = ("“祖传秘方”药酒", "中药调理丸", "“特效”降压胶囊", "止痛膏药")
VENUES = (
    "社区活动室",
    "租用的临街门面",
    "某酒店会议室",
    "老年活动中心旁的门店",
    "农贸市场二楼",
    "小区楼下的“体验店”",
)
PROJECTS = ("森林康养基地", "候鸟式养老公寓", "生态养老庄园", "颐养社区", "养老产业园")
DISEASES = ("高血压", "糖尿病", "心脑血管病", "关节炎", "失眠", "“三高”", "老年痴呆")
REFERRERS = (
    "赤峰市公安局红山区分局",
    "赤峰市公安局松山区分局",
    "赤峰市民政局",
    "赤峰市卫生健康委员会",
    "赤峰市医疗保障局",
    "国家金融监督管理总局赤峰监管分局",
    "赤峰市人力资源和社会保障局",
)
SUPERIORS = ("内蒙古自治区市场监督管理局", "赤峰市市场监督管理局", "赤峰市打击整治养老诈骗专项行动办公室")

_OPENINGS = {
    "complaint": ("消费者投诉：", "老人家属投诉称：", "投诉人反映："),
    "report": ("举报人反映：", "实名举报：", "群众举报称："),
    "hotline": ("12315热线来电反映：", "来电人称：", "12315平台转来诉求："),
    "assigned": ("上级交办：", "转办件：", "督办线索："),
    "referral": ("部门移送：", "移送函称："),
    "inspection": ("日常监督检查中发现：", "专项检查时发现：", "双随机抽查发现："),
    "ad_monitoring": ("广告监测发现：", "监测到户外及网络广告："),
    "informant": ("信息员报送：", "社区联络员反映：", "协作员在走访中发现："),
    "public_call": ("媒体征集线索：", "通过征集公告收到来信："),
}

_CONDUCT = {
    FraudCategory.PRODUCT_SALES: (
        "{party}在{venue}以免费健康讲座、赠送鸡蛋挂面为名聚集老年人，宣称其销售的{product}能治疗{disease}，"
        "现场以“专家义诊”名义推销，单价高达{price}元。",
        "{party}组织“养生课堂”，由自称“教授”的人员讲解，宣称{product}“可以替代降压药”，诱导老人停药购买。",
        "{party}以免费体验{device}为名吸引老人每日到店，称长期使用可“根治”{disease}，一套售价{price}元。",
        "{party}通过电话回访老人，称其{disease}“需要系统调理”，以会员价推销{product}，货到付款后无法退货。",
    ),
    FraudCategory.ELDERLY_SERVICE: (
        "{party}以“预交会员费即享终身养老床位”为名向老年人收取会员费{amount}元，至今未提供服务，负责人失联。",
        "{party}承诺“居家养老上门服务一年”，预收服务费后仅上门两次，此后以各种理由拖延。",
        "{party}以“候鸟式养老、全国连锁入住”为名销售养老服务卡，每张{price}元，实际无合作机构。",
    ),
    FraudCategory.PROJECT_INVESTMENT: (
        "{party}以投资“{project}”养老项目、承诺年化收益{rate}%为名，向老年人吸收资金，到期无法兑付本息。",
        "{party}宣称购买其“养老产业股权”可“保本高息、分红养老”，组织老人参观样板基地后签约投资。",
        "{party}以认购“{project}”床位使用权、“到期回购”为名收取老人款项，合同主体为外地空壳公司。",
    ),
    FraudCategory.HOUSE_FOR_PENSION: (
        "{party}工作人员以“以房养老、每月领取高额养老金”为名，诱导老人办理房产抵押公证，老人房产面临被处置风险。",
        "{party}宣称将房产“托管”即可每月领取{price}元“养老补贴”，要求老人签署委托书和借款合同。",
    ),
    FraudCategory.PENSION_INSURANCE: (
        "有人冒充社保工作人员，以“代办养老保险、一次性补缴可提高养老金”为名收取手续费，与{party}有关。",
        "{party}以“内部渠道代办退休、提前领取养老金”为名，向农村老人收取“办理费”，承诺的待遇至今未兑现。",
    ),
    FraudCategory.ELDERLY_ASSISTANCE: (
        "{party}以“养老帮扶”“关爱老人”为名组织一元游、免费旅游，途中带至指定购物点高价销售{product}。",
        "{party}冒用慈善组织名义开展“爱心帮扶”，登记老人信息后上门推销{device}，称“政府补贴一半”。",
        "{party}以“帮扶困难老人”名义发放米面油，随后要求老人缴纳“帮扶基金”{amount}元。",
    ),
    FraudCategory.NOT_ELDER_FRAUD: (
        "{party}销售的预包装食品超过保质期，要求退货并赔偿。",
        "{party}明码标价与结算价格不一致，多收费用。",
        "{party}经营场所卫生条件差，后厨有老鼠出没。",
        "{party}网购商品与宣传不符，商家拒绝七日无理由退货。",
        "{party}装修合同约定的材料被以次充好。",
        "{party}健身卡预付费后门店关闭，要求退还余额。",
    ),
}

_DETAILS = (
    "受害老人{age}岁，先后购买{amount}元。",
    "涉及老人约{count}人，{age}岁的举报人母亲已花费{amount}元。",
    "老人{age}岁，子女发现后要求退款遭拒。",
    "举报人称周边多名老人受骗，请求依法查处。",
    "现场留有宣传单页和收款二维码，收款人为个人账户。",
    "",
)
_NOT_ELDER_DETAILS = ("涉及金额{amount}元。", "请求依法处理。", "")


def domain_for(category: str, rng: random.Random) -> str:
    if category == FraudCategory.PRODUCT_SALES:
        return rng.choice(
            (ProductDomain.FOOD, ProductDomain.FOOD, ProductDomain.MEDICAL_DEVICE, ProductDomain.DRUG)
        )
    return {
        FraudCategory.ELDERLY_SERVICE: ProductDomain.ELDERLY_CARE_SERVICE,
        FraudCategory.PROJECT_INVESTMENT: ProductDomain.INVESTMENT,
        FraudCategory.HOUSE_FOR_PENSION: ProductDomain.HOUSING,
        FraudCategory.PENSION_INSURANCE: ProductDomain.INSURANCE,
        FraudCategory.ELDERLY_ASSISTANCE: rng.choice((ProductDomain.FOOD, ProductDomain.MEDICAL_DEVICE)),
    }.get(category, rng.choice((ProductDomain.FOOD, ProductDomain.OTHER)))


def lead_summary(
    rng: random.Random, *, channel: str, category: str, party: str, age: int, amount: int
) -> str:
    """A summary of facts as a legal officer would enter it on the registration form."""
    values = dict(
        party=party or "一家无照经营的“体验店”",
        venue=rng.choice(VENUES),
        product=rng.choice(PRODUCTS),
        device=rng.choice(DEVICES + DRUGS),
        disease=rng.choice(DISEASES),
        project=rng.choice(PROJECTS),
        price=rng.choice((398, 680, 1280, 2980, 3680, 5800, 9800, 16800)),
        rate=rng.choice((12, 15, 18, 20, 24, 36)),
        amount=f"{amount:,}",
        age=age,
        count=rng.randrange(5, 60),
    )
    opening = rng.choice(_OPENINGS[channel])
    conduct = rng.choice(_CONDUCT[FraudCategory(category)]).format(**values)
    details = _NOT_ELDER_DETAILS if category == FraudCategory.NOT_ELDER_FRAUD else _DETAILS
    return opening + conduct + rng.choice(details).format(**values)


RESULTS = {
    "not_opened": (
        "经核查，未发现违法事实，不予立案。",
        "经核查，当事人已停止相关宣传并整改，违法情节轻微，不予立案。",
    ),
    "transferred_department": ("经核查，不属于本局管辖，已移送{dept}处理。",),
    "transferred_police": ("经核查，涉嫌诈骗犯罪，已移送公安机关。",),
    "mediated": ("经调解，双方达成一致，商家退款{amount}元。", "经调解，商家同意退货退款，消费者撤回投诉。"),
}


def lead_result(rng: random.Random, *, outcome: str, amount: int) -> str:
    text = rng.choice(RESULTS[outcome])
    return text.format(dept=rng.choice(REFERRERS[2:]), amount=f"{amount:,}")


DECISIONS = (
    "依据《中华人民共和国反不正当竞争法》，责令停止违法行为，处罚款{fine}元。",
    "依据《中华人民共和国广告法》第五十五条，责令停止发布违法广告，处罚款{fine}元。",
    "依据《中华人民共和国食品安全法》，没收违法所得，处罚款{fine}元。",
    "依据《中华人民共和国消费者权益保护法》第五十六条，责令改正，处罚款{fine}元。",
)
EXECUTIONS = (
    "当事人已缴纳罚款，违法所得已没收。",
    "当事人已履行处罚决定，并向受害老人退赔。",
    "罚款已缴入国库。",
)
