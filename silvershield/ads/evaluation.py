"""Precision and recall of the checker per article, on a labelled set (`silvershield ads evaluate`).

Measured per ad and article: an article the checker reports for an ad and the label names is a true
positive; reported but not labelled, a false positive; labelled but not reported, a false negative.
Spans are not scored here (the tests check them); a finding on the right article but the wrong words
therefore counts as correct.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from silvershield.ads.checker.engine import CompiledRulebook


@dataclass
class Report:
    ads: int = 0
    lawful_ads: int = 0
    lawful_flagged: list[str] = field(default_factory=list)
    unlawful_missed: list[str] = field(default_factory=list)
    true_positives: Counter = field(default_factory=Counter)
    false_positives: Counter = field(default_factory=Counter)
    false_negatives: Counter = field(default_factory=Counter)
    # (ad id, article, "missed" | "wrong", text) for --details
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    rulebook_version: str = ""


def evaluate_file(*, rulebook: CompiledRulebook, path: Path) -> Report:
    """Run the checker over a labelled JSON Lines file ({"id", "text", "product_type", "expected": [...]})."""
    report = Report(rulebook_version=rulebook.version)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            expected = set(item["expected"])
            found = {v.article for v in rulebook.check(text=item["text"], product_type=item["product_type"])}
            report.ads += 1
            if not expected:
                report.lawful_ads += 1
                if found:
                    report.lawful_flagged.append(item["id"])
            elif not found:
                report.unlawful_missed.append(item["id"])
            for article in found & expected:
                report.true_positives[article] += 1
            for article in found - expected:
                report.false_positives[article] += 1
                report.errors.append((item["id"], article, "wrong", item["text"]))
            for article in expected - found:
                report.false_negatives[article] += 1
                report.errors.append((item["id"], article, "missed", item["text"]))
    return report


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "–"


def _article_key(article: str) -> tuple[str, list[int]]:
    law, _, rest = article.partition("第")
    numbers = [int(n) for n in "".join(c if c.isdigit() else " " for c in rest).split()]
    return law != "广告法", numbers


def format_report(*, report: Report, details: bool = False) -> str:
    """The per-article table as Markdown, with micro-averaged totals and the ad-level figures."""
    articles = sorted(
        set(report.true_positives) | set(report.false_positives) | set(report.false_negatives),
        key=_article_key,
    )
    lines = [
        f"labelled ads: {report.ads} ({report.lawful_ads} lawful); rulebook: {report.rulebook_version}",
        "",
        "| article | labelled | found | TP | FP | FN | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for article in articles:
        tp, fp, fn = (
            report.true_positives[article],
            report.false_positives[article],
            report.false_negatives[article],
        )
        lines.append(
            f"| {article} | {tp + fn} | {tp + fp} | {tp} | {fp} | {fn} | "
            f"{_ratio(tp, tp + fp)} | {_ratio(tp, tp + fn)} |"
        )
    tp, fp, fn = (
        sum(c.values()) for c in (report.true_positives, report.false_positives, report.false_negatives)
    )
    lines.append(
        f"| **all (micro)** | {tp + fn} | {tp + fp} | {tp} | {fp} | {fn} | {_ratio(tp, tp + fp)} | "
        f"{_ratio(tp, tp + fn)} |"
    )
    unlawful = report.ads - report.lawful_ads
    lines += [
        "",
        f"lawful ads with any finding: {len(report.lawful_flagged)} of {report.lawful_ads}"
        + (f" ({', '.join(report.lawful_flagged)})" if report.lawful_flagged else ""),
        f"unlawful ads with no finding at all: {len(report.unlawful_missed)} of {unlawful}"
        + (f" ({', '.join(report.unlawful_missed)})" if report.unlawful_missed else ""),
    ]
    if details:
        lines += ["", "| ad | article | error | text |", "|---|---|---|---|"]
        lines += [
            f"| {ad} | {article} | {kind} | {text} |" for ad, article, kind, text in sorted(report.errors)
        ]
    return "\n".join(lines)
