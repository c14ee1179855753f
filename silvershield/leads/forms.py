"""Forms of the lead pages: the ledger filter, the registration form (案件来源登记表) and the inputs of
lead transitions. Validation of the domain lives in leads/services.py and leads/workflow.py; these
forms only turn text into values and say which field a message belongs to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silvershield.core.errors import InvalidInput
from silvershield.core.models import User
from silvershield.core.queries import reachable_divisions, reachable_units
from silvershield.core.workflow import Params, Transition
from silvershield.entities.queries import entities_visible_to
from silvershield.leads.models import Channel, FraudCategory, Lead, LeadState, ProductDomain
from silvershield.leads.queries import LedgerFilter, leads_visible_to


def _label(name: str) -> Any:
    return capfirst(Lead._meta.get_field(name).verbose_name)


ALL = gettext_lazy("All")


def _with_blank(choices: list[tuple[str, Any]], blank: Any = ALL) -> list[tuple[str, Any]]:
    return [("", blank), *choices]


class LedgerFilterForm(forms.Form):
    """The ledger's filters, read from the query string; each bad value is reported by its field."""

    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=100)
    channel = forms.ChoiceField(label=_label("channel"), required=False, choices=_with_blank(Channel.choices))
    category = forms.ChoiceField(
        label=_label("category"), required=False, choices=_with_blank(FraudCategory.choices)
    )
    state = forms.ChoiceField(label=_label("state"), required=False, choices=_with_blank(LeadState.choices))
    division = forms.ChoiceField(label=_label("division"), required=False)
    unit = forms.ChoiceField(label=_label("handling_unit"), required=False)
    received_from = forms.DateField(label=gettext_lazy("Received from"), required=False)
    received_to = forms.DateField(label=gettext_lazy("Received to"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Assigned to me"), required=False)

    def __init__(self, data: QueryDict, *, user: User):
        super().__init__(data)
        self.fields["division"].choices = _with_blank([(d.code, d.name) for d in reachable_divisions(user)])
        self.fields["unit"].choices = _with_blank(
            [(str(u.pk), u.name) for u in reachable_units(user).only("pk", "name", "path")]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("must not be before the start date"))
        return data

    def to_filter(self) -> LedgerFilter:
        data = self.cleaned_data
        return LedgerFilter(
            channel=data.get("channel") or "",
            category=data.get("category") or "",
            division=data.get("division") or "",
            unit=int(data["unit"]) if data.get("unit") else None,
            state=data.get("state") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=(data.get("q") or "").strip(),
            mine=bool(data.get("mine")),
        )

    def error_messages(self) -> list[str]:
        """ "Received from: Enter a valid date." — each message names the field in the person's language."""
        return [
            _("%(field)s: %(errors)s")
            % {"field": self.fields[name].label, "errors": " ".join(str(e) for e in errors)}
            for name, errors in self.errors.items()
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; type and size are checked by core.uploads when the lead is saved."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class LeadForm(forms.Form):
    """The case-source registration form (案件来源登记表): what the legal officer or operator enters.

    On the edit page the reporter's identity is never sent back to the browser: the reporter inputs
    start empty and an empty input keeps what is stored.
    """

    channel = forms.ChoiceField(label=_label("channel"), choices=Channel.choices)
    received_date = forms.DateField(
        label=_label("received_date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sender = forms.CharField(label=_label("sender"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_label("category"),
        required=False,
        choices=_with_blank(FraudCategory.choices, gettext_lazy("To be assessed")),
    )
    product_domain = forms.ChoiceField(
        label=_label("product_domain"),
        required=False,
        choices=_with_blank(ProductDomain.choices, gettext_lazy("To be assessed")),
    )
    summary = forms.CharField(label=_label("summary"), widget=forms.Textarea(attrs={"rows": 5}))
    party_name = forms.CharField(label=_label("party_name"), required=False, max_length=200)
    party_uscc = forms.CharField(
        label=gettext_lazy("Party's unified social credit code"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Links the lead to the registered entity, when known."),
    )
    party_address = forms.CharField(label=_label("party_address"), required=False, max_length=200)
    division = forms.ChoiceField(label=_label("division"))
    reporter_is_named = forms.BooleanField(label=_label("reporter_is_named"), required=False)
    reporter_name = forms.CharField(label=_label("reporter_name"), required=False, max_length=50)
    reporter_phone = forms.CharField(label=_label("reporter_phone"), required=False, max_length=30)
    reporter_id_number = forms.CharField(label=_label("reporter_id_number"), required=False, max_length=30)
    reporter_address = forms.CharField(label=_label("reporter_address"), required=False, max_length=200)
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"), required=False,
        help_text=gettext_lazy("Photos of receipts or leaflets, PDF or Word files; several at once."),
    )
    victim_age = forms.IntegerField(label=_label("victim_age"), required=False, min_value=1, max_value=129)
    loss_amount = forms.DecimalField(
        label=_label("loss_amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    suggested_handling = forms.CharField(
        label=_label("suggested_handling"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address")

    def __init__(self, *args: Any, user: User, lead: Lead | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.lead = lead
        self.fields["division"].choices = [(d.code, d.name) for d in reachable_divisions(user)]
        if lead is not None:
            del self.fields["attachments"]  # the edit page corrects data; files come with the lead
            for name in self.REPORTER_FIELDS:
                self.fields[name].help_text = _("Leave empty to keep what is stored.")

    @classmethod
    def initial_for(cls, lead: Lead) -> dict[str, Any]:
        initial = {
            name: getattr(lead, name)
            for name in (
                "channel",
                "received_date",
                "sender",
                "category",
                "product_domain",
                "summary",
                "party_name",
                "party_address",
                "reporter_is_named",
                "victim_age",
                "loss_amount",
                "suggested_handling",
            )
        }
        initial["division"] = lead.division_id
        initial["party_uscc"] = lead.party_entity.uscc if lead.party_entity else ""
        return initial

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values in the shape leads.services expects; raises InvalidInput for the entity."""
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        uscc = (data.pop("party_uscc") or "").strip()
        entity = None
        if uscc:
            entity = entities_visible_to(self.user).filter(uscc=uscc.upper()).first()
            if entity is None:
                raise InvalidInput(
                    _("No registered entity with this code in your jurisdiction"), field="party_uscc"
                )
        data["party_entity"] = entity
        if self.lead is not None:
            for name in self.REPORTER_FIELDS:
                if not data.get(name):
                    data.pop(name, None)
        return data


# --- the inputs of lead transitions ----------------------------------------------------------------


def _int(value: str, *, field: str, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(message, field=field) from exc


def resolve_lead_reference(text: str, *, user: User) -> int:
    """A lead named by its number (红市监线〔2026〕00017号) or its id, among the leads the person can see."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Enter the number of the lead to merge into"), field="merged_into")
    visible = leads_visible_to(user)
    found = visible.filter(number=text).values_list("pk", flat=True).first()
    if found is None and text.lstrip("#").isdigit():
        found = visible.filter(pk=int(text.lstrip("#"))).values_list("pk", flat=True).first()
    if found is None:
        raise InvalidInput(_("No lead with this number in your ledger"), field="merged_into")
    return found


def lead_transition_params(transition: Transition, posted: QueryDict, user: User) -> Params:
    """The values a lead transition asks for (its `fields`), parsed from the posted form."""
    params: Params = {}
    for name in transition.fields:
        if name == "handling_unit":
            raw = posted.get(name, "")
            params[name] = _int(raw, field=name, message=_("Choose a handling unit")) if raw else None
        elif name == "assignees":
            params[name] = [
                _int(v, field=name, message=_("Choose the verifiers from the list"))
                for v in posted.getlist(name)
            ]
        elif name == "merged_into":
            params[name] = resolve_lead_reference(posted.get(name, ""), user=user)
        else:
            params[name] = posted.get(name, "")
    return params
