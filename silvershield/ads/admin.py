"""Administration of the ad rulebook (rules as data), and read-only views of ads and findings.

Rule changes go through ads.services.save_rule so every edit raises the version and leaves an audit event.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from silvershield.ads.models import Ad, AdRule, Finding, FindingReview, IngestBatch
from silvershield.ads.services import save_rule, set_rule_enabled
from silvershield.core.errors import InvalidInput


@admin.register(AdRule)
class AdRuleAdmin(admin.ModelAdmin):
    list_display = (
        "article",
        "name",
        "kind",
        "severity",
        "enabled",
        "verified",
        "effective_from",
        "effective_to",
        "version",
    )
    list_filter = ("law", "kind", "severity", "enabled", "verified")
    search_fields = ("code", "name", "article", "explanation")
    readonly_fields = ("article", "version", "updated_at")
    actions = ("enable_rules", "disable_rules")
    fieldsets = (
        (None, {"fields": ("code", "name", "enabled", "verified", "severity", "kind", "product_types")}),
        (
            _("Legal source"),
            {
                "fields": (
                    "law",
                    "article_number",
                    "paragraph_number",
                    "item_number",
                    "article",
                    "source_note",
                    "effective_from",
                    "effective_to",
                    "version",
                    "updated_at",
                )
            },
        ),
        (
            _("What it looks for"),
            {
                "fields": (
                    "patterns",
                    "context_patterns",
                    "exception_patterns",
                    "negation_applies",
                    "quotation_applies",
                    "explanation",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        try:
            save_rule(rule=obj, actor=request.user, reason=_("edited in the admin"))
        except InvalidInput as exc:
            # The form already validated the same rules; this only happens on a race with another edit.
            raise ValidationError(exc.message) from exc

    def has_delete_permission(self, request, obj=None):
        # Findings point at their rule; a rule that is no longer wanted is disabled or given an end date.
        return False

    @admin.action(description=_("Enable the selected rules"))
    def enable_rules(self, request, queryset):
        for rule in queryset:
            set_rule_enabled(rule=rule, actor=request.user, enabled=True, reason=_("enabled in the admin"))
        self.message_user(request, _("Rules enabled."), messages.SUCCESS)

    @admin.action(description=_("Disable the selected rules"))
    def disable_rules(self, request, queryset):
        for rule in queryset:
            set_rule_enabled(rule=rule, actor=request.user, enabled=False, reason=_("disabled in the admin"))
        self.message_user(request, _("Rules disabled."), messages.SUCCESS)


@admin.register(Ad)
class AdAdmin(admin.ModelAdmin):
    """Read-only: ads arrive by ingest and are reviewed on the monitoring pages."""

    list_display = ("product_name", "product_type", "medium", "outlet", "published_at", "bureau")
    list_filter = ("product_type", "medium", "bureau")
    search_fields = ("product_name", "advertiser_name", "outlet")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("ad", "article", "severity", "state", "created_at")
    list_filter = ("state", "severity", "article")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FindingReview)
class FindingReviewAdmin(admin.ModelAdmin):
    """Read-only: decisions are taken in the review queue; they are what the rulebook is tuned on."""

    list_display = ("article", "decision", "excerpt", "note", "reviewed_by", "reviewed_at")
    list_filter = ("decision", "article", "product_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    list_display = ("source", "bureau", "rows", "created", "duplicates", "skipped", "findings", "created_at")
    list_filter = ("bureau",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
