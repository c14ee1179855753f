"""Reading ads from JSON Lines for `silvershield ads check`: one {"text", "product_type"} object a line.

Each line is either an AdLine or a LineError naming the line number and the field at fault, so the caller
decides whether to go on or stop (`--stop-on-error`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from silvershield.ads.checker.spec import PRODUCT_TYPES

# A transcript of a long TV infomercial runs to a few thousand characters; far beyond that is a wrong file.
DEFAULT_MAX_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class AdLine:
    line_number: int
    text: str
    product_type: str
    record: dict


@dataclass(frozen=True, slots=True)
class LineError:
    line_number: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.line_number}行"
        return f"{where} {self.field}：{self.message}" if self.field else f"{where}：{self.message}"


def parse_line(
    raw: bytes | str, *, line_number: int, max_chars: int = DEFAULT_MAX_CHARS
) -> AdLine | LineError | None:
    """One line as an ad, an error, or None for a blank line (JSON Lines allows them between records)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if line_number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            return LineError(line_number, "", f"不是 UTF-8 编码（第{exc.start + 1}字节）")
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        return LineError(line_number, "", f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）")
    if not isinstance(record, dict):
        return LineError(line_number, "", '应为一个 JSON 对象 {"text": …, "product_type": …}')
    text = record.get("text")
    if "text" not in record:
        return LineError(line_number, "text", "缺少该字段")
    if not isinstance(text, str):
        return LineError(line_number, "text", "应为字符串")
    if not text.strip():
        return LineError(line_number, "text", "为空")
    if len(text) > max_chars:
        return LineError(line_number, "text", f"过长（{len(text)}字，上限{max_chars}字）")
    product_type = record.get("product_type")
    if "product_type" not in record:
        return LineError(line_number, "product_type", "缺少该字段")
    if product_type not in PRODUCT_TYPES:
        return LineError(
            line_number,
            "product_type",
            f"未知的产品类型 {json.dumps(product_type, ensure_ascii=False)}，"
            f"应为 {'、'.join(PRODUCT_TYPES)} 之一",
        )
    return AdLine(line_number, text, product_type, record)


def read_lines(
    lines: Iterable[bytes | str], *, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[AdLine | LineError]:
    """Every non-blank line of a JSON Lines stream, in order, parsed."""
    for line_number, raw in enumerate(lines, start=1):
        parsed = parse_line(raw, line_number=line_number, max_chars=max_chars)
        if parsed is not None:
            yield parsed
