"""Evaluation reports as plain text or Markdown (the tables of docs/classifier.md come from here)."""

from __future__ import annotations

from silvershield.leads.classifier.model import CATEGORY_NAMES, DOMAIN_NAMES
from silvershield.leads.classifier.training import Evaluation


def _name(label: str) -> str:
    return CATEGORY_NAMES.get(label) or DOMAIN_NAMES.get(label) or label


def _scores_table(evaluation: Evaluation, *, markdown: bool) -> list[str]:
    rows = [
        (_name(label), label, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support))
        for label, s in evaluation.per_label.items()
        if s.support or any(evaluation.confusion[t][label] for t in evaluation.confusion)
    ]
    header = ("label", "code", "precision", "recall", "F1", "support")
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return lines
    return [f"  {row[0]:<10} {row[1]:<22} P {row[2]}  R {row[3]}  F1 {row[4]}  n={row[5]}" for row in rows]


def _confusion_lines(evaluation: Evaluation, *, markdown: bool) -> list[str]:
    """Only the off-diagonal cells: which true label went to which wrong one, and how often."""
    cells = sorted(
        (
            (n, truth, predicted)
            for truth, row in evaluation.confusion.items()
            for predicted, n in row.items()
            if n and truth != predicted
        ),
        key=lambda cell: (-cell[0], cell[1], cell[2]),
    )
    if not cells:
        return ["- no confusions" if markdown else "  no confusions"]
    bullet = "- " if markdown else "  "
    return [f"{bullet}{_name(truth)} → {_name(predicted)}: {n}" for n, truth, predicted in cells]


def format_report(*, category: Evaluation, domain: Evaluation, title: str, markdown: bool) -> str:
    heading = "### " if markdown else ""
    lines = [
        f"{heading}{title}",
        "",
        f"Category accuracy: {category.accuracy:.3f} ({category.correct}/{category.total}); "
        f"macro F1: {category.macro_f1:.3f}",
        f"Product-domain accuracy: {domain.accuracy:.3f} ({domain.correct}/{domain.total})",
        f"Speed: {category.leads_per_second:,.0f} leads/s (features + both heads, one process)",
        "",
        f"{heading}Per category" if markdown else "Per category:",
        "",
        *_scores_table(category, markdown=markdown),
        "",
        f"{heading}Confusions (true → predicted)" if markdown else "Confusions (true → predicted):",
        "",
        *_confusion_lines(category, markdown=markdown),
        "",
        f"{heading}Per product domain" if markdown else "Per product domain:",
        "",
        *_scores_table(domain, markdown=markdown),
    ]
    return "\n".join(lines)
