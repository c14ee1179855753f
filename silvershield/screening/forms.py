"""Forms of the screening pages; the services do the checking, the forms only parse and show errors."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.errors import DomainError
from silvershield.core.models import Role, User
from silvershield.core.queries import bureau_of, reachable_units
from silvershield.leads.models import FraudCategory, Priority
from silvershield.screening.models import DecisionKind


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.unit.name}）"


class OnePersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.get_role_display()}）"


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def attach_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _bureau_people(user: User):
    return User.objects.filter(is_active=True, unit__path__startswith=bureau_of(user).path).select_related("unit").order_by(
        "unit__path", "full_name"
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    chair = OnePersonChoice(label=_("Chair"), queryset=User.objects.none())
    attendees = PersonChoice(label=_("Attendees"), queryset=User.objects.none(), required=False,
                             widget=forms.SelectMultiple(attrs={"size": 8}))
    outside_attendees = forms.CharField(
        label=_("Other attendees"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People without an account, one per line (name, organisation)."),
    )
    due_window_days = forms.IntegerField(
        label=_("Clock window (working days)"), min_value=0, max_value=60, required=False,
        help_text=_("Leads due within this many working days are put on the agenda."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = _bureau_people(user)
        self.fields["chair"].queryset = people.filter(role__in=[Role.LEADER, Role.UNIT_HEAD, Role.TASK_OFFICE])
        self.fields["attendees"].queryset = people.exclude(role__in=[Role.INFORMANT, Role.HOTLINE_OPERATOR]).filter(
            role__in=[Role.LEADER, Role.UNIT_HEAD, Role.TASK_OFFICE, Role.LEGAL_OFFICER, Role.INVESTIGATOR, Role.REVIEWER]
        )
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("held_on", today - timedelta(days=today.weekday()))
            from silvershield.screening.rules import current_setting

            self.initial.setdefault("due_window_days", current_setting(today).due_window_days)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices, widget=forms.RadioSelect, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, required=False)
    category = forms.ChoiceField(label=_("Category confirmed"), choices=[("", "—")] + list(FraudCategory.choices), required=False)
    handling_unit = UnitChoice(label=_("Handling unit"), queryset=None, required=False)
    verifiers = PersonChoice(label=_("Verifiers"), queryset=User.objects.none(), required=False,
                             widget=forms.SelectMultiple(attrs={"size": 8}))
    may_become_case = forms.BooleanField(
        label=_("May become a case (two or more verifiers with credentials)"), required=False, initial=True
    )
    merged_into = forms.CharField(label=_("Merge into (lead number)"), required=False)
    transfer_department = forms.CharField(label=_("Transfer to department"), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, officer_order: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from silvershield.core.models import OrgUnit

        self.fields["handling_unit"].queryset = OrgUnit.objects.filter(
            pk__in=reachable_units(user).values("pk")
        ).order_by("path")
        # Every credentialed investigator (the service refuses those outside the unit's reach, with the reason).
        people = User.objects.filter(role=Role.INVESTIGATOR, is_active=True).exclude(credential_number="").select_related("unit")
        if officer_order:
            rank = {pk: n for n, pk in enumerate(officer_order)}
            ordered = sorted(people, key=lambda p: (rank.get(p.pk, 10**6), p.unit.path, p.full_name))
            self.fields["verifiers"].queryset = people
            self.fields["verifiers"].choices = [(p.pk, f"{p.display_name}（{p.unit.name}）") for p in ordered]
        else:
            self.fields["verifiers"].queryset = people.order_by("unit__path", "full_name")

    def service_data(self, *, user: User) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        number = (data.pop("merged_into") or "").strip()
        target = None
        if number:
            from silvershield.leads.queries import leads_visible_to

            qs = leads_visible_to(user)
            target = qs.filter(number=number).first() or (qs.filter(pk=int(number)).first() if number.isdigit() else None)
            if target is None:
                raise DomainError("找不到该线索编号，或不在本局辖区", field="merged_into")
        data["merged_into"] = target
        data["verifiers"] = list(data.get("verifiers") or [])
        return data


class ClusterForm(forms.Form):
    verifiers = PersonChoice(label=_("Verifiers"), queryset=User.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.HIGH)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verifiers"].queryset = people


class ConflictForm(forms.Form):
    officer = OnePersonChoice(label=_("Officer"), queryset=User.objects.none())
    party_name = forms.CharField(label=_("Party name"), required=False)
    entity_uscc = forms.CharField(label=_("Registered entity (USCC)"), required=False, max_length=18)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role in {Role.TASK_OFFICE, Role.UNIT_HEAD}:
            qs = _bureau_people(user).filter(role__in=[Role.INVESTIGATOR, Role.UNIT_HEAD, Role.LEGAL_OFFICER, Role.REVIEWER])
        else:
            qs = User.objects.filter(pk=user.pk)
        self.fields["officer"].queryset = qs
        self.initial.setdefault("officer", user.pk)

