"""The provider calls made for a message (attempts) and what providers told us (events)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from messaging.providers.normalized import Channel, EventType
from sending.models.messages import Message


class Attempt(models.Model):
    """One provider call for a message on one channel; its UUID is RBM's messageId."""

    class Status(models.TextChoices):
        # Written before the provider is called: found in this state later = crash mid-call.
        CALLING = "calling", gettext_lazy("Calling the provider")
        RETRY = "retry", gettext_lazy("Will retry")
        SENT = "sent", gettext_lazy("Accepted")
        DELIVERED = "delivered", gettext_lazy("Delivered")
        READ = "read", gettext_lazy("Read")
        FAILED = "failed", gettext_lazy("Failed")
        EXPIRED = "expired", gettext_lazy("Expired")
        UNKNOWN_OUTCOME = "unknown_outcome", gettext_lazy("Unknown outcome")

    PROGRESS = {Status.SENT: 1, Status.DELIVERED: 2, Status.READ: 3}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(
        Message,
        verbose_name=gettext_lazy("message"),
        on_delete=models.CASCADE,
        related_name="attempts",
        # The unique (message, channel) index starts with it and serves its lookups.
        db_index=False,
    )
    channel = models.CharField(gettext_lazy("channel"), max_length=3, choices=Channel.choices)
    provider = models.CharField(gettext_lazy("provider"), max_length=100)
    # Indexed in Meta, for webhooks that carry only the provider's id (Twilio MessageSid).
    provider_message_id = models.CharField(
        gettext_lazy("provider message id"), max_length=200, blank=True
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.CALLING
    )
    # The provider falls back to SMS by itself for this attempt (Twilio messaging service).
    provider_handles_fallback = models.BooleanField(default=False)
    error_code = models.CharField(gettext_lazy("error code"), max_length=100, blank=True)
    error_text = models.TextField(gettext_lazy("error"), blank=True)
    raw_response = models.JSONField(gettext_lazy("raw response"), default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("attempt")
        verbose_name_plural = gettext_lazy("attempts")
        ordering = ["created", "pk"]
        indexes = [
            # Serves matching webhooks that carry only the provider's id (Twilio MessageSid);
            # an attempt gets its id once the provider accepted it, so the insert skips it.
            models.Index(
                fields=["provider_message_id"],
                name="sending_attempt_provider_id",
                condition=~Q(provider_message_id=""),
            ),
        ]
        constraints = [
            # One RCS try and at most one SMS fallback per message; retries reuse the row.
            models.UniqueConstraint(
                fields=["message", "channel"], name="sending_attempt_one_per_channel"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} via {self.provider} ({self.status})"

    def advance(self, status):
        """Move forward to sent, delivered or read; delivery also corrects failed or expired."""
        current = self.PROGRESS.get(self.status, 0)
        if self.PROGRESS[status] <= current:
            return False
        # "Sent" says nothing new about an attempt that failed or expired.
        if status == self.Status.SENT and self.status in (self.Status.FAILED, self.Status.EXPIRED):
            return False
        self.status = status
        return True


class Event(models.Model):
    """One normalized provider event (delivery, read, tap, inbound text), with its raw payload."""

    Type = EventType

    # Null when the event names no message we know (it is kept anyway, with a 200 answer).
    message = models.ForeignKey(
        Message,
        verbose_name=gettext_lazy("message"),
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
    )
    attempt = models.ForeignKey(
        Attempt,
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
                fields=["provider", "provider_event_id"], name="sending_event_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} ({self.provider} {self.provider_event_id})"
