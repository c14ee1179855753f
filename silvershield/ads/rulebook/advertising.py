"""Default rules from the Advertising Law (广告法, 2015 revision as amended 2018 and 2021-04-29; in force
since 2015-09-01). Quotes are from LawRefBook/Laws `经济法/广告法.md` (DOMAIN.md C.5.1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from silvershield.ads.checker.spec import (
    ADVERTISING_LAW,
    DRUG,
    ELDER_SERVICE,
    HEALTH_FOOD,
    MEDICAL_DEVICE,
    ORDINARY_FOOD,
    OTHER,
    PROHIBITED,
    REQUIRED,
)
from silvershield.ads.rulebook import phrases as p

IN_FORCE = date(2015, 9, 1)
SOURCE = "《中华人民共和国广告法》（2015年修订，2018年、2021年4月29日修正）"
MEDICAL_TYPES = [DRUG, MEDICAL_DEVICE]
REVIEWED_TYPES = [DRUG, MEDICAL_DEVICE, HEALTH_FOOD]
NON_MEDICAL_TYPES = [ORDINARY_FOOD, ELDER_SERVICE, OTHER]


def rule(
    code: str, name: str, article: int, paragraph: int | None, item: int | None, *, product_types: list[str],
    patterns: tuple[str, ...] | list[str], explanation: str, severity: str, quote: str, kind: str = PROHIBITED,
    **extra: Any,
) -> dict[str, Any]:
    """One rule's data, with the article text it rests on as its source note."""
    return {
        "code": code, "name": name, "law": ADVERTISING_LAW, "article_number": article,
        "paragraph_number": paragraph, "item_number": item, "kind": kind, "product_types": list(product_types),
        "patterns": list(patterns), "context_patterns": list(extra.pop("context_patterns", ())),
        "exception_patterns": list(extra.pop("exception_patterns", ())), "explanation": explanation,
        "severity": severity, "effective_from": IN_FORCE, "effective_to": None, "verified": True,
        "source_note": f"{SOURCE}：{quote}", **extra,
    }


ADVERTISING_LAW_RULES: tuple[dict[str, Any], ...] = (
    rule("ad9_1_national_symbols", "使用国旗、国徽、军旗等", 9, None, 1, product_types=[],
         patterns=["国旗", "国徽", "国歌", "军旗", "军徽", "军歌"],
         explanation="广告不得使用或者变相使用国旗、国歌、国徽、军旗、军歌、军徽：“{match}”。",
         severity="medium", quote="第九条 广告不得有下列情形：（一）使用或者变相使用中华人民共和国的国旗、国歌、国徽，军旗、军歌、军徽；"),
    rule("ad9_2_state_organs", "使用国家机关名义", 9, None, 2, product_types=[],
         patterns=[r"re:(?:国家|政府|国务院|卫健委|卫生部|卫生局|卫生厅|药监局|市场监管局|市场监督管理局|民政局|民政部|"
                   r"老龄委|老龄办|人社局|社保局)[^,、。!?;\n]{0,6}?(?:推荐|指定|监制|特供|专供|推广|倡导|号召)",
                   r"re:(?:中南海|人民大会堂|国宴|部队|军队|国家机关|政府机关)[^,、。!?;\n]{0,4}?(?:特供|专供|指定|专用)",
                   "国家领导人"],
         explanation="广告不得使用或者变相使用国家机关、国家机关工作人员的名义或者形象：“{match}”。",
         severity="high", quote="第九条 …（二）使用或者变相使用国家机关、国家机关工作人员的名义或者形象；"),
    rule("ad9_3_absolute_terms", "绝对化用语", 9, None, 3, product_types=NON_MEDICAL_TYPES,
         patterns=p.ABSOLUTE_TERMS, exception_patterns=p.ABSOLUTE_EXCEPTIONS,
         explanation="广告不得使用“国家级”“最高级”“最佳”等绝对化用语：“{match}”。",
         severity="medium", quote="第九条 …（三）使用“国家级”、“最高级”、“最佳”等用语；"),
    rule("ad9_3_absolute_terms_medical", "医药、医疗器械、保健食品广告中的绝对化用语", 9, None, 3,
         product_types=REVIEWED_TYPES, patterns=p.ABSOLUTE_TERMS + p.ABSOLUTE_EFFICACY_TERMS,
         exception_patterns=p.ABSOLUTE_EXCEPTIONS,
         explanation="广告不得使用绝对化用语：“{match}”。药品、医疗器械、保健食品广告中与疗效相关的绝对化用语，"
                     "依《广告绝对化用语执法指南》第11条不属于轻微违法。",
         severity="high", quote="第九条 …（三）使用“国家级”、“最高级”、“最佳”等用语；"
                                "《广告绝对化用语执法指南》第十一条（一）"),
    rule("ad9_8_superstition", "迷信内容", 9, None, 8, product_types=[],
         patterns=["开光", "辟邪", "驱邪", "转运", "改运", "消灾", "化煞", "灵符", "加持"],
         explanation="广告不得含有迷信内容：“{match}”。",
         severity="medium", quote="第九条 …（八）含有淫秽、色情、赌博、迷信、恐怖、暴力的内容；"),
    rule("ad16_1_1_efficacy_assertion", "药品、医疗器械广告：功效、安全性的断言或保证", 16, 1, 1,
         product_types=MEDICAL_TYPES,
         patterns=p.EFFICACY_ASSERTION_PHRASES + (p.EFFICACY_TIME_REGEX,) + p.TESTIMONIAL_EFFECT_REGEXES,
         explanation="药品、医疗器械广告不得含有表示功效、安全性的断言或者保证：“{match}”。",
         severity="high", quote="第十六条 医疗、药品、医疗器械广告不得含有下列内容：（一）表示功效、安全性的断言或者保证；"),
    rule("ad16_1_2_cure_rate", "药品、医疗器械广告：说明治愈率或有效率", 16, 1, 2, product_types=MEDICAL_TYPES,
         patterns=p.CURE_RATE_PATTERNS,
         explanation="药品、医疗器械广告不得说明治愈率或者有效率：“{match}”。",
         severity="high", quote="第十六条 …（二）说明治愈率或者有效率；"),
    rule("ad16_1_3_comparison", "药品、医疗器械广告：与其他药品、器械或医疗机构比较", 16, 1, 3,
         product_types=MEDICAL_TYPES,
         patterns=[r"re:(?:比|优于|胜过|超过|强于|好于|赛过|领先)[^,、。!?;\n]{0,6}?(?:其他|同类|一般|普通|进口|国外|所有)"
                   r"[^,、。!?;\n]{0,4}?(?:药品|药物|药|产品|器械|医院|疗法)", "疗效优于", "效果优于"],
         explanation="药品、医疗器械广告不得与其他药品、医疗器械的功效和安全性或者其他医疗机构比较：“{match}”。",
         severity="medium", quote="第十六条 …（三）与其他药品、医疗器械的功效和安全性或者其他医疗机构比较；"),
    rule("ad16_1_4_endorser", "药品、医疗器械广告：利用代言人推荐、证明", 16, 1, 4, product_types=MEDICAL_TYPES,
         patterns=p.ENDORSEMENT_PATTERNS,
         explanation="药品、医疗器械广告不得利用广告代言人作推荐、证明：“{match}”。",
         severity="high", quote="第十六条 …（四）利用广告代言人作推荐、证明；"),
    rule("ad16_2_drug_warning", "药品广告未标明忠告语", 16, 2, None, product_types=[DRUG], kind=REQUIRED,
         patterns=["本广告仅供医学药学专业人士阅读", "请按药品说明书或者在药师指导下购买和使用",
                   "请按药品说明书或在药师指导下购买和使用"],
         explanation="药品广告应当显著标明“本广告仅供医学药学专业人士阅读”（处方药）或者"
                     "“请按药品说明书或者在药师指导下购买和使用”（非处方药），本广告未见。",
         severity="medium", quote="第十六条第二款 …处方药广告应当显著标明“本广告仅供医学药学专业人士阅读”，"
                                  "非处方药广告应当显著标明“请按药品说明书或者在药师指导下购买和使用”。"),
    rule("ad16_2_contraindications", "药品广告未标明禁忌、不良反应", 16, 2, None, product_types=[DRUG],
         kind=REQUIRED, patterns=["禁忌", "不良反应"],
         explanation="药品广告应当显著标明禁忌、不良反应，本广告未见。",
         severity="low", quote="第十六条第二款 药品广告的内容不得与国务院药品监督管理部门批准的说明书不一致，"
                               "并应当显著标明禁忌、不良反应。"),
    rule("ad16_3_device_warning", "医疗器械广告未标明忠告语", 16, 3, None, product_types=[MEDICAL_DEVICE],
         kind=REQUIRED,
         patterns=["请仔细阅读产品说明书或者在医务人员的指导下购买和使用",
                   "请仔细阅读产品说明书或在医务人员的指导下购买和使用",
                   "请仔细阅读产品说明书或者在医务人员指导下购买和使用"],
         explanation="推荐给个人自用的医疗器械的广告应当显著标明“请仔细阅读产品说明书或者在医务人员的指导下购买和使用”，"
                     "本广告未见。",
         severity="medium", quote="第十六条第三款 推荐给个人自用的医疗器械的广告，应当显著标明"
                                  "“请仔细阅读产品说明书或者在医务人员的指导下购买和使用”。"),
    rule("ad17_disease_treatment", "非医药广告涉及疾病治疗功能", 17, None, None, product_types=NON_MEDICAL_TYPES,
         patterns=p.DISEASE_CLAIM_REGEXES + p.DISEASE_CLAIM_PHRASES + p.DRUG_REPLACEMENT_PHRASES,
         explanation="除医疗、药品、医疗器械广告外，其他广告不得涉及疾病治疗功能：“{match}”。"
                     "",
         severity="high", quote="第十七条 除医疗、药品、医疗器械广告外，禁止其他任何广告涉及疾病治疗功能，"
                                "并不得使用医疗用语或者易使推销的商品与药品、医疗器械相混淆的用语。"),
    rule("ad17_medical_terms", "非医药广告使用医疗用语", 17, None, None,
         product_types=NON_MEDICAL_TYPES + [HEALTH_FOOD],
         patterns=["疗效", "疗程", "药效", "主治", "功能主治", "临床验证", "临床试验", "临床证明", "祖传秘方", "秘方",
                   "偏方", "处方", "药用价值", "医用级", "杀菌", "抗菌", "抗病毒", "解毒", "排毒", "标本兼治"],
         exception_patterns=["非处方"],
         explanation="除医疗、药品、医疗器械广告外，广告不得使用医疗用语或者易与药品、医疗器械相混淆的用语：“{match}”。",
         severity="medium", quote="第十七条 …并不得使用医疗用语或者易使推销的商品与药品、医疗器械相混淆的用语。"),
    rule("ad18_1_1_efficacy_assertion", "保健食品广告：功效、安全性的断言或保证", 18, 1, 1,
         product_types=[HEALTH_FOOD],
         patterns=p.EFFICACY_ASSERTION_PHRASES + (p.EFFICACY_TIME_REGEX,) + p.CURE_RATE_PATTERNS,
         explanation="保健食品广告不得含有表示功效、安全性的断言或者保证：“{match}”。",
         severity="high", quote="第十八条 保健食品广告不得含有下列内容：（一）表示功效、安全性的断言或者保证；"),
    rule("ad18_1_2_disease_claims", "保健食品广告：涉及疾病预防、治疗功能", 18, 1, 2, product_types=[HEALTH_FOOD],
         patterns=p.DISEASE_CLAIM_REGEXES + p.DISEASE_CLAIM_PHRASES,
         # The registered health functions read like this and are lawful for a health food.
         exception_patterns=["辅助降血糖", "辅助降血脂", "辅助降血压", "辅助降低血糖", "辅助降低血脂", "辅助降低血压"],
         explanation="保健食品广告不得涉及疾病预防、治疗功能：“{match}”。",
         severity="high", quote="第十八条 …（二）涉及疾病预防、治疗功能；"),
    rule("ad18_1_3_health_necessity", "保健食品广告：声称为保障健康所必需", 18, 1, 3, product_types=[HEALTH_FOOD],
         patterns=["健康必备", "每天必备", "人人必备", "家庭必备", "居家必备", "中老年必备", "中老年人必备", "老年人必备",
                   "必备良品", "生命必需", "健康必需", "必需品", "不可缺少", "不可或缺", "离不开它", "必须每天吃",
                   "每天都要吃", "缺了它"],
         explanation="保健食品广告不得声称或者暗示广告商品为保障健康所必需：“{match}”。",
         severity="medium", quote="第十八条 …（三）声称或者暗示广告商品为保障健康所必需；"),
    rule("ad18_1_4_comparison", "保健食品广告：与药品、其他保健食品比较", 18, 1, 4, product_types=[HEALTH_FOOD],
         patterns=p.DRUG_REPLACEMENT_PHRASES + (p.DRUG_COMPARISON_REGEX,),
         explanation="保健食品广告不得与药品、其他保健食品进行比较：“{match}”。",
         severity="high", quote="第十八条 …（四）与药品、其他保健食品进行比较；"),
    rule("ad18_1_5_endorser", "保健食品广告：利用代言人推荐、证明", 18, 1, 5, product_types=[HEALTH_FOOD],
         patterns=p.ENDORSEMENT_PATTERNS,
         explanation="保健食品广告不得利用广告代言人作推荐、证明：“{match}”。",
         severity="high", quote="第十八条 …（五）利用广告代言人作推荐、证明；"),
    rule("ad18_2_warning", "保健食品广告未标明“本品不能代替药物”", 18, 2, None, product_types=[HEALTH_FOOD],
         kind=REQUIRED, patterns=["本品不能代替药物"],
         explanation="保健食品广告应当显著标明“本品不能代替药物”，本广告未见。",
         severity="medium", quote="第十八条第二款 保健食品广告应当显著标明“本品不能代替药物”。"),
    rule("ad19_disguised_health_knowledge", "以介绍健康、养生知识形式变相发布广告", 19, None, None,
         product_types=REVIEWED_TYPES,
         patterns=["健康讲座", "养生讲座", "健康知识讲座", "养生知识", "健康知识", "健康科普", "养生课堂", "健康课堂",
                   "专家讲座", "专家义诊", "免费义诊", "义诊", "健康咨询会", "养生节目", "健康节目"],
         # Only where the same text sells: a hotline, an order, a price.
         context_patterns=["订购热线", "订购电话", "购买热线", "拨打", "扫码下单", "扫码购买", "立即下单", "现在下单",
                           "马上订购", "限时优惠", "特价", "原价", "现价", "仅需", "抢购", "货到付款",
                           r"re:\d{1,7}元"],
         explanation="不得以介绍健康、养生知识等形式变相发布医疗、药品、医疗器械、保健食品广告：“{match}”与销售信息同时出现。",
         severity="medium", quote="第十九条 广播电台、电视台、报刊音像出版单位、互联网信息服务提供者不得以介绍健康、"
                                  "养生知识等形式变相发布医疗、药品、医疗器械、保健食品广告。"),
    rule("ad25_risk_warning", "投资回报类广告未提示风险", 25, None, None, product_types=[], kind=REQUIRED,
         patterns=["投资有风险", "风险提示", "风险自担", "存在风险", "谨慎投资", "注意风险", "理财有风险", "可能亏损",
                   "可能损失本金", "不保本"],
         context_patterns=p.INVESTMENT_CONTEXT,
         explanation="招商等有投资回报预期的商品或者服务广告，应当对可能存在的风险以及风险责任承担有合理提示或者警示，本广告未见。",
         severity="medium", quote="第二十五条 招商等有投资回报预期的商品或者服务广告，应当对可能存在的风险以及风险责任承担"
                                  "有合理提示或者警示…"),
    rule("ad25_1_guaranteed_returns", "投资回报类广告：保本、无风险、保收益承诺", 25, None, 1, product_types=[],
         patterns=["保本", "保息", "保收益", "保底收益", "无风险", "零风险", "没有风险", "稳赚", "只赚不赔", "包赚",
                   "躺赚", "旱涝保收", "保证收益", "确保收益", "收益有保障", "本金安全", "本金无忧", "到期还本付息",
                   "一本万利",
                   r"re:(?:承诺|保证|确保|固定|稳定|保底|稳拿|每月|每年|每季度|按月|按年)[^,、。!?;\n]{0,6}?(?:年化|月化)?"
                   r"(?:收益|回报|利息|返利|分红|返还|利率)率?[^,、。!?;\n\d]{0,4}?\d{1,6}(?:\.\d{1,4})?%",
                   r"re:(?:年化|月化)(?:收益|回报|利率)?率?[^,、。!?;\n\d]{0,4}?\d{1,6}(?:\.\d{1,4})?%",
                   r"re:\d{1,6}(?:\.\d{1,4})?%的?(?:固定|保底)(?:收益|回报|利息)"],
         context_patterns=p.INVESTMENT_CONTEXT,
         explanation="投资回报类广告不得对未来收益作出保证性承诺，明示或者暗示保本、无风险或者保收益：“{match}”。",
         severity="high", quote="第二十五条 …（一）对未来效果、收益或者与其相关的情况作出保证性承诺，明示或者暗示保本、"
                                "无风险或者保收益等，国家另有规定的除外；"),
    rule("ad25_2_endorsement", "投资回报类广告：利用专业人士、受益者推荐、证明", 25, None, 2, product_types=[],
         patterns=[r"re:(?:专家|教授|学者|研究院|研究所|学会|协会|商会|经济学家|理财师|老会员|会员|受益人|投资人|老人|大爷|"
                   r"大妈|阿姨)[^,、。!?;\n]{0,6}?(?:推荐|力荐|见证|证明|现身说法|(?:已经?)?(?:拿到|领到|获得)了?(?:收益|分红|回报|利息))",
                   "现身说法"],
         context_patterns=p.INVESTMENT_CONTEXT,
         explanation="投资回报类广告不得利用学术机构、行业协会、专业人士、受益者的名义或者形象作推荐、证明：“{match}”。",
         severity="medium", quote="第二十五条 …（二）利用学术机构、行业协会、专业人士、受益者的名义或者形象作推荐、证明。"),
    rule("ad28_2_3_unverifiable_evidence", "使用虚构或无法验证的研究、认证作证明", 28, 2, 3, product_types=[],
         patterns=[r"re:(?:诺贝尔奖?(?:得主|获得者)?|美国FDA|FDA|美国食品药品管理局|国际权威(?:机构|组织)?|世界卫生组织|WHO|"
                   r"哈佛(?:大学)?|NASA|美国宇航局|宇航员|航天员|权威(?:机构|专家|研究))[^,、。!?;\n]{0,8}?"
                   r"(?:认证|认可|证明|研发|发明|推荐|验证|指定|专用|证实)"],
         explanation="广告使用虚构、伪造或者无法验证的科研成果、认证等作证明材料，构成虚假广告：“{match}”。",
         severity="medium", quote="第二十八条第二款 …（三）使用虚构、伪造或者无法验证的科研成果、统计资料、调查结果、文摘、"
                                  "引用语等信息作证明材料的；"),
    rule("ad28_2_4_invented_effects", "虚构使用商品的效果", 28, 2, 4,
         product_types=[HEALTH_FOOD, ORDINARY_FOOD, MEDICAL_DEVICE, ELDER_SERVICE, OTHER],
         patterns=p.TESTIMONIAL_EFFECT_REGEXES,
         explanation="广告以使用者经历描述商品不可能具有的疗效，属于虚构使用商品的效果，构成虚假广告：“{match}”。",
         severity="high", quote="第二十八条第二款 …（四）虚构使用商品或者接受服务的效果的；"),
    rule("ad38_1_endorser_duty", "代言人为依法不得代言的商品作推荐、证明", 38, 1, None, product_types=REVIEWED_TYPES,
         patterns=p.ENDORSEMENT_PATTERNS,
         explanation="广告代言人作推荐、证明应当符合本法规定；药品、医疗器械、保健食品广告依法不得利用代言人，"
                     "代言人“{match}”的推荐、证明违反本款（对代言人依第61条处罚）。",
         severity="medium", quote="第三十八条 广告代言人在广告中对商品、服务作推荐、证明，应当依据事实，符合本法和有关法律、"
                                  "行政法规规定，并不得为其未使用过的商品或者未接受过的服务作推荐、证明。"),
    rule("ad38_2_child_endorser", "利用不满十周岁的未成年人作代言人", 38, 2, None, product_types=[],
         patterns=[r"re:(?<![\d十])(?:[1-9]|[一二三四五六七八九])岁的?(?:小朋友|孩子|宝宝|童星|小童星|小演员|小代言人)?"
                   r"[^,、。!?;\n]{0,6}?(?:推荐|代言|证明|说好|都爱)", "小小代言人"],
         explanation="不得利用不满十周岁的未成年人作为广告代言人：“{match}”。",
         severity="medium", quote="第三十八条第二款 不得利用不满十周岁的未成年人作为广告代言人。"),
    rule("ad46_review_number_missing", "未见广告批准文号", 46, None, None, product_types=REVIEWED_TYPES,
         kind=REQUIRED, patterns=[p.AD_REVIEW_NUMBER],
         explanation="药品、医疗器械、保健食品广告应当在发布前经广告审查机关审查，本广告未见广告批准文号。"
                     "仅凭广告文字无法判断是否经过审查，请核实。",
         severity="low", quote="第四十六条 发布医疗、药品、医疗器械、农药、兽药和保健食品广告…应当在发布前由有关部门"
                               "（以下称广告审查机关）对广告内容进行审查；未经审查，不得发布。"),
    rule("ad46_number_malformed", "批准文号格式不符", 46, None, None, product_types=[],
         patterns=p.NUMBER_CANDIDATES, exception_patterns=p.VALID_NUMBER_FORMATS,
         negation_applies=False, quotation_applies=False,
         explanation="批准文号“{match}”格式不符（应如 国药准字H20051234、国食健注G20150123、卫食健字(2000)第0123号、"
                     "国械注准20153120123、蒙药广审(文)第250101-00001号），无法与审查批准文件对应，请核实广告是否经过审查。",
         severity="medium", quote="第四十六条 …未经审查，不得发布。"),
)
