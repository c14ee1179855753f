"""Building 12315 export files for the tests."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADERS = ["工单编号", "登记日期", "诉求人", "联系电话", "证件号码", "被诉主体", "统一社会信用代码", "主体地址",
           "所属区域", "诉求内容", "老人年龄", "涉及金额"]


def row(ref: str, received: Any = "2026-03-05", *, phone: str = "13804761234", division: str = "红山区",
        summary: str = "老人参加免费讲座后被推销高价保健品", id_number: str = "", uscc: str = "",
        age: str = "72", amount: str = "3980") -> list[Any]:
    return [ref, received, "张三", phone, id_number, "赤峰康寿堂保健品店", uscc, "红山区站前街12号", division,
            summary, age, amount]


def write_xlsx(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS, merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS, encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path
