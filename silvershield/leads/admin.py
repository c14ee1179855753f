from django.contrib import admin

from silvershield.leads.models import DuplicateDismissal, DuplicateRule, Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    """Read-only: leads change through the ledger pages, the API or the workflow, never by hand here."""

    list_display = ("number", "bureau", "channel", "category", "state", "received_date", "due_date")
    list_filter = ("state", "channel", "category", "bureau")
    search_fields = ("number", "party_name")
    exclude = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address", "reporter_phone_hash")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuplicateRule)
class DuplicateRuleAdmin(admin.ModelAdmin):
    """How likely duplicates are looked for: window, text similarity, how many leads are compared."""

    list_display = ("window_days", "text_similarity", "scan_limit", "effective_from", "effective_to", "source")


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(admin.ModelAdmin):
    """Read-only: officers' decisions that two leads are not duplicates."""

    list_display = ("lead", "other", "actor", "dismissed_at", "reason")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
