"""The minutes of a screening meeting as a Word document, rendered with docxtpl from data/minutes_template.docx
(built by wordtemplate/build_minutes_template.py, kept in the repository)."""

from __future__ import annotations

import io

from django.utils import timezone
from docxtpl import DocxTemplate

from silvershield.screening.wordtemplate.build_minutes_template import TEMPLATE
from silvershield.screening.models import Meeting


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def minutes_context(meeting: Meeting) -> dict:
    decisions = (
        meeting.decisions.select_related("lead", "handling_unit", "merged_into").prefetch_related("verifiers").order_by("id")
    )
    rows = []
    for n, d in enumerate(decisions, start=1):
        kind = f"{d.get_kind_display()}（{d.get_priority_display()}）"
        if d.merged_into_id:
            kind += f"，并入{d.merged_into.display_number}"
        if d.transfer_department:
            kind += f"，移送{d.transfer_department}"
        unit = d.handling_unit.name if d.handling_unit_id else ""
        names = "、".join(v.display_name for v in d.verifiers.all())
        rows.append({"n": n, "number": d.lead.display_number, "party": d.lead.party_name or "—", "kind": kind,
                     "unit": f"{unit} {names}".strip(), "reasons": d.reasons})
    carried = ""
    if meeting.carried_out_at:
        carried = f"以上决定已于{_cn(timezone.localtime(meeting.carried_out_at))}执行，分派指令已发送承办单位及核查人员。"
    return {
        "bureau": meeting.bureau.name,
        "held_on": _cn(meeting.held_on),
        "chair": meeting.chair.display_name,
        "attendees": "、".join(a.display_name for a in meeting.attendees.all()) or "—",
        "outside": "、".join(line.strip() for line in meeting.outside_attendees.splitlines() if line.strip()) or "无",
        "count": len(rows),
        "decisions": rows,
        "carried_out": carried,
        "today": _cn(timezone.localdate()),
    }


def render_minutes(meeting: Meeting) -> bytes:
    doc = DocxTemplate(str(TEMPLATE))
    doc.render(minutes_context(meeting))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
