from django.contrib import admin
from django.utils.translation import gettext_lazy

from campaigns.models import Attempt, ConsentEntry, Contact, Message


class ReadOnlyMixin:
    """What providers and the pipeline wrote is evidence: shown, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = ConsentEntry
    fields = ["occurred_at", "kind", "channel", "source", "wording"]
    readonly_fields = fields
    extra = 0
    ordering = ["-occurred_at", "-pk"]
    verbose_name_plural = gettext_lazy("consent ledger (latest entry wins)")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["phone", "first_name", "last_name", "rcs_capable", "rcs_checked_at", "created"]
    list_filter = ["rcs_capable"]
    search_fields = ["phone", "first_name", "last_name"]
    readonly_fields = ["rcs_capable", "rcs_checked_at", "created", "updated"]
    inlines = [ConsentEntryInline]


class AttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = Attempt
    fields = [
        "created",
        "channel",
        "provider",
        "status",
        "provider_message_id",
        "error_code",
        "error_text",
        "public_id",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(Message)
class MessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "public_id",
        "contact",
        "template_version",
        "status",
        "intended_channel",
        "final_channel",
        "fallback_reason",
        "test_mode",
        "created",
    ]
    list_filter = [
        "status",
        "intended_channel",
        "final_channel",
        "fallback_reason",
        "traffic_type",
        "test_mode",
    ]
    search_fields = ["public_id", "contact__phone", "external_id"]
    list_select_related = ["contact", "template_version__template"]
    date_hierarchy = "created"
    inlines = [AttemptInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
