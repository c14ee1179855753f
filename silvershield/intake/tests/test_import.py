"""The 12315 batch import: every row validated, all or nothing, re-import adds nothing (issue 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from silvershield.core.audit import verify_chain
from silvershield.core.models import AuditEvent
from silvershield.intake.imports import ImportOptions, load_mapping, parse_date, run_import
from silvershield.intake.models import ImportBatch
from silvershield.intake.tests.helpers import HEADERS, row, write_csv, write_xlsx
from silvershield.leads.models import Channel, Lead

pytestmark = pytest.mark.django_db


def opts(org, personas, **kw):
    return ImportOptions(bureau=org.hongshan, actor=personas.legal_officer, **kw)


def test_good_file_imports_every_row_with_audit_events(tmp_path, org, personas):
    path = write_xlsx(tmp_path / "good.xlsx", [row("A001"), row("A002", date(2026, 3, 6)), row("A003", 46090)])
    report = run_import(path, opts(org, personas))
    assert report.imported and report.ok, report.errors
    assert report.rows_created == 3
    leads = Lead.objects.filter(channel=Channel.HOTLINE).order_by("external_ref")
    assert [lead.external_ref for lead in leads] == ["A001", "A002", "A003"]
    first = leads[0]
    assert first.reporter_phone == "13804761234" and first.division_id == "150402"
    assert first.received_date == date(2026, 3, 5) and first.victim_age == 72
    assert first.created_by == personas.legal_officer and first.bureau == org.hongshan
    # Imported leads are classified and keyed for duplicates like every other lead.
    assert first.category and first.product_domain and first.category_confidence is not None
    assert first.reporter_phone_hash
    assert AuditEvent.objects.filter(subject_type="leads.lead", subject_id=first.pk, action="create").count() == 1
    event = AuditEvent.objects.get(subject_type="leads.lead", subject_id=first.pk)
    assert event.changes["reporter_phone"] == [None, "***"]
    assert verify_chain() == (True, None)
    assert ImportBatch.objects.get().rows_created == 3


def test_bad_row_means_nothing_imported_and_the_report_names_row_and_field(tmp_path, org, personas):
    path = write_xlsx(tmp_path / "bad.xlsx", [row("B001"), row("B002", phone="1380476"), row("B003")])
    report = run_import(path, opts(org, personas))
    assert not report.imported
    assert Lead.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert report.rows_bad == 1
    error = report.errors[0]
    assert (error.row, error.field) == (3, "reporter_phone")
    assert "第3行 联系电话" in str(error)
    assert "未导入任何数据" in report.summary()


def test_skip_bad_imports_the_good_rows_and_reports_the_bad(tmp_path, org, personas):
    path = write_xlsx(tmp_path / "bad.xlsx", [row("C001"), row("C002", "2026-02-30"), row("C003", id_number="150402199901011234")])
    report = run_import(path, opts(org, personas, skip_bad=True))
    assert report.imported and report.rows_created == 1 and report.rows_bad == 2
    assert {(e.row, e.field) for e in report.errors} == {(3, "received_date"), (4, "reporter_id_number")}
    assert list(Lead.objects.values_list("external_ref", flat=True)) == ["C001"]


def test_importing_the_same_file_again_adds_nothing(tmp_path, org, personas):
    path = write_xlsx(tmp_path / "f.xlsx", [row("D001"), row("D002")])
    assert run_import(path, opts(org, personas)).rows_created == 2
    again = run_import(path, opts(org, personas))
    assert again.already_imported_batch and again.rows_created == 0
    # A different file with the same work orders (a later export) adds only the new one.
    other = write_xlsx(tmp_path / "g.xlsx", [row("D001"), row("D002"), row("D003")])
    report = run_import(other, opts(org, personas))
    assert (report.rows_created, report.rows_existing) == (1, 2)
    assert Lead.objects.count() == 3


def test_text_dates_excel_serials_and_full_width_digits(tmp_path, org, personas):
    path = write_csv(tmp_path / "dates.csv", [
        row("Ｅ００１", "2026年3月5日", phone="１３８０４７６１２３４"),
        row("E002", "2026/3/5"),
        row("E003", "46086"),
        row("E004", "２０２６－０３－０５"),
        row("E005", "2026-03-05 14:20:00"),
    ])
    report = run_import(path, opts(org, personas))
    assert report.ok, [str(e) for e in report.errors]
    leads = {lead.external_ref: lead for lead in Lead.objects.all()}
    assert set(leads) == {"E001", "E002", "E003", "E004", "E005"}
    assert {lead.received_date for lead in leads.values()} == {date(2026, 3, 5)}
    assert leads["E001"].reporter_phone == "13804761234"


def test_parse_date_rejects_future_and_nonsense():
    with time_machine.travel(date(2026, 11, 20)):
        assert parse_date("2026.3.5") == date(2026, 3, 5)
        for bad in ("2026-13-01", "昨天", "2027-01-01", "1990-01-01", ""):
            with pytest.raises(ValueError):
                parse_date(bad)


def test_missing_column_is_a_clear_message(tmp_path, org, personas):
    headers = [h for h in HEADERS if h != "诉求内容"]
    path = write_xlsx(tmp_path / "m.xlsx", [row("F001")[:9] + row("F001")[10:]], headers=headers)
    report = run_import(path, opts(org, personas))
    assert "缺少必需的列：诉求内容" in report.file_error
    assert Lead.objects.count() == 0


def test_merged_cells_and_empty_files_are_refused(tmp_path, org, personas):
    merged = write_xlsx(tmp_path / "merged.xlsx", [row("G001"), row("G002")], merge="I2:I3")
    assert "合并单元格" in run_import(merged, opts(org, personas)).file_error
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "空" in run_import(empty, opts(org, personas)).file_error
    header_only = write_csv(tmp_path / "header.csv", [])
    assert "没有数据行" in run_import(header_only, opts(org, personas)).file_error
    wrong = tmp_path / "x.xls"
    wrong.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    assert ".xlsx" in run_import(wrong, opts(org, personas)).file_error
    assert Lead.objects.count() == 0


def test_division_names_and_duplicates_within_the_file(tmp_path, org, personas):
    path = write_csv(tmp_path / "d.csv", [
        row("H001", division="赤峰市红山区"), row("H002", division="150402"), row("H003", division=""),
        row("H004", division="松山区"), row("H005", division="火星区"), row("H001"),
    ])
    report = run_import(path, opts(org, personas))
    assert {(e.row, e.field) for e in report.errors} == {(5, "division"), (6, "division"), (7, "external_ref")}
    assert "辖区" in report.errors[0].message
    assert Lead.objects.count() == 0


def test_gbk_csv_and_a_mapping_file(tmp_path, org, personas):
    headers = ["单号", "受理时间", "来电人", "电话", "证件号码", "被诉主体", "统一社会信用代码", "主体地址", "所属区域",
               "反映问题", "老人年龄", "涉及金额"]
    path = write_csv(tmp_path / "gbk.csv", [row("J001")], headers=headers, encoding="gb18030")
    mapping_file = tmp_path / "m.json"
    mapping_file.write_text('{"external_ref": "单号", "received_date": "受理时间", "summary": ["反映问题"]}', "utf-8")
    report = run_import(path, opts(org, personas, mapping=load_mapping(mapping_file)))
    assert report.ok and report.rows_created == 1, report.file_error
    assert Lead.objects.get().summary.startswith("老人参加")


def test_command_reports_and_exits_nonzero_on_a_bad_row(tmp_path, org, personas, capsys):
    path = write_xlsx(tmp_path / "bad.xlsx", [row("K001"), row("K002", summary="")])
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("intake", "import-12315", str(path), "--as", "hs_legal", "--no-progress")
    assert "第3行 诉求内容" in capsys.readouterr().err
    assert Lead.objects.count() == 0
    call_command("intake", "import-12315", str(path), "--as", "hs_legal", "--skip-bad", "--no-progress")
    assert Lead.objects.count() == 1
    call_command("intake", "import-12315", str(path), "--bureau", "150402", "--skip-bad", "--no-progress")
    assert Lead.objects.count() == 1


def test_command_refuses_a_bureau_outside_the_importers_reach(tmp_path, org, personas):
    path = write_xlsx(tmp_path / "a.xlsx", [row("L001")])
    with pytest.raises(CommandError, match="辖区"):
        call_command("intake", "import-12315", str(path), "--as", "hs_legal", "--bureau", "150404", "--no-progress")


def test_benchmark_command_runs_small(org, capsys):
    call_command("intake", "benchmark-import", "--rows", "200", "--bureau", "150402")
    out = capsys.readouterr().out
    assert "imported 200 leads" in out and "rolled back" in out
    assert Lead.objects.count() == 0


def test_uscc_links_the_entity(tmp_path, org, personas):
    path = write_xlsx(tmp_path / "u.xlsx", [row("M001", uscc="91150402MA0N00000X")])
    report = run_import(path, opts(org, personas))
    assert report.errors and report.errors[0].field == "party_uscc"


def test_unused_path_type():
    assert Path


def test_sparse_cells_blank_rows_and_row_numbers(tmp_path, org, personas):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(row("N001"))
    good = row("N002")
    good[2] = good[3] = None  # no caller: cells left out of the XML
    sheet.cell(row=4, column=1, value="N002")
    for column, value in enumerate(good, start=1):
        if value is not None:
            sheet.cell(row=4, column=column, value=value)
    bad = row("N003", "2026年13月1日")
    for column, value in enumerate(bad, start=1):
        sheet.cell(row=6, column=column, value=value)  # row 3 and row 5 are blank
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    report = run_import(path, opts(org, personas))
    assert [(e.row, e.field) for e in report.errors] == [(6, "received_date")]
    assert report.rows_total == 3
    report = run_import(path, opts(org, personas, skip_bad=True))
    lead = Lead.objects.get(external_ref="N002")
    assert lead.reporter_name == "" and lead.reporter_phone == "" and lead.summary
