"""Files of ads for the tests, in the three formats ingest reads."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook

UNLAWFUL = "草原牌苦荞茶，专治糖尿病，三天见效。欢迎中老年朋友到店选购。"
LAWFUL = "精选内蒙古优质小米，颗粒饱满，熬粥香浓。保质期12个月。"
HEALTH = "康寿牌胶囊，保健功能：增强免疫力。本品不能代替药物。适宜人群：中老年人。"

COLUMNS = ["medium", "outlet", "published_at", "advertiser", "product_name", "product_type", "text"]


def records(n_extra: int = 0):
    rows = [
        {
            "medium": "tv", "outlet": "赤峰电视台", "published_at": "2026-11-02 08:30",
            "advertiser": "赤峰康寿堂保健品店", "product_name": "草原牌苦荞茶", "product_type": "ordinary_food",
            "text": UNLAWFUL,
        },
        {
            "medium": "报纸", "outlet": "赤峰日报", "published_at": "2026-10-15",
            "advertiser": "赤峰草原米业有限公司", "product_name": "小米", "product_type": "普通食品",
            "text": LAWFUL,
        },
    ]
    for i in range(n_extra):
        rows.append({**rows[1], "text": f"{LAWFUL}第{i}期。"})
    return rows


def as_jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def as_csv(rows, columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows, columns=COLUMNS, headers=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers or columns)
    for r in rows:
        sheet.append([r.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
