"""The labelled set and the two measuring commands."""

import io
import json
import re
from pathlib import Path

from django.core.management import call_command

from silvershield.ads.checker import PRODUCT_TYPES

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled_ads.jsonl"
CITATION = re.compile(r"^(广告法|食品安全法)第\d+条(第\d+款)?(第\d+项)?$")


def test_labelled_set_is_well_formed_with_lawful_and_unlawful_ads_of_every_type():
    items = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 250
    assert len({item["id"] for item in items}) == len(items)
    for product_type in PRODUCT_TYPES:
        of_type = [item for item in items if item["product_type"] == product_type]
        assert any(item["expected"] for item in of_type) and any(not item["expected"] for item in of_type)
    assert all(CITATION.match(article) for item in items for article in item["expected"])


def test_evaluate_prints_precision_and_recall_per_article():
    out = io.StringIO()
    call_command("ads", "evaluate", "--no-db", "--date", "2026-11-28", stdout=out)
    report = out.getvalue()
    assert "| article | labelled | found | TP | FP | FN | precision | recall |" in report
    assert "| 广告法第18条第2款 |" in report and "**all (micro)**" in report


def test_benchmark_reports_rates_baseline_ratio_and_memory():
    out = io.StringIO()
    call_command(
        "ads", "benchmark", "--no-db", "--n", "300", "--baseline-n", "100", "--date", "2026-11-28", stdout=out
    )
    report = out.getvalue()
    for label in (
        "checker alone:",
        "ads check end to end:",
        "re baseline:",
        "checker / baseline:",
        "peak memory",
    ):
        assert label in report
    assert "same findings as the checker on the first 100: yes" in report
