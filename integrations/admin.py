"""Admin for the outbound webhooks: endpoints (their secret never shown) and the deliveries made
to them, with "resend" as an action. The shop connectors' admin is in integrations/shops/admin.py.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from audience.admin import ReadOnlyMixin
from integrations import services
from integrations.forms import EndpointForm
from integrations.models import WebhookDelivery, WebhookEndpoint

# Importing it registers the shop connectors' models too.
from integrations.shops.admin import pretty_json


class EndpointAdminForm(EndpointForm):
    """The Webhooks page's form: the URL goes through the same private-address guard."""

    class Meta(EndpointForm.Meta):
        fields = ["url", "description", "events"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointAdminForm
    list_display = ["url", "mode", "enabled", "event_count", "failure_streak", "created"]
    list_filter = ["mode", "enabled"]
    search_fields = ["url", "description", "public_id"]
    fields = [
        "url",
        "description",
        "events",
        "mode",
        "masked_secret",
        "enabled",
        "disabled_reason",
        "disabled_at",
        "failure_streak",
        "failing_since",
        "screen",
        "public_id",
        "created",
        "updated",
    ]
    # The mode decides which data it hears; enabling again re-queues what waits (an action).
    readonly_fields = [
        "mode",
        "masked_secret",
        "enabled",
        "disabled_reason",
        "disabled_at",
        "failure_streak",
        "failing_since",
        "screen",
        "public_id",
        "created",
        "updated",
    ]
    actions = ["enable", "disable"]

    def has_add_permission(self, request):
        # Added on the Webhooks page, which shows the new secret once.
        return False

    @admin.display(description=gettext_lazy("events"))
    def event_count(self, endpoint):
        return len(endpoint.events or [])

    @admin.display(description=gettext_lazy("signing secret"))
    def masked_secret(self, endpoint):
        # Not named "secret": a model field of that name would be shown in its place.
        return format_html(
            "whsec_•••••••••••• <span style='color: var(--body-quiet-color)'>({})</span>",
            gettext_lazy("hidden; rotate it on the endpoint's page to get a new one"),
        )

    @admin.display(description=gettext_lazy("endpoint page"))
    def screen(self, endpoint):
        url = reverse("integrations:endpoint_detail", args=[endpoint.pk])
        return format_html('<a href="{}">{}</a>', url, gettext_lazy("Open"))

    @admin.action(description=gettext_lazy("Enable, and send what waits"), permissions=["change"])
    def enable(self, request, queryset):
        queued = sum(services.enable(endpoint) for endpoint in queryset.filter(enabled=False))
        self.message_user(
            request,
            ngettext(
                "Enabled; %(count)d waiting delivery queued.",
                "Enabled; %(count)d waiting deliveries queued.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Disable"), permissions=["change"])
    def disable(self, request, queryset):
        reason = gettext("Disabled by %(user)s.") % {"user": request.user}
        count = queryset.filter(enabled=True).update(enabled=False, disabled_reason=reason)
        self.message_user(
            request,
            ngettext("%(count)d endpoint disabled.", "%(count)d endpoints disabled.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created",
        "type",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "type", "endpoint__mode", "endpoint"]
    search_fields = ["event_id", "endpoint__url", "ordering_key"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created"
    fields = [
        "endpoint",
        "event_id",
        "type",
        "status",
        "attempts",
        "response_code",
        "error",
        "created",
        "last_attempt_at",
        "next_attempt_at",
        "ordering_key",
        "body",
    ]
    readonly_fields = fields
    actions = ["resend"]

    def has_resend_permission(self, request):
        return request.user.has_perm("integrations.change_webhookendpoint")

    @admin.display(description=gettext_lazy("payload"))
    def body(self, delivery):
        return pretty_json(delivery.payload)

    @admin.action(description=gettext_lazy("Send again"), permissions=["resend"])
    def resend(self, request, queryset):
        """Send the chosen deliveries again now (same event id), except to disabled endpoints."""
        deliveries = list(queryset.select_related("endpoint"))
        sent = [delivery for delivery in deliveries if delivery.endpoint.enabled]
        for delivery in sent:
            services.resend(delivery)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery sent again.", "%(count)d deliveries sent again.", len(sent)
                )
                % {"count": len(sent)},
                messages.SUCCESS,
            )
        if skipped := len(deliveries) - len(sent):
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery not sent: its endpoint is disabled; enable it first.",
                    "%(count)d deliveries not sent: their endpoint is disabled; enable it first.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
