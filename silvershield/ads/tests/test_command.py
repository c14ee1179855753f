"""`silvershield ads check`: the output format, bad lines and where input comes from."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ads", "check", *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def write_lines(tmp_path, lines, name="ads.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines))
    return path


def ad(text, product_type):
    return json.dumps({"text": text, "product_type": product_type}, ensure_ascii=False)


def test_output_is_one_line_per_ad_in_order_with_article_span_and_explanation(db, tmp_path):
    path = write_lines(
        tmp_path, [ad("草原牌苦荞茶，专治糖尿病。", "ordinary_food"), ad("老年手机，大字体。", "other")]
    )
    out = io.StringIO()
    call_command("ads", "check", str(path), stdout=out)
    raw = out.getvalue().splitlines()
    assert "专治糖尿病" in raw[0]  # ensure_ascii=False: Chinese as Chinese, not \u escapes
    first, second = (json.loads(line) for line in raw)
    assert list(first) == ["text", "product_type", "violations"]
    assert first["text"] == "草原牌苦荞茶，专治糖尿病。" and first["product_type"] == "ordinary_food"
    assert {tuple(v) for v in first["violations"]} == {("article", "span", "explanation")}
    by_article = {v["article"]: v for v in first["violations"]}
    assert set(by_article) == {"广告法第17条", "食品安全法第73条第1款"}
    start, end = by_article["广告法第17条"]["span"]
    assert first["text"][start:end] == "专治糖尿病"
    assert by_article["广告法第17条"]["explanation"]
    assert second == {"text": "老年手机，大字体。", "product_type": "other", "violations": []}


def test_malformed_lines_are_reported_with_line_number_and_field_and_the_rest_checked(db, tmp_path):
    path = write_lines(
        tmp_path,
        [
            ad("专治糖尿病", "other"),
            "{not json",
            json.dumps({"product_type": "drug"}),
            ad("   ", "drug"),
            ad("好茶", "food"),
            ad("很长" * 40, "other"),
            b"\xff\xfe",
            "",
            "[1, 2]",
            ad("老年手机", "other"),
        ],
    )
    records, errors = run(str(path), "--max-chars", "50")
    assert [r["text"] for r in records] == ["专治糖尿病", "老年手机"]
    lines = errors.splitlines()
    assert lines[0].startswith("第2行：不是有效的 JSON")
    assert lines[1] == "第3行 text：缺少该字段"
    assert lines[2] == "第4行 text：为空"
    assert lines[3].startswith('第5行 product_type：未知的产品类型 "food"')
    assert lines[4] == "第6行 text：过长（80字，上限50字）"
    assert lines[5].startswith("第7行：不是 UTF-8 编码")
    assert lines[6].startswith("第9行：应为一个 JSON 对象")  # line 8 is blank and skipped
    assert "7 行有误" in lines[7]


def test_stop_on_error_stops_at_the_first_bad_line_with_its_number(db, tmp_path):
    path = write_lines(tmp_path, [ad("老年手机", "other"), ad("x", "unknown"), ad("拐杖", "other")])
    out = io.StringIO()
    with pytest.raises(CommandError, match="第2行 product_type"):
        call_command("ads", "check", str(path), "--stop-on-error", stdout=out, stderr=io.StringIO())
    assert [json.loads(line)["text"] for line in out.getvalue().splitlines()] == ["老年手机"]


def test_dash_reads_standard_input(db, monkeypatch):
    data = (ad("专治糖尿病", "other") + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    records, _ = run("-")
    assert records[0]["violations"][0]["article"] == "广告法第17条"


def test_no_db_uses_the_shipped_rulebook_without_touching_the_database(tmp_path):
    # No `db` fixture: any query would fail this test.
    path = write_lines(tmp_path, [ad("专治糖尿病", "other")])
    records, _ = run(str(path), "--no-db", "--date", "2026-11-28")
    assert records[0]["violations"][0]["article"] == "广告法第17条"


def test_missing_file_and_bad_date_are_clear_errors(db, tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("ads", "check", str(tmp_path / "nope.jsonl"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("ads", "check", "-", "--date", "28/11/2026", stdout=io.StringIO())
