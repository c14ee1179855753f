"""`silvershield board benchmark`: time the wall board on the current database and print the figures.

    SILVERSHIELD_DATA_DIR=/tmp/ss_board_bench silvershield seed --leads 1000000
    SILVERSHIELD_DATA_DIR=/tmp/ss_board_bench silvershield board benchmark --repeat 50

Measures, for a city leader (the whole city's board), the board page (queries + template render, as the
view does it), the htmx partial after a filter, "show more" in a column, the map data endpoint for each
measure and the big screen. Prints p50/p95/max in milliseconds; asserts nothing (docs/performance.md).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from silvershield.core.models import Role, User
from silvershield.leads.models import Lead


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "The wall board's commands: `benchmark` times the city board and the map data endpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        bench = sub.add_parser("benchmark", help="p50/p95 of the city board and the map data endpoint")
        bench.add_argument("--repeat", type=int, default=50, help="timed runs per measurement (default 50)")
        bench.add_argument("--user", default="", help="username to time as (default: a city leader)")

    def handle(self, *args, action: str, **options) -> None:
        if action == "benchmark":
            self.benchmark(repeat=options["repeat"], username=options["user"])

    def _city_user(self, username: str) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"没有用户 {username}")
            return user
        for role in (Role.LEADER, Role.LEGAL_OFFICER):
            user = User.objects.filter(role=role, unit__parent__isnull=True, is_active=True).first()
            if user:
                return user
        raise CommandError("需要一名市局领导或法制员账号（silvershield seed 会创建）")

    def benchmark(self, *, repeat: int, username: str) -> None:
        from silvershield.board import views

        total = Lead.objects.count()
        if total == 0:
            raise CommandError("数据库中没有线索，请先运行 silvershield seed --leads N")
        user = self._city_user(username)
        factory = RequestFactory()

        def call(view, path: str, htmx: bool = False, **kwargs) -> Callable[[], object]:
            def run():
                request = factory.get(path, HTTP_HX_REQUEST="true") if htmx else factory.get(path)
                request.user = user
                request.htmx = HtmxDetails(request)
                request.session = {}
                response = view(request, **kwargs)
                assert response.status_code == 200, (path, response.status_code)
                if hasattr(response, "render"):
                    response.render()
                return len(response.content)
            return run

        from silvershield.board.queries import BoardFilter, Clock, build_board

        board = build_board(user, BoardFilter(), clock=Clock.on(), limit=0)
        self.stdout.write(
            f"{connection.vendor}: {total:,} leads in the database; {board.total:,} items on {user.username}'s board "
            f"({', '.join(f'{c.key} {c.total:,}' for c in board.columns)})"
        )
        biggest = max(board.columns, key=lambda c: c.total).key
        measurements = [
            ("city board page (queries + render)", call(views.board, "/board/")),
            ("board, filtered to red (htmx partial)", call(views.board, "/board/?colour=red", htmx=True)),
            ("board, one division (htmx partial)", call(views.board, "/board/?division=150402", htmx=True)),
            (f"show more in '{biggest}'", call(views.column_more, f"/board/column/{biggest}/?offset=24", key=biggest)),
            ("map data: open leads", call(views.map_json, "/board/map.json?measure=open")),
            ("map data: overdue items", call(views.map_json, "/board/map.json?measure=overdue")),
            ("big screen page", call(views.screen, "/board/screen/")),
        ]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        self.stdout.write(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall time suffers when the machine is busy; "
                          "CPU time is this process's own work)")
        self.stdout.write(f"{'measurement':<42}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'CPU p50':>9}{'CPU p95':>9}")
        for label, fn in measurements:
            fn()  # warm the caches once, as a running server would be
            samples, cpu = [], []
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                fn()
                samples.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            self.stdout.write(
                f"{label:<42}{statistics.median(samples):>9.1f}{_percentile(samples, 95):>9.1f}{max(samples):>9.1f}"
                f"{statistics.median(cpu):>9.1f}{_percentile(cpu, 95):>9.1f}"
            )
