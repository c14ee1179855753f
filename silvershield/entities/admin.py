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
