from django.contrib import admin

from silvershield.leads.models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    """Read-only: leads change through the ledger pages, the API or the workflow, never by hand here."""

    list_display = ("number", "bureau", "channel", "category", "state", "received_date", "due_date")
    list_filter = ("state", "channel", "category", "bureau")
    search_fields = ("number", "party_name")
    exclude = ("reporter_name", "reporter_phone", "reporter_id_number")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
