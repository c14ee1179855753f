"""The public report form and the status look-up form: big, few, plain; every error names its field."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from silvershield.core.errors import InvalidInput
from silvershield.core.identifiers import InvalidIdentifier, validate_phone
from silvershield.core.uploads import validate_upload
from silvershield.leads.models import Approach, ReporterRelation
from silvershield.portal import conf
from silvershield.portal.services import county_divisions, digits_only


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [item for item in items if item]


WANTS = [
    ("report", _("Have the business checked and punished")),
    ("complaint", _("Get my money back (a complaint against the business)")),
]
NAMED = [
    ("named", _("Leave my name and phone, so officers can call me")),
    ("anonymous", _("Stay anonymous")),
]


def _to_amount(text: str) -> Decimal | None:
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = re.sub(r"[,，\s元¥￥]", "", value)
    if not value:
        return None
    if value.endswith("万"):
        multiplier, value = Decimal(10000), value[:-1]
    else:
        multiplier = Decimal(1)
    try:
        amount = Decimal(value) * multiplier
    except InvalidOperation:
        raise forms.ValidationError(_("Write the amount in numbers, e.g. 3000")) from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise forms.ValidationError(_("This amount is not possible"))
    return amount.quantize(Decimal("0.01"))


class ReportForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Who was cheated? I am the elderly person's…"), choices=ReporterRelation.choices,
        widget=forms.RadioSelect, initial=ReporterRelation.SELF,
    )
    victim_age = forms.CharField(
        label=_("Age of the elderly person"), required=False, max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        help_text=_("Leave empty if you do not know."),
    )
    approach = forms.ChoiceField(
        label=_("How did they get in touch with the elderly person?"), choices=Approach.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("What happened?"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In your own words: what they said, what was bought, when and where."),
    )
    loss_amount = forms.CharField(
        label=_("How much money was lost (yuan)?"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Leave empty if no money was lost or you are not sure."),
    )
    division = forms.ChoiceField(label=_("Where did it happen? (county or district)"))
    party_name = forms.CharField(
        label=_("Name of the business or shop"), required=False, max_length=200,
        help_text=_("As on the sign, leaflet or receipt, if you know it."),
    )
    party_address = forms.CharField(label=_("Its address"), required=False, max_length=200)
    photos = MultipleFileField(
        label=_("Photos of receipts, leaflets or products"), required=False,
        help_text=_("Optional. JPG, PNG or PDF, up to 5 files of 10 MB each."),
    )
    wants = forms.ChoiceField(label=_("What would you like?"), choices=WANTS, widget=forms.RadioSelect, initial="report")
    named = forms.ChoiceField(label=_("Do you want to leave your name?"), choices=NAMED, widget=forms.RadioSelect, initial="named")
    reporter_name = forms.CharField(label=_("Your name"), required=False, max_length=50,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}))
    reporter_phone = forms.CharField(
        label=_("Your phone number"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    lookup_digits = forms.CharField(
        label=_("Last four digits of a phone number (optional)"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        help_text=_("Only if you stay anonymous and want to check progress later. We keep only a scrambled "
                    "form of these four digits, never your number."),
    )
    captcha = forms.CharField(
        label=_("Check question: the answer to the sum in the picture"), max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", _("— choose —"))] + [(d.code, d.name) for d in county_divisions()]
        self.fields["approach"].required = True
        # Required only for a named report; the page marks them so (the check is in clean()).
        self.fields["reporter_name"].required_when_named = True
        self.fields["reporter_phone"].required_when_named = True

    def clean_victim_age(self):
        text = digits_only(self.cleaned_data.get("victim_age") or "")
        raw = (self.cleaned_data.get("victim_age") or "").strip()
        if not raw:
            return None
        if not text or not re.fullmatch(r"\s*\d+\s*(岁|周岁)?\s*", unicodedata.normalize("NFKC", raw)):
            raise forms.ValidationError(_("Write the age in numbers, e.g. 72"))
        age = int(text)
        if not 1 <= age <= 129:
            raise forms.ValidationError(_("The age must be between 1 and 129"))
        return age

    def clean_loss_amount(self):
        return _to_amount(self.cleaned_data.get("loss_amount") or "")

    def clean_summary(self):
        text = (self.cleaned_data.get("summary") or "").strip()
        if len(text) < 5:
            raise forms.ValidationError(_("Please tell us a little more about what happened"))
        return text

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > conf.max_files():
            raise forms.ValidationError(_("At most %(n)s files, please") % {"n": conf.max_files()})
        for upload in files:
            try:
                validate_upload(upload, field="photos", kinds=("image", "pdf"), max_bytes=conf.max_file_bytes())
            except InvalidInput as exc:
                raise forms.ValidationError(exc.message) from exc
        return files

    def clean_lookup_digits(self):
        raw = (self.cleaned_data.get("lookup_digits") or "").strip()
        if not raw:
            return ""
        digits = digits_only(raw)
        if len(digits) != 4 or len(unicodedata.normalize("NFKC", raw).replace(" ", "")) != 4:
            raise forms.ValidationError(_("Write exactly four digits, e.g. 5678"))
        return digits

    def clean(self):
        data = super().clean()
        if data.get("named") == "named":
            if not (data.get("reporter_name") or "").strip():
                self.add_error("reporter_name", _("Please write your name, or choose to stay anonymous"))
            phone = (data.get("reporter_phone") or "").strip()
            if not phone:
                self.add_error("reporter_phone", _("Please write your phone number so officers can call you"))
            else:
                try:
                    data["reporter_phone"] = validate_phone(phone)
                except InvalidIdentifier as exc:
                    self.add_error("reporter_phone", str(exc))
        else:
            # Anonymous: whatever was typed in the name and phone boxes is dropped, never stored.
            data["reporter_name"] = ""
            data["reporter_phone"] = ""
        return data

    def lead_fields(self, division) -> dict:
        d = self.cleaned_data
        named = d["named"] == "named"
        return {
            "channel": "complaint" if d["wants"] == "complaint" else "report",
            "division": division,
            "summary": d["summary"],
            "party_name": (d.get("party_name") or "").strip(),
            "party_address": (d.get("party_address") or "").strip(),
            "reporter_relation": d["relation"],
            "approach": d["approach"],
            "victim_age": d.get("victim_age"),
            "loss_amount": d.get("loss_amount"),
            "reporter_is_named": named,
            "reporter_name": d["reporter_name"].strip() if named else "",
            "reporter_phone": d["reporter_phone"] if named else "",
        }


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"), max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("The code you were given when you reported, e.g. K7P3-QX9-M2D."),
    )
    digits = forms.CharField(
        label=_("Last four digits of your phone"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        help_text=_("Leave empty only if you reported anonymously and gave no phone digits."),
    )
