"""Reading ads to ingest from files (xlsx, csv, jsonl) and API records, and checking each row.

Every row becomes either an `AdRow` (clean values, ready to store) or a `RowError` naming the row and the
field at fault ("第5行 text：为空"), so the service decides whether to stop (all or nothing, the default)
or to skip the bad rows and report them. Rows are numbered as the person sees them: the spreadsheet row
(the header is row 1) or the line of a JSON Lines file.

Columns may be named in English (the API's field names) or in Chinese as a monitoring spreadsheet heads
them; values of `medium` and `product_type` likewise (codes or Chinese labels).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.utils import timezone

from silvershield.ads.jsonl import DEFAULT_MAX_CHARS
from silvershield.ads.models import AD_PRODUCT_TYPES, Medium
from silvershield.core.identifiers import InvalidIdentifier, validate_uscc

REQUIRED = ("medium", "product_type", "text")
OPTIONAL = (
    "outlet", "published_at", "advertiser", "advertiser_uscc", "product_name", "approval_numbers", "division",
)
FIELDS = REQUIRED + OPTIONAL

# Chinese headings a monitoring spreadsheet uses for each field.
HEADER_ALIASES: dict[str, str] = {
    "媒介": "medium", "媒介类型": "medium", "媒体类型": "medium", "广告媒介": "medium",
    "发布媒体": "outlet", "媒体名称": "outlet", "频道": "outlet", "发布平台": "outlet",
    "发布时间": "published_at", "播出时间": "published_at", "日期": "published_at", "时间": "published_at",
    "广告主": "advertiser", "广告主名称": "advertiser",
    "统一社会信用代码": "advertiser_uscc", "广告主统一社会信用代码": "advertiser_uscc",
    "产品名称": "product_name", "商品名称": "product_name", "产品": "product_name",
    "产品类型": "product_type", "产品类别": "product_type", "商品类别": "product_type",
    "批准文号": "approval_numbers", "广告批准文号": "approval_numbers", "审批文号": "approval_numbers",
    "广告内容": "text", "广告文本": "text", "文本": "text", "内容": "text",
    "区划": "division", "行政区划": "division", "所属区划": "division", "区划代码": "division",
}

MEDIUM_ALIASES: dict[str, str] = {
    "电视": Medium.TV, "广播": Medium.RADIO, "电台": Medium.RADIO, "报纸": Medium.NEWSPAPER,
    "报刊": Medium.NEWSPAPER, "杂志": Medium.NEWSPAPER, "户外": Medium.OUTDOOR, "互联网": Medium.INTERNET,
    "网络": Medium.INTERNET, "直播": Medium.LIVE_STREAM, "短视频": Medium.LIVE_STREAM,
    "直播/短视频": Medium.LIVE_STREAM, "直播或短视频": Medium.LIVE_STREAM, "传单": Medium.LEAFLET,
    "宣传单": Medium.LEAFLET, "讲座": Medium.LECTURE, "会销": Medium.LECTURE, "会议营销": Medium.LECTURE,
    "讲座/会销": Medium.LECTURE, "讲座或会销": Medium.LECTURE,
}
PRODUCT_TYPE_ALIASES: dict[str, str] = {
    "保健食品": "health_food", "普通食品": "ordinary_food", "食品": "ordinary_food", "药品": "drug",
    "医疗器械": "medical_device", "养老服务": "elder_service", "投资": "investment", "投资理财": "investment",
    "其他": "other",
}
PRODUCT_TYPE_CODES = [code for code, _ in AD_PRODUCT_TYPES]
_APPROVAL_SPLIT = re.compile(r"[;；,，、\n]+")


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行"
        return f"{where} {self.field}：{self.message}" if self.field else f"{where}：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, missing columns): nothing is ingested."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(slots=True)
class AdRow:
    row: int
    medium: str
    product_type: str
    text: str
    outlet: str = ""
    published_at: datetime | None = None
    advertiser: str = ""
    advertiser_uscc: str = ""
    product_name: str = ""
    approval_numbers: list[str] = field(default_factory=list)
    division: str = ""

    @property
    def fingerprint(self) -> str:
        """The content hash that makes the same ad ingested twice one ad: medium, outlet, time, text."""
        when = self.published_at.isoformat() if self.published_at else ""
        raw = "\x1f".join((self.medium, self.outlet, when, self.text))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    else:
        text = str(value).strip().replace("/", "-").replace("T", " ")
        text = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", r"\1-\2-\3", text)
        try:
            moment = datetime.fromisoformat(re.sub(r"-(\d)(?=\D|$)", r"-0\1", text))
        except ValueError:
            raise ValueError(f"无法识别的时间 {text!r}，应为 2026-11-02 08:30 或 2026-11-02") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clean_record(record: dict[str, Any], *, row: int, max_chars: int = DEFAULT_MAX_CHARS) -> AdRow | RowError:
    """One record (field names already canonical) as a clean row, or the first error in it."""
    for name in REQUIRED:
        if name not in record:
            return RowError(row, name, "缺少该字段")
    medium = _text(record["medium"])
    medium = MEDIUM_ALIASES.get(medium, medium.lower())
    if not medium:
        return RowError(row, "medium", "为空")
    if medium not in Medium.values:
        return RowError(
            row, "medium", f"未知的媒介 {medium!r}，应为 {'、'.join(Medium.values)} 或 电视、广播、报纸…"
        )
    product_type = _text(record["product_type"])
    product_type = PRODUCT_TYPE_ALIASES.get(product_type, product_type.lower())
    if not product_type:
        return RowError(row, "product_type", "为空")
    if product_type not in PRODUCT_TYPE_CODES:
        return RowError(
            row, "product_type", f"未知的产品类型 {product_type!r}，应为 {'、'.join(PRODUCT_TYPE_CODES)} 之一"
        )
    raw_text = record["text"]
    if raw_text is not None and not isinstance(raw_text, str | int | float):
        return RowError(row, "text", "应为文字")
    text = _text(raw_text)
    if not text:
        return RowError(row, "text", "为空")
    if len(text) > max_chars:
        return RowError(row, "text", f"过长（{len(text)}字，上限{max_chars}字）")
    try:
        published_at = _parse_time(record.get("published_at"))
    except ValueError as exc:
        return RowError(row, "published_at", str(exc))
    if published_at and published_at > timezone.now() + timedelta(days=1):
        return RowError(row, "published_at", "发布时间晚于今天")
    uscc = _text(record.get("advertiser_uscc"))
    if uscc:
        try:
            uscc = validate_uscc(uscc)
        except InvalidIdentifier as exc:
            return RowError(row, "advertiser_uscc", str(exc))
    numbers = record.get("approval_numbers")
    if isinstance(numbers, list):
        approval = [_text(n) for n in numbers if _text(n)]
    else:
        approval = [n.strip() for n in _APPROVAL_SPLIT.split(_text(numbers)) if n.strip()]
    values = {
        name: _text(record.get(name)) for name in ("outlet", "advertiser", "product_name", "division")
    }
    for name, limit in (("outlet", 200), ("advertiser", 200), ("product_name", 200)):
        if len(values[name]) > limit:
            return RowError(row, name, f"过长（{len(values[name])}字，上限{limit}字）")
    return AdRow(
        row=row,
        medium=medium,
        product_type=product_type,
        text=text,
        published_at=published_at,
        advertiser_uscc=uscc,
        approval_numbers=approval[:20],
        **values,
    )


def canonical_header(name: Any) -> str:
    text = _text(name)
    return HEADER_ALIASES.get(text, text.lower())


def _check_columns(headers: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise FileError(
            f"第1行（表头）缺少列：{'、'.join(missing)}。必需的列为 {'、'.join(REQUIRED)}"
            "（也可用中文表头：媒介、产品类型、广告内容）",
            field=missing[0],
        )


def read_rows(*, stream: IO[bytes], filename: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(row number, record or error) for each non-blank row of an xlsx, csv or jsonl file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        yield from _xlsx_rows(stream)
    elif name.endswith(".csv"):
        yield from _csv_rows(stream)
    elif name.endswith((".jsonl", ".ndjson", ".json")):
        yield from _jsonl_rows(stream)
    else:
        raise FileError("不支持的文件类型：请上传 .xlsx、.csv 或 .jsonl 文件")


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileError(f"无法读取 Excel 文件：{exc.__class__.__name__}") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise FileError("文件是空的：第1行应为表头")
        headers = [canonical_header(h) for h in header]
        _check_columns(headers)
        for number, values in enumerate(rows, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            yield number, {h: v for h, v in zip(headers, values, strict=False) if h}
    finally:
        book.close()


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    raw = stream.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError("CSV 文件既不是 UTF-8 也不是 GB18030 编码")
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if not header:
        raise FileError("文件是空的：第1行应为表头")
    headers = [canonical_header(h) for h in header]
    _check_columns(headers)
    for values in reader:
        number = reader.line_num
        if not any(v.strip() for v in values):
            continue
        yield number, {h: v for h, v in zip(headers, values, strict=False) if h}


def _jsonl_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield number, RowError(number, "", f"不是 UTF-8 编码（第{exc.start + 1}字节）")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, "", f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）")
            continue
        if not isinstance(record, dict):
            yield number, RowError(number, "", "应为一个 JSON 对象")
            continue
        yield number, {canonical_header(k): v for k, v in record.items()}


def clean_rows(
    rows: Iterable[tuple[int, dict[str, Any] | RowError]], *, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[AdRow | RowError]:
    for number, record in rows:
        yield record if isinstance(record, RowError) else clean_record(record, row=number, max_chars=max_chars)
