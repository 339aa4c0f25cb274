from django.contrib import admin
from django.utils.translation import gettext_lazy

from audience.models import ConsentEntry, Contact


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
