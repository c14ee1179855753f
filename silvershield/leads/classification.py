"""Fraud category and product domain of a lead: the classifier's suggestion and the officer's correction.

The classifier (leads/classifier/) suggests; an officer decides. `correct_category` is the one write an
officer's decision goes through, from the pages and the API alike: it changes the lead, audits the
change, and keeps the correction so `silvershield leads train` can learn from it.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from silvershield.core.audit import diff_fields, record_event, snapshot
from silvershield.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from silvershield.core.models import AuditEvent, Role, User
from silvershield.leads.classifier.model import Prediction, classify_text
from silvershield.leads.models import CategoryCorrection, FraudCategory, Lead, LeadState, ProductDomain
from silvershield.leads.permissions import is_assigned
from silvershield.leads.queries import leads_visible_to

# Who assesses a lead (研判): the legal officer at registration, the task office and unit head at the
# weekly screening, and the verifiers who find out what the lead really is.
_CORRECTING_ROLES = frozenset({Role.LEGAL_OFFICER, Role.TASK_OFFICE, Role.UNIT_HEAD})
# A struck-off lead's record is final (销号); a merged lead lives on in its survivor.
_FINAL_STATES = frozenset({LeadState.STRUCK_OFF, LeadState.MERGED})


def can_correct_category(lead: Lead, user: User) -> bool:
    """Whether `user` may correct `lead`'s category (page buttons and the server share it)."""
    if lead.state in _FINAL_STATES:
        return False
    return user.role in _CORRECTING_ROLES or (user.role == Role.INVESTIGATOR and is_assigned(lead, user))


def suggest_category(*, lead: Lead) -> Prediction:
    """The classifier's suggestion for a lead, from its summary of facts."""
    return classify_text(text=lead.summary)


def correct_category(
    *, lead: Lead, actor: User, category: str, product_domain: str, reason: str = ""
) -> CategoryCorrection:
    """Set the lead's fraud category and product domain as the officer decides, and keep the correction.

    The category is one of the six of the 2022 national campaign or "not elder-care fraud" (DOMAIN.md
    Part A, C.6). In one transaction: the lead row is locked, updated, an audit event records the
    changed fields, and a CategoryCorrection keeps old and new values with the text as it stood.
    Raises InvalidInput (unknown or unchanged values), PermissionDenied, or TransitionNotAllowed
    (struck-off or merged lead); Http404 when the lead is outside the actor's reach.
    """
    if category not in FraudCategory.values:
        raise InvalidInput("诈骗类别无效", field="category")
    if product_domain not in ProductDomain.values:
        raise InvalidInput("产品领域无效", field="product_domain")
    if not leads_visible_to(actor).filter(pk=lead.pk).exists():
        # Same answer as for a lead that does not exist (DESIGN.md section 5, jurisdiction scoping).
        raise Http404("线索不存在")
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.state in _FINAL_STATES:
            raise TransitionNotAllowed("已销号或已并案的线索不能更正类别", field="category")
        if not can_correct_category(locked, actor):
            raise PermissionDenied("您无权更正此线索的类别")
        fields = ["category", "product_domain"]
        before = snapshot(locked, fields)
        after = {"category": category, "product_domain": product_domain}
        changes = diff_fields(before, after)
        if not changes:
            raise InvalidInput("类别和产品领域与现有的相同，无需更正", field="category")
        correction = CategoryCorrection.objects.create(
            lead=locked,
            text=locked.summary,
            old_category=before["category"],
            new_category=category,
            old_product_domain=before["product_domain"],
            new_product_domain=product_domain,
            actor=actor,
            reason=reason.strip(),
        )
        locked.category = category
        locked.product_domain = product_domain
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*fields, "updated_at"])
        record_event(
            subject=locked,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            reason=reason.strip() or "更正诈骗类别",
            changes=changes,
        )
    lead.category, lead.product_domain, lead.updated_at = (
        locked.category,
        locked.product_domain,
        locked.updated_at,
    )
    return correction
