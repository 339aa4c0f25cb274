from django.contrib import admin

from analytics.models import Event
from campaigns.admin import MessageAdmin, ReadOnlyMixin
from campaigns.models import Message


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "type", "provider", "channel", "cta_id", "message", "number"]
    list_filter = ["type", "provider", "channel"]
    search_fields = ["provider_event_id", "number", "message__public_id", "cta_id"]
    list_select_related = ["message__contact"]
    date_hierarchy = "occurred_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = Event
    fields = ["occurred_at", "type", "channel", "attempt", "cta_id", "text", "provider_event_id"]
    readonly_fields = fields
    extra = 0
    ordering = ["occurred_at", "pk"]


# The message page shows its events too; campaigns cannot import analytics, so the message
# admin gains the inline here.
admin.site.unregister(Message)


@admin.register(Message)
class MessageWithEventsAdmin(MessageAdmin):
    inlines = [*MessageAdmin.inlines, EventInline]
