"""The case-source registration form (案件来源登记表) in its three shapes — the lead page's check panel,
the printable A4 page and the Word document — and the ledger's Excel columns, which follow the form.

The reporter appears masked unless the viewer's role may reveal and has stated a reason
(leads.services.reveal_reporter, which logs it). The Word document is rendered with docxtpl from
leads/data/registration_form.docx, built by leads/forms_docx/build_template.py.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from silvershield.core.crypto import mask_id_number, mask_name, mask_phone
from silvershield.core.models import User
from silvershield.entities.linking import find_entity_candidates
from silvershield.entities.queries import entity_divisions_visible_to
from silvershield.leads.duplicates import find_duplicates
from silvershield.leads.models import Attachment, Lead
from silvershield.leads.permissions import can_edit_lead

TEMPLATE_PATH = Path(__file__).resolve().parent / "data" / "registration_form.docx"


def registration_check_context(lead: Lead, user: User) -> dict[str, Any]:
    """Likely duplicates and entity candidates, for the legal officer while the lead can still change."""
    if not can_edit_lead(lead, user):
        return {"show_check": False}
    duplicates = find_duplicates(lead, user=user)
    candidates = []
    if lead.party_name or lead.party_address:
        candidates = [
            c
            for c in find_entity_candidates(
                name=lead.party_name, address=lead.party_address, divisions=entity_divisions_visible_to(user), limit=8
            )
            if c.entity.pk != lead.party_entity_id
        ]
    return {"show_check": True, "duplicates": duplicates, "entity_candidates": candidates}


# --- the form's content, for print and Word --------------------------------------------------------


def _cn_date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def reporter_text(lead: Lead, revealed: dict[str, str] | None) -> str:
    if revealed:
        parts = [revealed.get("name") or "", revealed.get("phone") or "", revealed.get("id_number") or "",
                 revealed.get("address") or ""]
        return "　".join(p for p in parts if p) or "匿名"
    if not (lead.reporter_name or lead.reporter_phone):
        return "匿名"
    parts = [mask_name(lead.reporter_name), mask_phone(lead.reporter_phone)]
    if lead.reporter_id_number:
        parts.append(mask_id_number(lead.reporter_id_number))
    return "　".join(p for p in parts if p) + ("（实名）" if lead.reporter_is_named else "")


def form_context(lead: Lead, *, revealed: dict[str, str] | None = None) -> dict[str, Any]:
    """The registration form's fields, as text; the same values on the printed page and in Word."""
    attachments = list(lead.attachments.all())
    party = lead.party_name or ""
    if lead.party_entity_id:
        party = f"{party}（{lead.party_entity.name}，统一社会信用代码 {lead.party_entity.uscc}）" if party else (
            f"{lead.party_entity.name}（统一社会信用代码 {lead.party_entity.uscc}）"
        )
    return {
        "bureau": lead.bureau.name,
        "number": lead.number or f"（未登记）#{lead.pk}",
        "channel": str(lead.get_channel_display()),
        "received_date": _cn_date(lead.received_date),
        "sender": lead.sender or "",
        "reporter": reporter_text(lead, revealed),
        "reporter_revealed": bool(revealed),
        "party": party or "不详",
        "party_address": lead.party_address or "",
        "uscc": lead.party_entity.uscc if lead.party_entity_id else "",
        "division": lead.division.name,
        "category": str(lead.get_category_display() or "待研判"),
        "product_domain": str(lead.get_product_domain_display() or ""),
        "summary": lead.summary,
        "attachments": "；".join(a.original_name for a in attachments) or "无",
        "registrant": lead.registered_by.display_name if lead.registered_by_id else "",
        "registered_at": _cn_date(lead.registered_at),
        "suggested_handling": lead.suggested_handling or "",
        "printed_at": _cn_date(timezone.now()),
    }


def render_docx(lead: Lead, *, revealed: dict[str, str] | None = None) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(TEMPLATE_PATH))
    template.render(form_context(lead, revealed=revealed))
    out = BytesIO()
    template.save(out)
    return out.getvalue()


# --- the ledger in Excel: one row per lead, the form's columns first --------------------------------


def ledger_export_headers() -> tuple[list[str], list[int]]:
    columns = [
        (_("Number"), 26), (_("Channel"), 14), (_("Date received"), 12), (_("Sender"), 18),
        (_("Reporter"), 14), (_("Party"), 28), (_("Unified social credit code"), 22), (_("Party address"), 30),
        (_("Summary of facts"), 60), (_("Attachments"), 8), (_("Registrant"), 12), (_("Date of registration in the ledger"), 12),
        (_("Suggested handling"), 30), (_("Fraud category"), 16), (_("Category confidence"), 10),
        (_("Product domain"), 14), (_("Division"), 10), (_("State"), 10), (_("Due date"), 12),
        (_("Outcome"), 16), (_("Case number"), 26), (_("Merged into"), 26),
    ]
    return [str(c[0]) for c in columns], [c[1] for c in columns]


def export_queryset(queryset):
    """No reporter column is loaded: the export says only whether the reporter is named (DOMAIN.md C.2)."""
    attachments = (
        Attachment.objects.filter(lead=OuterRef("pk")).values("lead").annotate(n=Count("pk")).values("n")
    )
    return (
        queryset.defer("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address", "reporter_phone_hash")
        .select_related("case", "registered_by", "merged_into", "party_entity", "division")
        .annotate(attachment_count=Subquery(attachments))
        .order_by("-received_date", "-id")
    )


def ledger_export_row(lead: Lead) -> list[Any]:
    # Masked completely: even a masked name (张**) or the phone's last four digits (the portal's status
    # look-up asks for them) would help identify the reporter in a spreadsheet that travels.
    reporter = "实名（已保密）" if lead.reporter_is_named else "匿名"
    return [
        lead.number or f"#{lead.pk}",
        lead.get_channel_display(),
        lead.received_date,
        lead.sender,
        reporter,
        lead.party_name or (lead.party_entity.name if lead.party_entity_id else ""),
        lead.party_entity.uscc if lead.party_entity_id else "",
        lead.party_address,
        lead.summary,
        getattr(lead, "attachment_count", None) or 0,
        lead.registered_by.display_name if lead.registered_by_id else "",
        timezone.localtime(lead.registered_at).date() if lead.registered_at else None,
        lead.suggested_handling,
        lead.get_category_display(),
        lead.category_confidence,
        lead.get_product_domain_display(),
        lead.division.name,
        lead.get_state_display(),
        lead.due_date,
        lead.get_outcome_display(),
        lead.case.number if lead.case_id else "",
        lead.merged_into.number or "" if lead.merged_into_id else "",
    ]
