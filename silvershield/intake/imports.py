"""The 12315 batch import: read an xlsx/csv export row by row, validate every row, then create leads.

Rules (docs/intake.md):
- a column mapping says which header holds which lead field; DEFAULT_MAPPING knows the usual headers
  of the 12315 platform's export (several spellings each); a JSON mapping file may override it;
- every row is validated (dates in any of the usual spellings, full-width digits, phone, ID number,
  credit code, division names → codes) and each error names the row (as Excel numbers it) and the field;
- by default nothing is imported when any row is bad; `skip_bad` imports the good rows and reports the bad;
- a work-order number already in the ledger (channel 12315) is skipped as "already imported", so the same
  file imported again adds nothing; the file's SHA-256 is recorded too (intake.ImportBatch);
- rows are streamed (openpyxl read_only / csv) and written in chunks inside one transaction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from silvershield.core.errors import InvalidInput
from silvershield.core.identifiers import InvalidIdentifier, validate_id_number, validate_phone, validate_uscc
from silvershield.core.models import Division, OrgUnit, User
from silvershield.core.queries import bureau_of
from silvershield.intake.models import ImportBatch, ImportStatus
from silvershield.leads.models import Channel, Lead

CHUNK = 1000
MAX_DETAILED_ERRORS = 500

# field → (label shown in reports, accepted headers, required column?)
FIELDS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "external_ref": ("工单编号", ("工单编号", "工单号", "登记编号", "投诉举报编号", "编号"), True),
    "received_date": ("登记日期", ("登记日期", "登记时间", "受理日期", "接收日期", "来电日期", "创建时间"), True),
    "reporter_name": ("诉求人", ("诉求人", "投诉人", "举报人", "诉求人姓名", "来电人")),
    "reporter_phone": ("联系电话", ("联系电话", "诉求人电话", "来电号码", "手机号码", "电话")),
    "reporter_id_number": ("证件号码", ("证件号码", "身份证号", "身份证号码", "诉求人证件号码")),
    "party_name": ("被诉主体", ("被诉主体", "被投诉主体", "被举报主体", "被诉方", "涉事主体", "被投诉单位")),
    "party_uscc": ("统一社会信用代码", ("统一社会信用代码", "被诉主体信用代码", "信用代码")),
    "party_address": ("主体地址", ("主体地址", "被诉主体地址", "被投诉主体地址", "涉事地址", "地址")),
    "division": ("所属区域", ("所属区域", "所属区县", "区域", "管辖区域", "属地")),
    "summary": ("诉求内容", ("诉求内容", "投诉内容", "举报内容", "诉求描述", "问题描述", "内容"), True),
    "victim_age": ("老人年龄", ("老人年龄", "受害人年龄", "年龄")),
    "loss_amount": ("涉及金额", ("涉及金额", "涉案金额", "损失金额", "金额（元）", "金额")),
}
FIELDS = {k: (v[0], v[1], v[2] if len(v) > 2 else False) for k, v in FIELDS.items()}
DEFAULT_MAPPING: dict[str, list[str]] = {name: list(spec[1]) for name, spec in FIELDS.items()}


def field_label(name: str) -> str:
    return FIELDS[name][0] if name in FIELDS else name


@dataclass
class RowError:
    row: int
    field: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "label": field_label(self.field), "message": self.message,
                "value": self.value}

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where} {field_label(self.field)}：{self.message}" + (f"（值：{self.value}）" if self.value else "")


@dataclass
class ImportReport:
    file_name: str = ""
    sha256: str = ""
    rows_total: int = 0
    rows_good: int = 0
    rows_created: int = 0
    rows_existing: int = 0
    rows_bad: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""  # the whole file is unusable (empty, merged cells, missing columns, wrong type)
    imported: bool = False
    already_imported_batch: int | None = None
    dry_run: bool = False
    skip_bad: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field → header found

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.rows_bad

    def add_error(self, error: RowError) -> None:
        if len(self.errors) < MAX_DETAILED_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name, "sha256": self.sha256, "rows_total": self.rows_total,
            "rows_good": self.rows_good, "rows_created": self.rows_created, "rows_existing": self.rows_existing,
            "rows_bad": self.rows_bad, "errors": [e.as_dict() for e in self.errors], "file_error": self.file_error,
            "imported": self.imported, "dry_run": self.dry_run, "columns": self.columns,
            "already_imported_batch": self.already_imported_batch,
        }

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        if self.already_imported_batch:
            return f"该文件已于批次#{self.already_imported_batch}导入，本次未新增任何线索"
        verb = "可导入" if self.dry_run else "已导入"
        if self.rows_bad and not self.imported and not self.skip_bad:
            return (f"共{self.rows_total}行：有误{self.rows_bad}行，正确{self.rows_good}行；"
                    + ("更正错误行后才能导入，或选择跳过错误行" if self.dry_run else "因有错误行，未导入任何数据"))
        return f"共{self.rows_total}行：{verb}{self.rows_created}条，已在台账中{self.rows_existing}条，有误{self.rows_bad}行"


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why."""


# --- values ------------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?(?:\s*\d{1,2}[:时]\d{2}.*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST = date(2000, 1, 1)


def text_of(value: Any) -> str:
    """A cell as text: full-width digits and letters folded (NFKC), spaces trimmed; floats like 1.0 → "1"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: Any, *, today: date | None = None) -> date:
    """A date from a cell: a real date, an Excel serial number, or text (2026-03-05, 2026/3/5, 2026年3月5日)."""
    today = today or timezone.localdate()
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError("不是有效的日期")
        result = EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = text_of(value)
        if not text:
            raise ValueError("请填写日期")
        if re.fullmatch(r"\d{5}(\.\d+)?", text):  # an Excel serial that arrived as text (csv)
            return parse_date(float(text), today=today)
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    result = date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError as exc:
                    raise ValueError("日期不存在（月或日超出范围）") from exc
                break
        else:
            raise ValueError("无法识别的日期格式，请使用 2026-03-05、2026/3/5 或 2026年3月5日")
    if result > today:
        raise ValueError("日期晚于今天")
    if result < EARLIEST:
        raise ValueError("日期早于2000年")
    return result


# --- reading the file --------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"')


def merged_ranges(path: Path) -> list[str]:
    """The merged ranges of the workbook's sheets, read from the XML (read-only mode cannot see them)."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            tail = b""
            with archive.open(name) as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    chunk = tail + block
                    found.extend(m.decode() for m in _MERGE_RE.findall(chunk))
                    tail = chunk[-200:] if not _MERGE_RE.search(chunk[-200:]) else b""
    return list(dict.fromkeys(found))


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_COL_RE = re.compile(r"^([A-Z]+)(\d+)$")


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    from xml.etree.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    sheet = book.find(f"{_NS}sheets/{_NS}sheet")
    if sheet is None:
        raise FileProblem("工作簿中没有工作表")
    rel_id = sheet.get(f"{_REL_NS}id")
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target").lstrip("/")
            return target if target.startswith("xl/") else "xl/" + target
    raise FileProblem("工作簿结构不完整：找不到第一张工作表")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    from xml.etree.ElementTree import iterparse

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as handle:
        for _event, element in iterparse(handle, events=("end",)):
            if element.tag == f"{_NS}si":
                # Plain text (<t>) or rich-text runs (<r><t>); phonetic guides (<rPh>) are not part of the value.
                parts = [element.findtext(f"{_NS}t") or ""]
                parts += [run.findtext(f"{_NS}t") or "" for run in element.findall(f"{_NS}r")]
                strings.append("".join(parts))
                element.clear()
    return strings


def _xlsx_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the first sheet, streamed from its XML with the C parser: about three
    times faster than openpyxl's read-only cells, and memory stays flat. Numbers come as int/float (dates
    as Excel serial numbers, which parse_date understands), text as str."""
    from xml.etree.ElementTree import ParseError, iterparse

    merged = merged_ranges(path)
    if merged:
        shown = "、".join(merged[:5]) + ("等" if len(merged) > 5 else "")
        raise FileProblem(f"表格含合并单元格（{shown}），请取消合并、在每一行填写完整后再导入")
    try:
        archive = zipfile.ZipFile(path)
        strings = _shared_strings(archive)
        sheet_path = _first_sheet_path(archive)
    except (KeyError, ParseError, zipfile.BadZipFile) as exc:
        raise FileProblem(f"无法读取该 Excel 文件：{exc.__class__.__name__}") from exc
    row_tag, cell_tag = f"{_NS}row", f"{_NS}c"
    value_tag, text_tag = f"{_NS}v", f"{_NS}t"
    expected = 0
    try:
        with archive, archive.open(sheet_path) as handle:
            for _event, element in iterparse(handle, events=("end",)):
                if element.tag != row_tag:
                    continue
                expected += 1
                number = int(element.get("r") or expected)
                expected = number
                values: list[Any] = []
                for cell in element.iter(cell_tag):
                    ref = cell.get("r")
                    if ref:
                        match = _COL_RE.match(ref)
                        if match:
                            column = _column_index(match[1])
                            if column > len(values):
                                values.extend([None] * (column - len(values)))
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        value: Any = "".join(t.text or "" for t in cell.iter(text_tag))
                    else:
                        raw = cell.findtext(value_tag)
                        if raw is None:
                            value = None
                        elif kind == "s":
                            value = strings[int(raw)]
                        elif kind in ("str", "e"):
                            value = raw
                        elif kind == "b":
                            value = raw == "1"
                        else:
                            number_value = float(raw)
                            value = int(number_value) if number_value.is_integer() else number_value
                    values.append(value)
                element.clear()
                yield number, tuple(values)
    except ParseError as exc:
        raise FileProblem(f"Excel 文件内容损坏：{exc}") from exc


def _csv_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    raw = path.read_bytes()[:65536]
    encoding = "utf-8-sig"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a UTF-8 character at the end of the sample is not a reason to switch.
        if exc.start < len(raw) - 4:
            encoding = "gb18030"  # Excel on a Chinese Windows saves CSV as GBK
    with open(path, encoding=encoding, newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            yield number, tuple(row)


def read_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        if not zipfile.is_zipfile(path):
            raise FileProblem("文件扩展名是 .xlsx，但内容不是 Excel 工作簿")
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise FileProblem("只能导入 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）")


def load_mapping(path: Path | None) -> dict[str, list[str]]:
    """The default mapping, with the entries of a JSON file {"field": "表头" or ["表头", …]} put first."""
    import json

    mapping = {k: list(v) for k, v in DEFAULT_MAPPING.items()}
    if path is None:
        return mapping
    try:
        given = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise FileProblem(f"映射文件无法读取：{exc}") from exc
    return merge_mapping(mapping, given)


def merge_mapping(mapping: dict[str, list[str]], given: Any) -> dict[str, list[str]]:
    if not isinstance(given, dict):
        raise FileProblem('映射文件应为 JSON 对象，如 {"external_ref": "工单编号"}')
    for key, headers in given.items():
        if key not in FIELDS:
            raise FileProblem(f"映射文件中的字段“{key}”不存在；可用字段：{'、'.join(FIELDS)}")
        headers = [headers] if isinstance(headers, str) else headers
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            raise FileProblem(f"映射文件中“{key}”的表头应为文字或文字列表")
        mapping[key] = [text_of(h) for h in headers]
    return mapping


def locate_columns(header: tuple[Any, ...], mapping: dict[str, list[str]]) -> dict[str, int]:
    names = [text_of(h) for h in header]
    columns: dict[str, int] = {}
    for key, headers in mapping.items():
        for wanted in headers:
            if wanted in names:
                columns[key] = names.index(wanted)
                break
    missing = [FIELDS[k][0] for k, spec in FIELDS.items() if spec[2] and k not in columns]
    if missing:
        found = "、".join(n for n in names if n) or "（空）"
        raise FileProblem(f"缺少必需的列：{'、'.join(missing)}。文件第1行的表头为：{found}")
    return columns


# --- validating a row -----------------------------------------------------------------------------------


class DivisionResolver:
    """Division names as 12315 writes them (红山区, 赤峰市红山区, 150402) → codes within the bureau's reach."""

    def __init__(self, bureau: OrgUnit):
        self.default = bureau.division_id
        codes = [b.division_id for b in OrgUnit.objects.filter(kind="bureau", path__startswith=bureau.path)]
        self.by_name: dict[str, str] = {}
        for division in Division.objects.filter(code__in=codes):
            self.by_name[division.code] = division.code
            self.by_name[division.name] = division.code
            for prefix in ("赤峰市", "内蒙古自治区赤峰市", "内蒙古赤峰市"):
                self.by_name[prefix + division.name] = division.code
        self.outside = {d.name: d.code for d in Division.objects.exclude(code__in=codes)}

    def resolve(self, text: str) -> str:
        if not text:
            return self.default
        text = text.replace(" ", "")
        if text in self.by_name:
            return self.by_name[text]
        if text in self.outside:
            raise ValueError("该区域不在本局辖区，请转交属地市场监管部门")
        raise ValueError("无法识别的区域名称")


def _cell(row: tuple[Any, ...], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    return row[index]


def validate_row(
    number: int, row: tuple[Any, ...], columns: dict[str, int], divisions: DivisionResolver, today: date
) -> tuple[dict[str, Any] | None, list[RowError]]:
    errors: list[RowError] = []
    out: dict[str, Any] = {}

    def get(name: str) -> Any:
        return _cell(row, columns.get(name))

    def fail(name: str, message: str, value: Any = "") -> None:
        errors.append(RowError(number, name, message, text_of(value)[:40]))

    ref = text_of(get("external_ref"))
    if not ref:
        fail("external_ref", "请填写工单编号")
    elif len(ref) > 64:
        fail("external_ref", "工单编号超过64个字符", ref)
    out["external_ref"] = ref
    try:
        out["received_date"] = parse_date(get("received_date"), today=today)
    except ValueError as exc:
        fail("received_date", str(exc), get("received_date"))
    summary = text_of(get("summary"))
    if not summary:
        fail("summary", "请填写诉求内容")
    out["summary"] = summary
    for name, limit in (("reporter_name", 50), ("party_name", 200), ("party_address", 200)):
        value = text_of(get(name))
        if len(value) > limit:
            fail(name, f"超过{limit}个字符", value)
        out[name] = value
    phone = text_of(get("reporter_phone"))
    if phone:
        try:
            out["reporter_phone"] = validate_phone(phone)  # mobiles judged once per prefix
        except InvalidIdentifier as exc:
            fail("reporter_phone", str(exc), phone)
    id_number = text_of(get("reporter_id_number"))
    if id_number:
        try:
            out["reporter_id_number"] = validate_id_number(id_number)
        except InvalidIdentifier as exc:
            fail("reporter_id_number", str(exc), id_number)
    uscc = text_of(get("party_uscc"))
    if uscc:
        try:
            out["party_uscc"] = validate_uscc(uscc)
        except InvalidIdentifier as exc:
            fail("party_uscc", str(exc), uscc)
    try:
        out["division"] = divisions.resolve(text_of(get("division")))
    except ValueError as exc:
        fail("division", str(exc), get("division"))
    age = text_of(get("victim_age")).removesuffix("岁")
    if age:
        if not age.isdigit() or not 0 < int(age) < 130:
            fail("victim_age", "年龄应为1至129之间的整数", age)
        else:
            out["victim_age"] = int(age)
    amount = text_of(get("loss_amount")).replace(",", "").removesuffix("元")
    if amount:
        try:
            value = Decimal(amount)
            if value < 0 or value >= Decimal("1e12"):
                raise InvalidOperation
            out["loss_amount"] = value.quantize(Decimal("0.01"))
        except InvalidOperation:
            fail("loss_amount", "金额应为不小于0的数字", amount)
    return (None, errors) if errors else (out, [])


def _is_blank(row: tuple[Any, ...]) -> bool:
    return all(text_of(v) == "" for v in row)


# --- importing -----------------------------------------------------------------------------------------


@dataclass
class ImportOptions:
    bureau: OrgUnit
    actor: User | None
    mapping: dict[str, list[str]] = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_MAPPING.items()})
    skip_bad: bool = False
    dry_run: bool = False
    progress: Callable[[int], None] | None = None  # called with the number of rows just read


class _Rollback(Exception):
    pass


def run_import(
    path: Path, options: ImportOptions, *, file_name: str = "", record_batch: bool = True,
    batch: ImportBatch | None = None,
) -> ImportReport:
    """Validate every row of `path` and (unless dry_run, and only when every row is good or skip_bad)
    create the leads, all in one transaction. Returns the report; raises nothing for bad input."""
    from silvershield.intake.services import bulk_create_hotline_leads

    path = Path(path)
    report = ImportReport(file_name=file_name or path.name, dry_run=options.dry_run, skip_bad=options.skip_bad)
    if not path.exists() or path.stat().st_size == 0:
        report.file_error = "文件是空的"
        return report
    report.sha256 = sha256_of(path)
    previous = ImportBatch.objects.filter(
        bureau=options.bureau, sha256=report.sha256, status=ImportStatus.IMPORTED
    ).first()
    if previous is not None:
        report.already_imported_batch = previous.pk
        report.rows_total = previous.rows_total
        report.rows_existing = previous.rows_created + previous.rows_existing
        return report

    today = timezone.localdate()
    divisions = DivisionResolver(options.bureau)
    seen: dict[str, int] = {}
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        if not pending:
            return
        refs = [r["external_ref"] for r in pending]
        existing = set(
            Lead.objects.filter(channel=Channel.HOTLINE, external_ref__in=refs).values_list("external_ref", flat=True)
        )
        fresh = [r for r in pending if r["external_ref"] not in existing]
        report.rows_existing += len(pending) - len(fresh)
        writing = not options.dry_run and (options.skip_bad or report.rows_bad == 0)
        if writing and fresh:
            bulk_create_hotline_leads(rows=fresh, bureau=options.bureau, actor=options.actor)
        report.rows_created += len(fresh)
        pending.clear()

    try:
        with transaction.atomic():
            try:
                rows = read_rows(path)
                header = None
                for number, row in rows:
                    if header is None:
                        if _is_blank(row):
                            continue
                        header = row
                        columns = locate_columns(header, options.mapping)
                        report.columns = {k: text_of(header[i]) for k, i in columns.items()}
                        continue
                    if options.progress:
                        options.progress(1)
                    if _is_blank(row):
                        continue
                    report.rows_total += 1
                    values, errors = validate_row(number, row, columns, divisions, today)
                    if values is not None and values["external_ref"] in seen:
                        errors = [RowError(number, "external_ref",
                                           f"工单编号与第{seen[values['external_ref']]}行重复", values["external_ref"])]
                        values = None
                    if values is None:
                        report.rows_bad += 1
                        for error in errors:
                            report.add_error(error)
                        continue
                    seen[values["external_ref"]] = number
                    report.rows_good += 1
                    pending.append(values)
                    if len(pending) >= CHUNK:
                        flush()
                flush()
                if header is None:
                    raise FileProblem("文件是空的：没有表头，也没有数据行")
                if report.rows_total == 0:
                    raise FileProblem("文件只有表头，没有数据行")
            except FileProblem as problem:
                report.file_error = str(problem)
            except (UnicodeDecodeError, csv.Error) as exc:
                report.file_error = f"无法读取该 CSV 文件：{exc}"
            if report.file_error or options.dry_run or (report.rows_bad and not options.skip_bad):
                if report.rows_bad and not options.skip_bad and not options.dry_run:
                    report.rows_created = 0
                raise _Rollback
            report.imported = True
            if record_batch:
                batch = batch or ImportBatch(
                    bureau=options.bureau, created_by=options.actor, file_name=report.file_name[:200],
                    mapping=options.mapping, skip_bad=options.skip_bad,
                )
                batch.sha256, batch.status = report.sha256, ImportStatus.IMPORTED
                batch.rows_total, batch.rows_created = report.rows_total, report.rows_created
                batch.rows_existing, batch.rows_bad = report.rows_existing, report.rows_bad
                batch.report = {**report.as_dict(), "summary": report.summary()}
                batch.save()
    except _Rollback:
        pass
    except IntegrityError:  # the same file imported at the same moment by someone else: nothing added
        report.imported = False
        report.rows_created = 0
        report.file_error = "该文件正在或已经被导入，本次未新增任何线索"
    return report


def bureau_for(actor: User | None, code: str | None) -> OrgUnit:
    """The bureau to import into: --bureau CODE, else the actor's bureau."""
    if code:
        unit = OrgUnit.objects.filter(code=code, kind="bureau").first()
        if unit is None:
            raise InvalidInput(f"没有代码为 {code} 的市场监管局", field="bureau")
        if actor is not None and not unit.path.startswith(bureau_of(actor).path):
            raise InvalidInput("该局不在导入人的辖区内", field="bureau")
        return unit
    if actor is None:
        raise InvalidInput("请用 --bureau 指定导入到哪个局，或用 --as 指定导入人", field="bureau")
    return bureau_of(actor)


def report_to_text(report: ImportReport, *, limit: int = 50) -> str:
    lines = [report.summary()]
    for error in report.errors[:limit]:
        lines.append("  " + str(error))
    if report.rows_bad and len(report.errors) > limit:
        lines.append(f"  ……另有{len(report.errors) - limit}条错误未列出")
    return "\n".join(lines)


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


# --- files checked on the page but never confirmed ----------------------------------------------------


def discard_unconfirmed(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Delete the stored files of imports checked on the page but not confirmed within `older_than`
    (settings.INTAKE_UNCONFIRMED_HOURS, default 24 h) and mark them expired, each with an audit event.

    A 12315 export holds reporters' names and phones in clear (DOMAIN.md C.2); a confirmed or rejected
    import deletes its file at once, and this removes the rest. The upload page calls it each time a
    file is checked; `silvershield intake discard-unconfirmed` runs it from cron. Returns how many."""
    from django.conf import settings

    from silvershield.core.audit import record_event
    from silvershield.core.models import AuditEvent

    if older_than is None:
        older_than = timedelta(hours=getattr(settings, "INTAKE_UNCONFIRMED_HOURS", 24))
    cutoff = (now or timezone.now()) - older_than
    stale = ImportBatch.objects.filter(status=ImportStatus.CHECKED, created_at__lt=cutoff).exclude(stored_file="")
    done = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().filter(pk=pk, status=ImportStatus.CHECKED).first()
            if batch is None:  # confirmed or discarded meanwhile
                continue
            name = batch.stored_file.name
            batch.status = ImportStatus.EXPIRED
            batch.stored_file = ""
            batch.save(update_fields=["status", "stored_file"])
            record_event(
                subject=batch, actor=None, action=AuditEvent.Action.TRANSITION, transition="expire",
                from_state=ImportStatus.CHECKED, to_state=ImportStatus.EXPIRED,
                reason=f"未在{older_than.total_seconds() / 3600:g}小时内确认导入，已删除上传文件",
            )
        # After the row says "expired": a file without its row is harmless, a row without its file is not.
        ImportBatch._meta.get_field("stored_file").storage.delete(name)
        done += 1
    return done
