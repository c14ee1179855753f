"""Import of business-registration data (登记注册数据), xlsx or csv, streamed and upserted by USCC.

Rows are read one at a time (csv module, or openpyxl in read-only mode) and written in chunks of
CHUNK rows: new credit codes are inserted, rows whose fields differ are updated with one UPDATE audit
event naming the changed fields, unchanged rows are not touched (a re-import is safe). Every bad row
(wrong USCC or checksum, unknown division, missing name, unknown status, bad date, duplicate code in the
file) goes into the row-level report. By default nothing is written when any row is bad (the whole
import is one transaction, rolled back); with `skip_bad` the good rows are imported and the bad ones
reported. Moves into deregistration pass the deregistration gate; new elderly-related registrations are
flagged for a first visit (entities.gates).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import queue
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from operator import mul
from pathlib import Path
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from silvershield.core.demo_data.fast_insert import reset_sequences
from silvershield.core.identifiers import USCC_ALPHABET, InvalidIdentifier, validate_uscc
from silvershield.core.models import AuditChainHead, AuditEvent, Division, User
from silvershield.entities.detection import Detector
from silvershield.entities.gates import FIRST_VISIT_WINDOW_DAYS
from silvershield.entities.linking import core_name
from silvershield.entities.models import CreditStatus, Entity, EntityStatus, ImportRun
from silvershield.entities.services import char_initials

CHUNK = 5000
REPORT_LIMIT = 2000

# Column headers (Chinese as the registration system exports them, or the English field names).
HEADERS = {
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "name": ("名称", "企业名称", "主体名称", "name"),
    "legal_representative": ("法定代表人", "经营者", "负责人", "legal_representative"),
    "address": ("住所", "地址", "经营场所", "address"),
    "phone": ("联系电话", "电话", "phone"),
    "division": ("行政区划", "所属区划", "区划代码", "division"),
    "business_scope": ("经营范围", "business_scope"),
    "status": ("登记状态", "经营状态", "status"),
    "registration_date": ("成立日期", "登记日期", "registration_date"),
    "credit_status": ("信用状态", "credit_status"),
}
STATUS_WORDS = {
    "": EntityStatus.ACTIVE, "存续": EntityStatus.ACTIVE, "在业": EntityStatus.ACTIVE, "开业": EntityStatus.ACTIVE,
    "active": EntityStatus.ACTIVE, "注销中": EntityStatus.DEREGISTERING, "deregistering": EntityStatus.DEREGISTERING,
    "注销": EntityStatus.DEREGISTERED, "已注销": EntityStatus.DEREGISTERED, "吊销": EntityStatus.DEREGISTERED,
    "吊销未注销": EntityStatus.DEREGISTERED, "deregistered": EntityStatus.DEREGISTERED,
}
CREDIT_WORDS = {
    "": CreditStatus.NONE, "无": CreditStatus.NONE, "经营异常": CreditStatus.ABNORMAL,
    "列入经营异常名录": CreditStatus.ABNORMAL, "abnormal": CreditStatus.ABNORMAL,
    "严重违法失信": CreditStatus.SERIOUS, "列入严重违法失信名单": CreditStatus.SERIOUS, "serious": CreditStatus.SERIOUS,
}
COMPARED = [
    "name", "legal_representative", "address", "phone", "division_id", "business_scope", "status",
    "registration_date", "credit_status",
]
_INDEX = {c: i for i, c in enumerate(USCC_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class _Found(NamedTuple):
    elderly: bool
    category: str
    reasons: list
    keywords: str  # the reason text, as stored in elderly_keywords
    json_reasons: str


class BadRow(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def fast_uscc(value: Any) -> str:
    """The normalised code; the common, clean case without regexes (validate_uscc words the errors)."""
    text = value.strip().upper() if isinstance(value, str) else str(value or "").strip().upper()
    if len(text) == 18:
        try:
            total = sum(map(mul, map(_INDEX.__getitem__, text[:17]), _WEIGHTS))
        except KeyError:
            total = None
        if total is not None and text[2:8].isdigit() and USCC_ALPHABET[(31 - total % 31) % 31] == text[17]:
            return text
    try:
        return validate_uscc(str(value or ""))
    except InvalidIdentifier as exc:
        raise BadRow("uscc", str(exc)) from exc


# entities.linking.core_name without its cache: an import's names are each new, and would only push the
# names linking looks up again and again out of that cache.
_core = core_name.__wrapped__


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        y, m, d = text.split("-")
        return date(int(y), int(m), int(d))
    except ValueError as exc:
        raise BadRow("registration_date", f"成立日期“{text}”无法识别，应为 YYYY-MM-DD") from exc


def read_rows(path: Path | str, fileobj: Any = None) -> Iterator[dict[str, Any]]:
    """Rows as {field: value}, streamed, from a .csv or .xlsx file; the header row names the columns."""
    name = str(path).lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(fileobj or path, read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            header = next(rows, None)
            yield from _mapped(header, rows)
        finally:
            book.close()
    elif name.endswith(".csv"):
        handle = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="") if fileobj else open(
            path, encoding="utf-8-sig", newline=""
        )
        with handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            yield from _mapped(header, reader)
    else:
        raise BadRow("file", "只能导入 .xlsx 或 .csv 文件")


def _mapped(header: Any, rows: Any) -> Iterator[dict[str, Any]]:
    if not header:
        raise BadRow("file", "文件为空，第一行应为列名")
    lookup = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
    columns = [lookup.get(str(h or "").strip()) for h in header]
    missing = [HEADERS[f][0] for f in ("uscc", "name", "division") if f not in columns]
    if missing:
        raise BadRow("file", "缺少必需的列：" + "、".join(missing))
    for row in rows:
        yield {f: v for f, v in zip(columns, row, strict=False) if f}


class Importer:
    def __init__(self, *, actor: User | None, skip_bad: bool, run: ImportRun) -> None:
        self.actor, self.skip_bad, self.run = actor, skip_bad, run
        self.divisions: dict[str, str] = {}
        for d in Division.objects.all():
            self.divisions[d.code] = d.code
            self.divisions[d.name] = d.code
        self.detector = Detector()
        self._name_automaton = self.detector._name
        self._name_automaton_ready = bool(self.detector._name_n)
        self._detect_cache: dict[tuple, Any] = {}
        self.seen: set[str] = set()
        self.report: list[dict] = []
        self.now = timezone.now()
        self.deregistered: list[Entity] = []
        self.new_entities: list[Entity] = []
        self.touched: list[int] = []
        self.new_since = timezone.localdate() - timedelta(days=FIRST_VISIT_WINDOW_DAYS)  # see is_new_registration
        self.next_id: int | None = None  # of the next new entity (max + 1 once, then counted)
        self._writer: _CopyWriter | None = None  # PostgreSQL: started at the first chunk, see `writer`
        self.chain: _Chain | None = None

    def bad(self, number: int, uscc: str, field: str, message: str) -> None:
        self.run.bad += 1
        if len(self.report) < REPORT_LIMIT:
            label = HEADERS[field][0] if field in HEADERS else "文件"
            self.report.append({"row": number, "uscc": uscc, "field": field, "label": label, "message": message})

    def parse(self, number: int, raw: dict[str, Any]) -> dict[str, Any] | None:
        uscc_raw = str(raw.get("uscc") or "").strip()
        try:
            uscc = fast_uscc(uscc_raw)
            if uscc in self.seen:
                raise BadRow("uscc", "统一社会信用代码在文件中重复出现")
            name = str(raw.get("name") or "").strip()
            if not name:
                raise BadRow("name", "名称为空")
            if len(name) > 200:
                raise BadRow("name", "名称超过200字")
            division_text = str(raw.get("division") or "").strip()
            division = self.divisions.get(division_text)
            if division is None:
                raise BadRow("division", f"行政区划“{division_text}”不存在")
            status_text = str(raw.get("status") or "").strip()
            status = STATUS_WORDS.get(status_text)
            if status is None:
                raise BadRow("status", f"登记状态“{status_text}”无法识别（应为存续、注销中、注销或吊销）")
            credit_text = str(raw.get("credit_status") or "").strip()
            credit = CREDIT_WORDS.get(credit_text)
            if credit is None:
                raise BadRow("credit_status", f"信用状态“{credit_text}”无法识别")
            row = {
                "uscc": uscc, "name": name,
                "legal_representative": str(raw.get("legal_representative") or "").strip()[:50],
                "address": str(raw.get("address") or "").strip()[:200],
                "phone": str(raw.get("phone") or "").strip()[:30],
                "division_id": division,
                "business_scope": str(raw.get("business_scope") or "").strip(),
                "status": str(status), "registration_date": _date(raw.get("registration_date")),
                "credit_status": str(credit),
            }
        except BadRow as exc:
            self.bad(number, uscc_raw, exc.field, exc.message)
            return None
        self.seen.add(uscc)
        return row

    def write_chunk(self, rows: list[dict[str, Any]], events: list) -> None:
        existing = {
            r[1]: r
            for r in Entity.objects.filter(uscc__in=[row["uscc"] for row in rows]).values_list(
                "id", "uscc", *COMPARED, "is_elderly_related"
            ).order_by()
        }
        new: list[dict[str, Any]] = []
        updates: list[tuple] = []
        for row in rows:
            old = existing.get(row["uscc"])
            if old is None:
                entity = dict(row)
                self._derive_dict(entity)
                new.append(entity)
                continue
            changes = {f: (old[2 + i], row[f]) for i, f in enumerate(COMPARED) if old[2 + i] != row[f]}
            if not changes:
                self.run.unchanged += 1
                continue
            entity = Entity(id=old[0], uscc=row["uscc"], **row_without_uscc(row), updated_at=self.now)
            self._derive(entity)
            updates.append(entity)
            events.append(self._event(entity.pk, AuditEvent.Action.UPDATE, {
                ("division" if k == "division_id" else k): [_plain(a), _plain(b)] for k, (a, b) in changes.items()
            }))
            if "status" in changes and row["status"] != EntityStatus.ACTIVE:
                self.deregistered.append(entity)
            self.touched.append(entity.pk)
        if new:
            if self.next_id is None:
                self.next_id = (Entity.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            for offset, entity in enumerate(new, start=self.next_id):
                entity["id"] = offset
            self.next_id += len(new)
            self._insert(new)
            create = str(AuditEvent.Action.CREATE)
            for entity in new:
                event = self._event(entity["id"], create, None)
                # compute_hash's json.dumps(sort_keys=True) of {"name", "status", "uscc"}, written directly.
                event.changes_json = (
                    f'{{"name": [null, {_json_str(entity["name"])}], "status": [null, {_json_str(entity["status"])}], '
                    f'"uscc": [null, {_json_str(entity["uscc"])}]}}'
                )
                events.append(event)
                if entity["is_elderly_related"]:
                    self.touched.append(entity["id"])
                flag = entity["is_elderly_related"] and (
                    entity["registration_date"] is None or entity["registration_date"] >= self.new_since
                )
                if flag or entity["status"] != EntityStatus.ACTIVE:
                    light = Entity(
                        id=entity["id"], uscc=entity["uscc"], name=entity["name"], status=entity["status"],
                        division_id=entity["division_id"], is_elderly_related=entity["is_elderly_related"],
                        registration_date=entity["registration_date"], elderly_keywords=entity["elderly_keywords"],
                    )
                    if flag:
                        self.new_entities.append(light)
                    if entity["status"] != EntityStatus.ACTIVE:
                        self.deregistered.append(light)
            self.run.created += len(new)
        if updates:
            self._update(updates)
            self.run.updated += len(updates)

    def _derive(self, entity: Entity) -> None:
        found = self.detect(entity.name, entity.business_scope)
        entity.is_elderly_related = found.elderly
        entity.elderly_category = found.category
        entity.elderly_reasons = found.reasons
        entity.elderly_keywords = found.keywords
        entity.name_initials = char_initials(entity.name)
        entity.name_core = _core(entity.name)[:200]
        entity.core_initials = char_initials(entity.name_core)

    def _derive_dict(self, row: dict[str, Any]) -> None:
        found = self.detect(row["name"], row["business_scope"])
        row["is_elderly_related"] = found.elderly
        row["elderly_category"] = found.category
        row["elderly_reasons"] = found.reasons
        row["elderly_keywords"] = found.keywords
        row["reasons_json"] = found.json_reasons
        row["name_initials"] = char_initials(row["name"])
        row["name_core"] = _core(row["name"])[:200]
        row["core_initials"] = char_initials(row["name_core"])

    def detect(self, name: str, scope: str) -> Any:
        """Detector.detect, cached: by scope text (scopes are mostly standard phrases repeated across
        thousands of entities) and by the keywords found in the name (names are each new, but match few)."""
        found_in_name = tuple(self._name_automaton.iter(name)) if name and self._name_automaton_ready else ()
        key = (scope, tuple(v for _end, v in found_in_name))
        found = self._detect_cache.get(key)
        if found is None:
            if len(self._detect_cache) > 50000:
                self._detect_cache.clear()
            # Same scope, same keywords found in the name in the same order: the same detection.
            d = self.detector.detect(name, scope)
            found = self._detect_cache[key] = _Found(
                d.elderly, d.category, d.reasons, d.reason_text[:300],
                json.dumps(d.reasons, ensure_ascii=False) if d.reasons else "[]",
            )
        return found

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        """PostgreSQL: the rows as COPY text, sent by the writer thread. SQLite: one prepared INSERT with
        executemany. Values are formatted by hand (model instances cost 20 µs each)."""
        if self.writer is not None:
            now = self.now.isoformat()
            esc = _copy_text
            lines = []
            for r in rows:
                reasons = r["elderly_reasons"]
                date_ = r["registration_date"]
                lines.append("\t".join((
                    str(r["id"]), r["uscc"], esc(r["name"]), esc(r["legal_representative"]), esc(r["address"]),
                    esc(r["phone"]), r["division_id"], esc(r["business_scope"]), r["status"],
                    date_.isoformat() if date_ else "\\N", "t" if r["is_elderly_related"] else "f",
                    esc(r["name_initials"]), esc(r["name_core"]), esc(r["core_initials"]), r["elderly_category"],
                    esc(r["reasons_json"]) if reasons else "[]",
                    esc(r["elderly_keywords"]), r["credit_status"], now, now,
                )))
            lines.append("")
            self.writer.put(f"COPY {Entity._meta.db_table} ({', '.join(_ENTITY_COLUMNS)}) FROM STDIN", "\n".join(lines))
            return
        ops = connection.ops
        now = ops.adapt_datetimefield_value(self.now)

        def js(value):
            return json.dumps(value, ensure_ascii=False) if value else "[]"

        quote = ops.quote_name
        sql = (
            f"INSERT INTO {quote(Entity._meta.db_table)} ({', '.join(quote(c) for c in _ENTITY_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_ENTITY_COLUMNS))})"
        )
        params = [
            (r["id"], r["uscc"], r["name"], r["legal_representative"], r["address"], r["phone"], r["division_id"],
             r["business_scope"], r["status"], r["registration_date"], r["is_elderly_related"], r["name_initials"],
             r["name_core"], r["core_initials"], r["elderly_category"], js(r["elderly_reasons"]), r["elderly_keywords"], r["credit_status"], now, now)
            for r in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def append_events(self, events: list) -> None:
        """Chain and insert events: the chain head is locked at the first chunk for the whole import
        transaction; the hash is AuditEvent.compute_hash's, computed on plain values."""
        if not events:
            return
        if self.chain is None:
            self.chain = _Chain()
        self.chain.append(events, self.writer)

    @property
    def writer(self) -> _CopyWriter | None:
        if self._writer is None and connection.vendor == "postgresql":
            self._writer = _CopyWriter()
        return self._writer

    def close(self) -> None:
        """Wait for the writer thread; raise what it met. Then store the chain head."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.close()
        if self.chain is not None:
            self.chain.finish()

    def abort(self) -> None:
        """Stop the writer thread before the transaction is rolled back (its error, if any, is dropped)."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.error = writer.error or _Rejected()
            try:
                writer.close()
            except BaseException:  # noqa: BLE001 - the caller is already failing
                pass

    def _update(self, entities: list[Entity]) -> None:
        columns = [*COMPARED, "is_elderly_related", "elderly_category", "elderly_reasons", "elderly_keywords",
                   "name_initials", "name_core", "core_initials", "updated_at"]
        fields = [Entity._meta.get_field("division" if c == "division_id" else c) for c in columns]
        quote = connection.ops.quote_name
        sql = (
            f"UPDATE {quote(Entity._meta.db_table)} SET "
            + ", ".join(f"{quote(f.column)} = %s" for f in fields) + " WHERE id = %s"
        )
        params = [
            [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] + [e.pk] for e in entities
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def _event(self, pk: int, action: str, changes: dict) -> _Event:
        if not hasattr(self, "_reason"):
            self._reason = f"登记注册数据导入（第{self.run.pk}批：{self.run.file_name}）"
        return _Event(self.now, self.actor.pk if self.actor else None, pk, str(action), self._reason, changes)


def row_without_uscc(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "uscc"}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class _Event:
    """An audit row to append (AuditEvent's fields, without the model's cost)."""

    __slots__ = ("at", "actor_id", "subject_id", "action", "reason", "changes", "changes_json")
    subject_type = "entities.entity"
    transition = from_state = to_state = ""

    def __init__(self, at, actor_id, subject_id, action, reason, changes) -> None:
        self.at, self.actor_id, self.subject_id = at, actor_id, subject_id
        self.action, self.reason, self.changes = action, reason, changes
        self.changes_json: str | None = None  # the changes as compute_hash writes them, when known


class _Rejected(Exception):
    pass


_EVENT_COLUMNS = ["id", "at", "actor_id", "subject_type", "subject_id", "action", "transition", "from_state",
                  "to_state", "reason", "changes", "previous_hash", "hash"]


_ENTITY_COLUMNS = ["id", "uscc", "name", "legal_representative", "address", "phone", "division_id",
                   "business_scope", "status", "registration_date", "is_elderly_related", "name_initials", "name_core",
                   "core_initials", "elderly_category", "elderly_reasons", "elderly_keywords", "credit_status", "created_at",
                   "updated_at"]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_json_str = json.encoder.encode_basestring  # json.dumps(text, ensure_ascii=False), in C


def _copy_text(value: str) -> str:
    """A value for COPY's text format (backslash, tab and line breaks escaped; most values have none)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


class _CopyWriter:
    """Runs the COPY statements of the import on its own connection from a second thread, so PostgreSQL
    stores one chunk (rows, indexes) while Python parses the next: two cores instead of one in turn.

    The connection is the import's (same transaction); psycopg's connection lock keeps the two threads'
    statements apart. At most two chunks wait in the queue, which bounds memory."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="entity-import-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.queue.get()
            if job is None:
                return
            if self.error is not None:
                continue
            sql, data = job
            try:
                with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                    copy.write(data)
            except BaseException as exc:  # raised again in the importing thread
                self.error = exc

    def put(self, sql: str, data: str) -> None:
        if self.error is not None:
            self.close()
        self.queue.put((sql, data))

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class _Chain:
    """The audit chain during an import: head locked once, hashes chained in memory, head stored at the end."""

    def __init__(self) -> None:
        self.head = AuditChainHead.objects.select_for_update().get_or_create(id=1)[0]
        self.previous = self.head.hash
        self.next_id = (AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def append(self, events: list, writer: _CopyWriter | None) -> None:
        from datetime import UTC

        ops = connection.ops
        at = events[0].at.astimezone(UTC)
        at_iso = at.isoformat()
        previous = self.previous
        dumps, sha256 = json.dumps, hashlib.sha256
        at_json = _json_str(at_iso)
        prefixes: dict[tuple, tuple[str, str]] = {}
        rows = []
        for pk, e in enumerate(events, start=self.next_id):
            if e.changes_json is None:
                payload = dumps(
                    [previous, at_iso, e.actor_id, e.subject_type, e.subject_id, e.action, e.transition,
                     e.from_state, e.to_state, e.reason, e.changes],
                    ensure_ascii=False, sort_keys=True, default=str,
                )
                changes = dumps(e.changes, ensure_ascii=False)
            else:
                # The same text json.dumps would give (tests/test_import_fast.py checks it against
                # AuditEvent.compute_hash), without encoding the unchanging parts for every row.
                key = (e.actor_id, e.action, e.reason)
                parts = prefixes.get(key)
                if parts is None:
                    parts = prefixes[key] = (
                        dumps([e.actor_id, e.subject_type], ensure_ascii=False)[1:-1],
                        dumps([e.action, e.transition, e.from_state, e.to_state, e.reason], ensure_ascii=False)[1:-1],
                    )
                payload = (
                    f"[{'null' if previous is None else _json_str(previous)}, {at_json}, "
                    f"{parts[0]}, {e.subject_id}, {parts[1]}, {e.changes_json}]"
                )
                changes = e.changes_json
            digest = sha256(payload.encode("utf-8")).hexdigest()
            rows.append((pk, e, changes, previous, digest))
            previous = digest
        self.previous = previous
        self.next_id += len(events)
        if writer is not None:
            esc = _copy_text
            lines = [
                "\t".join((
                    str(pk), at_iso, "\\N" if e.actor_id is None else str(e.actor_id), e.subject_type,
                    str(e.subject_id), e.action, esc(e.transition), esc(e.from_state), esc(e.to_state),
                    esc(e.reason), esc(changes), prev, digest,
                ))
                for pk, e, changes, prev, digest in rows
            ]
            lines.append("")
            writer.put(f"COPY {AuditEvent._meta.db_table} ({', '.join(_EVENT_COLUMNS)}) FROM STDIN", "\n".join(lines))
            return
        at_db = ops.adapt_datetimefield_value(at)
        quote = ops.quote_name
        sql = (
            f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({', '.join(quote(c) for c in _EVENT_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))})"
        )
        params = [
            (pk, at_db, e.actor_id, e.subject_type, e.subject_id, e.action, e.transition, e.from_state, e.to_state,
             e.reason, changes, prev, digest)
            for pk, e, changes, prev, digest in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def finish(self) -> None:
        AuditChainHead.objects.filter(id=1).update(hash=self.previous)


def import_entities(
    rows: Iterator[dict[str, Any]], *, file_name: str, actor: User | None, skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportRun:
    """Import rows (see read_rows); returns the ImportRun with counts and the row report."""
    run = ImportRun.objects.create(file_name=file_name[:255], skip_bad=skip_bad, started_by=actor)
    importer = Importer(actor=actor, skip_bad=skip_bad, run=run)
    origin = f"导入：{file_name}"[:100]
    if connection.vendor == "sqlite":
        # The default page cache (2 MB) makes every index insert a disk read once the table outgrows it.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB for this connection
    try:
        with transaction.atomic():
            try:
                _write_all(importer, rows, run=run, actor=actor, origin=origin, progress=progress)
            except BaseException:
                importer.abort()
                raise
    except _Rejected:
        run.status = ImportRun.Status.REJECTED
        run.created = run.updated = run.unchanged = 0
    run.report = importer.report
    run.finished_at = timezone.now()
    run.save()
    run.touched_ids = importer.touched  # for the caller's risk recomputation
    return run


def _write_all(importer: Importer, rows: Iterator[dict[str, Any]], *, run: ImportRun, actor: User | None,
               origin: str, progress: Callable[[int], None] | None) -> None:
    from silvershield.entities.gates import check_deregistration, flag_first_visits

    skip_bad = importer.skip_bad
    pending: list[dict[str, Any]] = []
    events: list = []
    writing = True
    number = 1  # the header is row 1
    try:
        for number, raw in enumerate(rows, start=2):
            run.rows += 1
            row = importer.parse(number, raw)
            if row is None and not skip_bad:
                writing = False  # keep checking, to report every bad row, but write nothing more
                pending = []
            elif row is not None and writing:
                pending.append(row)
            if len(pending) >= CHUNK:
                importer.write_chunk(pending, events)
                importer.append_events(events)
                pending, events = [], []
            if progress is not None and number % 1000 == 0:
                progress(1000)
    except BadRow as exc:  # the file itself (header, type)
        importer.bad(number, "", exc.field, exc.message)
        writing = False
    if not writing:
        raise _Rejected
    importer.write_chunk(pending, events)
    importer.append_events(events)
    importer.close()
    reset_sequences([Entity, AuditEvent])
    ids = {e.pk for e in importer.deregistered}
    fresh = Entity.objects.filter(pk__in=list(ids)) if len(ids) < 50000 else []
    alerts = check_deregistration(list(fresh), actor=actor, origin=origin)
    alerts += flag_first_visits(importer.new_entities, actor=actor, origin=origin)
    run.alerts = len(alerts)
    run.status = ImportRun.Status.DONE
