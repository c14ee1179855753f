"""`silvershield ads …`: check ads against the rulebook from the command line.

silvershield ads check FILE.jsonl        one {"text", "product_type"} a line; "-" reads standard input
silvershield ads evaluate                precision and recall per article on the labelled set
silvershield ads benchmark --n 1000000   checker, `ads check` end to end, and a plain-regex baseline
silvershield ads ingest FILE [--skip-bad] --user NAME   store ads (xlsx, csv, jsonl) with their findings
silvershield ads benchmark-ingest --ads 1000000        generated ads into the configured database
silvershield ads rejection-rates         per rule: findings reviewed and the share rejected
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from silvershield.ads.benchmark import run_benchmark
from silvershield.ads.checker.engine import CompiledRulebook
from silvershield.ads.evaluation import evaluate_file, format_report
from silvershield.ads.jsonl import DEFAULT_MAX_CHARS, AdLine, read_lines
from silvershield.ads.queries import default_rulebook, get_rulebook

LABELLED_SET = Path(__file__).resolve().parents[2] / "data" / "labelled_ads.jsonl"
_BATCH = 2000


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date 应为 YYYY-MM-DD，收到 {value!r}") from exc


def load_rulebook(*, no_db: bool, on: date | None) -> CompiledRulebook:
    """The rulebook a command runs with: the database's, or the shipped defaults with --no-db."""
    if no_db:
        return default_rulebook(on=on or timezone.localdate())
    try:
        return get_rulebook(on=on)
    except DatabaseError as exc:
        raise CommandError(
            f"读取广告规则失败（{exc}）。请先运行 silvershield migrate，或加 --no-db 使用内置规则。"
        ) from exc


class Command(BaseCommand):
    verbose = False
    help = "Ad monitoring: check ads against the rulebook, evaluate it, benchmark it."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="{check,evaluate,benchmark,ingest,benchmark-ingest,rejection-rates}",
        )

        def rulebook_options(sub):
            sub.add_argument(
                "--no-db", action="store_true", help="use the shipped default rulebook, not the database"
            )
            sub.add_argument(
                "--date", help="check against the rules in force on this day (YYYY-MM-DD; default today)"
            )

        check = actions.add_parser("check", help="check a JSON Lines file of ads and print the violations")
        check.add_argument("file", help='JSON Lines file, one {"text", "product_type"} a line; "-" for stdin')
        check.add_argument(
            "--stop-on-error", action="store_true", help="stop at the first malformed line (exit 1)"
        )
        check.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="longest text accepted")
        rulebook_options(check)

        evaluate = actions.add_parser("evaluate", help="precision and recall per article on a labelled set")
        evaluate.add_argument(
            "--file", default=str(LABELLED_SET), help="labelled JSON Lines (default: the shipped set)"
        )
        evaluate.add_argument(
            "--details", action="store_true", help="list every missed and every wrong article"
        )
        rulebook_options(evaluate)

        benchmark = actions.add_parser(
            "benchmark", help="ads per second: checker, ads check end to end, baseline"
        )
        benchmark.add_argument(
            "--n", type=int, default=1_000_000, help="generated ads for the checker and end to end"
        )
        benchmark.add_argument("--baseline-n", type=int, default=50_000, help="ads for the slow re baseline")
        benchmark.add_argument("--seed", type=int, default=20261128)
        benchmark.add_argument("--skip-end-to-end", action="store_true")
        rulebook_options(benchmark)

        ingest = actions.add_parser("ingest", help="store ads from an xlsx, csv or jsonl file, checked")
        ingest.add_argument("file", help="the file (.xlsx, .csv, .jsonl)")
        ingest.add_argument("--skip-bad", action="store_true", help="store the good rows, report the bad ones")
        ingest.add_argument("--user", help="the ad monitor the ads are recorded by (username)")
        ingest.add_argument("--bureau", help="bureau code, when no --user is given")

        bench_ingest = actions.add_parser(
            "benchmark-ingest", help="generate ads and ingest them into the configured database"
        )
        bench_ingest.add_argument("--ads", type=int, default=1_000_000)
        bench_ingest.add_argument("--chunk", type=int, default=2000)
        bench_ingest.add_argument("--seed", type=int, default=20261129)
        bench_ingest.add_argument("--bureau", help="bureau code (default: the top bureau)")

        actions.add_parser("rejection-rates", help="per rule: findings reviewed, confirmed, rejected")

    def handle(self, *args, action: str, **options):
        if action == "ingest":
            from silvershield.ads.ingest_command import run_ingest

            run_ingest(self, options)
            return
        if action == "benchmark-ingest":
            from silvershield.ads.ingest_benchmark import run_ingest_benchmark

            if options["ads"] < 1:
                raise CommandError("--ads 须为正整数")
            run_ingest_benchmark(
                n=options["ads"], chunk=options["chunk"], seed=options["seed"], bureau_code=options["bureau"],
                write=self.stdout.write,
            )
            return
        if action == "rejection-rates":
            from silvershield.ads.queries import rejection_rates

            rows = rejection_rates()
            if not rows:
                self.stdout.write("尚无审核记录")
            for r in rows:
                self.stdout.write(
                    f"{r['article']}\t{r['rule__code']}\t审核 {r['reviewed']}\t确认 {r['confirmed']}"
                    f"\t驳回 {r['rejected']}\t驳回率 {r['rate']:.0%}"
                )
            return
        rulebook = load_rulebook(no_db=options["no_db"], on=_parse_date(options["date"]))
        if action == "check":
            self.verbose = options["verbosity"] > 1
            self.check_file(
                rulebook=rulebook,
                path=options["file"],
                stop_on_error=options["stop_on_error"],
                max_chars=options["max_chars"],
            )
        elif action == "evaluate":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"找不到标注集 {path}")
            report = evaluate_file(rulebook=rulebook, path=path)
            self.stdout.write(format_report(report=report, details=options["details"]))
        else:
            if options["n"] < 1 or options["baseline_n"] < 1:
                raise CommandError("--n 和 --baseline-n 须为正整数")
            run_benchmark(
                rulebook=rulebook,
                n=options["n"],
                baseline_n=options["baseline_n"],
                seed=options["seed"],
                end_to_end=not options["skip_end_to_end"],
                write=self.stdout.write,
                no_db=options["no_db"],
            )

    def check_file(
        self, *, rulebook: CompiledRulebook, path: str, stop_on_error: bool, max_chars: int
    ) -> None:
        """One {"text", "product_type", "violations"} line per ad, in input order; bad lines to stderr."""
        if path == "-":
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            self._check_stream(
                rulebook=rulebook, lines=stream, stop_on_error=stop_on_error, max_chars=max_chars
            )
            return
        try:
            # Bytes, so one line that is not UTF-8 is reported and the rest still read.
            handle = open(path, "rb")
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror}") from exc
        with handle:
            self._check_stream(
                rulebook=rulebook, lines=handle, stop_on_error=stop_on_error, max_chars=max_chars
            )

    def _check_stream(
        self, *, rulebook: CompiledRulebook, lines, stop_on_error: bool, max_chars: int
    ) -> None:
        check = rulebook.check
        dumps = json.dumps
        out: list[str] = []
        checked = errors = 0
        for parsed in read_lines(lines, max_chars=max_chars):
            if not isinstance(parsed, AdLine):
                errors += 1
                if out:
                    self.stdout.write("\n".join(out))
                    out.clear()
                if stop_on_error:
                    raise CommandError(f"{parsed}（已停止；去掉 --stop-on-error 可跳过坏行继续）")
                self.stderr.write(str(parsed))
                continue
            violations = [v.as_output() for v in check(text=parsed.text, product_type=parsed.product_type)]
            out.append(
                dumps(
                    {"text": parsed.text, "product_type": parsed.product_type, "violations": violations},
                    ensure_ascii=False,
                )
            )
            checked += 1
            if len(out) >= _BATCH:
                self.stdout.write("\n".join(out))
                out.clear()
        if out:
            self.stdout.write("\n".join(out))
        if errors or self.verbose:
            self.stderr.write(f"已检查 {checked} 条广告，{errors} 行有误（规则版本 {rulebook.version}）")
