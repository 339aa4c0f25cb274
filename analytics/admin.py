from django.contrib import admin
from django.utils.translation import gettext_lazy

from analytics.conversions import Conversion
from audience.admin import DataModeFilter, ReadOnlyMixin, test_badge


@admin.register(Conversion)
class ConversionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Orders the shop reported: evidence, shown and never edited here."""

    list_display = [
        "order_id",
        "amount",
        "currency",
        "occurred_at",
        "matched_by",
        "attributed_by",
        "message",
        "data_badge",
    ]
    list_filter = ["attributed_by", "matched_by", "currency", "source", DataModeFilter]
    search_fields = ["order_id", "public_id", "contact__phone"]
    list_select_related = ["message", "message__contact"]
    date_hierarchy = "occurred_at"
    fields = [
        "public_id",
        "order_id",
        "value",
        "currency",
        "occurred_at",
        "source",
        "test_mode",
        "matched_by",
        "attributed_by",
        "contact",
        "message",
        "dispatch",
        "click",
        "clicked_at",
        "cta_index",
        "created",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("value"))
    def amount(self, conversion):
        return conversion.amount

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, conversion):
        return test_badge(conversion.test_mode)
