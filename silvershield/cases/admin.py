from django.contrib import admin

from silvershield.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change through their workflow."""

    list_display = ("number", "bureau", "state", "opened_on", "due_date")
    list_filter = ("state", "bureau")
    search_fields = ("number", "party_name", "title")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
