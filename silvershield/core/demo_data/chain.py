"""The chain of DOMAIN.md measure 6: one operator's 康寿堂 health-product shops in 红山区 and 松山区.

Twelve shops, one legal representative and one phone number (entities.py). Leads about five of them
reach both district bureaus through different channels, and the city bureau receives an assignment
about the whole chain: exactly the pattern that cross-district linking (DESIGN.md section 9, item 2)
must surface as one cluster, and from which a joint operation is planned.
"""

from __future__ import annotations

from silvershield.core.demo_data.entities import EntityIndex
from silvershield.core.demo_data.plans import Planner
from silvershield.leads.models import Channel, FraudCategory

_LECTURE = (
    "{shop}以“免费健康讲座”“专家义诊”为名，每天上午组织老年人听课并赠送鸡蛋，讲课人自称“北京来的教授”，"
    "宣称店内的“纳豆激酶胶囊”“量子能量床垫”能治疗高血压、糖尿病、心脑血管病，劝老人停药。"
    "{detail}该店负责人{operator}（电话{phone}）在红山区、松山区另有多家同名门店。"
)
_DETAILS = (
    "举报人母亲78岁，先后购买2.68万元。",
    "讲座结束后要求老人当场交款，收款码为个人账户。",
    "社区多名老人反映被诱导购买，单笔最高9800元。",
    "老人子女要求退款遭拒，店员称“产品已拆封不退”。",
    "门店外张贴“免费体检、治病不花钱”海报。",
)


def plan_chain_leads(planner: Planner, entities: EntityIndex) -> None:
    """Seven leads on five of the twelve shops, in both districts and at the city."""
    if len(entities.chain) < 12:
        return
    hongshan = planner.staff_by_division["150402"]
    songshan = planner.staff_by_division["150404"]
    shops_hs = [s for s in entities.chain if "红山区" in s.name]
    shops_ss = [s for s in entities.chain if "松山区" in s.name]
    specs = (
        (hongshan, shops_hs[0], Channel.REPORT, "case:investigating"),
        (hongshan, shops_hs[1], Channel.INFORMANT, "verifying"),
        (hongshan, shops_hs[2], Channel.HOTLINE, "dispatched"),
        (songshan, shops_ss[0], Channel.COMPLAINT, "case:in_review"),
        (songshan, shops_ss[1], Channel.REPORT, "verifying"),
        (songshan, shops_ss[0], Channel.HOTLINE, "screened"),
    )
    for n, (staff, shop, channel, target) in enumerate(specs):
        summary = _LECTURE.format(
            shop=shop.name,
            detail=_DETAILS[n % len(_DETAILS)],
            operator=entities.chain_operator,
            phone=entities.chain_phone,
        )
        planner.plan(
            target=target,
            staff=staff,
            division=staff.bureau.division_id,
            channel=channel,
            category=FraudCategory.PRODUCT_SALES,
            entity=shop,
            summary=summary,
        )
    city_summary = (
        f"上级交办：群众举报{entities.chain_operator}经营的“康寿堂”保健品连锁门店在红山区、松山区共12家门店"
        f"以健康讲座形式对老年人进行虚假宣传，请赤峰市市场监督管理局统筹红山区、松山区市场监管局联合查处。"
        f"联系电话{entities.chain_phone}。"
    )
    planner.plan(
        target="verifying",
        staff=planner.org.city,
        division="150402",
        channel=Channel.ASSIGNED,
        category=FraudCategory.PRODUCT_SALES,
        entity=shops_hs[0],
        summary=city_summary,
    )
