"""Outbound webhooks: the endpoints a shop registers, and each event delivered to one of them.

An endpoint belongs to one mode, as API keys do: a test endpoint hears only test data (test
API keys, the editor's tests, the simulator), a live endpoint only live data.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy

SECRET_PREFIX = "whsec_"


def new_secret():
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class EventType(models.TextChoices):
    """What an endpoint may subscribe to (docs/webhooks.md describes each payload)."""

    MESSAGE_SENT = "message.sent", gettext_lazy("Message sent")
    MESSAGE_DELIVERED = "message.delivered", gettext_lazy("Message delivered")
    MESSAGE_READ = "message.read", gettext_lazy("Message read")
    MESSAGE_FAILED = "message.failed", gettext_lazy("Message failed")
    MESSAGE_FELL_BACK = "message.fell_back", gettext_lazy("Message fell back to SMS")
    MESSAGE_CLICKED = "message.clicked", gettext_lazy("Button or link clicked")
    CONTACT_OPTED_OUT = "contact.opted_out", gettext_lazy("Contact opted out")
    CONTACT_OPTED_IN = "contact.opted_in", gettext_lazy("Contact opted in")
    INBOUND_RECEIVED = "inbound.received", gettext_lazy("Reply received")


class WebhookEndpoint(models.Model):
    class Mode(models.TextChoices):
        TEST = "test", gettext_lazy("Test")
        LIVE = "live", gettext_lazy("Live")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mode = models.CharField(gettext_lazy("mode"), max_length=4, choices=Mode.choices)
    url = models.URLField(gettext_lazy("URL"), max_length=2000)
    description = models.CharField(gettext_lazy("description"), max_length=200, blank=True)
    # EventType values; every delivery of another type is skipped for this endpoint.
    events = models.JSONField(gettext_lazy("events"), default=list)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    enabled = models.BooleanField(gettext_lazy("enabled"), default=True)
    disabled_reason = models.CharField(gettext_lazy("why disabled"), max_length=300, blank=True)
    disabled_at = models.DateTimeField(gettext_lazy("disabled at"), null=True, blank=True)
    # Failed deliveries in a row (every try counts), and since when none has succeeded.
    failure_streak = models.PositiveIntegerField(gettext_lazy("failures in a row"), default=0)
    failing_since = models.DateTimeField(gettext_lazy("failing since"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("webhook endpoint")
        verbose_name_plural = gettext_lazy("webhook endpoints")
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.url} ({self.mode})"

    @property
    def is_test(self):
        return self.mode == self.Mode.TEST

    def rotate_secret(self):
        """Save a new secret, which signs every delivery from now on, and return it."""
        self.secret = new_secret()
        self.save(update_fields=["secret", "updated"])
        return self.secret


class WebhookDelivery(models.Model):
    """One event for one endpoint: its JSON body, and how sending it went."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        RETRYING = "retrying", gettext_lazy("Retrying")
        SUCCEEDED = "succeeded", gettext_lazy("Succeeded")
        FAILED = "failed", gettext_lazy("Failed")

    UNFINISHED = (Status.PENDING, Status.RETRYING)

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=gettext_lazy("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # The event's id: the same for every endpoint it goes to; receivers dedupe on it.
    event_id = models.UUIDField(gettext_lazy("event id"), default=uuid.uuid4)
    type = models.CharField(gettext_lazy("type"), max_length=30, choices=EventType)
    # Deliveries with the same key (a message, a contact) go out in order, one at a time.
    ordering_key = models.CharField(max_length=80, blank=True)
    payload = models.JSONField(gettext_lazy("payload"))
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(gettext_lazy("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(
        gettext_lazy("response code"), null=True, blank=True
    )
    error = models.CharField(gettext_lazy("error"), max_length=300, blank=True)
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(gettext_lazy("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(gettext_lazy("next attempt"), null=True, blank=True)
    # Held by the job sending it until then: a second job for it meanwhile does nothing.
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("webhook delivery")
        verbose_name_plural = gettext_lazy("webhook deliveries")
        ordering = ["-created", "-pk"]
        indexes = [
            # The log of one endpoint, newest first.
            models.Index(fields=["endpoint", "-created"], name="integrations_delivery_log"),
            # "Is an earlier delivery of this message still on its way?"
            models.Index(fields=["endpoint", "ordering_key", "status"], name="integrations_order"),
        ]

    def __str__(self):
        return f"{self.type} → {self.endpoint_id} ({self.status})"


# The shop connectors' models live in their sub-package; importing them here registers them.
from integrations.shops.models import Shop, ShopEvent, ShopMapping  # noqa: E402, F401
