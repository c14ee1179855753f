"""Default rules from the Food Safety Law (食品安全法, 2015 revision as amended 2021-04-29; in force since
2015-10-01). Quotes are from LawRefBook/Laws `行政法/食品安全法.md` (DOMAIN.md C.5.3).

DOMAIN.md marks UNVERIFIED whether the 2025 amendment (in force 2025-12-01) renumbered Arts. 73 and 79,
so these rules ship with `verified` unticked: an administrator checks the numbering against the current
text and ticks it, or edits the article numbers, in the admin (广告规则).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from silvershield.ads.checker.spec import FOOD_SAFETY_LAW, HEALTH_FOOD, ORDINARY_FOOD, PROHIBITED, REQUIRED
from silvershield.ads.rulebook import phrases as p

IN_FORCE = date(2015, 10, 1)
SOURCE = "《中华人民共和国食品安全法》（2015年修订，2021年4月29日修正；2025年修正是否改动条号待核实）"


def rule(
    code: str, name: str, article: int, paragraph: int | None, *, product_types: list[str],
    patterns: tuple[str, ...] | list[str], explanation: str, severity: str, quote: str, kind: str = PROHIBITED,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "code": code, "name": name, "law": FOOD_SAFETY_LAW, "article_number": article, "paragraph_number": paragraph,
        "item_number": None, "kind": kind, "product_types": list(product_types), "patterns": list(patterns),
        "context_patterns": [], "exception_patterns": list(extra.pop("exception_patterns", ())),
        "explanation": explanation, "severity": severity, "effective_from": IN_FORCE, "effective_to": None,
        "verified": False, "source_note": f"{SOURCE}：{quote}", **extra,
    }


FOOD_SAFETY_LAW_RULES: tuple[dict[str, Any], ...] = (
    rule("food73_1_disease_claims", "食品广告涉及疾病预防、治疗功能", 73, 1,
         product_types=[ORDINARY_FOOD, HEALTH_FOOD],
         patterns=p.DISEASE_CLAIM_REGEXES + p.DISEASE_CLAIM_PHRASES + p.DRUG_REPLACEMENT_PHRASES,
         exception_patterns=["辅助降血糖", "辅助降血脂", "辅助降血压", "辅助降低血糖", "辅助降低血脂", "辅助降低血压"],
         explanation="食品广告不得涉及疾病预防、治疗功能：“{match}”。",
         severity="high", quote="第七十三条 食品广告的内容应当真实合法，不得含有虚假内容，不得涉及疾病预防、治疗功能。"),
    rule("food73_2_official_recommendation", "监管部门、检验机构、行业协会推荐食品", 73, 2,
         product_types=[ORDINARY_FOOD, HEALTH_FOOD],
         patterns=[r"re:(?:市场监管局|市场监督管理局|食药监局|食品药品监督管理局|食品安全监督管理部门|卫健委|卫生局|"
                   r"食品检验机构|检验所|检测中心|食品行业协会|食品工业协会|营养学会|保健协会)[^,、。!?;\n]{0,6}?"
                   r"(?:推荐|推介|指定|认证产品)"],
         explanation="食品安全监督管理等部门、食品检验机构、食品行业协会不得以广告或者其他形式向消费者推荐食品：“{match}”。",
         severity="high", quote="第七十三条第二款 县级以上人民政府食品安全监督管理部门和其他有关部门以及食品检验机构、"
                                "食品行业协会不得以广告或者其他形式向消费者推荐食品。"),
    rule("food79_warning", "保健食品广告未声明“本品不能代替药物”", 79, None, product_types=[HEALTH_FOOD],
         kind=REQUIRED, patterns=["本品不能代替药物"],
         explanation="保健食品广告应当声明“本品不能代替药物”，本广告未见。",
         severity="medium", quote="第七十九条 保健食品广告除应当符合本法第七十三条第一款的规定外，还应当声明“本品不能代替药物”…"),
)
