"""Training and evaluating the lead classifier, from the labelled set and officers' corrections.

The labelled set (leads/data/labelled.jsonl, described in leads/data/README.md) is split by a hash of each
row's id: a quarter of each category is held out for evaluation and never trained on, so the figures in
docs/classifier.md stay honest however often the model is retrained. Officers' corrections
(CategoryCorrection) only ever join the training side.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silvershield.leads.classifier.features import extract_features
from silvershield.leads.classifier.model import LeadClassifier, SoftmaxHead
from silvershield.leads.models import FraudCategory, ProductDomain

LABELLED_SET_PATH = Path(__file__).resolve().parent.parent / "data" / "labelled.jsonl"

# One row in four of each category is held out: ~80 rows, enough to see a category collapse, while
# leaving ~240 to learn from.
TEST_SHARE_MODULUS = 4

# An officer's correction is a real lead in the bureau's own words, and exactly a case the model got
# wrong; counting it twice lets a few corrections move the boundary without letting a handful of them
# outweigh the written set.
CORRECTION_WEIGHT = 2.0


@dataclass(frozen=True)
class Hyperparameters:
    """Chosen a priori and checked by cross-validation on the training split only (docs/classifier.md)."""

    epochs: int = 30
    learning_rate: float = 0.5
    l2: float = 1e-4
    # A feature seen in only one training text is more likely that text's wording than a pattern.
    min_document_frequency: int = 2
    seed: int = 20261128


@dataclass(frozen=True)
class Example:
    """One labelled text; `source` is the labelled-set id or "correction:<id>"."""

    text: str
    category: str
    product_domain: str
    source: str
    weight: float = 1.0


class LabelledSetError(ValueError):
    """A row of the labelled set is malformed; the message names the line."""


def load_labelled_set(*, path: Path = LABELLED_SET_PATH) -> list[Example]:
    examples: list[Example] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, category, domain, source = row["text"], row["category"], row["product_domain"], row["id"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise LabelledSetError(f"{path.name} line {number}: {exc}") from exc
        if category not in FraudCategory.values or domain not in ProductDomain.values:
            raise LabelledSetError(f"{path.name} line {number}: unknown category or product domain")
        if source in seen:
            raise LabelledSetError(f"{path.name} line {number}: duplicate id {source}")
        seen.add(source)
        examples.append(Example(text=text, category=category, product_domain=domain, source=source))
    return examples


def _id_rank(source: str) -> int:
    return int(hashlib.sha256(source.encode("utf-8")).hexdigest()[:12], 16)


def split_labelled_set(*, examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train, test): within each category, rows ordered by a hash of their id, every fourth held out.

    Stratified, so each category has about a quarter of its rows in the test split (a plain hash split
    left some categories with 7 test rows and others with 17); ordered by a hash of the id, so the split
    depends on nothing but the file. Adding rows can move others between the splits: the weights file
    records the digest of the set it was trained on, and `leads evaluate` says when it differs.
    """
    by_category: dict[str, list[Example]] = {}
    for example in examples:
        by_category.setdefault(example.category, []).append(example)
    held_out: set[str] = set()
    for rows in by_category.values():
        ordered = sorted(rows, key=lambda e: _id_rank(e.source))
        held_out.update(e.source for i, e in enumerate(ordered) if i % TEST_SHARE_MODULUS == 0)
    train = [e for e in examples if e.source not in held_out]
    test = [e for e in examples if e.source in held_out]
    return train, test


def correction_examples() -> list[Example]:
    """Officers' corrections as training examples: the latest correction of each lead wins.

    The text is the lead's summary as it stood when the officer corrected it, so a later edit of the
    summary cannot silently change what was taught.
    """
    from silvershield.leads.models import CategoryCorrection

    latest: dict[int, Any] = {}
    for correction in CategoryCorrection.objects.order_by("corrected_at", "id").iterator():
        latest[correction.lead_id] = correction
    return [
        Example(
            text=c.text,
            category=c.new_category,
            product_domain=c.new_product_domain or ProductDomain.OTHER,
            source=f"correction:{c.pk}",
            weight=CORRECTION_WEIGHT,
        )
        for c in latest.values()
        if c.text.strip()
    ]


def _train_head(
    *,
    rows: list[tuple[dict[str, float], int, float]],
    labels: list[str],
    vocabulary: set[str],
    params: Hyperparameters,
) -> SoftmaxHead:
    """Softmax regression by AdaGrad-scaled stochastic gradient descent with L2, deterministic for a seed."""
    n = len(labels)
    weights: dict[str, list[float]] = {name: [0.0] * n for name in vocabulary}
    squared: dict[str, list[float]] = {name: [1e-8] * n for name in vocabulary}
    bias = [0.0] * n
    bias_squared = [1e-8] * n
    order = list(range(len(rows)))
    rng = random.Random(params.seed)
    for _epoch in range(params.epochs):
        rng.shuffle(order)
        for index in order:
            features, target, example_weight = rows[index]
            active = [(name, value) for name, value in features.items() if name in weights]
            scores = list(bias)
            for name, value in active:
                row = weights[name]
                for k in range(n):
                    scores[k] += value * row[k]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            gradient = [
                example_weight * (e / total - (1.0 if k == target else 0.0)) for k, e in enumerate(exps)
            ]
            for k in range(n):
                bias_squared[k] += gradient[k] ** 2
                bias[k] -= params.learning_rate * gradient[k] / math.sqrt(bias_squared[k])
            for name, value in active:
                row, acc = weights[name], squared[name]
                for k in range(n):
                    g = gradient[k] * value + params.l2 * row[k]
                    acc[k] += g * g
                    row[k] -= params.learning_rate * g / math.sqrt(acc[k])
    return SoftmaxHead(labels=labels, bias=bias, weights=weights)


def train_classifier(
    *,
    examples: list[Example],
    params: Hyperparameters | None = None,
    provenance: dict[str, Any] | None = None,
) -> LeadClassifier:
    """Train both heads on `examples`. Labels absent from the examples still get a (bias-only) row."""
    params = params or Hyperparameters()
    if not examples:
        raise ValueError("no examples to train on")
    featurised = [extract_features(text=e.text) for e in examples]
    document_frequency: Counter[str] = Counter()
    for features in featurised:
        document_frequency.update(features.keys())
    vocabulary = {
        name
        for name, count in document_frequency.items()
        if count >= params.min_document_frequency or name.startswith("cue:")
    }
    category_labels = list(FraudCategory.values)
    domain_labels = list(ProductDomain.values)
    category_head = _train_head(
        rows=[
            (f, category_labels.index(e.category), e.weight)
            for f, e in zip(featurised, examples, strict=True)
        ],
        labels=category_labels,
        vocabulary=vocabulary,
        params=params,
    )
    domain_head = _train_head(
        rows=[
            (f, domain_labels.index(e.product_domain), e.weight)
            for f, e in zip(featurised, examples, strict=True)
        ],
        labels=domain_labels,
        vocabulary=vocabulary,
        params=params,
    )
    trained = {
        "examples": len(examples),
        "corrections": sum(1 for e in examples if e.source.startswith("correction:")),
        "features": len(vocabulary),
        "hyperparameters": params.__dict__,
        **(provenance or {}),
    }
    return LeadClassifier(category=category_head, product_domain=domain_head, trained=trained)


def labelled_set_digest(*, path: Path = LABELLED_SET_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


# --- evaluation ------------------------------------------------------------------------------------


@dataclass
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Evaluation:
    """Accuracy, per-label scores and the confusion counts {true label: {predicted label: n}}."""

    total: int
    correct: int
    per_label: dict[str, LabelScores]
    confusion: dict[str, dict[str, int]]
    seconds: float
    mistakes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def macro_f1(self) -> float:
        scores = [s.f1 for s in self.per_label.values() if s.support]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def leads_per_second(self) -> float:
        return self.total / self.seconds if self.seconds else float("inf")


def score_predictions(
    *, pairs: Iterable[tuple[str, str]], labels: list[str], seconds: float = 0.0
) -> Evaluation:
    """Scores from (true, predicted) pairs."""
    confusion = {t: {p: 0 for p in labels} for t in labels}
    total = correct = 0
    for truth, predicted in pairs:
        confusion[truth][predicted] += 1
        total += 1
        correct += truth == predicted
    per_label: dict[str, LabelScores] = {}
    for label in labels:
        tp = confusion[label][label]
        predicted_as = sum(confusion[t][label] for t in labels)
        support = sum(confusion[label].values())
        precision = tp / predicted_as if predicted_as else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = LabelScores(precision=precision, recall=recall, f1=f1, support=support)
    return Evaluation(total=total, correct=correct, per_label=per_label, confusion=confusion, seconds=seconds)


def evaluate_classifier(
    *, classifier: LeadClassifier, examples: list[Example]
) -> tuple[Evaluation, Evaluation]:
    """(category evaluation, product-domain evaluation) of `classifier` on `examples`, with timing."""
    started = time.perf_counter()
    predictions = [classifier.predict(text=e.text) for e in examples]
    seconds = time.perf_counter() - started
    category = score_predictions(
        pairs=[(e.category, p.category) for e, p in zip(examples, predictions, strict=True)],
        labels=list(FraudCategory.values),
        seconds=seconds,
    )
    category.mistakes = [
        (e.source, e.category, p.category)
        for e, p in zip(examples, predictions, strict=True)
        if e.category != p.category
    ]
    domain = score_predictions(
        pairs=[(e.product_domain, p.product_domain) for e, p in zip(examples, predictions, strict=True)],
        labels=list(ProductDomain.values),
        seconds=seconds,
    )
    return category, domain


def cross_validate(
    *, examples: list[Example], folds: int, params: Hyperparameters | None = None
) -> list[float]:
    """Category accuracy of each of `folds` folds (rows dealt round-robin in id order), for choosing settings.

    Run it on the training split only: choosing settings by the held-out figures would make them optimistic.
    """
    ordered = sorted(examples, key=lambda e: e.source)
    accuracies = []
    for fold in range(folds):
        train = [e for i, e in enumerate(ordered) if i % folds != fold]
        test = [e for i, e in enumerate(ordered) if i % folds == fold]
        classifier = train_classifier(examples=train, params=params)
        category, _domain = evaluate_classifier(classifier=classifier, examples=test)
        accuracies.append(category.accuracy)
    return accuracies
