from django.contrib import admin

from silvershield.entities.models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Read-only here: entities change through entities.services so each change leaves an audit event."""

    list_display = ("uscc", "name", "division", "status", "is_elderly_related")
    list_filter = ("status", "is_elderly_related", "division")
    search_fields = ("uscc", "name", "legal_representative")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from django.utils.translation import gettext_lazy as _  # noqa: E402

from silvershield.entities.models import (  # noqa: E402
    ElderlyRule,
    GateAlert,
    HazardItem,
    ImportRun,
    Inspection,
    RiskTierRule,
    RiskWeight,
)


@admin.register(ElderlyRule)
class ElderlyRuleAdmin(admin.ModelAdmin):
    """The elderly-related rulebook; after a change run `silvershield entities redetect`."""

    list_display = ("keyword", "where", "category", "active", "effective_from", "effective_to", "source")
    list_filter = ("category", "where", "active")
    search_fields = ("keyword", "note", "source")


@admin.register(RiskWeight)
class RiskWeightAdmin(admin.ModelAdmin):
    list_display = ("factor", "category", "weight", "cap", "active", "effective_from", "effective_to")
    list_filter = ("factor", "active")
    list_editable = ("weight", "cap", "active")


@admin.register(RiskTierRule)
class RiskTierRuleAdmin(admin.ModelAdmin):
    list_display = ("tier", "min_score", "inspection_ratio", "inspections_per_year", "active", "effective_from")
    list_editable = ("min_score", "inspection_ratio", "inspections_per_year")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["source"].help_text = _(
            "No national inspection ratios or frequencies exist (DOMAIN.md C.7); the defaults are a local "
            "example from 大庆/林甸 and must be set by this bureau."
        )
        return form


class _ReadOnly(admin.ModelAdmin):
    """Written through entities.services and entities.gates so each change leaves an audit event."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GateAlert)
class GateAlertAdmin(_ReadOnly):
    list_display = ("created_at", "kind", "entity", "state", "open_leads", "open_cases", "unpaid_penalties")
    list_filter = ("kind", "state")


@admin.register(HazardItem)
class HazardItemAdmin(_ReadOnly):
    list_display = ("entity", "found_on", "source", "status", "due_on", "done_on")
    list_filter = ("status", "source")


@admin.register(Inspection)
class InspectionAdmin(_ReadOnly):
    list_display = ("entity", "inspected_on", "result")


@admin.register(ImportRun)
class ImportRunAdmin(_ReadOnly):
    list_display = ("started_at", "file_name", "status", "rows", "created", "updated", "unchanged", "bad")
