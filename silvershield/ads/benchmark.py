"""`silvershield ads benchmark`: how fast the checker is, alone and through `ads check`, against a plain
`re` baseline, on generated ads of realistic length (150–400 characters, lawful and unlawful sentences
mixed, every product type). Generation is deterministic for a given seed and is not timed.

It measures; it asserts nothing. Copy the figures into docs/performance.md ("Ad checker").
"""

from __future__ import annotations

import json
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.core.management import call_command

from silvershield.ads.checker.baseline import RegexBaselineRulebook
from silvershield.ads.checker.engine import CompiledRulebook
from silvershield.ads.checker.spec import (
    DRUG,
    ELDER_SERVICE,
    HEALTH_FOOD,
    MEDICAL_DEVICE,
    ORDINARY_FOOD,
    OTHER,
)

CHUNK = 10_000
# Roughly the mix of a city's monitoring: mostly food, health food and drugs (DOMAIN.md Part A, measure 1).
TYPE_WEIGHTS = {HEALTH_FOOD: 30, ORDINARY_FOOD: 25, DRUG: 20, MEDICAL_DEVICE: 10, ELDER_SERVICE: 10, OTHER: 5}

COMMON = (
    "欢迎广大中老年朋友到店咨询选购。",
    "门店地址：赤峰市红山区昭乌达路118号。",
    "营业时间：每天上午8点至晚上8点。",
    "全市多家门店均有销售，详情请咨询店员。",
    "本活动最终解释权归本店所有。",
    "支持微信、支付宝付款，开具正规发票。",
    "产品规格：每盒60粒，每瓶500克。",
    "活动期间到店登记即可领取精美礼品一份。",
    "周末有专车接送，请提前电话预约。",
    "我们坚持诚信经营，欢迎社会各界监督。",
    "请认准包装上的防伪标识。",
    "秋冬季节天气干燥，请注意多喝水、早睡早起。",
)
LAWFUL = {
    HEALTH_FOOD: (
        "保健功能：增强免疫力。",
        "保健功能：缓解体力疲劳。",
        "保健功能：辅助降血脂。",
        "适宜人群：中老年人。",
        "不适宜人群：少年儿童、孕妇、乳母。",
        "食用方法：每日2次，每次2粒，温水送服。",
        "保健功能：改善睡眠。",
    ),
    ORDINARY_FOOD: (
        "精选内蒙古优质小米，颗粒饱满，熬粥香浓。",
        "每100克含蛋白质12克，低脂高纤。",
        "开袋即食，独立小包装。",
        "保质期12个月，请置于阴凉干燥处。",
        "草原牧场直供鲜奶，早晚一杯，营养每一天。",
    ),
    DRUG: (
        "用于风热感冒，发热，咽喉肿痛。",
        "用于缓解轻至中度疼痛如头痛、关节痛、牙痛。",
        "清热解毒，凉血消肿。",
        "用于脾胃虚弱所致的食积，消化不良。",
        "孕妇禁用，儿童必须在成人监护下使用。",
    ),
    MEDICAL_DEVICE: (
        "上臂式电子血压计，大屏显示，一键测量。",
        "家用制氧机，5升大流量，静音设计。",
        "适用于颈肩腰腿痛的辅助治疗。",
        "指夹式脉搏血氧仪，小巧便携。",
        "医用护腰带，用于腰部的固定和支撑。",
    ),
    ELDER_SERVICE: (
        "提供全护理、半护理床位，24小时专业护工值守。",
        "每月收费2800元起，可实地参观。",
        "社区日间照料中心提供助餐、助浴服务。",
        "开设书法、声乐、智能手机使用等课程。",
        "上门服务包括保洁、陪诊、理发。",
    ),
    OTHER: (
        "大字体大按键，一键呼叫子女。",
        "软底轻便，防滑耐磨。",
        "铝合金材质，高度可调。",
        "全棉面料，亲肤透气。",
    ),
}
UNLAWFUL = {
    HEALTH_FOOD: (
        "专门治疗糖尿病，服用三个月血糖恢复正常。",
        "安全无毒，无任何副作用。",
        "吃了可以停药，比吃西药好多了。",
        "著名主持人倾情推荐，专家都在用。",
        "中老年人必备，每天都要吃。",
        "有效率高达98%，无效退款。",
    ),
    ORDINARY_FOOD: (
        "长期饮用可降血糖、降血压，三高人群的救星。",
        "抗癌防癌，预防心脑血管疾病。",
        "全国销量第一，顶级品质。",
        "市场监管局推荐放心食品。",
        "祖传秘方，药用价值极高。",
        "王大爷吃了半年，多年的糖尿病好了。",
    ),
    DRUG: (
        "三天根治，药到病除，永不复发。",
        "临床总有效率达97.8%。",
        "疗效优于其他同类药品。",
        "国医大师亲自推荐。",
        "最有效的特效药，神药级别的疗效。",
    ),
    MEDICAL_DEVICE: (
        "睡一觉就能根治腰椎间盘突出。",
        "临床有效率高达98%。",
        "明星都在用，专家推荐。",
        "包治百病，无任何副作用。",
    ),
    ELDER_SERVICE: (
        "认购即享每年12%固定回报，保本保息。",
        "已有500位老人拿到分红，稳赚不赔。",
        "入住半年老年痴呆都能逆转。",
        "民政局指定，全市最好的养老院。",
    ),
    OTHER: (
        "睡一觉就能治疗失眠、降血压。",
        "黄金投资，年化收益20%，零风险。",
        "开光手链，招财转运。",
        "美国FDA认证，世界领先。",
    ),
}
NOTICES = {
    HEALTH_FOOD: ("本品不能代替药物。", "蒙食健广审(文)第260315-00021号", "国食健注G20150123"),
    DRUG: (
        "请按药品说明书或者在药师指导下购买和使用。",
        "禁忌、不良反应详见说明书。",
        "国药准字Z15020123",
        "蒙药广审（文）第260411-00012号",
    ),
    MEDICAL_DEVICE: (
        "请仔细阅读产品说明书或者在医务人员的指导下购买和使用。",
        "蒙械注准20232090012",
        "蒙械广审(文)第260501-00003号",
    ),
}


def generate_ads(*, n: int, seed: int) -> Iterator[tuple[str, str]]:
    """`n` (text, product_type) pairs, 150–400 characters each, the same for the same seed."""
    rng = random.Random(seed)
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    for _ in range(n):
        product_type = rng.choices(types, weights)[0]
        target = rng.randint(150, 400)
        # About a third of the ads carry one or more unlawful sentences; the rest are lawful.
        unlawful_share = 0.25 if rng.random() < 0.35 else 0.0
        notices = NOTICES.get(product_type, ())
        tail = "".join(notice for notice in notices if rng.random() < 0.8)
        parts: list[str] = []
        length = len(tail)
        while length < target:
            if rng.random() < unlawful_share:
                sentence = rng.choice(UNLAWFUL[product_type])
            elif rng.random() < 0.5:
                sentence = rng.choice(LAWFUL[product_type])
            else:
                sentence = rng.choice(COMMON)
            parts.append(sentence)
            length += len(sentence)
        text = ("".join(parts) + tail)[:400]
        yield text, product_type


def _chunks(*, n: int, seed: int) -> Iterator[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    for ad in generate_ads(n=n, seed=seed):
        chunk.append(ad)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def time_checker(*, rulebook: CompiledRulebook, n: int, seed: int) -> tuple[float, int, int]:
    """Seconds spent in rulebook.check over n generated ads (generation untimed), findings, characters."""
    check = rulebook.check
    elapsed = 0.0
    findings = characters = 0
    for chunk in _chunks(n=n, seed=seed):
        characters += sum(len(text) for text, _ in chunk)
        start = time.perf_counter()
        for text, product_type in chunk:
            findings += len(check(text=text, product_type=product_type))
        elapsed += time.perf_counter() - start
    return elapsed, findings, characters


def time_end_to_end(*, n: int, seed: int, no_db: bool, on: str | None, folder: Path) -> tuple[float, int]:
    """Seconds for `silvershield ads check FILE` over n generated ads written as JSON Lines; the file size."""
    path = folder / "ads.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for chunk in _chunks(n=n, seed=seed):
            out.write(
                "".join(
                    json.dumps({"text": t, "product_type": p}, ensure_ascii=False) + "\n" for t, p in chunk
                )
            )
    options: dict[str, object] = {"no_db": no_db}
    if on:
        options["date"] = on
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        start = time.perf_counter()
        call_command("ads", "check", str(path), stdout=devnull, **options)
        elapsed = time.perf_counter() - start
    return elapsed, path.stat().st_size


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity here)"


def run_benchmark(
    *,
    rulebook: CompiledRulebook,
    n: int,
    baseline_n: int,
    seed: int,
    end_to_end: bool,
    write: Callable[[str], None],
    no_db: bool = False,
) -> None:
    """Run the three measurements and print them."""
    write(
        f"ads: {n:,} generated (seed {seed}), 150–400 characters; rulebook {rulebook.version}, "
        f"{len(rulebook.rules)} rules in force on {rulebook.on}; {_pin_to_one_core()}"
    )

    elapsed, findings, characters = time_checker(rulebook=rulebook, n=n, seed=seed)
    checker_rate = n / elapsed
    write(
        f"checker alone:        {n:>10,} ads in {elapsed:8.2f} s = {checker_rate:>10,.0f} ads/s "
        f"({characters / n:.0f} characters/ad on average; {findings / n:.2f} findings/ad)"
    )

    if end_to_end:
        with tempfile.TemporaryDirectory(prefix="ads-benchmark-") as folder:
            e2e_elapsed, size = time_end_to_end(
                n=n, seed=seed, no_db=no_db, on=rulebook.on.isoformat(), folder=Path(folder)
            )
        write(
            f"ads check end to end: {n:>10,} ads in {e2e_elapsed:8.2f} s = {n / e2e_elapsed:>10,.0f} ads/s "
            f"(JSON Lines in {size / 1e6:,.0f} MB, out to /dev/null)"
        )

    baseline = RegexBaselineRulebook(rules=rulebook.rules, on=rulebook.on, version=rulebook.version)
    sample = baseline_n if baseline_n < n else n
    same = all(
        baseline.check(text=t, product_type=p) == rulebook.check(text=t, product_type=p)
        for t, p in generate_ads(n=min(sample, 2000), seed=seed)
    )
    base_elapsed, _, _ = time_checker(rulebook=baseline, n=sample, seed=seed)
    baseline_rate = sample / base_elapsed
    write(
        f"re baseline:          {sample:>10,} ads in {base_elapsed:8.2f} s = {baseline_rate:>10,.0f} ads/s "
        f"(same findings as the checker on the first {min(sample, 2000):,}: {'yes' if same else 'NO'})"
    )
    write(f"checker / baseline:   {checker_rate / baseline_rate:.1f}×")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    write(f"peak memory (max RSS of this process): {peak_kb / 1024:,.0f} MB")
