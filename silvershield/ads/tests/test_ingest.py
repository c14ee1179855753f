"""Ingest: the three formats, duplicates, bad rows named, nothing half-imported, findings stored."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from silvershield.ads.ingest import FileError, clean_rows, read_rows
from silvershield.ads.models import Ad, Finding, IngestBatch
from silvershield.ads.services import IngestFailed, ingest_ads
from silvershield.ads.tests.helpers import HEALTH, as_csv, as_jsonl, as_xlsx, records
from silvershield.core.models import AuditEvent
from silvershield.entities.models import Entity


def ingest(data: bytes, name: str, actor, **options):
    return ingest_ads(
        rows=clean_rows(read_rows(stream=io.BytesIO(data), filename=name)), actor=actor, source=name, **options
    )


@pytest.mark.parametrize(
    "name,encode", [("ads.jsonl", as_jsonl), ("ads.csv", as_csv), ("ads.xlsx", as_xlsx)]
)
def test_each_format_is_ingested_checked_and_not_duplicated(db, monitors, name, encode):
    result = ingest(encode(records()), name, monitors.hongshan)
    assert (result.rows, result.created, result.duplicates) == (2, 2, 0)
    unlawful = Ad.objects.get(product_name="草原牌苦荞茶")
    assert unlawful.medium == "tv" and unlawful.outlet == "赤峰电视台"
    assert unlawful.division_id == "150402" and unlawful.bureau.code == "150402"
    assert unlawful.finding_count > 0
    articles = set(unlawful.findings.values_list("article", flat=True))
    assert {"广告法第17条", "食品安全法第73条第1款"} <= articles
    finding = unlawful.findings.get(article="广告法第17条")
    assert "糖尿病" in finding.excerpt
    lawful = Ad.objects.get(product_name="小米")
    assert lawful.medium == "newspaper" and lawful.product_type == "ordinary_food"
    assert lawful.finding_count == 0 and not lawful.findings.exists()
    # the batch is audited
    assert AuditEvent.objects.filter(subject_type="ads.ingestbatch", subject_id=result.batch.pk).exists()

    again = ingest(encode(records()), name, monitors.hongshan)
    assert (again.created, again.duplicates) == (0, 2)
    assert Ad.objects.count() == 2


def test_the_same_ad_twice_in_one_file_is_one_ad(db, monitors):
    rows = records()
    result = ingest(as_jsonl([*rows, rows[0]]), "ads.jsonl", monitors.hongshan)
    assert (result.created, result.duplicates) == (2, 1)


def test_bad_rows_are_named_and_nothing_is_half_imported(db, monitors):
    rows = records(n_extra=3)
    rows[2] = {**rows[2], "text": "  "}
    rows[3] = {**rows[3], "product_type": "magic_water"}
    rows[4] = {**rows[4], "text": "很长" * 15000}
    with pytest.raises(IngestFailed) as caught:
        ingest(as_csv(rows), "ads.csv", monitors.hongshan)
    errors = [str(e) for e in caught.value.errors]
    # spreadsheet rows: the header is row 1, so the third ad is row 4
    assert errors[0] == "第4行 text：为空"
    assert errors[1].startswith("第5行 product_type：未知的产品类型 'magic_water'")
    assert errors[2].startswith("第6行 text：过长（30000字")
    assert Ad.objects.count() == 0 and Finding.objects.count() == 0 and IngestBatch.objects.count() == 0


def test_skip_bad_stores_the_good_rows_and_reports_the_bad(db, monitors):
    rows = records(n_extra=1)
    rows[2] = {**rows[2], "medium": "pigeon"}
    result = ingest(as_jsonl(rows), "ads.jsonl", monitors.hongshan, skip_bad=True)
    assert (result.created, result.skipped) == (2, 1)
    assert result.batch.errors == [
        {"row": 3, "field": "medium", "message": result.errors[0].message}
    ]
    assert "pigeon" in result.errors[0].message


def test_missing_columns_name_the_column(db, monitors):
    data = as_xlsx(records(), columns=["medium", "outlet", "text"])
    with pytest.raises(FileError) as caught:
        ingest(data, "ads.xlsx", monitors.hongshan)
    assert caught.value.field == "product_type" and "product_type" in caught.value.message


def test_chinese_headings_are_understood(db, monitors):
    columns = ["medium", "outlet", "product_type", "text"]
    data = as_xlsx(records(), columns=columns, headers=["媒介", "发布媒体", "产品类型", "广告内容"])
    assert ingest(data, "监测.xlsx", monitors.hongshan).created == 2


def test_bad_division_and_time_are_named(db, monitors):
    rows = records()
    rows[0] = {**rows[0], "division": "150404"}  # 松山区: not 红山区's
    rows[1] = {**rows[1], "published_at": "昨天"}
    with pytest.raises(IngestFailed) as caught:
        ingest(as_jsonl(rows), "ads.jsonl", monitors.hongshan)
    fields = [(e.row, e.field) for e in caught.value.errors]
    assert fields == [(1, "division"), (2, "published_at")]


def test_city_monitor_files_ads_under_the_county_bureau_of_their_division(db, monitors):
    rows = records()
    rows[0] = {**rows[0], "division": "松山区"}
    result = ingest(as_jsonl(rows), "ads.jsonl", monitors.city)
    assert result.created == 2
    ad = Ad.objects.get(product_name="草原牌苦荞茶")
    assert ad.division_id == "150404" and ad.bureau.code == "150404"
    assert Ad.objects.get(product_name="小米").bureau.code == "150400"


def test_advertiser_is_linked_to_the_registered_entity(db, monitors):
    kwargs = {"uscc": "91150402MA0N7T3P4X", "name": "赤峰康寿堂保健品店", "division_id": "150402"}
    entity = Entity.objects.create(**kwargs)
    ingest(as_jsonl(records()), "ads.jsonl", monitors.hongshan)
    assert Ad.objects.get(product_name="草原牌苦荞茶").advertiser_entity == entity
    assert Ad.objects.get(product_name="小米").advertiser_entity is None


def test_investment_ads_are_checked_as_other(db, monitors):
    row = {"medium": "leaflet", "product_type": "投资", "text": "养老项目投资，保本保息，年化收益18%，稳赚不赔。"}
    ingest(as_jsonl([row]), "ads.jsonl", monitors.hongshan)
    ad = Ad.objects.get()
    assert ad.product_type == "investment"
    assert ad.findings.filter(article__startswith="广告法第25条").exists()


def test_command_ingests_with_a_report_and_fails_whole(db, monitors, tmp_path):
    path = tmp_path / "ads.jsonl"
    path.write_bytes(as_jsonl(records()))
    out = io.StringIO()
    call_command("ads", "ingest", str(path), "--user", "hs_ads", stdout=out)
    assert "新增 2 条广告" in out.getvalue()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(as_jsonl([{"medium": "tv", "product_type": "drug", "text": HEALTH}, {"medium": "tv"}]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何广告"):
        call_command("ads", "ingest", str(bad), "--user", "hs_ads", stdout=io.StringIO(), stderr=err)
    assert "第2行 product_type：缺少该字段" in err.getvalue()
    assert Ad.objects.count() == 2
    out = io.StringIO()
    call_command("ads", "ingest", str(bad), "--user", "hs_ads", "--skip-bad", stdout=out, stderr=io.StringIO())
    assert "新增 1 条广告" in out.getvalue() and Ad.objects.count() == 3
