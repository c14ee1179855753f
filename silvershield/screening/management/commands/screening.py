"""`silvershield screening benchmark|reindex`.

benchmark --leads N   builds N registered leads in a throw-away transaction (rolled back) and times building
                      the meeting agenda over them: index refresh, clusters, recommendation for each lead.
reindex               re-extracts every lead's cluster keys (clusters.py).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Screening meeting: benchmark the agenda, or rebuild the cluster index."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        bench = sub.add_parser("benchmark", help="Time building an agenda of N leads.")
        bench.add_argument("--leads", type=int, default=1000)
        bench.add_argument("--repeat", type=int, default=5)
        sub.add_parser("reindex", help="Rebuild the cluster key index of every lead.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "reindex":
            from silvershield.screening.clusters import index_leads
            from silvershield.leads.models import Lead

            done = 0
            ids = list(Lead.objects.values_list("pk", flat=True))
            for start in range(0, len(ids), 2000):
                done += index_leads(Lead.objects.filter(pk__in=ids[start:start + 2000]).select_related("party_entity"))
            self.stdout.write(f"indexed {done} leads")
            return
        self._benchmark(options["leads"], options["repeat"])

    def _benchmark(self, count: int, repeat: int) -> None:
        from silvershield.core.models import Division, OrgUnit, OrgUnitKind, Role, Speciality, User
        from silvershield.leads.models import Channel, FraudCategory, Lead, LeadState, ProductDomain
        from silvershield.screening.agenda import build_agenda
        from silvershield.screening.clusters import refresh_index

        rng = random.Random(7)
        try:
            with transaction.atomic():
                city = OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, parent__isnull=True).first()
                if city is None:
                    city = OrgUnit.objects.create(code="B150400", name="赤峰市市场监督管理局（基准）", kind=OrgUnitKind.BUREAU,
                                                  division=Division.objects.get(code="150400"))
                    OrgUnit.objects.create(code="B150400-ZF", name="执法稽查局（基准）", kind=OrgUnitKind.ENFORCEMENT, parent=city,
                                           division=city.division)
                counties = list(Division.objects.filter(level="county").order_by("code")[:12])
                bureaus = {b.division_id: b for b in OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU, parent=city)}
                for d in counties:
                    if d.code not in bureaus:
                        bureaus[d.code] = OrgUnit.objects.create(code=f"B{d.code}", name=f"{d.name}市场监督管理局（基准）",
                                                                 kind=OrgUnitKind.BUREAU, parent=city, division=d)
                officers = []
                for n, bureau in enumerate(bureaus.values()):
                    for i in range(10):
                        officers.append(User(username=f"bench_{n}_{i}", role=Role.INVESTIGATOR, unit=bureau, full_name=f"执法{n}-{i}",
                                             credential_number=f"B{n:02d}{i:04d}",
                                             specialities=rng.sample(list(Speciality.values), k=2)))
                User.objects.bulk_create(officers)
                now = timezone.now()
                today = timezone.localdate()
                leads = []
                codes = list(bureaus)
                for i in range(count):
                    code = rng.choice(codes)
                    phone = f"13{rng.randint(100000000, 999999999)}" if rng.random() < 0.9 else "13900001111"
                    leads.append(Lead(
                        bureau=bureaus[code], division_id=code, state=LeadState.REGISTERED, channel=rng.choice(Channel.values),
                        received_date=today - timedelta(days=rng.randint(0, 10)), category=rng.choice(FraudCategory.values[:6]),
                        product_domain=rng.choice(ProductDomain.values), summary=f"基准线索{i}：某店以免费讲座推销保健品，联系电话{phone}。",
                        party_name=f"基准保健品店{i % 400}", party_key=f"基准{i % 400}", registered_at=now,
                        due_date=today + timedelta(days=rng.randint(0, 20)), number=f"BENCH-{i:06d}",
                    ))
                Lead.objects.bulk_create(leads, batch_size=1000)
                t0 = time.perf_counter()
                refresh_index()
                index_time = time.perf_counter() - t0
                times, cpu = [], []
                agenda = None
                for _ in range(repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    agenda = build_agenda(bureau=city, day=today)
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
                on_agenda = sum(1 for i in agenda.items if i.lead.number and i.lead.number.startswith("BENCH-"))
                self.stdout.write(f"leads on the agenda: {len(agenda.items)} ({on_agenda} benchmark leads); clusters: {len(agenda.clusters)}")
                self.stdout.write(f"first index of {count} leads: {index_time:.3f} s")
                self.stdout.write(
                    f"agenda build ({repeat} runs): median {statistics.median(times):.3f} s, best {min(times):.3f} s, "
                    f"worst {max(times):.3f} s (goal ≤ 1 s)"
                )
                self.stdout.write(
                    f"agenda build CPU time of this process: median {statistics.median(cpu):.3f} s, best {min(cpu):.3f} s "
                    f"(wall time includes waiting for the database and for other processes on a shared machine)"
                )
                raise _Rollback
        except _Rollback:
            pass
        if not count:
            raise CommandError("--leads must be positive")
