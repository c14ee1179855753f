"""Forms of the channels. They turn text into values and say which field a message belongs to; the
rules of the domain are in leads.services (create_lead) and intake.services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from silvershield.core.errors import InvalidInput
from silvershield.core.models import Informant, InformantRole, Station, User
from silvershield.core.queries import bureau_of, reachable_divisions
from silvershield.entities.queries import entities_visible_to
from silvershield.leads.models import Approach, Channel, Lead, ReporterRelation


def _label(name: str) -> Any:
    return capfirst(Lead._meta.get_field(name).verbose_name)


DATE = {"type": "date"}


NOT_KNOWN = _("Not known")


def _blank(choices, text=NOT_KNOWN):
    return [("", text), *choices]


class DivisionByName(forms.CharField):
    """A division typed by name (红山区) or code (150402), offered from a datalist; cleaned to its code."""

    widget = forms.TextInput(attrs={"list": "division-options", "autocomplete": "off"})


class ChannelFormBase(forms.Form):
    """Fields all the staff channel forms share, and the turning of them into create_lead's arguments."""

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.divisions = list(reachable_divisions(user))
        if "division" in self.fields and not self.is_bound:
            own = next((d for d in self.divisions if d.code == bureau_of(user).division_id), None)
            self.initial.setdefault("division", own.name if own else "")
        if "received_date" in self.fields:
            self.initial.setdefault("received_date", timezone.localdate())

    def clean_division(self) -> str:
        text = (self.cleaned_data.get("division") or "").strip().replace(" ", "")
        for division in self.divisions:
            if text in {division.code, division.name, "赤峰市" + division.name}:
                return division.code
        raise forms.ValidationError(_("Choose a division of your jurisdiction from the list"))

    def clean_received_date(self):
        value = self.cleaned_data.get("received_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("must not be after today"))
        return value

    def service_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"attachment", "party_uscc"}}
        for key in ("victim_age", "loss_amount", "sender_due_date"):
            if key in data and data[key] in ("", None):
                data[key] = None
        uscc = (self.cleaned_data.get("party_uscc") or "").strip()
        if uscc:
            from silvershield.core.identifiers import InvalidIdentifier, validate_uscc

            try:
                uscc = validate_uscc(uscc)
            except InvalidIdentifier as exc:
                raise InvalidInput(str(exc), field="party_uscc") from exc
            entity = entities_visible_to(self.user).filter(uscc=uscc).first()
            data["party_entity"] = entity
        if data.get("reporter_name"):
            data["reporter_is_named"] = True
        return data


class HotlineForm(ChannelFormBase):
    """A 12315 call, in the order the operator asks: number, caller, business, what happened."""

    external_ref = forms.CharField(
        label=_("12315 work-order number"), max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "numeric"}),
    )
    # One tab stop (a date picker has three), and 2026-03-05, 2026/3/5 or 2026年3月5日 all work.
    received_date = forms.DateField(
        label=_label("received_date"), input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"],
        widget=forms.DateInput(attrs={"autocomplete": "off", "inputmode": "numeric"}, format="%Y-%m-%d"),
    )
    reporter_name = forms.CharField(label=_("Caller's name"), required=False, max_length=50)
    reporter_phone = forms.CharField(
        label=_("Caller's phone"), required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    reporter_id_number = forms.CharField(label=_label("reporter_id_number"), required=False, max_length=30)
    reporter_relation = forms.ChoiceField(label=_("Caller is the victim's"), required=False,
                                          choices=_blank(ReporterRelation.choices))
    victim_age = forms.IntegerField(label=_label("victim_age"), required=False, min_value=1, max_value=129)
    party_name = forms.CharField(label=_label("party_name"), required=False, max_length=200)
    party_address = forms.CharField(label=_label("party_address"), required=False, max_length=200)
    division = DivisionByName(label=_label("division"), max_length=50)
    approach = forms.ChoiceField(label=_("How the victim was approached"), required=False,
                                 choices=_blank(Approach.choices))
    loss_amount = forms.DecimalField(label=_label("loss_amount"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    summary = forms.CharField(label=_("What the caller says"), widget=forms.Textarea(attrs={"rows": 4}))


class OtherChannelForm(ChannelFormBase):
    """Referrals (部门移送), assignments (上级交办/转办), inspection findings and public calls (媒体征集).

    One form; `channel` decides which fields are shown and required (FIELDS_BY_CHANNEL).
    """

    sender = forms.CharField(label=_label("sender"), required=False, max_length=100)
    external_ref = forms.CharField(label=_("Document number"), required=False, max_length=64)
    received_date = forms.DateField(label=_label("received_date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    sender_due_date = forms.DateField(label=_("Reply due to sender"), required=False,
                                      widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    party_name = forms.CharField(label=_label("party_name"), required=False, max_length=200)
    party_uscc = forms.CharField(label=_("Party's unified social credit code"), required=False, max_length=30)
    party_address = forms.CharField(label=_label("party_address"), required=False, max_length=200)
    division = DivisionByName(label=_label("division"), max_length=50)
    reporter_name = forms.CharField(label=_label("reporter_name"), required=False, max_length=50)
    reporter_phone = forms.CharField(label=_label("reporter_phone"), required=False, max_length=30)
    victim_age = forms.IntegerField(label=_label("victim_age"), required=False, min_value=1, max_value=129)
    loss_amount = forms.DecimalField(label=_label("loss_amount"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    summary = forms.CharField(label=_label("summary"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Attachment"), required=False)

    FIELDS_BY_CHANNEL = {
        Channel.REFERRAL: ["sender", "external_ref", "received_date", "sender_due_date", "party_name", "party_uscc",
                           "party_address", "division", "summary", "attachment"],
        Channel.ASSIGNED: ["sender", "external_ref", "received_date", "sender_due_date", "party_name", "party_uscc",
                           "party_address", "division", "summary", "attachment"],
        Channel.INSPECTION: ["received_date", "party_name", "party_uscc", "party_address", "division", "summary",
                             "attachment"],
        Channel.PUBLIC_CALL: ["sender", "received_date", "reporter_name", "reporter_phone", "party_name",
                              "party_address", "division", "victim_age", "loss_amount", "summary", "attachment"],
    }
    LABELS = {
        Channel.REFERRAL: {"sender": _("Referring department"), "attachment": _("Referral letter")},
        Channel.ASSIGNED: {"sender": _("Assigning authority"), "attachment": _("Assignment letter")},
        Channel.INSPECTION: {"received_date": _("Date of inspection"), "summary": _("Findings"),
                             "attachment": _("Inspection record or photo")},
        Channel.PUBLIC_CALL: {"sender": _("Campaign or medium"), "attachment": _("Material received")},
    }

    def __init__(self, *args: Any, channel: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.channel = channel
        keep = self.FIELDS_BY_CHANNEL[channel]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, label in self.LABELS.get(channel, {}).items():
            self.fields[name].label = label
        if channel in (Channel.REFERRAL, Channel.ASSIGNED):
            self.fields["sender"].required = True
            self.fields["sender"].widget.attrs["autofocus"] = True
        else:
            first = keep[0]
            self.fields[first].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        due, received = data.get("sender_due_date"), data.get("received_date")
        if due and received and due < received:
            self.add_error("sender_due_date", _("must not be before the date received"))
        return data


class InformantSubmissionForm(forms.Form):
    """What an informant sees on the phone: who, where, what happened, a photo."""

    party_name = forms.CharField(label=_("Shop or company"), required=False, max_length=200)
    party_address = forms.CharField(label=_("Where"), required=False, max_length=200)
    approach = forms.ChoiceField(label=_("How they draw the elderly in"), required=False,
                                 choices=_blank(Approach.choices))
    summary = forms.CharField(label=_("What you saw or heard"), widget=forms.Textarea(attrs={"rows": 5}))
    victim_age = forms.IntegerField(label=_label("victim_age"), required=False, min_value=1, max_value=129,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    loss_amount = forms.DecimalField(label=_label("loss_amount"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
    attachment = forms.FileField(label=_("Photo (receipt, leaflet, shop front)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}))


# --- the registry ------------------------------------------------------------------------------------------


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["code", "name", "division", "address", "venue_kind"]

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = reachable_divisions(user)


class InformantForm(forms.ModelForm):
    class Meta:
        model = Informant
        fields = ["name", "role", "station", "area", "phone"]

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from silvershield.intake.queries import stations_visible_to

        self.fields["station"].queryset = stations_visible_to(user)


class NetworkFilterForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False, max_length=100)
    division = forms.ChoiceField(label=_label("division"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=_blank(InformantRole.choices, _("All")))
    station = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = _blank([(d.code, d.name) for d in reachable_divisions(user)], _("All"))


class StatsFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Received from"), required=False, widget=forms.DateInput(attrs=DATE))
    date_to = forms.DateField(label=_("Received to"), required=False, widget=forms.DateInput(attrs=DATE))
    division = forms.ChoiceField(label=_label("division"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = _blank([(d.code, d.name) for d in reachable_divisions(user)], _("All"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("must not be before the start date"))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("12315 export (.xlsx or .csv)"))
    mapping = forms.FileField(label=_("Column mapping (JSON, optional)"), required=False)
    skip_bad = forms.BooleanField(label=_("Import the good rows and skip the bad ones"), required=False)
