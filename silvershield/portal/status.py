"""What the status page and the partner endpoint say about a lead: plain words for what actually happened.

Mapped from the lead's state and outcome only. Never the officers' names, the reporter's data, the
lead's internal number or the officers' notes (`result`): only the optional `PortalReceipt.public_note`,
which an officer writes for the reporter. A lead that ended without a case is never called "closed":
the words say what was done and why there was no case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from silvershield.leads.models import Lead, LeadState, Outcome

# The four steps shown as a progress line.
STEPS = [_("Received"), _("Registered"), _("Being checked"), _("Result")]


@dataclass
class PublicStatus:
    title: str
    text: str
    step: int  # 1..4 on the progress line
    closed: bool  # Open311's "open"/"closed": a decision has been made
    merged: bool = False
    note: str = ""
    received_date: str = ""  # ISO, for the partner endpoints
    steps: list = field(default_factory=list)
    received_on: date | None = None  # for the page, written as officials write dates


_OUTCOME_WORDS = {
    Outcome.CASE_OPENED: (
        _("A case has been opened"),
        _("After checking, the market-supervision bureau has opened a case against the business and is "
          "investigating it under the law. Thank you for reporting it."),
    ),
    Outcome.NOT_OPENED: (
        _("Checked: no case was opened"),
        _("Officers checked what you reported. They did not find enough evidence of an offence that the "
          "market-supervision bureau can punish, so no case was opened. This does not mean your report was "
          "ignored. If you have new facts or evidence (receipts, leaflets, recordings), please report again."),
    ),
    Outcome.TRANSFERRED_DEPARTMENT: (
        _("Passed to the responsible department"),
        _("What you reported is handled by another government department (for example health, civil "
          "affairs or financial regulators). The bureau has passed it to them to deal with."),
    ),
    Outcome.TRANSFERRED_POLICE: (
        _("Passed to the police"),
        _("What you reported may be a crime of fraud, so it has been passed to the police. If money was "
          "taken, please also report it at your local police station or call 110."),
    ),
    Outcome.MEDIATED: (
        _("Settled through mediation"),
        _("The market-supervision bureau mediated between the two sides and they agreed how to settle it."),
    ),
}


def public_status(lead: Lead) -> PublicStatus:
    """The plain-words status of `lead`; a merged lead speaks for the report it was merged into."""
    merged = False
    seen = set()
    while lead.state == LeadState.MERGED and lead.merged_into_id and lead.pk not in seen:
        seen.add(lead.pk)
        merged = True
        lead = Lead.objects.select_related("portal_receipt").get(pk=lead.merged_into_id)
    state = lead.state
    if state == LeadState.RECEIVED:
        title, text, step = (
            _("Received"),
            _("Your report has arrived and is waiting to be registered by the bureau's legal officer."),
            1,
        )
    elif state in (LeadState.REGISTERED, LeadState.SCREENED):
        title, text, step = (
            _("Registered"),
            _("Your report has been registered and officers are being assigned to check it."),
            2,
        )
    elif state in (LeadState.DISPATCHED, LeadState.VERIFYING):
        title, text, step = (
            _("Being checked"),
            _("Officers are checking what you reported. By the rules this normally takes up to 15 working "
              "days; difficult cases may take longer with approval."),
            3,
        )
    else:  # concluded or struck off: the outcome says what happened
        title, text = _OUTCOME_WORDS.get(lead.outcome, (_("Checked"), _("Officers have finished checking your report.")))
        step = 4
    if merged:
        text = _("Your report was about the same matter as another report, so the two are handled "
                 "together. Progress of the combined report: %(text)s") % {"text": text}
    receipt = getattr(lead, "portal_receipt", None)
    return PublicStatus(
        title=str(_("Handled together with a similar report")) if merged and step < 4 else str(title),
        text=str(text),
        step=step,
        closed=step == 4,
        merged=merged,
        note=(receipt.public_note if receipt else ""),
        received_date=lead.received_date.isoformat() if lead.received_date else "",
        steps=[str(s) for s in STEPS],
        received_on=lead.received_date,
    )
