"""The trained classifier: two softmax (multinomial logistic regression) heads over one feature vector.

One head picks the fraud category (the six categories of the 2022 campaign, DOMAIN.md Part A and C.6,
or "not elder-care fraud"), the other the product domain. Each answer comes with its softmax
probability as the confidence. The weights live in a JSON file (leads/data/classifier_weights.json by
default) that a person can open and read: per feature, one weight per label.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from silvershield.leads.classifier.features import plain_features
from silvershield.leads.models import FraudCategory, ProductDomain

# The names the classify command writes, exactly as the issue states them (养老诈骗六类 + 非养老诈骗).
CATEGORY_NAMES: dict[str, str] = {
    FraudCategory.ELDERLY_SERVICE: "养老服务",
    FraudCategory.PROJECT_INVESTMENT: "养老项目投资",
    FraudCategory.PRODUCT_SALES: "养老产品销售",
    FraudCategory.HOUSE_FOR_PENSION: "以房养老",
    FraudCategory.PENSION_INSURANCE: "养老保险代办",
    FraudCategory.ELDERLY_ASSISTANCE: "养老帮扶",
    FraudCategory.NOT_ELDER_FRAUD: "非养老诈骗",
}
CATEGORY_CODES: dict[str, str] = {name: code for code, name in CATEGORY_NAMES.items()}
DOMAIN_NAMES: dict[str, str] = {
    ProductDomain.FOOD: "食品/保健食品",
    ProductDomain.DRUG: "药品",
    ProductDomain.MEDICAL_DEVICE: "医疗器械",
    ProductDomain.ELDERLY_CARE_SERVICE: "养老服务",
    ProductDomain.INVESTMENT: "投资理财",
    ProductDomain.HOUSING: "房产",
    ProductDomain.INSURANCE: "保险",
    ProductDomain.OTHER: "其他",
}

# In leads/data/ because that folder ships as package data (pyproject.toml), so an installed wheel works.
DEFAULT_WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "data" / "classifier_weights.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Prediction:
    """What the classifier says about one text; codes are FraudCategory / ProductDomain values."""

    category: str
    category_confidence: float
    product_domain: str
    product_domain_confidence: float

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]


@dataclass
class SoftmaxHead:
    """Multinomial logistic regression: score(label) = bias[label] + Σ value(f) · weight[f][label]."""

    labels: list[str]
    bias: list[float]
    weights: dict[str, list[float]]

    def probabilities(self, *, features: dict[str, float]) -> list[float]:
        scores = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is None:
                continue
            for k, w in enumerate(row):
                scores[k] += value * w
        return _softmax(scores)

    def best(self, *, features: dict[str, float]) -> tuple[str, float]:
        probs = self.probabilities(features=features)
        k = max(range(len(probs)), key=probs.__getitem__)
        return self.labels[k], probs[k]

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "bias": [round(b, 5) for b in self.bias],
            # Sorted so that retraining on the same data gives a byte-identical file (clean diffs).
            "weights": {name: [round(w, 5) for w in row] for name, row in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SoftmaxHead:
        labels = list(data["labels"])
        weights = {name: [float(w) for w in row] for name, row in data["weights"].items()}
        if any(len(row) != len(labels) for row in weights.values()) or len(data["bias"]) != len(labels):
            raise ValueError("weights file: a row does not have one weight per label")
        return cls(labels=labels, bias=[float(b) for b in data["bias"]], weights=weights)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _softmax_best(head: SoftmaxHead, weighted: list[float]) -> tuple[str, float]:
    """`head.best` given each label's weighted feature sum instead of the features."""
    probs = _softmax([b + s for b, s in zip(head.bias, weighted, strict=True)])
    k = max(range(len(probs)), key=probs.__getitem__)
    return head.labels[k], probs[k]


@dataclass
class LeadClassifier:
    """Both heads plus a record of how they were trained (kept in the weights file for provenance)."""

    category: SoftmaxHead
    product_domain: SoftmaxHead
    trained: dict[str, Any]

    def __post_init__(self) -> None:
        # For predict: per feature (by its plain name, features.plain_features) both heads' weights in one
        # row, so a text costs one look-up per feature and one column sum, not a loop per weight.
        width_c, width_d = len(self.category.labels), len(self.product_domain.labels)
        joint: dict[str, tuple[float, ...]] = {}
        for name in self.category.weights.keys() | self.product_domain.weights.keys():
            plain = name if name.startswith("cue:") else name.split(":", 1)[1]
            joint[plain] = (
                *(self.category.weights.get(name) or [0.0] * width_c),
                *(self.product_domain.weights.get(name) or [0.0] * width_d),
            )
        self._joint = joint
        self._width = width_c + width_d

    def predict(self, *, text: str) -> Prediction:
        """Both heads' answers: the same as `SoftmaxHead.best` over `extract_features` (every feature has the
        value 1/√n, so each label's score is its bias plus 1/√n times the sum of its weights)."""
        names = plain_features(text=text)
        rows = [row for row in map(self._joint.get, names) if row is not None]
        width_c = len(self.category.labels)
        sums = [sum(column) for column in zip(*rows, strict=True)] if rows else [0.0] * self._width
        value = 1.0 / math.sqrt(len(names)) if names else 0.0
        category, category_confidence = _softmax_best(self.category, [v * value for v in sums[:width_c]])
        domain, domain_confidence = _softmax_best(self.product_domain, [v * value for v in sums[width_c:]])
        return Prediction(
            category=category,
            category_confidence=category_confidence,
            product_domain=domain,
            product_domain_confidence=domain_confidence,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "trained": self.trained,
            "category": self.category.to_json(),
            "product_domain": self.product_domain.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LeadClassifier:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"weights file: format {data.get('format')!r}, expected {FORMAT_VERSION}")
        category = SoftmaxHead.from_json(data["category"])
        domain = SoftmaxHead.from_json(data["product_domain"])
        if set(category.labels) != set(FraudCategory.values):
            raise ValueError("weights file: category labels differ from FraudCategory")
        if not set(domain.labels) <= set(ProductDomain.values):
            raise ValueError("weights file: product-domain labels outside ProductDomain")
        return cls(category=category, product_domain=domain, trained=dict(data.get("trained") or {}))


def weights_path() -> Path:
    """The weights file in use: settings.LEADS_CLASSIFIER_WEIGHTS if set, else the shipped file.

    A deployment that retrains on its officers' corrections writes its own file (the package directory
    may be read-only) and points this setting at it.
    """
    configured = getattr(settings, "LEADS_CLASSIFIER_WEIGHTS", "")
    return Path(configured) if configured else DEFAULT_WEIGHTS_PATH


def save_classifier(*, classifier: LeadClassifier, path: Path) -> None:
    """Write atomically (temporary file, then rename) so a running server never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(
        json.dumps(classifier.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8"
    )
    tmp.replace(path)
    _load_from.cache_clear()
    _looked_at.clear()


@lru_cache(maxsize=4)
def _load_from(path: str, mtime: float) -> LeadClassifier:
    return LeadClassifier.from_json(json.loads(Path(path).read_text("utf-8")))


# When each weights file was last looked at (monotonic clock) and its modification time then.
_looked_at: dict[str, tuple[float, float]] = {}


def load_classifier(path: Path | None = None) -> LeadClassifier:
    """The classifier from `path` (default: `weights_path()`), read once, reloaded when the file changes
    (the file is looked at once a second at most: every received lead is classified)."""
    target = path or weights_path()
    key, now = str(target), time.monotonic()
    seen = _looked_at.get(key)
    if seen is None or now - seen[0] > 1.0:
        if not target.exists():
            raise FileNotFoundError(f"classifier weights not found at {target}; run `silvershield leads train`")
        seen = _looked_at[key] = (now, target.stat().st_mtime)
    return _load_from(key, seen[1])


def classify_text(*, text: str) -> Prediction:
    """Classify one lead text with the classifier in use (what registration, pages and the API call)."""
    return load_classifier().predict(text=text)
