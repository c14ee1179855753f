"""Demo step: reports that came through the public portal, with fixed tracking codes, so the status page
can be tried at once (last four digits 1234 for each):

  K7P3-QX9-M2D  a daughter's report for her father, just received (with a photo of the receipt)
  H4NM-8RT-2KQ  a lead of 红山区 being checked
  W5XC-3JB-9FA  a lead that ended (whatever its outcome: the plain words follow it)
"""

from __future__ import annotations

from datetime import date

from silvershield.core.models import Division
from silvershield.leads.models import Lead, LeadState
from silvershield.portal.models import PortalReceipt, Source
from silvershield.portal.services import _lookup_hash, idempotency_key, submit_report

DEMO_DIGITS = "1234"


def _receipt_for(lead: Lead, code: str) -> None:
    Lead.objects.filter(pk=lead.pk).update(tracking_code=code)
    PortalReceipt.objects.update_or_create(
        lead=lead, defaults={"source": Source.WEB, "lookup_hash": _lookup_hash(code, DEMO_DIGITS)}
    )


def step(*, rng, org, entities, frame, today: date) -> None:
    if Lead.objects.filter(tracking_code="K7P3-QX9-M2D").exists():
        return
    from django.core.files.uploadedfile import SimpleUploadedFile

    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
    lead, _ = submit_report(
        fields={
            "channel": "report", "division": Division.objects.get(code="150402"), "received_date": today,
            "summary": "我父亲今年81岁，上个月参加了“健康讲座”，每次送鸡蛋，后来被劝买了12800元的“降三高”保健品，"
                       "说吃了可以停药。",
            "party_name": "赤峰康寿堂保健品店", "party_address": "红山区站前街12号",
            "reporter_relation": "child", "approach": "free_lecture", "victim_age": 81, "loss_amount": 12800,
            "reporter_is_named": True, "reporter_name": "王秀英", "reporter_phone": "13804761234",
        },
        files=[SimpleUploadedFile("收据.jpg", jpeg, content_type="image/jpeg")],
        key=idempotency_key("portal", "demo-1"), lookup_digits=DEMO_DIGITS,
    )
    _receipt_for(lead, "K7P3-QX9-M2D")
    checking = Lead.objects.filter(division_id="150402", state=LeadState.VERIFYING, tracking_code__isnull=True).first()
    if checking:
        _receipt_for(checking, "H4NM-8RT-2KQ")
    ended = Lead.objects.filter(state=LeadState.CONCLUDED, tracking_code__isnull=True).first()
    if ended:
        _receipt_for(ended, "W5XC-3JB-9FA")
