"""People's names, phone numbers and ID numbers for the demo, drawn from a seeded random.Random.

Surnames follow their rough frequency in northern China; about one person in twelve carries a Mongolian
given name, as is common in Chifeng's banners. Phone numbers use mobile prefixes that the phone check
(core.identifiers.validate_phone) accepts and Chifeng's 0476 area code; ID numbers carry a valid GB 11643
check digit and a Chifeng division code, so they pass the same checks an officer's entry does. Only
reporters born after 1993 get one: python-stdnum's `cn.ric` rejects Chifeng codes for people born before
the code existed (1983; 1993 for 松山区), which real elderly people's IDs do carry.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric

_SURNAMES = (
    "王王王李李李张张张刘刘刘陈陈杨杨赵赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹"
    "易常武乔贺赖龚文包敖鲍宁齐"
)
_GIVEN_CHARS = (
    "淑桂秀玉兰凤英华珍芳丽敏静霞红梅燕娟艳颖雪琳婷晶丹慧建国军伟强磊明永志海平东亮刚林文福德宝成庆春"
    "生金山胜利军民忠振兴宏亚杰涛斌波辉鹏飞龙浩宇博轩子晨阳佳欣悦睿思雨萱彤瑞泽嘉铭"
)
_MONGOLIAN_GIVEN = (
    "巴特尔",
    "其木格",
    "乌日娜",
    "斯琴",
    "额尔敦",
    "苏和",
    "娜仁",
    "宝音",
    "那顺",
    "萨仁",
    "朝鲁",
    "图雅",
    "阿拉坦",
    "乌力吉",
    "哈斯",
    "特古斯",
    "满都拉",
    "敖日格乐",
)
_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "177",
    "199",
)


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.08:
        given = rng.choice(_MONGOLIAN_GIVEN)
        return given if rng.random() < 0.4 else rng.choice("包白吴韩敖鲍") + given
    surname = rng.choice(_SURNAMES)
    length = 1 if rng.random() < 0.35 else 2
    return surname + "".join(rng.choice(_GIVEN_CHARS) for _ in range(length))


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline_phone(rng: random.Random) -> str:
    return f"0476-{rng.choice('2345678')}{rng.randrange(10**6):06d}"


def id_number(rng: random.Random, *, division_code: str, on: date) -> str:
    """A resident ID number with a valid check digit, of a person aged 25 to 32 from the division."""
    born = on - timedelta(days=rng.randrange(25 * 365, 32 * 365))
    body = f"{division_code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    # calc_check_digit expects the full 18 characters and ignores the last one.
    return body + ric.calc_check_digit(body + "0")
