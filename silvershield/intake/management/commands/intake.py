"""`silvershield intake import-12315|benchmark-import`: the 12315 batch import on the command line.

import-12315 FILE [--mapping M.json] [--skip-bad] [--bureau CODE] [--as USERNAME] [--dry-run]
    Validates every row of FILE (.xlsx or .csv) and imports it into the bureau's ledger as 12315 leads.
    Any bad row: nothing is imported (exit status 1) and each error is listed with its row and field;
    --skip-bad imports the good rows and lists the bad. The same file, or the same work orders, imported
    again add nothing. docs/intake.md describes the columns and the mapping file.

discard-unconfirmed [--hours 24]
    Deletes the files of imports checked on the page but never confirmed (they hold reporters' data in
    clear) and marks those imports expired; run it from cron. The upload page also does it on each check.

benchmark-import [--rows 100000] [--bureau CODE] [--keep]
    Writes a file of that many realistic rows, imports it, prints the seconds and the peak memory, and
    rolls the import back unless --keep (docs/performance.md, "12315 import").
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from silvershield.core.errors import InvalidInput
from silvershield.core.models import OrgUnit, User
from silvershield.intake.imports import (
    FIELDS,
    FileProblem,
    ImportOptions,
    bureau_for,
    discard_unconfirmed,
    load_mapping,
    report_to_text,
    run_import,
)


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _count_rows(path: Path) -> int | None:
    """Rows to expect, for the progress bar: cheap for csv; for xlsx read the sheet's dimension."""
    if path.suffix.lower() == ".csv":
        with open(path, "rb") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    try:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            head = archive.open(name).read(4096).decode("utf-8", "ignore")
        import re

        match = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
        return int(match[1]) - 1 if match else None
    except Exception:  # noqa: BLE001 - only a progress bar's total
        return None


def write_benchmark_file(path: Path, rows: int, *, divisions: list[str], seed: int = 7) -> None:
    """A realistic 12315 export: the default headers, a mix of date spellings, full-width digits."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("12315")
    sheet.append([spec[0] for spec in FIELDS.values()])
    start = date(2025, 1, 1)
    surnames = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
    shops = ["康寿堂保健品店", "夕阳红养老服务中心", "福寿康健康咨询有限公司", "益年堂健康体验馆", "长青旅游服务部"]
    texts = [
        "老人参加免费健康讲座后被以高价推销保健食品，声称可治疗高血压，要求退款",
        "该店以送鸡蛋为名吸引老人，现场推销理疗仪器，价格远高于市场价",
        "某公司宣传养老公寓项目，承诺高额返利，老人投入积蓄后无法取回",
        "以低价旅游为名组织老人购物，强迫购买玉石和保健品",
        "声称可代办养老保险补缴，收取费用后失联",
    ]
    for i in range(rows):
        day = start + timedelta(days=rng.randrange(300))
        spelling = i % 4
        received = (day if spelling == 0 else f"{day.year}/{day.month}/{day.day}" if spelling == 1
                    else f"{day.year}年{day.month}月{day.day}日" if spelling == 2
                    else (day - date(1899, 12, 30)).days)
        phone = f"13{rng.randrange(10**9):09d}"
        if i % 10 == 0:
            phone = phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        sheet.append([
            f"BM12315{i:010d}", received, rng.choice(surnames) + "女士", phone, "",
            f"赤峰{rng.choice(shops)}", "", f"某街道{rng.randrange(1, 300)}号", rng.choice(divisions),
            rng.choice(texts), str(rng.randrange(60, 95)), f"{rng.randrange(100, 50000)}",
        ])
    raw = path.with_suffix(".raw.xlsx")
    book.save(raw)
    _add_dimension(raw, path, f"A1:L{rows + 1}")
    raw.unlink()


def _add_dimension(source: Path, target: Path, ref: str) -> None:
    """openpyxl's write-only mode leaves out <dimension>, which Excel always writes; without it a
    read-only reader scans the whole sheet once more just to size it. Put it in, as Excel would."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith("xl/worksheets/sheet"):
                with src.open(info) as reader, dst.open(info.filename, "w") as writer:
                    first = True
                    for block in iter(lambda r=reader: r.read(1 << 20), b""):
                        if first:
                            block = block.replace(b"</sheetPr>", f'</sheetPr><dimension ref="{ref}"/>'.encode(), 1)
                            first = False
                        writer.write(block)
            else:
                dst.writestr(info, src.read(info))


class Command(BaseCommand):
    help = "The 12315 batch import: import-12315 FILE, benchmark-import --rows N."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-12315", help="Import a 12315 export (.xlsx or .csv).")
        imp.add_argument("file")
        imp.add_argument("--mapping", help="JSON file: {field: header or [headers]} (docs/intake.md)")
        imp.add_argument("--skip-bad", action="store_true", help="Import the good rows, report the bad ones.")
        imp.add_argument("--bureau", help="Code of the bureau whose ledger receives the leads (e.g. 150402).")
        imp.add_argument("--as", dest="username", help="The person the import is recorded under.")
        imp.add_argument("--dry-run", action="store_true", help="Check every row, write nothing.")
        imp.add_argument("--no-progress", action="store_true")
        discard = sub.add_parser(
            "discard-unconfirmed", help="Delete files checked on the import page but never confirmed (for cron)."
        )
        discard.add_argument("--hours", type=float, help="Older than this many hours (default: INTAKE_UNCONFIRMED_HOURS, 24).")
        bench = sub.add_parser("benchmark-import", help="Time the import of a generated file.")
        bench.add_argument("--rows", type=int, default=100_000)
        bench.add_argument("--bureau", help="Bureau code (default: the first bureau).")
        bench.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        bench.add_argument("--keep", action="store_true", help="Commit the imported leads (default: roll back).")

    def handle(self, *args, **options) -> None:
        if options["action"] == "import-12315":
            self._import(options)
        elif options["action"] == "discard-unconfirmed":
            hours = options["hours"]
            done = discard_unconfirmed(older_than=timedelta(hours=hours) if hours is not None else None)
            self.stdout.write(f"已删除{done}个未确认导入的上传文件")
        else:
            self._benchmark(options)

    def _import(self, options) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"找不到文件：{path}")
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"没有用户名为 {options['username']} 的在用账号")
        try:
            bureau = bureau_for(actor, options["bureau"])
            mapping = load_mapping(Path(options["mapping"]) if options["mapping"] else None)
        except (InvalidInput, FileProblem) as exc:
            raise CommandError(str(exc)) from exc
        total = _count_rows(path)
        bar = tqdm(total=total, unit="行", desc="12315导入", disable=options["no_progress"], file=sys.stderr)
        report = run_import(path, ImportOptions(
            bureau=bureau, actor=actor, mapping=mapping, skip_bad=options["skip_bad"], dry_run=options["dry_run"],
            progress=bar.update,
        ))
        bar.close()
        text = report_to_text(report, limit=200)
        if report.file_error or (report.rows_bad and not report.imported):
            self.stderr.write(text)
            raise CommandError("导入未完成：" + (report.file_error or "有错误行，未导入任何数据（可用 --skip-bad 只导入正确的行）"))
        self.stdout.write(text)
        if report.rows_bad:
            self.stderr.write(f"已跳过{report.rows_bad}行错误数据，见上方列表")

    def _benchmark(self, options) -> None:
        bureau = (OrgUnit.objects.filter(code=options["bureau"]).first() if options["bureau"]
                  else OrgUnit.objects.filter(kind="bureau").order_by("path").first())
        if bureau is None:
            raise CommandError("数据库中还没有市场监管局：请先运行 `silvershield seed`")
        from silvershield.intake.imports import DivisionResolver

        divisions = list({n for n, c in DivisionResolver(bureau).by_name.items() if not n.isdigit()
                          and not n.startswith(("赤峰市", "内蒙古"))})
        rows = options["rows"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"bench.{options['format']}"
            started = time.perf_counter()
            if options["format"] == "csv":
                write_benchmark_file(path.with_suffix(".xlsx"), rows, divisions=divisions)
                _xlsx_to_csv(path.with_suffix(".xlsx"), path)
            else:
                write_benchmark_file(path, rows, divisions=divisions)
            written = time.perf_counter() - started
            size_mb = path.stat().st_size / 1e6
            before_mb = _peak_mb()
            bar = tqdm(total=rows, unit="行", desc="12315导入", file=sys.stderr)
            started, cpu_started = time.perf_counter(), time.process_time()
            with transaction.atomic():
                report = run_import(path, ImportOptions(bureau=bureau, actor=None, progress=bar.update))
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                if not options["keep"]:
                    transaction.set_rollback(True)
            bar.close()
        if not report.imported:
            raise CommandError(report_to_text(report))
        self.stdout.write(
            f"12315 import benchmark ({options['format']}, {rows} rows, {size_mb:.1f} MB file, "
            f"generated in {written:.1f} s)\n"
            f"  imported {report.rows_created} leads into {bureau.name} in {elapsed:.1f} s "
            f"({report.rows_created / elapsed:.0f} rows/s; CPU time of this process {cpu:.1f} s, "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n"
            f"  peak memory (RSS) {_peak_mb():.0f} MB (before the import: {before_mb:.0f} MB)\n"
            f"  {'kept' if options['keep'] else 'rolled back'}"
        )


def _xlsx_to_csv(source: Path, target: Path) -> None:
    import csv

    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True)
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in book.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if v is None else (v.date().isoformat() if hasattr(v, "date") else v) for v in row])
    book.close()
