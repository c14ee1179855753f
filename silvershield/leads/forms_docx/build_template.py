"""Build leads/data/registration_form.docx, the docxtpl template of the case-source registration form (案件来源登记表).

Origin: written from scratch for SilverShield with python-docx, laid out after the table of the 案件来源登记表
as bureaus use it under 市场监督管理行政处罚程序规定 Art. 18 (title, number, then a two-column table: source,
dates, reporter, party, facts, attachments, registrant, suggested handling, approval). No official file was
copied. The cells hold Jinja variables ({{ number }}, {{ reporter }}, …) that leads.registration.render_docx
fills with docxtpl. Rebuild after a change:  .venv/bin/python -m silvershield.leads.forms_docx.build_template
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# In leads/data/ because that folder ships as package data (pyproject.toml).
OUT = Path(__file__).resolve().parent.parent / "data" / "registration_form.docx"

ROWS = [
    ("案件来源", "{{ channel }}", "接收日期", "{{ received_date }}"),
    ("移送/交办单位", "{{ sender }}", "所属区划", "{{ division }}"),
    ("举报人（投诉人）", "{{ reporter }}", None, None),
    ("当事人", "{{ party }}", None, None),
    ("统一社会信用代码", "{{ uscc }}", "当事人地址", "{{ party_address }}"),
    ("诈骗类别", "{{ category }}", "产品领域", "{{ product_domain }}"),
    ("主要事实摘要", "{{ summary }}", None, None),
    ("附件", "{{ attachments }}", None, None),
    ("登记人", "{{ registrant }}", "登记日期", "{{ registered_at }}"),
    ("处理意见建议", "{{ suggested_handling }}", None, None),
    ("负责人审批意见", "", None, None),
]


def _font(run, size=12, bold=False):
    run.font.name = "SimSun"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    run.font.size = Pt(size)
    run.bold = bold


def build(path: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.2)

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run("{{ bureau }}"), 14)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("案件来源登记表"), 20, bold=True)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(number.add_run("编号：{{ number }}"), 12)

    table = doc.add_table(rows=len(ROWS), cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(3.4), Cm(5.2), Cm(3.0), Cm(5.0)]
    for r, (label, value, label2, value2) in enumerate(ROWS):
        cells = table.rows[r].cells
        for c, width in enumerate(widths):
            cells[c].width = width
        if label2 is None:
            merged = cells[1].merge(cells[3])
            targets = [(cells[0], label, True), (merged, value, False)]
        else:
            targets = [(cells[0], label, True), (cells[1], value, False), (cells[2], label2, True), (cells[3], value2, False)]
        for cell, text, bold in targets:
            para = cell.paragraphs[0]
            _font(para.add_run(text), 12, bold=bold)
        if label in ("主要事实摘要", "负责人审批意见"):
            table.rows[r].height = Cm(5 if label == "主要事实摘要" else 3)

    foot = doc.add_paragraph()
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(foot.add_run("打印日期：{{ printed_at }}"), 10)
    note = doc.add_paragraph()
    _font(note.add_run("举报人信息依法保密（《市场监督管理投诉举报处理暂行办法》第三十三条）。"), 9)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
