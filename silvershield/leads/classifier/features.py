"""Turning a lead's text into features: character n-grams plus a few hand-written cue groups.

Character bigrams and trigrams need no word segmentation, which matters for Chinese: the words that
decide a category (以房养老, 补缴, 返租, 保健品) are short, and a segmenter's dictionary would split new
scheme names (候鸟式养老, 旅居养老卡) unpredictably. The cue groups below add what a screening officer
looks for first; the model learns how much each one weighs, so a cue that misleads simply gets a small
weight. Every feature has a readable name, so the weights file can be inspected by a person.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Cue groups: phrases an officer reads as pointing to one kind of scheme (DOMAIN.md Part A and C.6).
# They are evidence, not rules — the trained weights decide. Keep each list short and specific.
# Written as space-separated phrases so each list reads as a line an officer can check.
_CUE_PHRASES: dict[str, str] = {
    "elderly": (
        "老人 老年 岁 父亲 母亲 奶奶 爷爷 外婆 姥姥 岳母 岳父 退休 独居 空巢 高龄 中老年 老兵 老干部"
    ),
    "care_institution": (
        "养老院 养老机构 养老公寓 老年公寓 护理院 颐养院 托养 照料中心 养老驿站 床位 "
        "入住 护理 陪护 幸福院 医养"
    ),
    "prepaid": "会员卡 预付 预存 预交 押金 保证金 储值 年卡 充值 年费 会员费",
    "returns": (
        "收益 回报 分红 返利 返租 年化 利息 月息 日息 保本 股权 入股 认购 份额 翻倍 集资 众筹 理财 兑付 上市"
    ),
    "health_claims": (
        "保健品 保健食品 讲座 讲课 听课 专家 义诊 理疗 治疗 根治 降压 降糖 三高 血压 "
        "血糖 糖尿病 功效 胶囊 口服液 免费鸡蛋 体验店 疗程 治愈 批准文号 注册证"
    ),
    "house": "以房养老 房产 房本 房子 房屋 抵押 过户 公证 委托书 住房",
    "pension_insurance": "养老保险 社保 补缴 代办 退休金 养老金 工龄 参保 年金 人社 提前退休 待遇",
    "assistance": (
        "补贴 补助 慰问 帮扶 扶贫 救助 津贴 民政 老龄 慈善 公益 爱心 激活费 手续费 领取 冒充 冒用"
    ),
    "ordinary_dispute": (
        "退货 退款 换货 维修 售后 过期 保质期 质量问题 网购 外卖 快递 手机 消费者 赔偿 十倍 假货 商家"
    ),
}
CUE_GROUPS: dict[str, tuple[str, ...]] = {group: tuple(text.split()) for group, text in _CUE_PHRASES.items()}

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


def normalize_text(*, text: str) -> str:
    """Fold full-width forms (NFKC), lower-case Latin letters, write every number as one "0", drop spaces.

    Amounts and dates vary from lead to lead and carry no category by themselves; folding them keeps the
    vocabulary small and lets "交0元" match across leads.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _DIGITS.sub("0", folded)
    return _SPACE.sub("", folded)


def extract_features(*, text: str) -> dict[str, float]:
    """The L2-normalised binary feature vector of one text, as {feature name: value}.

    Names: "c2:以房" for a character bigram, "c3:以房养" for a trigram, "cue:house" for a cue group.
    Binary presence (not counts) because lead summaries are short and repetition is style, not evidence.
    """
    names = {name if name.startswith("cue:") else f"c{len(name)}:{name}" for name in plain_features(text=text)}
    if not names:
        return {}
    value = 1.0 / math.sqrt(len(names))
    return {name: value for name in names}


def plain_features(*, text: str) -> set[str]:
    """The same features without their prefixes: the bigrams and trigrams themselves and the cue names
    "cue:<group>" (no n-gram has four characters, so none can be taken for another). What
    `LeadClassifier.predict` looks up, every feature having the same value 1/√n."""
    norm = normalize_text(text=text)
    names = {norm[i : i + 2] for i in range(len(norm) - 1)}
    names.update(norm[i : i + 3] for i in range(len(norm) - 2))
    names.update(f"cue:{group}" for group, phrases in CUE_GROUPS.items() if any(p in norm for p in phrases))
    return names
