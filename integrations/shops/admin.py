"""Admin for the shop connectors: shops (their secret never shown), their mappings and the events
they sent. Events are evidence, read-only but for processing failed ones again; a shop's platform
and mode, and a mapping's topic and template, change only on the Shops screens, which check them.
The helpers above the classes serve the webhook endpoints' admin too (integrations/admin.py)."""

import json
from collections import Counter

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext

from audience.admin import DataModeFilter, ReadOnlyMixin, test_badge
from integrations.shops import services
from integrations.shops.models import Shop, ShopEvent, ShopMapping
from integrations.shops.views import webhook_url

MASK = "••••••••••••"


def pretty_json(value):
    if value in (None, "", {}, []):
        return "-"
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)


def open_link(url_name, *args):
    """A link to one of Relais' own screens, for the admin pages that show a row of it."""
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=args), gettext_lazy("Open"))


def masked(mask, note):
    """A secret's place on an admin page: the mask, and where to get a new one."""
    return format_html("{} <span style='color: var(--body-quiet-color)'>({})</span>", mask, note)


def tell(model_admin, request, *, done, left):
    """Say what an admin action did, and what it left and why (each a sentence or nothing)."""
    if done:
        model_admin.message_user(request, done, messages.SUCCESS)
    if left:
        model_admin.message_user(request, left, messages.WARNING)


def read_only_but(fields, *editable):
    """The fields of an admin page, less the few it lets change."""
    return [name for name in fields if name not in editable]


class OwnScreenAdmin(admin.ModelAdmin):
    """A model added on its own screen, which checks what it takes and shows its address or
    secret once: the admin lists and edits it, and links to that screen."""

    def has_add_permission(self, request):
        return False


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
        return open_link("integrations:mapping_edit", mapping.shop_id, mapping.pk)


@admin.register(Shop)
class ShopAdmin(OwnScreenAdmin):
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
    # here they would leave mappings and events that no longer fit. The secret is the shop
    # platform's own (Relais cannot make one for it): a new one is pasted with Edit on the
    # shop's page.
    readonly_fields = read_only_but(fields, "name", "domain", "consent_meta_key")
    inlines = [ShopMappingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mapping_total=Count("mappings"))

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
        return masked(MASK, gettext_lazy("hidden; replace it with Edit on the shop's page"))

    @admin.display(description=gettext_lazy("webhook address"))
    def webhook_address(self, shop):
        return webhook_url(None, shop)

    @admin.display(description=gettext_lazy("shop's page"))
    def screen(self, shop):
        return open_link("integrations:shop_detail", shop.pk)


@admin.register(ShopMapping)
class ShopMappingAdmin(OwnScreenAdmin):
    list_display = ["shop", "topic", "status", "template", "enabled", "updated"]
    list_filter = ["enabled", "shop__platform", "shop"]
    search_fields = ["shop__name", "topic", "template__name", "template__slug"]
    list_select_related = ["shop", "template"]
    fields = ["shop", "topic", "status", "template", "variables", "enabled", "created", "updated"]
    # Only turning it on or off happens here: the rest is checked by the mapping screen.
    readonly_fields = read_only_but(fields, "enabled")

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
    actions = ["process_again"]

    def has_process_again_permission(self, request):
        # Whoever may fix a shop's mappings may run its failed events through them again.
        return request.user.has_perm("integrations.change_shopmapping")

    @admin.action(
        description=gettext_lazy("Process again (failed events)"), permissions=["process_again"]
    )
    def process_again(self, request, queryset):
        """Queue the chosen failed events to be processed again; say why the others were not."""
        events = list(queryset)
        queued = set(services.process_again(events))
        for event in events:
            if event.pk in queued:
                self.log_change(request, event, "Processed again.")
        left = Counter(event.get_status_display() for event in events if event.pk not in queued)
        skipped = sum(left.values())
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(left.items()))
        tell(
            self,
            request,
            done=queued
            and ngettext(
                "%(count)d failed event queued to be processed again: its new status shows "
                "here in a moment.",
                "%(count)d failed events queued to be processed again: their new status "
                "shows here in a moment.",
                len(queued),
            )
            % {"count": len(queued)},
            left=skipped
            and ngettext(
                "%(count)d event left as it was (%(statuses)s): only failed events are "
                "processed again.",
                "%(count)d events left as they were (%(statuses)s): only failed events are "
                "processed again.",
                skipped,
            )
            % {"count": skipped, "statuses": statuses},
        )

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
        return open_link("integrations:shop_event", event.pk)

    @admin.display(description=gettext_lazy("payload"))
    def pretty_payload(self, event):
        return pretty_json(event.payload)

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, event):
        return test_badge(event.test_mode)
