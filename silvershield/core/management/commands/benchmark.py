"""`silvershield benchmark`: time the reads that must stay flat as the ledger grows (DESIGN.md section 6).

Run it on a seeded database of the size you care about, e.g.
    silvershield seed --leads 1000000 && silvershield benchmark
and copy the figures into docs/performance.md. It measures; it asserts nothing.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries

from silvershield.core.models import Role, User
from silvershield.leads.models import Lead
from silvershield.leads.queries import LedgerFilter, filter_ledger, get_lead_for_user, leads_visible_to, ledger_page


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm the caches once, as a running server would be
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


class Command(BaseCommand):
    help = "Time ledger pages, filters and look-ups on the current database and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="runs per measurement (median is reported)")
        parser.add_argument("--page-size", type=int, default=50)

    def handle(self, *args, repeat: int, page_size: int, **options):
        total = Lead.objects.count()
        if total == 0:
            raise CommandError("数据库中没有线索，请先运行 silvershield seed --leads N")
        city = User.objects.filter(role=Role.LEGAL_OFFICER, unit__parent__isnull=True).first()
        county = User.objects.filter(role=Role.LEGAL_OFFICER, unit__parent__isnull=False).first()
        investigator = User.objects.filter(role=Role.INVESTIGATOR, assigned_leads__isnull=False).first()
        if not (city and county):
            raise CommandError("需要市局和旗县区局的法制员账号（silvershield seed 会创建）")

        def first_page(user):
            return lambda: ledger_page(leads_visible_to(user), after=None, size=page_size)

        deep_rows = list(leads_visible_to(city).order_by("-received_date", "-id").values_list("received_date", "id")[
            total * 9 // 10 : total * 9 // 10 + 1
        ])
        deep_key = deep_rows[0] if deep_rows else None
        sample_id = Lead.objects.order_by("-id").values_list("id", flat=True).first()
        filtered = LedgerFilter(state="verifying", category="product_sales")

        measurements = [
            ("ledger page 1, city legal officer", first_page(city)),
            ("ledger page 1, county legal officer", first_page(county)),
            ("ledger page at 90% depth (keyset), city", lambda: ledger_page(leads_visible_to(city), after=deep_key,
                                                                           size=page_size)),
            ("ledger filtered (state+category), city", lambda: ledger_page(
                filter_ledger(leads_visible_to(city), filtered), after=None, size=page_size)),
            ("ledger text search 康寿, county", lambda: ledger_page(
                filter_ledger(leads_visible_to(county), LedgerFilter(text="康寿")), after=None, size=page_size)),
            ("lead page look-up (scoped get)", lambda: get_lead_for_user(city, sample_id)),
        ]
        if investigator:
            measurements.append(("ledger page 1, county investigator", first_page(investigator)))

        self.stdout.write(f"database: {connection.vendor}; leads: {total:,}; page size: {page_size}; runs: {repeat}")
        self.stdout.write(f"{'measurement':<46}{'median ms':>12}{'max ms':>10}")
        for label, fn in measurements:
            reset_queries()
            median, worst = _time(fn, repeat)
            self.stdout.write(f"{label:<46}{median:>12.2f}{worst:>10.2f}")
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(f"peak memory of this process: {peak_kb / 1024:.0f} MiB")
