"""Forms of the case pages: the case-list filter and the inputs of case transitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silvershield.cases.models import Case, CaseState
from silvershield.core.models import User
from silvershield.core.queries import reachable_divisions
from silvershield.core.workflow import Params, Transition


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=capfirst(Case._meta.get_field("state").verbose_name),
        required=False,
        choices=[("", gettext_lazy("All")), *CaseState.choices],
    )
    division = forms.ChoiceField(
        label=capfirst(Case._meta.get_field("division").verbose_name), required=False
    )

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
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("division"):
            queryset = queryset.filter(division_id=data["division"])
        text = (data.get("q") or "").strip()
        if text:
            queryset = queryset.filter(
                Q(number__icontains=text) | Q(title__icontains=text) | Q(party_name__icontains=text)
            )
        return queryset


def case_transition_params(transition: Transition, posted: QueryDict, user: User) -> Params:
    """The values a case transition asks for; the workflow checks them (amounts, required text)."""
    return {name: posted.get(name, "").strip() for name in transition.fields}
