"""A connected shop, what its events send (mappings), and the log of the events it sent.

Registered in the integrations app (integrations/models.py imports this module).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from integrations.shops import reasons
from integrations.shops.reasons import Reason


def new_public_id():
    # In the webhook URL: it names the shop, so nobody can guess another shop's address.
    return secrets.token_urlsafe(24)


class Platform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"


class Shop(models.Model):
    """A Shopify or WooCommerce shop whose webhooks Relais receives, in test or live mode."""

    class Mode(models.TextChoices):
        TEST = "test", gettext_lazy("Test")
        LIVE = "live", gettext_lazy("Live")

    public_id = models.CharField(max_length=40, unique=True, default=new_public_id, editable=False)
    platform = models.CharField(gettext_lazy("platform"), max_length=12, choices=Platform)
    name = models.CharField(gettext_lazy("name"), max_length=120)
    domain = models.CharField(gettext_lazy("shop domain"), max_length=255)
    # What the platform signs each webhook with: Shopify's app or notification secret, the
    # secret typed into WooCommerce's webhook form.
    webhook_secret = models.CharField(gettext_lazy("webhook secret"), max_length=255)
    mode = models.CharField(
        gettext_lazy("mode"), max_length=4, choices=Mode.choices, default=Mode.LIVE
    )
    # WooCommerce keeps SMS marketing consent in an order meta field a plugin names.
    consent_meta_key = models.CharField(
        gettext_lazy("SMS consent meta key"), max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("shop")
        verbose_name_plural = gettext_lazy("shops")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_platform_display()})"

    @property
    def is_test(self):
        return self.mode == self.Mode.TEST

    @property
    def source(self):
        """The consent and conversion source its data is written with."""
        return self.platform


class ShopMapping(models.Model):
    """One shop topic (with an optional order status) → one published template, and where each
    of the template's variables takes its value from."""

    shop = models.ForeignKey(
        Shop, verbose_name=gettext_lazy("shop"), on_delete=models.CASCADE, related_name="mappings"
    )
    topic = models.CharField(gettext_lazy("topic"), max_length=60)
    # WooCommerce's order.updated fires on every change: the status it must have now.
    status = models.CharField(gettext_lazy("order status"), max_length=40, blank=True)
    template = models.ForeignKey(
        "editor.MessageTemplate",
        verbose_name=gettext_lazy("template"),
        on_delete=models.PROTECT,
        related_name="shop_mappings",
    )
    # {"<variable>": {"path": "customer.first_name", "fixed": "", "default": "client"}}
    fields = models.JSONField(gettext_lazy("variables"), default=dict, blank=True)
    enabled = models.BooleanField(gettext_lazy("enabled"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("shop mapping")
        verbose_name_plural = gettext_lazy("shop mappings")
        ordering = ["topic", "status", "pk"]
        constraints = [
            # One message per event: two mappings of the same topic would send two.
            models.UniqueConstraint(
                fields=["shop", "topic", "status"], name="integrations_shop_mapping_once"
            ),
        ]

    def __str__(self):
        topic = f"{self.topic} [{self.status}]" if self.status else self.topic
        return f"{topic} → {self.template_id}"


class ShopEvent(models.Model):
    """One webhook a shop sent (or the test button made), verified, and what became of it."""

    class Status(models.TextChoices):
        RECEIVED = "received", gettext_lazy("Received")
        SENT = "sent", gettext_lazy("Sent")
        SKIPPED = "skipped", gettext_lazy("Skipped")
        FAILED = "failed", gettext_lazy("Failed")
        MALFORMED = "malformed", gettext_lazy("Malformed")

    Reason = Reason

    shop = models.ForeignKey(
        Shop, verbose_name=gettext_lazy("shop"), on_delete=models.CASCADE, related_name="events"
    )
    # X-Shopify-Webhook-Id or X-WC-Webhook-Delivery-ID: a redelivery carries the same one.
    delivery_id = models.CharField(gettext_lazy("delivery id"), max_length=200)
    topic = models.CharField(gettext_lazy("topic"), max_length=60)
    test_mode = models.BooleanField(gettext_lazy("test mode"), default=False)
    # Made by "Send a test event" (signed by Relais with the shop's secret).
    is_test_event = models.BooleanField(gettext_lazy("test event"), default=False)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    # Why it was skipped, failed or malformed, as a code and the values its sentence needs:
    # worded when shown, in the reader's language (reasons.describe).
    reason_code = models.CharField(
        gettext_lazy("reason"), max_length=30, choices=Reason.choices, blank=True
    )
    reason_values = models.JSONField(gettext_lazy("reason values"), default=dict, blank=True)
    # {"code": <ConversionRefused code>, ...its values} when a paid order was not recorded.
    conversion_refusal = models.JSONField(gettext_lazy("conversion refused"), null=True, blank=True)
    payload = models.JSONField(gettext_lazy("payload"), null=True, blank=True)
    # The start of a body that was no JSON, kept for the log.
    raw_excerpt = models.TextField(gettext_lazy("raw body"), blank=True)
    order_id = models.CharField(gettext_lazy("order id"), max_length=100, blank=True)
    phone = models.CharField(gettext_lazy("phone"), max_length=20, blank=True)
    consent = models.CharField(gettext_lazy("consent written"), max_length=10, blank=True)
    converted = models.BooleanField(gettext_lazy("conversion recorded"), default=False)
    message = models.ForeignKey(
        "sending.Message",
        verbose_name=gettext_lazy("message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "<mode>:<order id>:<topic>[:<status>]" once a message was submitted for it: the
    # constraint below makes a redelivery under another delivery id, or two jobs at once, send
    # nothing more.
    send_key = models.CharField(max_length=200, null=True, blank=True, editable=False)
    created = models.DateTimeField(gettext_lazy("received"), auto_now_add=True)
    processed_at = models.DateTimeField(gettext_lazy("processed"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("shop event")
        verbose_name_plural = gettext_lazy("shop events")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "delivery_id"], name="integrations_shop_event_once"
            ),
            models.UniqueConstraint(
                fields=["shop", "send_key"],
                condition=models.Q(send_key__isnull=False),
                name="integrations_shop_send_once",
            ),
        ]
        indexes = [
            # The shop page's log: one mode, newest first.
            models.Index(fields=["shop", "test_mode", "-created"], name="integrations_shop_log"),
        ]

    def __str__(self):
        return f"{self.topic} {self.delivery_id} ({self.status})"

    @property
    def reason(self):
        """Why it went as it did, worded now in the active language ("" when nothing to say)."""
        return reasons.describe(self.reason_code, self.reason_values, self.conversion_refusal)
