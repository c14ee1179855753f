"""`silvershield entities import|recompute-risk|redetect|benchmark|benchmark-import`.

import FILE [--skip-bad]      business-registration data (.xlsx/.csv), upsert by USCC, row report on errors
recompute-risk                 scores and tiers of every entity, in bulk
redetect                       re-apply the elderly-related rulebook to every entity
benchmark --entities N         build N elderly-related entities with leads and cases, time recompute-risk
benchmark-import --rows N      write an N-row csv, import it, print seconds and peak memory
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import psutil
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from silvershield.core.identifiers import uscc_check_character


class PeakMemory:
    """Samples the process's resident memory every 50 ms; `peak` in bytes."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


SCOPES = [
    ("保健食品（预包装）销售；日用百货销售", "保健品店"),
    ("养老服务；老年人养护服务", "养老服务有限公司"),
    ("第二类医疗器械销售；康复辅具适配服务", "医疗器械经营部"),
    ("药品零售；保健食品销售", "大药房"),
    ("旅游业务；康养服务", "康养旅游有限公司"),
    ("餐饮服务；小餐饮", "餐饮店"),
    ("日用百货销售；五金产品零售", "商贸有限公司"),
]
DIVISIONS = ["150402", "150403", "150404", "150421", "150422", "150423", "150424", "150425", "150426",
             "150428", "150429", "150430"]


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in psutil.getloadavg())


def _server_note() -> str:
    from django.db import connection

    # SQLite runs inside this process; PostgreSQL's own CPU time is not counted here.
    return " (database included)" if connection.vendor == "sqlite" else " (PostgreSQL's not included)"


def synthetic_uscc(n: int) -> str:
    body = f"92{DIVISIONS[n % len(DIVISIONS)]}MA{n % 10**7:07d}"
    return body + uscc_check_character(body)


class Command(BaseCommand):
    help = "Market entities: import, risk recomputation, elderly-related detection, benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import business-registration data (.xlsx or .csv)")
        imp.add_argument("file")
        imp.add_argument("--skip-bad", action="store_true", help="import the good rows, report the bad ones")
        imp.add_argument("--no-risk", action="store_true", help="do not recompute risk tiers afterwards")
        sub.add_parser("recompute-risk", help="recompute scores and tiers of every entity")
        sub.add_parser("redetect", help="re-apply the elderly-related rulebook to every entity")
        bench = sub.add_parser("benchmark", help="time recompute-risk on N synthetic entities")
        bench.add_argument("--entities", type=int, default=300_000)
        bench.add_argument("--keep", action="store_true", help="keep the synthetic rows")
        bimp = sub.add_parser("benchmark-import", help="time the import of an N-row file")
        bimp.add_argument("--rows", type=int, default=1_000_000)
        bimp.add_argument("--keep", action="store_true", help="keep the imported rows")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "import":
            self._import(Path(options["file"]), skip_bad=options["skip_bad"], risk=not options["no_risk"])
        elif action == "recompute-risk":
            from silvershield.entities.risk import recompute_risk

            started = time.perf_counter()
            changed = recompute_risk(None)
            self.stdout.write(f"recomputed risk: {changed} entities changed in {time.perf_counter() - started:.1f} s")
        elif action == "redetect":
            from silvershield.entities.detection import redetect_all

            self.stdout.write(f"elderly-related detection changed {redetect_all()} entities")
        elif action == "benchmark":
            self._benchmark(options["entities"], keep=options["keep"])
        elif action == "benchmark-import":
            self._benchmark_import(options["rows"], keep=options["keep"])

    def _import(self, path: Path, *, skip_bad: bool, risk: bool) -> None:
        from silvershield.entities.importer import import_entities, read_rows
        from silvershield.entities.risk import recompute_risk

        if not path.exists():
            raise CommandError(f"{path}: no such file")
        bar = tqdm(desc="rows", unit=" rows", file=sys.stderr, mininterval=0.5)
        started = time.perf_counter()
        run = import_entities(read_rows(path), file_name=path.name, actor=None, skip_bad=skip_bad, progress=bar.update)
        bar.close()
        seconds = time.perf_counter() - started
        for item in run.report:
            self.stderr.write(f"row {item['row']}: {item['field']}: {item['message']} ({item['uscc']})")
        self.stdout.write(
            f"{run.get_status_display()}: {run.rows} rows, {run.created} new, {run.updated} changed, "
            f"{run.unchanged} unchanged, {run.bad} bad, {run.alerts} gate alerts, {seconds:.1f} s"
        )
        if run.status == run.Status.REJECTED:
            raise CommandError("import rejected: nothing written (use --skip-bad to import the good rows)")
        if risk and run.touched_ids:
            started = time.perf_counter()
            ids = run.touched_ids if len(run.touched_ids) < 20000 else None
            recompute_risk(ids)
            self.stdout.write(f"risk recomputed in {time.perf_counter() - started:.1f} s")

    def _benchmark(self, count: int, *, keep: bool) -> None:
        from silvershield.core.demo_data.fast_insert import insert_objects
        from silvershield.entities.models import Entity
        from silvershield.entities.risk import recompute_risk

        self.stdout.write(f"building {count} elderly-related entities …")
        rng = random.Random(7)
        base = 50_000_000
        now = __import__("django.utils.timezone", fromlist=["now"]).now()
        categories = ["health_food", "elderly_care", "medical_device", "drug", "wellness_travel", "therapy", "food"]
        with transaction.atomic():
            batch = []
            for i in range(count):
                batch.append(Entity(
                    id=base + i, uscc=synthetic_uscc(base + i), name=f"基准测试主体{i}", name_core=f"基准测试主体{i}",
                    core_initials=f"jzcszt{i}",
                    legal_representative=f"经营者{i // 4 if i % 50 == 0 else i}", phone=f"1390000{i % 10000:04d}",
                    division_id=DIVISIONS[i % len(DIVISIONS)], is_elderly_related=True,
                    elderly_category=rng.choice(categories), credit_status="abnormal" if i % 97 == 0 else "",
                    created_at=now, updated_at=now,
                ))
                if len(batch) == 20000:
                    insert_objects(Entity, batch)
                    batch = []
            insert_objects(Entity, batch)
        self.stdout.write("recomputing …")
        try:
            started, cpu = time.perf_counter(), time.process_time()
            changed = recompute_risk(None)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            self.stdout.write(
                f"recompute-risk: {count} entities ({changed} rows written) in {seconds:.1f} s wall, "
                f"{cpu:.1f} s CPU of this process{_server_note()}, load average {_load()}"
            )
            started, cpu = time.perf_counter(), time.process_time()
            changed = recompute_risk(None)
            self.stdout.write(
                f"second run (nothing changed): {changed} rows written in {time.perf_counter() - started:.1f} s "
                f"wall, {time.process_time() - cpu:.1f} s CPU"
            )
        finally:
            if not keep:
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM entities_entityrisk WHERE entity_id >= %s AND entity_id < %s", [base, base + count])
                    cursor.execute("DELETE FROM entities_entity WHERE id >= %s AND id < %s", [base, base + count])

    def _benchmark_import(self, rows: int, *, keep: bool) -> None:
        from silvershield.entities.importer import import_entities, read_rows

        path = Path(tempfile.mkdtemp()) / "registry.csv"
        started = time.perf_counter()
        today = date.today()
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["统一社会信用代码", "名称", "法定代表人", "住所", "联系电话", "行政区划", "经营范围", "登记状态", "成立日期"])
            for i in range(rows):
                scope, suffix = SCOPES[i % len(SCOPES)]
                n = 70_000_000 + i
                writer.writerow([
                    synthetic_uscc(n), f"赤峰市测试{i}{suffix}", "张三", f"内蒙古赤峰市红山区测试路{i}号",
                    "13900000000", DIVISIONS[i % len(DIVISIONS)], scope, "存续",
                    (today - timedelta(days=400 + i % 5000)).isoformat(),
                ])
        self.stdout.write(f"wrote {rows} rows in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        bar = tqdm(total=rows, unit=" rows", file=sys.stderr, mininterval=1)
        with PeakMemory() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            run = import_entities(read_rows(path), file_name=path.name, actor=None, progress=bar.update)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        bar.close()
        self.stdout.write(
            f"import: {run.rows} rows ({run.created} new, {run.bad} bad) in {seconds:.1f} s wall, "
            f"{cpu:.1f} s CPU of this process{_server_note()}, peak memory {memory.peak / 2**20:.0f} MiB, "
            f"load average {_load()}"
        )
        started, cpu = time.perf_counter(), time.process_time()
        run2 = import_entities(read_rows(path), file_name=path.name, actor=None)
        self.stdout.write(
            f"re-import (all unchanged: {run2.unchanged}) in {time.perf_counter() - started:.1f} s wall, "
            f"{time.process_time() - cpu:.1f} s CPU"
        )
        path.unlink()
        if not keep:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM entities_entity WHERE name LIKE %s", ["赤峰市测试%"])
