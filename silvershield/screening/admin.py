"""Admin: routing rules, thresholds, absences and conflicts are edited here; meetings and decisions are read-only."""

from django.contrib import admin

from silvershield.screening.models import (
    Conflict, Decision, Matter, Meeting, RoutingRule, ScreeningSetting, Unavailability,
)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "target", "target_unit", "priority", "active", "effective_from", "effective_to", "source")
    list_filter = ("active", "target", "priority")
    search_fields = ("name", "words", "note", "source")
    ordering = ("order", "id")


@admin.register(ScreeningSetting)
class ScreeningSettingAdmin(admin.ModelAdmin):
    list_display = ("due_window_days", "major_loss_amount", "min_verifiers", "max_leads_per_key", "effective_from", "effective_to")


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ("officer", "start", "end", "reason")
    autocomplete_fields = ("officer",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Conflict)
class ConflictAdmin(ReadOnly):
    list_display = ("officer", "entity", "party_name", "valid_from", "valid_to", "declared_by", "declared_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("held_on", "bureau", "state", "chair", "carried_out_at")
    list_filter = ("state",)


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ("lead", "meeting", "kind", "priority", "handling_unit", "decided_by", "decided_at", "carried_out_at")
    list_filter = ("kind", "priority")


@admin.register(Matter)
class MatterAdmin(ReadOnly):
    list_display = ("title", "handling_unit", "created_by", "created_at")
