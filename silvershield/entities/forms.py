"""The entity-list filter: text (name, credit code, legal representative, pinyin initials), division,
status and the elderly-related flag; the hazard form; the inspection form and the inspection-list filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from silvershield.core.models import User
from silvershield.core.queries import officers_in_reach, reachable_divisions
from silvershield.entities.models import (
    ElderlyCategory,
    Entity,
    EntityStatus,
    HazardSource,
    InspectionResult,
    RiskTier,
)
from silvershield.entities.queries import search_entities


class EntityFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Name, credit code, legal representative or pinyin initials"),
    )
    division = forms.ChoiceField(
        label=capfirst(Entity._meta.get_field("division").verbose_name), required=False
    )
    status = forms.ChoiceField(
        label=capfirst(Entity._meta.get_field("status").verbose_name),
        required=False,
        choices=[("", gettext_lazy("All")), *EntityStatus.choices],
    )
    elderly = forms.ChoiceField(
        label=capfirst(Entity._meta.get_field("is_elderly_related").verbose_name),
        required=False,
        choices=[("", gettext_lazy("All")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    )

    tier = forms.ChoiceField(
        label=gettext_lazy("Risk tier"), required=False, choices=[("", gettext_lazy("All")), *RiskTier.choices]
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), required=False, choices=[("", gettext_lazy("All")), *ElderlyCategory.choices]
    )
    reason = forms.CharField(label=gettext_lazy("Matched keyword"), required=False, max_length=50)
    first_visit = forms.BooleanField(label=gettext_lazy("Awaiting first visit"), required=False)

    def __init__(self, data: QueryDict, *, user: User):
        super().__init__(data)
        self.fields["division"].choices = [("", _("All"))] + [
            (d.code, d.name) for d in reachable_divisions(user)
        ]

    def error_messages(self) -> list[str]:
        return [
            _("%(field)s: %(errors)s")
            % {"field": self.fields[name].label, "errors": " ".join(str(e) for e in errors)}
            for name, errors in self.errors.items()
        ]

    def filter(self, queryset: Any) -> Any:
        data = self.cleaned_data
        queryset = search_entities(queryset, data.get("q") or "")
        if data.get("division"):
            queryset = queryset.filter(division_id=data["division"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("elderly"):
            queryset = queryset.filter(is_elderly_related=data["elderly"] == "yes")
        if data.get("tier"):
            queryset = queryset.filter(risk_tier=data["tier"])
        if data.get("category"):
            queryset = queryset.filter(elderly_category=data["category"])
        if data.get("reason"):
            queryset = queryset.filter(elderly_keywords__contains=data["reason"].strip())
        if data.get("first_visit"):
            queryset = queryset.filter(gate_alerts__kind="first_visit", gate_alerts__state__in=["open", "acknowledged"])
        return queryset


class HazardForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Hazard"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    found_on = forms.DateField(
        label=gettext_lazy("Found on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    source = forms.ChoiceField(label=gettext_lazy("Found through"), choices=HazardSource.choices)
    due_on = forms.DateField(
        label=gettext_lazy("Rectify by"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))
    skip_bad = forms.BooleanField(label=gettext_lazy("Import the good rows and skip the bad ones"), required=False)


class OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.unit.name}）"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.Form):
    """Parses the inspection page; entities.services.record_inspection checks the rules and names the
    field at fault, which the page shows beside that field."""

    inspected_on = forms.DateField(label=gettext_lazy("Inspected on"), widget=_date_input())
    officers = OfficerChoice(
        label=pgettext_lazy("inspection", "Officers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The leading officer — you, when you are among them, else the first ticked — owns the hazards "
            "found."
        ),
    )
    result = forms.ChoiceField(
        label=pgettext_lazy("inspection", "Result"),
        choices=InspectionResult.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Findings"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What was checked and what was found; required when problems were found."),
    )
    hazards = forms.CharField(
        label=gettext_lazy("Hazards found"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line; each becomes an item of the risk and hazard ledger."),
    )
    rectify_by = forms.DateField(label=gettext_lazy("Rectify by"), required=False, widget=_date_input())

    def __init__(self, *args: Any, officers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers

    def service_data(self, *, leading: User) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        officers = list(data["officers"])
        data["officers"] = sorted(officers, key=lambda u: u.pk != leading.pk)
        data["hazards"] = (data.get("hazards") or "").splitlines()
        return data

    def error_messages(self) -> list[str]:
        return [
            _("%(field)s: %(errors)s")
            % {"field": self.fields[name].label if name in self.fields else _("Inspection"),
               "errors": " ".join(str(e) for e in errors)}
            for name, errors in self.errors.items()
        ]


class InspectionFilterForm(forms.Form):
    division = forms.ChoiceField(label=gettext_lazy("Division"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Inspected from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=gettext_lazy("Inspected until"), required=False, widget=_date_input())
    result = forms.ChoiceField(
        label=pgettext_lazy("inspection", "Result"), required=False,
        choices=[("", gettext_lazy("All")), *InspectionResult.choices],
    )
    first_visit = forms.ChoiceField(
        label=gettext_lazy("First visit"), required=False,
        choices=[("", gettext_lazy("All")), ("yes", gettext_lazy("First visits only")),
                 ("no", gettext_lazy("Other inspections"))],
    )
    officer = forms.ChoiceField(label=pgettext_lazy("inspection", "Officer"), required=False)

    def __init__(self, data: QueryDict, *, user: User):
        from silvershield.entities.inspections import INSPECTING_ROLES

        super().__init__(data)
        divisions = [(d.code, d.name) for d in reachable_divisions(user)]
        self.fields["division"].choices = [("", _("All")), *divisions]
        officers = officers_in_reach(user, INSPECTING_ROLES)
        self.fields["officer"].choices = [("", _("All")), *((str(p.pk), p.display_name) for p in officers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        first = data.get("first_visit")
        return {
            "division": data.get("division") or "", "date_from": data.get("date_from"),
            "date_to": data.get("date_to"), "result": data.get("result") or "",
            "first_visit": None if not first else first == "yes",
            "officer": int(data["officer"]) if data.get("officer") else None,
        }

    error_messages = InspectionForm.error_messages
