"""Admin: the warning rule is edited here (law as data); strike-off records are read-only history."""

from django.contrib import admin

from silvershield.board.models import LossRecovery, Publication, ReporterReply, TransferReceipt, WarningRule


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    list_display = ("warning_working_days", "effective_from", "effective_to", "source")


class _ReadOnly(admin.ModelAdmin):
    list_display = ("__str__", "lead", "case", "recorded_by", "recorded_at")
    list_filter = ("recorded_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (ReporterReply, Publication, TransferReceipt, LossRecovery):
    admin.site.register(model, _ReadOnly)
