"""Phrase lists and regexes shared by several rules of the default rulebook.

Several articles forbid the same words in different kinds of ad (a cure claim is 广告法 Art. 17 in a food
ad, Art. 18(1)(2) in a health-food ad and 食品安全法 Art. 73(1) in both), so the words live here once.
Regexes ("re:" prefix) run on the half-width form of the text: "（" has become "(", "％" "%", "，" ",".
Where the enforcement cases they come from are described, see ads/data/README.md.
"""

from __future__ import annotations

# Characters that end a clause, for "within the same clause" windows in regexes.
_NB = r"[^,、。!?;\n]"

DISEASES = (
    "糖尿病|高血压|高血脂|高血糖|血脂异常|冠心病|心脏病|心绞痛|心肌梗死|心肌梗塞|心梗|脑梗塞|脑梗|脑血栓|脑中风|中风|偏瘫|"
    "动脉粥样硬化|动脉硬化|血栓|心脑血管疾病|心脑血管病|心血管病|三高|癌症|白血病|肿瘤|癌|关节炎|类风湿|风湿病|风湿|"
    "骨质增生|骨质疏松|颈椎病|腰椎病|腰椎间盘突出|椎间盘突出|骨刺|痛风|失眠症|失眠|老年痴呆|阿尔茨海默病|帕金森病|帕金森|"
    "白内障|青光眼|黄斑变性|前列腺炎|前列腺增生|前列腺肥大|肾衰竭|肾病|尿毒症|肝硬化|乙肝|脂肪肝|胃溃疡|胃炎|胃病|便秘|"
    "哮喘|支气管炎|慢阻肺|肺气肿|静脉曲张|甲状腺结节|乳腺增生|结节|湿疹|牛皮癣|银屑病|耳鸣|耳聋|抑郁症|贫血|慢性病|"
    "疑难杂症|各种疾病|百病|疾病"
)

# "治疗糖尿病", "预防心脑血管疾病", "告别三高"; "糖尿病可以根治", "高血压患者的福音".
DISEASE_CLAIM_REGEXES = (
    rf"re:(?:治疗|治愈|根治|医治|治好|主治|专治|防治|预防|逆转|消除|清除|溶解|对抗|抗击|远离|告别|摆脱|改善|缓解|调理|降低|控制)"
    rf"{_NB}{{0,6}}?(?:{DISEASES})",
    rf"re:(?:{DISEASES}){_NB}{{0,4}}?(?:得到|可以|能够|能|就|都|全部)?(?:根治|治愈|痊愈|逆转|治好|断根|除根|全好了|好了|消失了?|没了|不见了|消除)",
    rf"re:(?:{DISEASES})(?:患者|病人|病友|人|友)?的?(?:福音|克星|救星)",
)

DISEASE_CLAIM_PHRASES = (
    "降血糖", "降血压", "降血脂", "降三高", "降尿酸", "降糖", "降压", "降脂", "抗癌", "防癌", "抗肿瘤", "抑制肿瘤",
    "溶血栓", "溶解血栓", "疏通血管", "软化血管", "清理血管", "清除血管垃圾", "修复胰岛", "激活胰岛", "包治百病",
    "药到病除", "活血化瘀", "补肾壮阳", "壮阳", "消炎", "杀菌消炎",
)

# Phrases saying the product takes the place of medicine: for a health food a comparison with drugs
# (广告法 Art. 18(1)(4)); for an ordinary food a treatment claim (Art. 17).
DRUG_REPLACEMENT_PHRASES = (
    "代替药物", "替代药物", "取代药物", "可以停药", "停药", "不用吃药", "告别药物", "告别药罐子", "比药还",
    "胜过药物", "胜似良药", "以食代药", "代替降压药", "代替降糖药", "替代胰岛素", "摆脱胰岛素", "告别胰岛素",
)
DRUG_COMPARISON_REGEX = (
    rf"re:(?:比|优于|胜过|超过|强于|好于|赛过|相当于|等同于|媲美){_NB}{{0,6}}?"
    r"(?:药品|药物|西药|中药|降压药|降糖药|降脂药|胰岛素|其他保健品|同类保健品|其他产品|同类产品)"
)

# Assertions and guarantees of effect or safety (广告法 Arts. 16(1)(1), 18(1)(1)).
EFFICACY_ASSERTION_PHRASES = (
    "根治", "断根", "除根", "药到病除", "立竿见影", "一次见效", "一次根治", "彻底治愈", "保证治愈", "包治", "包好",
    "永不复发", "不再复发", "无效退款", "无效全额退款", "不见效退款", "无毒副作用", "无副作用", "无任何副作用",
    "零副作用", "没有副作用", "没有任何副作用", "绝对安全", "安全无毒", "百分百有效", "100%有效", "保证有效",
    "神效", "奇效", "特效", "神药", "灵丹妙药", "一用就灵", "立即见效", "马上见效", "当天见效", "服用即愈",
)
EFFICACY_TIME_REGEX = (
    r"re:[一二两三四五六七八九十半几\d]{1,4}个?(?:天|日|周|星期|月|疗程)内?(?:就|即可|即|便|可|必)?"
    r"(?:见效|痊愈|治愈|根治|除根|断根|恢复正常)"
)

# Cure and effective rates (广告法 Art. 16(1)(2); for health food an efficacy assertion, Art. 18(1)(1)).
CURE_RATE_PATTERNS = (
    rf"re:(?:治愈|有效|显效|好转|康复|痊愈|根治|治疗成功)率(?:{_NB}{{0,4}}?\d{1,6}(?:\.\d{1,4})?%)?",
    rf"re:\d{1,6}(?:\.\d{1,4})?%(?:的)?{_NB}{{0,6}}?(?:有效|治愈|康复|痊愈|见效|好转)",
)

# Invented effects told as a user's story (广告法 Art. 28(2)(4)): "服用三个月，血糖恢复正常".
TESTIMONIAL_EFFECT_REGEXES = (
    r"re:(?:服用|吃了|喝了|用了|使用了?|坚持(?:服用|吃|喝|用)|戴了|睡了|泡了)[^。!?;\n]{0,6}?"
    r"[一二两三四五六七八九十半几\d]{1,4}个?(?:天|周|星期|月|年|疗程|盒|瓶)[^。!?;\n]{0,16}?"
    r"(?:恢复正常|降下来了?|降到正常|正常了|好了|消失了?|痊愈|没了|治好|断根|除根|不疼了|不痛了|停药|停了药|"
    r"扔掉了?拐杖|下地走路|溶解|缩小|不见了|全好了)",
    r"re:扔掉了?(?:拐杖|药瓶|药罐子|胰岛素)",
)

# Endorsers and testimonials (广告法 Arts. 16(1)(4), 18(1)(5), 38(1)).
ENDORSEMENT_PATTERNS = (
    rf"re:(?:专家|教授|医生|名医|院士|主任医师|博士|老中医|国医大师|明星|演员|主持人|歌星|影星|笑星|冠军|代言人|名人)"
    rf"{_NB}{{0,4}}?(?:推荐|力荐|倾情推荐|极力推荐|代言|证明|亲测|都在用|首选|见证|担保|认可)",
    "现身说法", "患者证言", "用户证言", "患者见证", "亲身见证", "真实见证", "明星同款",
)

# Absolute terms (广告法 Art. 9(3)) and the everyday uses of 最好/最佳 that are not claims.
ABSOLUTE_TERMS = (
    "国家级", "最高级", "最佳", "最好的", "最优", "最先进", "最有效", "最安全", "最权威", "最高效", "最强", "最低价",
    "顶级", "极品", "第一品牌", "销量第一", "全国第一", "行业第一", "排名第一", "世界第一", "全球第一", "唯一",
    "独一无二", "史无前例", "绝无仅有", "万能", "首选", "世界领先", "国际领先", "全球领先", "顶尖", "至尊", "王牌",
    "全网最低", "最便宜", "最受欢迎", "NO.1", "No.1", "no.1",
)
ABSOLUTE_EFFICACY_TERMS = ("疗效最好", "效果最好", "疗效最佳", "效果最佳", "见效最快")
ABSOLUTE_EXCEPTIONS = (
    "最好在", "最好于", "最好不要", "最好遵医嘱", "最好咨询", "最佳赏味期", "最佳食用期", "最佳饮用期", "最佳品尝期",
)

# Words that make an ad one for a product with an expected investment return (广告法 Art. 25).
INVESTMENT_CONTEXT = (
    "年化", "投资回报", "回报率", "收益率", "分红", "返利", "月息", "年息", "入股", "认购", "理财", "投资项目",
    "投资收益", "投资者", "投资人", "高额回报", "固定回报", "固定收益", "养老项目", "原始股", "股权", "众筹",
)

PROVINCES = "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"

# Valid formats of the approval numbers an ad shows (on the half-width text).
AD_REVIEW_NUMBER = (
    rf"re:(?:\({PROVINCES}\)|{PROVINCES})(?:药|械|医械|食健|特医食?)广审\((?:视|声|文)\)第(?:\d{{6}}-\d{{5}}|\d{{10}})号"
)
VALID_NUMBER_FORMATS = (
    AD_REVIEW_NUMBER,
    r"re:国药准字\s?[HZSJBTF]\d{8}(?!\d)",
    r"re:国食健[注字]\s?[GJ]\d{8}(?!\d)",
    r"re:食健备\s?[GJ]\d{12}(?!\d)",
    r"re:卫食健进?字[\(〔\[]\d{4}[\)〕\]]第\d{3,4}号",
    r"re:国械注[准进许]\s?\d{11}(?!\d)",
    rf"re:{PROVINCES}械注准\s?\d{{11}}(?!\d)",
    rf"re:{PROVINCES}[\u4e00-\u9fff]?械备\s?\d{{8}}号?(?!\d)",
    rf"re:\({PROVINCES}\)医广[【\[]\d{{4}}[】\]]第[\d-]{{4,14}}号",
)
# Anything that looks like one of those numbers, from its prefix to where the number's characters end.
NUMBER_CANDIDATES = (
    # Without the province in front: a valid number's span (with its province) then covers the candidate,
    # and the regex does not have to try an optional prefix at every position of the text.
    r"re:(?:药|械|医械|食健|特医食?)广审[()视声文第\d\-号]{0,24}",
    r"re:国药准字\s?[A-Za-z0-9]{0,20}",
    r"re:国食健[注字]\s?[A-Za-z0-9]{0,20}",
    r"re:食健备\s?[A-Za-z0-9]{0,20}",
    r"re:卫食健进?字[()〔〕\[\]\d第号]{0,20}",
    rf"re:(?:国|{PROVINCES}[\u4e00-\u9fff]?)械(?:注[准进许]|备)\s?[A-Za-z0-9号]{0,20}",
    rf"re:\(?{PROVINCES}\)?医广[【】\[\]\d第号\-]{0,24}",
)
