"""Administration: accounts, the organisation, and the rules as data (clocks, numbering, calendar).

State fields are not editable here; workflow models change state only through their workflow modules.
Audit events are read-only.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from silvershield.core.models import (
    AuditEvent,
    CalendarDay,
    CalendarYear,
    ClockRule,
    Division,
    Expert,
    Informant,
    LinkageMember,
    NumberingRule,
    OrgUnit,
    Station,
    User,
)


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "unit", "credential_number", "is_active")
    list_filter = ("role", "is_active", "unit__bureau")
    search_fields = ("username", "full_name", "credential_number")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("银盾", {"fields": ("full_name", "role", "unit", "specialities", "credential_number", "phone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("银盾", {"fields": ("full_name", "role", "unit", "credential_number")}),
    )


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "level")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "division", "short_name")
    list_filter = ("kind", "division")
    search_fields = ("code", "name")


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division", "bureau", "venue_kind")
    list_filter = ("division",)
    search_fields = ("name",)


@admin.register(Informant)
class InformantAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "station", "area")
    list_filter = ("role",)


admin.site.register(Expert)
admin.site.register(LinkageMember)


@admin.register(ClockRule)
class ClockRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "length", "unit", "source", "effective_from", "effective_to", "verified")
    list_filter = ("subject", "unit", "verified")


@admin.register(NumberingRule)
class NumberingRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "pattern", "description")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    date_hierarchy = "date"


admin.site.register(CalendarYear)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "subject_type", "subject_id", "action", "transition", "from_state", "to_state")
    list_filter = ("action", "subject_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
