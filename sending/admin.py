from django.contrib import admin
from django.utils.translation import gettext_lazy

from audience.admin import DataModeFilter, ReadOnlyMixin, test_badge
from sending.models import Attempt, Event, Message


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


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = Event
    fields = ["occurred_at", "type", "channel", "attempt", "cta_id", "text", "provider_event_id"]
    readonly_fields = fields
    extra = 0
    ordering = ["occurred_at", "pk"]


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
        "data_badge",
        "created",
    ]
    list_filter = [
        "status",
        "intended_channel",
        "final_channel",
        "fallback_reason",
        "traffic_type",
        DataModeFilter,
    ]
    search_fields = ["public_id", "contact__phone", "external_id"]
    list_select_related = ["contact", "template_version__template"]
    date_hierarchy = "created"
    inlines = [AttemptInline, EventInline]

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, message):
        return test_badge(message.test_mode)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "type", "provider", "channel", "cta_id", "message", "number"]
    list_filter = ["type", "provider", "channel"]
    search_fields = ["provider_event_id", "number", "message__public_id", "cta_id"]
    list_select_related = ["message__contact"]
    date_hierarchy = "occurred_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
