"""Builds minutes_template.docx, the Word template of the screening-meeting minutes (docxtpl/Jinja tags).

Kept in the repository so the template can be changed in code review:
    .venv/bin/python -m silvershield.screening.wordtemplate.build_minutes_template
writes silvershield/screening/data/minutes_template.docx (shipped as package data).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "minutes_template.docx"


def _font(run, size: int, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "SimSun"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("{{ bureau }}"), 16, bold=True)
    title2 = doc.add_paragraph()
    title2.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title2.add_run("线索集中筛查会会议纪要"), 18, bold=True)
    for label, tag in (("时间", "{{ held_on }}"), ("主持", "{{ chair }}"), ("参会人员", "{{ attendees }}"),
                       ("列席人员", "{{ outside }}")):
        p = doc.add_paragraph()
        _font(p.add_run(f"{label}："), 12, bold=True)
        _font(p.add_run(tag), 12)
    p = doc.add_paragraph()
    _font(p.add_run("会议对{{ count }}条线索逐条研究，作出如下决定："), 12)
    table = doc.add_table(rows=3, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "线索编号", "当事人", "决定", "承办单位及核查人员", "理由"), strict=True):
        _font(cell.paragraphs[0].add_run(text), 10, bold=True)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for d in decisions %}")
    for cell, tag in zip(table.rows[2].cells, ("{{ d.n }}", "{{ d.number }}", "{{ d.party }}", "{{ d.kind }}", "{{ d.unit }}",
                                               "{{ d.reasons }}"), strict=True):
        _font(cell.paragraphs[0].add_run(tag), 10)
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    p = doc.add_paragraph()
    _font(p.add_run("{{ carried_out }}"), 12)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(p.add_run("{{ bureau }}\n{{ today }}"), 12)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
