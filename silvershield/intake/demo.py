"""Demo step: what the channels add to the demo — informants' reports spread over the year (some
registered, so the statistics have something to count), 12315 calls entered by the operators with their
work-order numbers, and referrals and assignments with the sender's due date."""

from __future__ import annotations

from datetime import date, timedelta

from silvershield.core.models import Informant, Role, User
from silvershield.intake.services import informant_division, receive_lead
from silvershield.leads.models import Channel, Lead
from silvershield.leads.workflow import run_lead_transition

SHOPS = ["益年堂健康体验馆", "康寿堂保健品店", "福寿康健康咨询有限公司", "长青旅游服务部", "夕阳红养老服务中心"]
TEXTS = [
    "每天早上免费送鸡蛋，吸引老人听课，随后推销三千多元的理疗床垫",
    "以免费体检为名，称老人“血管堵塞”，推销高价保健食品",
    "组织老人低价游，途中带到玉石店强迫购物",
    "宣传“以房养老”理财，劝老人抵押房产购买理财产品",
]


def step(*, rng, org, entities, frame, today: date) -> None:
    if Lead.objects.filter(channel=Channel.INFORMANT, informant__isnull=False).exists():
        return
    informants = list(Informant.objects.filter(user__isnull=False, station__isnull=False).select_related("user", "station").order_by("pk")[:40])
    for index, informant in enumerate(informants):
        user = informant.user
        for k in range(rng.randint(0, 4)):
            received = today - timedelta(days=rng.randrange(1, 300))
            lead = receive_lead(actor=user, channel=Channel.INFORMANT, fields=dict(
                received_date=received, informant=informant, division=informant_division(informant, user),
                party_name=rng.choice(SHOPS), summary=rng.choice(TEXTS), approach="free_gifts",
            ))
            legal = User.objects.filter(role=Role.LEGAL_OFFICER, unit__bureau=lead.bureau, is_active=True).order_by("pk").first()
            if legal and (index + k) % 2 == 0:
                run_lead_transition(lead=lead, name="register", actor=legal)
    for operator in User.objects.filter(role=Role.HOTLINE_OPERATOR, is_active=True).order_by("pk")[:6]:
        for k in range(3):
            receive_lead(actor=operator, channel=Channel.HOTLINE, fields=dict(
                external_ref=f"12315{today:%Y%m%d}{operator.pk:03d}{k:02d}", received_date=today - timedelta(days=k),
                division=operator.bureau.division_id, reporter_name="刘大爷", reporter_phone=f"1390476{operator.pk % 10}{k:03d}",
                party_name=rng.choice(SHOPS), summary=rng.choice(TEXTS),
            ))
    for legal in User.objects.filter(role=Role.LEGAL_OFFICER, is_active=True).order_by("pk")[:4]:
        for channel, sender in ((Channel.REFERRAL, "赤峰市公安局"), (Channel.ASSIGNED, "内蒙古自治区市场监督管理局")):
            receive_lead(actor=legal, channel=channel, fields=dict(
                sender=sender, received_date=today - timedelta(days=10), sender_due_date=today + timedelta(days=rng.randrange(-3, 20)),
                division=legal.bureau.division_id, party_name=rng.choice(SHOPS), summary=rng.choice(TEXTS),
            ))
