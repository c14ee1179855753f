"""`silvershield ads benchmark-ingest --ads 1000000`: generated ads ingested into the configured database.

The ads are the checker benchmark's texts (ads/benchmark.py: 150–400 characters, every product type,
about a third unlawful) with the rest of a monitoring record: medium, outlet, time over the last year,
advertiser, product, division. They stream through the same `ingest_ads` the command and the upload page
use — chunks of bulk inserts, every ad checked and its findings stored, duplicates looked up — inside
one transaction (all or nothing). It measures; it asserts nothing. Copy the figures into
docs/performance.md ("Ad ingest").
"""

from __future__ import annotations

import random
import resource
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from silvershield.ads.benchmark import generate_ads
from silvershield.ads.ingest import AdRow
from silvershield.ads.models import Ad, Finding, Medium
from silvershield.ads.services import ingest_ads
from silvershield.core.models import Division, OrgUnit, OrgUnitKind

OUTLETS = {
    Medium.TV: ("赤峰电视台新闻综合频道", "赤峰电视台经济生活频道", "红山区融媒体中心"),
    Medium.RADIO: ("赤峰人民广播电台交通频率", "赤峰人民广播电台新闻综合频率"),
    Medium.NEWSPAPER: ("赤峰日报", "红山晚报", "老年健康报（赤峰版）"),
    Medium.OUTDOOR: ("昭乌达路公交站牌", "新华书店楼顶大屏"),
    Medium.INTERNET: ("本地生活公众号", "同城信息网"),
    Medium.LIVE_STREAM: ("某短视频平台直播间", "某短视频平台账号“健康老张”"),
    Medium.LEAFLET: ("小区门口散发传单",),
    Medium.LECTURE: ("养生讲座现场", "会议营销现场"),
}
NAMES = ("康寿", "福寿", "益年", "松鹤", "安康", "颐和", "百草", "金秋", "夕阳红", "长青", "仁和", "草原")
KINDS = ("保健品店", "健康科技有限公司", "大药房", "养生馆", "医疗器械有限公司", "养老服务中心", "食品有限公司")


def _bureau(code: str | None) -> OrgUnit:
    if code:
        return OrgUnit.objects.get(code=code, kind=OrgUnitKind.BUREAU)
    bureau = OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU).order_by("path").first()
    if bureau is None:  # a fresh database: the city bureau, as `silvershield seed` would make it
        bureau = OrgUnit.objects.create(
            code="150400", name="赤峰市市场监督管理局", short_name="赤市监", kind=OrgUnitKind.BUREAU,
            division=Division.objects.get(code="150400"),
        )
    return bureau


def generate_rows(*, n: int, seed: int, divisions: list[str], now: datetime) -> Iterator[AdRow]:
    rng = random.Random(seed)
    media = list(OUTLETS)
    advertisers = [f"赤峰{a}{b}" for a in NAMES for b in KINDS]
    for number, (text, product_type) in enumerate(generate_ads(n=n, seed=seed), start=2):
        medium = rng.choice(media)
        yield AdRow(
            row=number,
            medium=medium,
            product_type=product_type,
            text=text,
            outlet=rng.choice(OUTLETS[medium]),
            published_at=now - timedelta(minutes=rng.randrange(365 * 24 * 60)),
            advertiser=rng.choice(advertisers),
            product_name=f"{rng.choice(NAMES)}牌{rng.choice(('胶囊', '口服液', '颗粒', '理疗仪', '套餐'))}",
            division=rng.choice(divisions),
        )


def run_ingest_benchmark(
    *, n: int, chunk: int, seed: int, bureau_code: str | None, write: Callable[[str], None]
) -> None:
    bureau = _bureau(bureau_code)
    divisions = list(
        OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, path__startswith=bureau.path).values_list(
            "division_id", flat=True
        )
    )
    before_ads, before_findings = Ad.objects.count(), Finding.objects.count()
    write(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}; bureau {bureau.code}, "
        f"{len(divisions)} division(s); {before_ads:,} ads already there; chunks of {chunk:,}"
    )
    now = timezone.now().replace(microsecond=0)
    done = 0
    started = time.perf_counter()
    marks: list[str] = []

    def progress(count: int) -> None:
        nonlocal done
        step = max(n // 10, 1)
        previous = done
        done += count
        if done // step > previous // step:
            elapsed = time.perf_counter() - started
            marks.append(f"{done:>10,} ads after {elapsed:8.1f} s ({done / elapsed:,.0f} ads/s)")
            write(marks[-1])

    result = ingest_ads(
        rows=generate_rows(n=n, seed=seed, divisions=divisions, now=now),
        actor=None,
        bureau=bureau,
        source=f"benchmark-ingest seed {seed}",
        chunk_size=chunk,
        progress=progress,
    )
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    write(
        f"ingested: {result.created:,} ads, {result.duplicates:,} duplicates, {result.findings:,} findings "
        f"in {elapsed:.1f} s = {result.created / elapsed:,.0f} ads/s (generation included)"
    )
    write(f"rows now: {Ad.objects.count():,} ads, {Finding.objects.count():,} findings "
          f"(+{Ad.objects.count() - before_ads:,}, +{Finding.objects.count() - before_findings:,})")
    write(f"peak memory (max RSS of this process): {peak_kb / 1024:,.0f} MB")
