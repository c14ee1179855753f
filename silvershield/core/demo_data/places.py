"""Chifeng's county-level divisions (DOMAIN.md C.10) with the towns, streets and roads the demo uses.

The town and street (乡镇、街道、苏木) names are the real ones of each division; the bureau short names
are the document prefixes each bureau puts on its numbers (红市监, 松市监, …). Station counts share out
Chifeng's 232 consumer-association stations (DOMAIN.md Part A, measure 1) roughly by population.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "150400"
CITY_BUREAU_NAME = "赤峰市市场监督管理局"
CITY_SHORT_NAME = "赤市监"


@dataclass(frozen=True)
class County:
    code: str
    name: str
    slug: str  # used in demo usernames: hongshan_legal
    bureau_name: str
    short_name: str
    stations: int
    towns: tuple[str, ...]
    roads: tuple[str, ...]


_CITY_ROADS = (
    "昭乌达路",
    "钢铁街",
    "哈达街",
    "三中街",
    "长青街",
    "新华路",
    "清河路",
    "临潢大街",
    "玉龙大街",
    "富河街",
    "全宁路",
    "松山街",
    "天义路",
    "西拉沐沦大街",
    "林东路",
    "桥北大街",
    "宝山路",
    "云杉路",
)
_TOWN_ROADS = (
    "人民路",
    "新华街",
    "解放路",
    "建设路",
    "团结路",
    "胜利街",
    "文化路",
    "民族街",
    "友谊路",
    "迎宾路",
)

COUNTIES: tuple[County, ...] = (
    County(
        "150402",
        "红山区",
        "hongshan",
        "赤峰市红山区市场监督管理局",
        "红市监",
        30,
        (
            "西屯街道",
            "永巨街道",
            "三中街街道",
            "长青街道",
            "哈达街道",
            "站前街道",
            "铁南街道",
            "南新街街道",
            "桥北街道",
            "东城街道",
            "红庙子镇",
            "文钟镇",
        ),
        _CITY_ROADS,
    ),
    County(
        "150403",
        "元宝山区",
        "yuanbaoshan",
        "赤峰市元宝山区市场监督管理局",
        "元市监",
        20,
        ("平庄镇", "元宝山镇", "风水沟镇", "美丽河镇", "五家镇", "小五家回族乡", "西露天街道", "马林街道"),
        ("平庄大街", "元宝山路", "发电厂路", *_TOWN_ROADS[:6]),
    ),
    County(
        "150404",
        "松山区",
        "songshan",
        "赤峰市松山区市场监督管理局",
        "松市监",
        32,
        (
            "振兴街道",
            "向阳街道",
            "铁东街道",
            "全宁街道",
            "松州街道",
            "兴安街道",
            "穆家营子镇",
            "初头朗镇",
            "大庙镇",
            "王府镇",
            "老府镇",
            "太平地镇",
            "安庆镇",
            "当铺地满族乡",
            "夏家店乡",
        ),
        _CITY_ROADS,
    ),
    County(
        "150421",
        "阿鲁科尔沁旗",
        "alukeerqin",
        "阿鲁科尔沁旗市场监督管理局",
        "阿旗市监",
        18,
        ("天山镇", "天山口镇", "双胜镇", "坤都镇", "绍根镇", "巴彦花镇", "扎嘎斯台镇", "罕苏木苏木"),
        ("罕山路", "天山大街", *_TOWN_ROADS[:6]),
    ),
    County(
        "150422",
        "巴林左旗",
        "balinzuo",
        "巴林左旗市场监督管理局",
        "左旗市监",
        14,
        ("林东镇", "隆昌镇", "十三敖包镇", "碧流台镇", "富河镇", "白音勿拉镇", "哈拉哈达镇", "乌兰达坝苏木"),
        ("契丹大街", "上京路", *_TOWN_ROADS[:6]),
    ),
    County(
        "150423",
        "巴林右旗",
        "balinyou",
        "巴林右旗市场监督管理局",
        "右旗市监",
        12,
        ("大板镇", "索博日嘎镇", "宝日勿苏镇", "查干沐沦镇", "幸福之路苏木", "巴彦塔拉苏木", "西拉沐沦苏木"),
        ("罕山街", "巴林路", *_TOWN_ROADS[:6]),
    ),
    County(
        "150424",
        "林西县",
        "linxi",
        "林西县市场监督管理局",
        "林市监",
        14,
        ("林西镇", "新城子镇", "新林镇", "五十家子镇", "官地镇", "大井镇", "统部镇", "大营子乡"),
        ("大井路", "林西大街", *_TOWN_ROADS[:6]),
    ),
    County(
        "150425",
        "克什克腾旗",
        "keshiketeng",
        "克什克腾旗市场监督管理局",
        "克旗市监",
        14,
        ("经棚镇", "宇宙地镇", "土城子镇", "同兴镇", "万合永镇", "芝瑞镇", "达来诺日镇", "达日罕乌拉苏木"),
        ("应昌街", "热水路", *_TOWN_ROADS[:6]),
    ),
    County(
        "150426",
        "翁牛特旗",
        "wengniute",
        "翁牛特旗市场监督管理局",
        "翁旗市监",
        18,
        (
            "乌丹镇",
            "乌敦套海镇",
            "五分地镇",
            "桥头镇",
            "广德公镇",
            "梧桐花镇",
            "海拉苏镇",
            "亿合公镇",
            "新苏莫苏木",
        ),
        ("玉龙街", "全宁街", *_TOWN_ROADS[:6]),
    ),
    County(
        "150428",
        "喀喇沁旗",
        "kalaqin",
        "喀喇沁旗市场监督管理局",
        "喀旗市监",
        16,
        ("锦山镇", "美林镇", "王爷府镇", "小牛群镇", "牛家营子镇", "乃林镇", "西桥镇", "河南街道"),
        ("锦山大街", "龙山路", *_TOWN_ROADS[:6]),
    ),
    County(
        "150429",
        "宁城县",
        "ningcheng",
        "宁城县市场监督管理局",
        "宁市监",
        24,
        ("天义镇", "八里罕镇", "汐子镇", "大城子镇", "忙农镇", "小城子镇", "大明镇", "五化镇"),
        ("中京大街", "铁东路", "老哈河路", *_TOWN_ROADS[:6]),
    ),
    County(
        "150430",
        "敖汉旗",
        "aohan",
        "敖汉旗市场监督管理局",
        "敖旗市监",
        20,
        (
            "新惠镇",
            "四家子镇",
            "长胜镇",
            "贝子府镇",
            "古鲁板蒿镇",
            "四道湾子镇",
            "下洼镇",
            "金厂沟梁镇",
            "宝国吐乡",
        ),
        ("新惠大街", "兴隆洼路", *_TOWN_ROADS[:6]),
    ),
)

COUNTY_BY_CODE = {c.code: c for c in COUNTIES}
COUNTY_BY_SLUG = {c.slug: c for c in COUNTIES}

# Where leads come from: the two central districts carry most of the city's population and trade.
LEAD_WEIGHT_BY_DIVISION = {
    "150402": 18,
    "150404": 18,
    "150403": 8,
    "150429": 8,
    "150430": 7,
    "150426": 7,
    "150428": 6,
    "150421": 5,
    "150422": 5,
    "150424": 5,
    "150425": 5,
    "150423": 4,
}


def town_stem(town: str) -> str:
    """西屯街道 → 西屯, 红庙子镇 → 红庙子: the part used in institute and community names."""
    for suffix in ("街道", "回族乡", "满族乡", "苏木", "镇", "乡"):
        if town.endswith(suffix) and len(town) > len(suffix):
            return town[: -len(suffix)]
    return town


def institute_groups(county: County) -> list[tuple[str, ...]]:
    """The towns each market supervision institute (市场监管所) covers: one institute per two or three."""
    towns = list(county.towns)
    size = 3 if len(towns) >= 12 else 2
    return [tuple(towns[i : i + size]) for i in range(0, len(towns), size)]
