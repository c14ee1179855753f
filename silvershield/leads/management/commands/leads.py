"""`silvershield leads classify|train|evaluate`: the lead classifier on the command line.

classify FILE.jsonl   reads lines {"text": …} (FILE "-" = standard input) and writes, one per good line and
                      in order, {"text", "category", "confidence", "product_domain",
                      "product_domain_confidence"} to standard output; bad lines go to standard error
                      with their numbers, and the exit status is 1 when there were any.
train                 retrains from the labelled set's training split plus officers' corrections.
evaluate              scores the weights in use on the held-out split (docs/classifier.md).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from silvershield.leads.classifier.model import (
    CATEGORY_NAMES,
    LeadClassifier,
    load_classifier,
    save_classifier,
    weights_path,
)
from silvershield.leads.classifier.report import format_report
from silvershield.leads.classifier.training import (
    LABELLED_SET_PATH,
    Hyperparameters,
    correction_examples,
    evaluate_classifier,
    labelled_set_digest,
    load_labelled_set,
    split_labelled_set,
    train_classifier,
)
from silvershield.leads.classifier.training import (
    cross_validate as cross_validate_accuracies,  # the option below is named cross_validate
)


class MalformedLine(ValueError):
    pass


def _parse_line(raw: bytes | str) -> str:
    """The lead text of one input line, or MalformedLine saying what is wrong with it."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedLine("not UTF-8") from exc
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedLine(f"not JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(row, dict):
        raise MalformedLine("not a JSON object")
    if "text" not in row:
        raise MalformedLine('no "text" key')
    text = row["text"]
    if not isinstance(text, str):
        raise MalformedLine('"text" is not a string')
    if not text.strip():
        raise MalformedLine('"text" is empty')
    return text


def _numbered_lines(source: BinaryIO | TextIO) -> Iterator[tuple[int, bytes | str]]:
    """Lines with their 1-based numbers; blank lines are skipped (they hold no record) but still counted."""
    for number, raw in enumerate(source, start=1):
        if number == 1 and isinstance(raw, bytes) and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # Excel and Notepad write a byte-order mark; it is not part of the JSON.
        elif number == 1 and isinstance(raw, str):
            raw = raw.removeprefix("\ufeff")
        if raw.strip():
            yield number, raw


class Command(BaseCommand):
    help = "The lead classifier: classify a JSON Lines file, retrain from corrections, evaluate."
    # classify writes its line reports to stderr; system-check warnings there would read as input errors.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{classify,train,evaluate,benchmark-intake}")
        classify = sub.add_parser("classify", help='classify each {"text": …} line of FILE (- for stdin)')
        classify.add_argument("file", help="a JSON Lines file, or - for standard input")
        classify.add_argument("--stop-on-error", action="store_true", help="stop at the first malformed line")
        classify.add_argument("--weights", type=Path, help="a weights file other than the one in use")

        train = sub.add_parser("train", help="retrain from the labelled set and officers' corrections")
        train.add_argument(
            "--output", type=Path, help="where to write the weights (default: the file in use)"
        )
        train.add_argument("--no-corrections", action="store_true", help="train on the labelled set only")

        evaluate = sub.add_parser("evaluate", help="accuracy per category on the held-out split")
        evaluate.add_argument("--weights", type=Path, help="a weights file other than the one in use")
        evaluate.add_argument(
            "--fresh",
            action="store_true",
            help="train from the labelled training split in memory and evaluate that (ignores corrections)",
        )
        evaluate.add_argument(
            "--cross-validate",
            type=int,
            metavar="K",
            help="also K-fold cross-validation on the training split",
        )
        evaluate.add_argument("--markdown", action="store_true", help="print Markdown tables")

        bench = sub.add_parser(
            "benchmark-intake", help="leads posted through the API by concurrent clients: throughput, p50/p95/p99"
        )
        bench.add_argument("--entities", type=int, default=300_000, help="market entities to have (seeded if fewer)")
        bench.add_argument("--clients", type=int, default=16)
        bench.add_argument("--seconds", type=float, default=20)
        bench.add_argument("--url", help="a running server (default: start gunicorn on a free port)")
        bench.add_argument(
            "--workers", type=int, default=3, help="gunicorn workers when starting one (default 3, as docs/operations.md serves)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {
            "classify": self._classify,
            "train": self._train,
            "evaluate": self._evaluate,
            "benchmark-intake": self._benchmark_intake,
        }
        handler[options["subcommand"]](**options)

    def _benchmark_intake(
        self, *, entities: int, clients: int, seconds: float, url: str | None, workers: int, **options: Any
    ) -> None:
        from silvershield.leads.benchmark_intake import run

        if clients < 1 or seconds <= 0 or entities < 0 or workers < 1:
            raise CommandError("--clients, --seconds and --workers must be positive, --entities not negative")
        run(entities=entities, clients=clients, seconds=seconds, url=url, workers=workers, out=self.stdout)

    def _load(self, path: Path | None) -> LeadClassifier:
        try:
            return load_classifier(path)
        except (FileNotFoundError, ValueError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot load the classifier: {exc}") from exc

    # --- classify ----------------------------------------------------------------------------------

    def _classify(self, *, file: str, stop_on_error: bool, weights: Path | None, **options: Any) -> None:
        classifier = self._load(weights)
        if file == "-":
            source: BinaryIO | TextIO = getattr(sys.stdin, "buffer", sys.stdin)
            self._classify_lines(
                classifier, source, stop_on_error=stop_on_error, verbosity=options["verbosity"]
            )
            return
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        with path.open("rb") as handle:
            self._classify_lines(
                classifier, handle, stop_on_error=stop_on_error, verbosity=options["verbosity"]
            )

    def _classify_lines(
        self, classifier: LeadClassifier, source: BinaryIO | TextIO, *, stop_on_error: bool, verbosity: int
    ) -> None:
        classified = malformed = 0
        started = time.perf_counter()
        for number, raw in _numbered_lines(source):
            try:
                text = _parse_line(raw)
            except MalformedLine as exc:
                if stop_on_error:
                    raise CommandError(f"line {number}: {exc}; stopped (--stop-on-error)") from exc
                self.stderr.write(f"line {number}: {exc}; skipped")
                malformed += 1
                continue
            prediction = classifier.predict(text=text)
            self.stdout.write(
                json.dumps(
                    {
                        "text": text,
                        "category": prediction.category_name,
                        "confidence": round(prediction.category_confidence, 4),
                        "product_domain": prediction.product_domain,
                        "product_domain_confidence": round(prediction.product_domain_confidence, 4),
                    },
                    ensure_ascii=False,
                )
            )
            classified += 1
        seconds = time.perf_counter() - started
        if verbosity > 0:
            rate = f"{classified / seconds:,.0f} leads/s" if seconds and classified else "-"
            self.stderr.write(
                f"classified {classified} lead(s) in {seconds:.3f} s ({rate}); {malformed} malformed"
            )
        if malformed:
            raise CommandError(f"{malformed} malformed line(s) skipped; see the messages above")

    # --- train -------------------------------------------------------------------------------------

    def _train(self, *, output: Path | None, no_corrections: bool, **options: Any) -> None:
        train, test = split_labelled_set(examples=load_labelled_set())
        corrections = []
        if not no_corrections:
            try:
                corrections = correction_examples()
            except DatabaseError as exc:
                raise CommandError(
                    f"cannot read officers' corrections ({exc}); run `silvershield migrate`, "
                    "or train on the labelled set alone with --no-corrections"
                ) from exc
        self.stdout.write(
            f"training on {len(train)} labelled rows and {len(corrections)} correction(s); "
            f"{len(test)} rows held out"
        )
        started = time.perf_counter()
        classifier = train_classifier(
            examples=[*train, *corrections],
            params=Hyperparameters(),
            provenance={"labelled_set": LABELLED_SET_PATH.name, "labelled_set_sha256": labelled_set_digest()},
        )
        seconds = time.perf_counter() - started
        target = output or weights_path()
        save_classifier(classifier=classifier, path=target)
        category, _domain = evaluate_classifier(classifier=classifier, examples=test)
        self.stdout.write(
            f"trained in {seconds:.1f} s, {classifier.trained['features']} features; wrote {target}\n"
            f"held-out category accuracy {category.accuracy:.3f} ({category.correct}/{category.total})"
        )

    # --- evaluate ----------------------------------------------------------------------------------

    def _evaluate(
        self, *, weights: Path | None, fresh: bool, cross_validate: int | None, markdown: bool, **options: Any
    ) -> None:
        train, test = split_labelled_set(examples=load_labelled_set())
        if fresh:
            classifier = train_classifier(examples=train)
            title = f"Trained afresh on {len(train)} labelled rows, evaluated on {len(test)} held-out rows"
        else:
            classifier = self._load(weights)
            title = f"Weights in use ({weights or weights_path()}), evaluated on {len(test)} held-out rows"
            trained_on = classifier.trained.get("labelled_set_sha256")
            if trained_on and trained_on != labelled_set_digest():
                self.stderr.write(
                    "warning: these weights were trained on another version of the labelled set; rows may "
                    "have moved between the splits, so the figures may be optimistic — run "
                    "`silvershield leads train`"
                )
        category, domain = evaluate_classifier(classifier=classifier, examples=test)
        self.stdout.write(format_report(category=category, domain=domain, title=title, markdown=markdown))
        if not markdown and category.mistakes:
            self.stdout.write("\nMistakes (id: true → predicted):")
            for source, truth, predicted in category.mistakes:
                self.stdout.write(f"  {source}: {CATEGORY_NAMES[truth]} → {CATEGORY_NAMES[predicted]}")
        if cross_validate:
            if cross_validate < 2:
                raise CommandError("--cross-validate needs K ≥ 2")
            accuracies = cross_validate_accuracies(examples=train, folds=cross_validate)
            mean = sum(accuracies) / len(accuracies)
            folds = ", ".join(f"{a:.3f}" for a in accuracies)
            self.stdout.write(
                f"\n{cross_validate}-fold cross-validation on the training split: mean {mean:.3f} ({folds})"
            )
