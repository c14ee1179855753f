"""`silvershield seed`: build the Chifeng demo deployment (silvershield.core.demo_data).

    silvershield seed                        # ~20,000 entities, 3,000 leads, seed 20261128
    silvershield seed --seed 7 --entities 300 --leads 200
    silvershield seed --leads 1000000        # benchmark size, with progress bars
    silvershield seed --flush                # empty a demo database first (deletes everything!)

Refuses to run on a database that already has people in it, unless --flush is given.
"""

from __future__ import annotations

import resource
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from silvershield.core.demo_data import DEMO_PASSWORD, build_deployment
from silvershield.core.demo_data.reset import flush_demo_data, has_seeded_data

DEFAULT_SEED = 20261128


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Build a realistic, deterministic Chifeng deployment: organisation, people, entities, leads, cases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--entities", type=_positive, default=20_000, help="market entities (default 20,000)"
        )
        parser.add_argument(
            "--leads", type=_positive, default=3_000, help="leads in all (default 3,000; up to 10^6)"
        )
        parser.add_argument(
            "--workflow-leads",
            type=_positive,
            default=300,
            help="how many of the most recent leads go through the real workflows (default 300)",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the day all demo dates count back from (YYYY-MM-DD; default today)",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="first delete all people, units, entities, leads, cases and the audit history",
        )

    def handle(
        self,
        *args,
        seed: int,
        entities: int,
        leads: int,
        workflow_leads: int,
        today: date | None,
        flush: bool,
        **options,
    ) -> None:
        verbosity = options.get("verbosity", 1)
        if entities < 12:
            raise CommandError("--entities must be at least 12 (the chain of 12 shops)")
        if leads > 10_000_000:
            raise CommandError("--leads is limited to 10,000,000")
        if has_seeded_data():
            if not flush:
                raise CommandError(
                    "The database already has people and data in it; seed builds a deployment only into an "
                    "empty database. Use --flush to delete everything first (demo databases only)."
                )
            deleted = flush_demo_data()
            self.stderr.write(
                self.style.WARNING(
                    f"--flush: deleted {sum(deleted.values()):,} rows, including "
                    f"{deleted.get('core.AuditEvent', 0):,} audit events"
                )
            )
        today = today or timezone.localdate()
        bars: list[tqdm] = []

        def progress(label: str, total: int):
            for previous in bars:  # one bar at a time: the stages run one after another
                previous.close()
            bar = tqdm(
                total=total,
                desc=f"{label:<15}",
                unit=" rows",
                disable=verbosity < 1 or total == 0,
                file=self.stderr._out,
                dynamic_ncols=True,
                mininterval=0.5,
            )
            bars.append(bar)
            return bar.update

        started = time.perf_counter()
        try:
            summary = build_deployment(
                seed=seed,
                entities=entities,
                leads=leads,
                workflow_leads=workflow_leads,
                today=today,
                progress=progress,
            )
        except Exception as exc:
            raise CommandError(
                f"Seeding failed: {exc}. The workflow-driven leads commit one by one, so the database may be "
                "half-filled: run `silvershield seed --flush` to start again."
            ) from exc
        finally:
            for bar in bars:
                bar.close()
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        parts = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in summary.seconds.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded on {connection.vendor} (seed {seed}, dates counted back from {today}): "
                f"{summary.people:,} people, "
                f"{summary.entities:,} entities, {summary.workflow_leads + summary.history_leads:,} leads "
                f"({summary.workflow_leads:,} through the workflows, {summary.history_leads:,} history)."
            )
        )
        self.stdout.write(f"Elapsed {elapsed:.1f} s ({parts}); peak memory {peak_mb:.0f} MB.")
        self.stdout.write(
            f"Demo sign-ins: city_legal, hongshan_investigator, … password {DEMO_PASSWORD} "
            "(`silvershield users list --demo` prints them all)."
        )
