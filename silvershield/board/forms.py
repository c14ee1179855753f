"""The board's filters (from the query string) and the forms that record what a strike-off needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silvershield.board.models import ReplyMethod
from silvershield.board.queries import COLOUR_LABELS, COLOURS, BoardFilter
from silvershield.core.models import Role, User
from silvershield.core.queries import officers_in_reach, reachable_divisions, reachable_units
from silvershield.leads.models import Channel, FraudCategory


def _blank(choices) -> list[tuple[str, Any]]:
    return [("", "—")] + [(str(k), v) for k, v in choices]


class BoardFilterForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Handling unit"), required=False)
    division = forms.ChoiceField(label=gettext_lazy("Division"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False, choices=_blank(FraudCategory.choices))
    officer = forms.ChoiceField(label=gettext_lazy("Officer"), required=False)
    colour = forms.ChoiceField(
        label=gettext_lazy("Clock"), required=False, choices=_blank((c, COLOUR_LABELS[c]) for c in COLOURS)
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False, choices=_blank(Channel.choices))

    def __init__(self, data: QueryDict, *, user: User):
        super().__init__(data)
        units = reachable_units(user).only("pk", "name", "path")
        self.fields["unit"].choices = _blank((u.pk, u.name) for u in units)
        self.fields["division"].choices = _blank((d.code, d.name) for d in reachable_divisions(user))
        officers = officers_in_reach(user, [Role.INVESTIGATOR, Role.UNIT_HEAD])
        self.fields["officer"].choices = _blank((p.pk, p.display_name) for p in officers)

    def to_filter(self) -> BoardFilter:
        d = self.cleaned_data
        return BoardFilter(
            unit=int(d["unit"]) if d.get("unit") else None,
            division=d.get("division") or "",
            category=d.get("category") or "",
            officer=int(d["officer"]) if d.get("officer") else None,
            colour=d.get("colour") or "",
            channel=d.get("channel") or "",
        )

    def error_messages(self) -> list[str]:
        return [
            _("%(field)s: %(errors)s") % {"field": self.fields[name].label, "errors": " ".join(str(e) for e in errs)}
            for name, errs in self.errors.items()
        ]


def _today():
    return timezone.localdate()


class ReporterReplyForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=ReplyMethod.choices)
    replied_on = forms.DateField(label=gettext_lazy("Replied on"), initial=_today,
                                 widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("What was said"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublicationForm(forms.Form):
    published_on = forms.DateField(label=gettext_lazy("Published on"), initial=_today,
                                   widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    where = forms.CharField(label=gettext_lazy("Where"), max_length=200, initial="国家企业信用信息公示系统")
    reference = forms.CharField(label=gettext_lazy("Reference or address"), max_length=300, required=False)


class TransferReceiptForm(forms.Form):
    receiver = forms.CharField(label=gettext_lazy("Received by"), max_length=200)
    received_on = forms.DateField(label=gettext_lazy("Received on"), initial=_today,
                                  widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    document_number = forms.CharField(label=gettext_lazy("Receipt number"), max_length=100, required=False)


class LossRecoveryForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Recovered (yuan)"), min_value=0, max_digits=14, decimal_places=2,
                                help_text=gettext_lazy("Enter 0 when nothing could be recovered."))
    victims = forms.IntegerField(label=gettext_lazy("Victims"), min_value=0, required=False)
    recovered_on = forms.DateField(label=gettext_lazy("Recorded for"), initial=_today,
                                   widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


RECORD_FORMS = {
    "reporter": ReporterReplyForm,
    "publication": PublicationForm,
    "transfer": TransferReceiptForm,
    "losses": LossRecoveryForm,
}
