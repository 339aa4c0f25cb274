"""Admin for the shop connectors: shops (their secret never shown), their mappings and the events
they sent. Events are evidence, read-only; a shop's platform and mode, and a mapping's topic and
template, change only on the Shops screens, which check them."""

import json

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from audience.admin import DataModeFilter, ReadOnlyMixin, test_badge
from integrations.shops.models import Shop, ShopEvent, ShopMapping
from integrations.shops.views import webhook_url

MASK = "••••••••••••"


def pretty_json(value):
    if value in (None, "", {}, []):
        return "-"
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)


class ShopMappingInline(admin.TabularInline):
    model = ShopMapping
    fields = ["topic", "status", "template", "enabled", "screen"]
    readonly_fields = ["topic", "status", "template", "screen"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # A mapping is made on the mapping screen: it checks the template and its variables.
        return False

    @admin.display(description=gettext_lazy("mapping screen"))
    def screen(self, mapping):
        url = reverse("integrations:mapping_edit", args=[mapping.shop_id, mapping.pk])
        return format_html('<a href="{}">{}</a>', url, gettext_lazy("Open"))


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "domain", "data_badge", "mapping_count", "created"]
    list_filter = ["platform", "mode"]
    search_fields = ["name", "domain", "public_id"]
    fields = [
        "name",
        "domain",
        "consent_meta_key",
        "platform",
        "mode",
        "masked_secret",
        "webhook_address",
        "screen",
        "created_by",
        "created",
        "updated",
    ]
    # The platform decides the topics of its mappings and the mode which data it wrote: changed
    # here they would leave mappings and events that no longer fit.
    readonly_fields = [
        "platform",
        "mode",
        "masked_secret",
        "webhook_address",
        "screen",
        "created_by",
        "created",
        "updated",
    ]
    inlines = [ShopMappingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mapping_total=Count("mappings"))

    def has_add_permission(self, request):
        # Added on the Shops screen, which takes the secret and shows the address to give the shop.
        return False

    @admin.display(description=gettext_lazy("mappings"), ordering="mapping_total")
    def mapping_count(self, shop):
        return shop.mapping_total

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, shop):
        return test_badge(shop.is_test)

    @admin.display(description=gettext_lazy("webhook secret"))
    def masked_secret(self, shop):
        # Never shown, not even in part: whoever reads it could sign orders for this shop.
        if not shop.webhook_secret:
            return "-"
        return format_html(
            "{} <span style='color: var(--body-quiet-color)'>({})</span>",
            MASK,
            gettext_lazy("hidden; replace it with Edit on the shop's page"),
        )

    @admin.display(description=gettext_lazy("webhook address"))
    def webhook_address(self, shop):
        return webhook_url(None, shop)

    @admin.display(description=gettext_lazy("shop's page"))
    def screen(self, shop):
        url = reverse("integrations:shop_detail", args=[shop.pk])
        return format_html('<a href="{}">{}</a>', url, gettext_lazy("Open"))


@admin.register(ShopMapping)
class ShopMappingAdmin(admin.ModelAdmin):
    list_display = ["shop", "topic", "status", "template", "enabled", "updated"]
    list_filter = ["enabled", "shop__platform", "shop"]
    search_fields = ["shop__name", "topic", "template__name", "template__slug"]
    list_select_related = ["shop", "template"]
    fields = ["shop", "topic", "status", "template", "variables", "enabled", "created", "updated"]
    # Only turning it on or off happens here: the rest is checked by the mapping screen.
    readonly_fields = ["shop", "topic", "status", "template", "variables", "created", "updated"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("variables"))
    def variables(self, mapping):
        return pretty_json(mapping.fields)


class ReasonFilter(admin.SimpleListFilter):
    """The reason codes, and the events whose paid order was not recorded as a conversion."""

    title = gettext_lazy("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        conversion = ("conversion", gettext_lazy("Conversion not recorded"))
        return [*ShopEvent.Reason.choices, conversion]

    def queryset(self, request, queryset):
        if self.value() == "conversion":
            return queryset.filter(conversion_refusal__isnull=False)
        if self.value():
            return queryset.filter(reason_code=self.value())
        return queryset


@admin.register(ShopEvent)
class ShopEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    # What happened first: the sidebar leaves the list little width, the rest may scroll.
    list_display = [
        "created",
        "status",
        "short_reason",
        "topic",
        "shop",
        "message_link",
        "short_delivery_id",
        "data_badge",
    ]
    list_filter = [
        DataModeFilter,
        "status",
        ReasonFilter,
        "is_test_event",
        "shop__platform",
        "shop",
    ]
    search_fields = ["delivery_id", "order_id", "phone", "topic", "shop__name"]
    list_select_related = ["shop", "message"]
    date_hierarchy = "created"
    fields = [
        "shop",
        "topic",
        "delivery_id",
        "status",
        "reason_code",
        "reason",
        "test_mode",
        "is_test_event",
        "order_id",
        "phone",
        "consent",
        "converted",
        "message_link",
        "screen",
        "created",
        "processed_at",
        "send_key",
        "pretty_payload",
        "raw_excerpt",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("why"))
    def reason(self, event):
        # Worded now, in the admin's language, from the code and values stored.
        return event.reason or "-"

    @admin.display(description=gettext_lazy("delivery id"), ordering="delivery_id")
    def short_delivery_id(self, event):
        # A body's hash stands in for a missing id: 71 characters would push the rest away.
        text = event.delivery_id
        return (
            format_html('<span title="{}">{}</span>', text, text[:22] + "…")
            if len(text) > 24
            else text
        )

    @admin.display(description=gettext_lazy("why"))
    def short_reason(self, event):
        text = event.reason
        if not text:
            return "-"
        # Wide enough to read: a table column shrinks to its longest word otherwise.
        shown = text[:117] + "…" if len(text) > 120 else text
        return format_html('<span style="display: inline-block; min-width: 16em">{}</span>', shown)

    @admin.display(description=gettext_lazy("sent message"))
    def message_link(self, event):
        if event.message_id is None:
            return "-"
        url = reverse("admin:sending_message_change", args=[event.message_id])
        return format_html(
            '<a href="{}">{}</a>', url, event.message.get_status_display() if event.message else "?"
        )

    @admin.display(description=gettext_lazy("event page"))
    def screen(self, event):
        url = reverse("integrations:shop_event", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, gettext_lazy("Open"))

    @admin.display(description=gettext_lazy("payload"))
    def pretty_payload(self, event):
        return pretty_json(event.payload)

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, event):
        return test_badge(event.test_mode)
