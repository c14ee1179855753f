from django.contrib import admin

from silvershield.intake.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """12315 imports, read-only: they are a record of what was imported, by whom, from which file."""

    list_display = ("created_at", "bureau", "file_name", "status", "rows_total", "rows_created", "rows_bad", "created_by")
    list_filter = ("status", "bureau")
    search_fields = ("file_name", "sha256")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
