from django.contrib import admin, messages
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from audience.admin import DataModeFilter, ReadOnlyMixin, test_badge
from sending.models import Attempt, Event, Message, SendingPause
from sending.services import ceiling


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
        "sent_content",
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
        # Finds what quiet hours hold (quiet_hours) and what the frequency cap stopped.
        "status_reason",
        "traffic_type",
        # What made it: the send API, a campaign, a shop's order event, an editor test.
        "source",
        "draft_test",
        DataModeFilter,
    ]
    search_fields = ["public_id", "contact__phone", "external_id"]
    list_select_related = ["contact", "template_version__template", "draft_of"]
    date_hierarchy = "created"
    inlines = [AttemptInline, EventInline]

    @admin.display(description=gettext_lazy("template version"))
    def sent_content(self, message):
        # A draft test has no version: say so, or it reads like a message Relais wrote itself.
        if message.draft_test:
            slug = message.draft_of.slug if message.draft_of else "?"
            return gettext("Draft test · %(template)s") % {"template": slug}
        return message.template_version or "-"

    @admin.display(description=gettext_lazy("data"))
    def data_badge(self, message):
        return test_badge(message.test_mode)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def changelist_view(self, request, extra_context=None):
        # Queued messages that do not move: say when the hourly ceiling holds them.
        for pause in SendingPause.objects.active():
            self.message_user(request, pause.notice(), messages.WARNING)
        # And when quiet hours hold promotions: they are not stuck, they wait for the window.
        held = Message.objects.filter(
            status=Message.Status.QUEUED,
            status_reason=Message.Reason.QUIET_HOURS,
            test_mode=False,
        ).aggregate(count=Count("pk"), first=Min("not_before"))
        if held["count"]:
            notice = ngettext(
                "%(count)d promotion waits for the quiet hours to end; the first goes at "
                "%(time)s UTC.",
                "%(count)d promotions wait for the quiet hours to end; the first goes at "
                "%(time)s UTC.",
                held["count"],
            ) % {"count": held["count"], "time": f"{held['first']:%Y-%m-%d %H:%M}"}
            self.message_user(request, notice, messages.INFO)
        return super().changelist_view(request, extra_context)


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "type", "provider", "channel", "cta_id", "message", "number"]
    list_filter = ["type", "provider", "channel"]
    search_fields = ["provider_event_id", "number", "message__public_id", "cta_id"]
    list_select_related = ["message__contact"]
    date_hierarchy = "occurred_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(SendingPause)
class SendingPauseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Countries whose hourly ceiling was passed; an admin may lift a pause for the hour."""

    list_display = [
        "country",
        "test_mode",
        "window_start",
        "until",
        "ceiling",
        "state",
        "lifted_by",
    ]
    list_filter = ["test_mode", "country"]
    date_hierarchy = "window_start"
    actions = ["lift_pause"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.display(description=gettext_lazy("state"))
    def state(self, pause):
        if pause.lifted_at is not None:
            return gettext_lazy("lifted by hand")
        if pause.is_active():
            return gettext_lazy("PAUSED: messages held")
        return gettext_lazy("ended with its hour")

    def has_lift_permission(self, request):
        return request.user.has_perm("sending.change_sendingpause")

    @admin.action(
        description=gettext_lazy("Lift the pause (send the held messages now)"),
        permissions=["lift"],
    )
    def lift_pause(self, request, queryset):
        now = timezone.now()
        lifted = sent = 0
        for pause in queryset:
            if pause.is_active(now):
                sent += ceiling.lift(pause, by=request.user.get_username(), now=now)
                lifted += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d pause lifted; %(sent)d held messages are being sent.",
                "%(count)d pauses lifted; %(sent)d held messages are being sent.",
                lifted,
            )
            % {"count": lifted, "sent": sent},
            messages.SUCCESS if lifted else messages.WARNING,
        )
