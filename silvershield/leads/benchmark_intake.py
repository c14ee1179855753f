"""`silvershield leads benchmark-intake`: leads posted through the JSON API by concurrent clients against a
running server, with the duplicate check, entity linking and classification on (they run in every
POST /api/v1/leads), against a registry of N market entities. It prints throughput and p50/p95/p99.

    silvershield leads benchmark-intake --entities 300000 --clients 16 --seconds 20 [--url URL]

Without --url it starts gunicorn on a free local port with --workers processes (the same way
`silvershield demo` serves) on the database the environment names (DATABASE_URL, else SQLite in ./data),
and stops it at the end. The organisation is seeded when the database has no one in it; entities are
added until there are N. It measures; it asserts nothing (results go to docs/performance.md).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import CommandError

TRADE = list("顺康福寿安泰和瑞祥鑫源盛华宁德仁嘉隆昌兴宏达丰茂永金银海天恒信诚润佳美乐惠")
INDUSTRY = ["健康科技", "生物科技", "养老服务", "保健品", "商贸", "医疗器械", "健康管理", "食品", "投资管理", "旅游"]
FORMS = ["有限公司", "有限责任公司", "店", "养生馆", "大药房"]
PLACES = ["赤峰", "赤峰市", "红山区", "松山区", "宁城县", "内蒙古", ""]


def entity_name(rng: random.Random) -> str:
    return rng.choice(PLACES) + "".join(rng.sample(TRADE, 2)) + rng.choice(INDUSTRY) + rng.choice(FORMS)


def seed_entities(target: int, *, out) -> None:
    """Add generated entities (valid USCCs, pinyin initials) until there are `target`."""
    from silvershield.core.identifiers import uscc_check_character
    from silvershield.core.models import Division
    from silvershield.entities.linking import core_name
    from silvershield.entities.models import Entity
    from silvershield.entities.services import char_initials, pinyin_initials

    have = Entity.objects.count()
    if have >= target:
        out.write(f"entities: {have:,} already (≥ {target:,})\n")
        return
    divisions = list(Division.objects.filter(level="county").values_list("code", flat=True)) or ["150402"]
    rng = random.Random(have)
    out.write(f"entities: {have:,} → adding {target - have:,}\n")
    started = time.perf_counter()
    serial = have
    batch: list[Entity] = []
    existing = set()
    while have < target:
        serial += 1
        body = f"9215{serial % 10000:04d}BM{serial:08d}"[:17]
        uscc = body + uscc_check_character(body)
        if uscc in existing:
            continue
        existing.add(uscc)
        name = entity_name(rng)
        batch.append(
            Entity(
                uscc=uscc, name=name, name_initials=pinyin_initials(name), name_core=(core := core_name(name)[:200]),
                core_initials=char_initials(core),
                division_id=rng.choice(divisions),
                address=f"{rng.choice(['红山区', '松山区', '元宝山区', '宁城县'])}{rng.choice(['钢铁街', '昭乌达路', '玉龙大街', '新华路'])}{rng.randint(1, 999)}号",
                phone=f"139{rng.randint(0, 99_999_999):08d}", is_elderly_related=rng.random() < 0.2,
            )
        )
        have += 1
        if len(batch) >= 5000:
            Entity.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
            out.write(f"  {have:,} ({time.perf_counter() - started:.0f} s)\n")
    if batch:
        Entity.objects.bulk_create(batch, ignore_conflicts=True)
    out.write(f"entities: {Entity.objects.count():,} ({time.perf_counter() - started:.0f} s)\n")


def _minimal_organisation(out) -> None:
    """A county bureau and its legal officer, when the database has none (e.g. a fresh benchmark database)."""
    from silvershield.core.models import OrgUnit, Role
    from silvershield.core.testing import build_org, make_person

    county = OrgUnit.objects.filter(parent__isnull=False, kind="bureau").order_by("pk").first()
    if county is None:
        county = build_org().hongshan
    make_person("bench_legal", Role.LEGAL_OFFICER, county, full_name="压测法制员")
    out.write(f"organisation: legal officer bench_legal in {county.name}\n")


def _server_cpu(server) -> float:
    """CPU seconds used so far by the gunicorn master and its workers."""
    import psutil

    if server is None:
        return 0.0
    try:
        parent = psutil.Process(server.pid)
        procs = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def _database_cpu() -> float | None:
    """CPU seconds used so far by the local PostgreSQL backends of this database (None when not local or
    not PostgreSQL); SQLite runs inside the workers, so their CPU already holds it."""
    import psutil
    from django.db import connection

    if connection.vendor != "postgresql" or (connection.settings_dict.get("HOST") or "localhost") not in {
        "localhost", "127.0.0.1", "::1", "",
    }:
        return None
    # The backends serving this database (their title names it: "postgres: USER DB HOST(PORT) …"), not
    # other databases' on the same server; the shared WAL writer and checkpointer are left out.
    marker = f" {connection.settings_dict['NAME']} "
    total = 0.0
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            title = " ".join(proc.info["cmdline"] or [])
            if title.startswith("postgres:") and marker in title + " ":
                t = proc.cpu_times()
                total += t.user + t.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(host: str, port: int, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CommandError(f"the server at {host}:{port} did not answer within {seconds:.0f} s")


def http_post(host: str, port: int, path: str, body: bytes, token: str) -> bytes:
    """One HTTP/1.1 POST of JSON with a bearer token, as bytes ready to send (the connection closes after it,
    as gunicorn's sync workers close it anyway)."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def send_and_read_status(host: str, port: int, message: bytes, timeout: float = 30) -> int:
    """Send one request on a new connection and read the whole answer; its status code. A lean client
    (no header parsing beyond Content-Length), so that the load generator takes little of the cores the
    server is measured on."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(message)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _sep, rest = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/"):
            raise ConnectionError("the server closed the connection without an answer")
        length = None
        for line in head.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        while length is None or len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return int(head[9:12])


def _texts() -> list[str]:
    path = Path(__file__).resolve().parent / "data" / "labelled.jsonl"
    return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]


def run(*, entities: int, clients: int, seconds: float, url: str | None, workers: int, out) -> None:
    from silvershield.core.api_auth import issue_token
    from silvershield.core.models import Role, User
    from silvershield.entities.models import Entity

    if not User.objects.filter(role=Role.LEGAL_OFFICER, unit__parent__isnull=False, is_active=True).exists():
        _minimal_organisation(out)
    seed_entities(entities, out=out)
    from django.db import connection as db

    with db.cursor() as cursor:  # fresh planner statistics after a bulk load, as autovacuum would give later
        cursor.execute("ANALYZE")
    officer = (
        User.objects.filter(role=Role.LEGAL_OFFICER, unit__parent__isnull=False, is_active=True)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    division = officer.unit.division_id
    _token, raw_token = issue_token(user=officer, name="benchmark-intake")
    # Each run draws its own parties and its own pool of 2,001 reporter phones, so the duplicates a lead
    # meets come from this run (each phone ~2–3 times, each party ~10 times in 5,000 leads), not from the
    # leads earlier runs left in the database: runs stay comparable however many came before.
    run_rng = random.Random()
    if entities <= 300_000:
        names = list(Entity.objects.order_by("?").values_list("name", flat=True)[:500])
    else:
        start = run_rng.randint(0, max(0, Entity.objects.count() - 5000))
        names = list(Entity.objects.filter(pk__gt=start, pk__lte=start + 5000).values_list("name", flat=True)[:500])
    phone_prefix, phone_base = f"13{run_rng.randint(0, 9)}", run_rng.randint(0, 99_990_000)
    texts = _texts()

    server = None
    if url is None:
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "silvershield.config.settings"}
        server = subprocess.Popen(
            [gunicorn, "silvershield.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60", "--log-level", "warning"],
            env=env,
        )
        out.write(f"server: gunicorn, {workers} workers, pid {server.pid}, {url}\n")
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    try:
        _wait_ready(host, port)
        latencies: list[float] = []
        errors: dict[str, int] = {}
        lock = threading.Lock()
        stop_at = time.perf_counter() + seconds
        today = date.today().isoformat()

        # Every request is built before the clock starts, so the clients spend their CPU — taken from the
        # same two cores as the server's — on sending and receiving only.
        def request(rng: random.Random) -> bytes:
            name = rng.choice(names)
            body = {
                "channel": rng.choice(["report", "complaint", "hotline"]),
                "received_date": today,
                "division": division,
                "summary": rng.choice(texts),
                # a store-name or abbreviated form of a registered name, so the linker has work to do
                "party_name": name.replace("有限责任公司", "公司").replace("有限公司", "") + rng.choice(["", "门店"]),
                "reporter_phone": f"{phone_prefix}{phone_base + rng.randint(0, 2000):08d}",
                "reporter_is_named": rng.random() < 0.5,
            }
            return http_post(host, port, "/api/v1/leads", json.dumps(body, ensure_ascii=False).encode(), raw_token)

        per_client = max(64, int(seconds * 800 / clients))  # more than any run sends
        prepared = {i: [request(random.Random(i * 1_000_003 + n)) for n in range(per_client)] for i in range(clients)}

        def client(index: int, until: float | None = None, warmup: int = 0) -> None:
            mine: list[float] = []
            bodies = prepared.get(index) or [request(random.Random(index))] * max(warmup, 1)
            sent = 0
            while (time.perf_counter() < (until or stop_at)) if not warmup else sent < warmup:
                message = bodies[sent % len(bodies)]
                sent += 1
                started = time.perf_counter()
                try:
                    status = send_and_read_status(host, port, message)
                except OSError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                if status == 201:
                    mine.append(elapsed)
                else:
                    with lock:
                        errors[str(status)] = errors.get(str(status), 0) + 1
            if not warmup:
                with lock:
                    latencies.extend(mine)

        # Warm every worker first (imports, the classifier, pinyin tables): not counted.
        warm = [threading.Thread(target=client, args=(1000 + i,), kwargs={"warmup": 4}) for i in range(clients)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        errors.clear()
        cpu_before = _server_cpu(server)
        db_cpu_before = _database_cpu()
        clients_cpu_before = time.process_time()
        stop_at = time.perf_counter() + seconds
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
        clients_cpu_used = time.process_time() - clients_cpu_before
        cpu_used = _server_cpu(server) - cpu_before if server is not None else None
        db_cpu_after = _database_cpu()
        db_cpu_used = db_cpu_after - db_cpu_before if db_cpu_before is not None and db_cpu_after is not None else None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    from django.db import connection

    ok = len(latencies)
    out.write(f"database: {connection.vendor}; entities: {Entity.objects.count():,}; clients: {clients}; {wall:.1f} s\n")
    if not ok:
        raise CommandError(f"no lead was accepted; errors: {errors}")
    cuts = statistics.quantiles(latencies * 2 if ok == 1 else latencies, n=100)
    out.write(
        f"leads accepted: {ok:,}  throughput: {ok / wall:.1f} leads/s  "
        f"p50 {cuts[49] * 1000:.0f} ms  p95 {cuts[94] * 1000:.0f} ms  p99 {cuts[98] * 1000:.0f} ms  "
        f"errors: {sum(errors.values())} {errors or ''}\n"
    )
    if cpu_used:
        per_lead = cpu_used / ok * 1000
        db_per_lead = db_cpu_used / ok * 1000 if db_cpu_used is not None else 0.0
        out.write(
            f"CPU per lead: gunicorn workers {per_lead:.1f} ms"
            + (f" + PostgreSQL {db_per_lead:.1f} ms" if db_cpu_used is not None else "")
            + f" → at most ~{(os.cpu_count() or 1) * 1000 / (per_lead + db_per_lead):.0f} leads/s on "
            f"{os.cpu_count()} idle cores (the clients' own CPU not counted: {clients_cpu_used / ok * 1000:.1f} ms); "
            f"load average now {os.getloadavg()[0]:.1f}\n"
        )
