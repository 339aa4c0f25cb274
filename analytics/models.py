"""What providers told us about messages and recipients, each event recorded once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from messaging.providers.base import Channel, EventType


class Event(models.Model):
    """One normalized provider event (delivery, read, tap, inbound text), with its raw payload."""

    Type = EventType

    # Null when the event names no message we know (it is kept anyway, with a 200 answer).
    message = models.ForeignKey(
        "campaigns.Message",
        verbose_name=gettext_lazy("message"),
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
    )
    attempt = models.ForeignKey(
        "campaigns.Attempt",
        verbose_name=gettext_lazy("attempt"),
        on_delete=models.SET_NULL,
        related_name="events",
        null=True,
        blank=True,
    )
    provider = models.CharField(gettext_lazy("provider"), max_length=100)
    provider_event_id = models.CharField(gettext_lazy("provider event id"), max_length=255)
    type = models.CharField(gettext_lazy("type"), max_length=20, choices=EventType.choices)
    channel = models.CharField(
        gettext_lazy("channel"), max_length=3, choices=Channel.choices, blank=True
    )
    cta_id = models.CharField(gettext_lazy("CTA id"), max_length=64, blank=True)
    number = models.CharField(gettext_lazy("phone number"), max_length=32, blank=True)
    text = models.TextField(gettext_lazy("text"), blank=True)
    error_code = models.CharField(gettext_lazy("error code"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(gettext_lazy("occurred at"), default=timezone.now)
    raw = models.JSONField(gettext_lazy("raw payload"), default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("event")
        verbose_name_plural = gettext_lazy("events")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            # Providers retry and replay: one row per event they send, however often it comes.
            models.UniqueConstraint(
                fields=["provider", "provider_event_id"], name="analytics_event_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} ({self.provider} {self.provider_event_id})"
