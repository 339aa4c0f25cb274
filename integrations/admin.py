"""Admin for the outbound webhooks: endpoints (their secret never shown) and the deliveries made
to them, with "resend" as an action. The shop connectors' admin is in integrations/shops/admin.py.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy, ngettext

from audience.admin import ReadOnlyMixin
from integrations import services
from integrations.forms import EndpointForm
from integrations.models import WebhookDelivery, WebhookEndpoint

# Importing it registers the shop connectors' models too.
from integrations.shops.admin import (
    OwnScreenAdmin,
    masked,
    open_link,
    pretty_json,
    read_only_but,
    tell,
)


class EndpointAdminForm(EndpointForm):
    """The Webhooks page's form: the URL goes through the same private-address guard."""

    class Meta(EndpointForm.Meta):
        fields = ["url", "description", "events"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(OwnScreenAdmin):
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
    readonly_fields = read_only_but(fields, "url", "description", "events")
    actions = ["enable", "disable", "rotate_secret"]

    @admin.display(description=gettext_lazy("events"))
    def event_count(self, endpoint):
        return len(endpoint.events or [])

    @admin.display(description=gettext_lazy("signing secret"))
    def masked_secret(self, endpoint):
        # Not named "secret": a model field of that name would be shown in its place.
        return masked(
            "whsec_••••••••••••",
            gettext_lazy("hidden; rotate it to get a new one, shown once"),
        )

    @admin.display(description=gettext_lazy("endpoint page"))
    def screen(self, endpoint):
        return open_link("integrations:endpoint_detail", endpoint.pk)

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

    @admin.action(description=gettext_lazy("Rotate the signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        """Ask to confirm, then give each chosen endpoint a new secret and show the new secrets
        on the answer alone: never in a message, a log or the session."""
        endpoints = list(queryset)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Rotate the signing secret"),
            "endpoints": endpoints,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        if request.POST.get("confirm") == "yes":
            context["rotated"] = [(endpoint, endpoint.rotate_secret()) for endpoint in endpoints]
            for endpoint in endpoints:
                self.log_change(request, endpoint, "Rotated the signing secret.")
        return TemplateResponse(request, "admin/integrations/rotate_secret.html", context)


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
        skipped = len(deliveries) - len(sent)
        tell(
            self,
            request,
            done=sent
            and ngettext(
                "%(count)d delivery sent again.", "%(count)d deliveries sent again.", len(sent)
            )
            % {"count": len(sent)},
            left=skipped
            and ngettext(
                "%(count)d delivery not sent: its endpoint is disabled; enable it first.",
                "%(count)d deliveries not sent: their endpoint is disabled; enable it first.",
                skipped,
            )
            % {"count": skipped},
        )
