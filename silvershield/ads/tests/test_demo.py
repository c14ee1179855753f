"""The demo step: ads across the divisions, some reviewed, one confirmed into a lead."""

import random
from types import SimpleNamespace

from django.utils import timezone

from silvershield.ads.demo import ADS_PER_DIVISION, seed_ads
from silvershield.ads.models import Ad, FindingReview
from silvershield.leads.models import Lead


def test_demo_step_fills_the_pages(db, org, monitors):
    counties = {b.division_id: SimpleNamespace(bureau=b) for b in (org.hongshan, org.songshan)}
    seed_ads(rng=random.Random(1), org=SimpleNamespace(counties=counties), today=timezone.localdate())
    assert Ad.objects.count() == 2 * ADS_PER_DIVISION
    assert set(Ad.objects.values_list("division_id", flat=True)) == {"150402", "150404"}
    assert 0 < Ad.objects.filter(finding_count__gt=0).count() < Ad.objects.count()
    assert FindingReview.objects.filter(decision="rejected").exists()
    assert Lead.objects.filter(channel="ad_monitoring").count() == 1
