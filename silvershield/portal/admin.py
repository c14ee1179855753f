from django.contrib import admin

from silvershield.portal.models import PortalReceipt


@admin.register(PortalReceipt)
class PortalReceiptAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "created_at", "public_note")
    list_filter = ("source",)
    search_fields = ("lead__tracking_code", "lead__number")
    readonly_fields = ("lead", "source", "partner_token", "created_at")
    fields = ("lead", "source", "partner_token", "created_at", "public_note")

    def has_add_permission(self, request):
        return False
