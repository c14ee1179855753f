"""Forms of the ad-monitoring pages: the filters of the queue, list and figures; the upload."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from silvershield.ads.models import AD_PRODUCT_TYPES, AdRule, FindingState, Medium
from silvershield.ads.queries import AdFilter
from silvershield.core.queries import reachable_divisions

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class AdFilterForm(forms.Form):
    medium = forms.ChoiceField(label=_("Medium"), required=False)
    product_type = forms.ChoiceField(label=_("Product type"), required=False)
    article = forms.ChoiceField(label=_("Article"), required=False)
    division = forms.ChoiceField(label=_("Division"), required=False)
    date_from = forms.DateField(label=_("Published from"), required=False)
    date_to = forms.DateField(label=_("Published to"), required=False)
    month = forms.CharField(label=_("Month"), required=False)
    advertiser = forms.CharField(label=_("Advertiser"), required=False)
    flagged = forms.ChoiceField(
        label=_("Suspected violations"),
        required=False,
        choices=[("", _("All")), ("1", _("With findings")), ("0", _("Without findings"))],
    )
    state = forms.ChoiceField(label=_("Review"), required=False)
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, user, default_state: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["medium"].choices = every + list(Medium.choices)
        self.fields["product_type"].choices = every + list(AD_PRODUCT_TYPES)
        articles = sorted(set(AdRule.objects.values_list("article", flat=True)), key=_article_key)
        self.fields["article"].choices = every + [(a, a) for a in articles]
        self.fields["division"].choices = every + [(d.code, d.name) for d in reachable_divisions(user)]
        self.fields["state"].choices = every + list(FindingState.choices)
        self.default_state = default_state

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if value and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def to_filter(self) -> AdFilter:
        d = self.cleaned_data
        state = d.get("state") if "state" in self.data else self.default_state
        return AdFilter(
            medium=d.get("medium") or "",
            product_type=d.get("product_type") or "",
            article=d.get("article") or "",
            division=d.get("division") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            month=d.get("month") or "",
            advertiser=(d.get("advertiser") or "").strip(),
            flagged=d.get("flagged") or "",
            state=state or "",
            q=(d.get("q") or "").strip(),
        )

    def error_messages(self) -> list[str]:
        return [f"{self.fields[name].label}：{' '.join(errors)}" for name, errors in self.errors.items()]


def _article_key(article: str) -> tuple:
    return (article[:3], [int(n) for n in re.findall(r"\d+", article)])


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of ads"), help_text=_("Excel (.xlsx), CSV or JSON Lines (.jsonl); the first row names the columns.")
    )
    skip_bad = forms.BooleanField(
        label=_("Skip bad rows and import the rest (otherwise nothing is imported when a row is bad)"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv", ".jsonl", ".ndjson", ".json")):
            raise forms.ValidationError(_("Upload an .xlsx, .csv or .jsonl file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it or use the command."))
        return upload
