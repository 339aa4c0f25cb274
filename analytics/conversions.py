"""Conversion: an order the shop reports, credited to the message that earned it (or to none).

A conversion that matches nothing is kept, unattributed: revenue is revenue, and a report that
silently dropped the orders it could not explain would flatter every campaign.
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy
from iso4217 import Currency

from audience.models import Contact
from sending.models import Dispatch, Message

# Room for a trillion with four decimal places (the most any ISO 4217 currency has).
VALUE_DIGITS = 16
VALUE_PLACES = 4


class Conversion(models.Model):
    """One order, unique by order id in its mode (test or live)."""

    class MatchedBy(models.TextChoices):
        CLICK_ID = "click_id", gettext_lazy("Click id")
        MESSAGE_ID = "message_id", gettext_lazy("Message id")
        PHONE = "phone", gettext_lazy("Phone number")

    class AttributedBy(models.TextChoices):
        CLICK = "click", gettext_lazy("A click within the click window")
        DELIVERY = "delivery", gettext_lazy("A delivery within the delivery window")

    class Source(models.TextChoices):
        API = "api", gettext_lazy("API")
        # Paid orders a shop connector saw (integrations.shops).
        SHOPIFY = "shopify", "Shopify"
        WOOCOMMERCE = "woocommerce", "WooCommerce"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order_id = models.CharField(gettext_lazy("order id"), max_length=200)
    value = models.DecimalField(
        gettext_lazy("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    currency = models.CharField(gettext_lazy("currency"), max_length=3)
    occurred_at = models.DateTimeField(gettext_lazy("occurred at"))
    test_mode = models.BooleanField(gettext_lazy("test mode"), default=False)
    # How the buyer was recognised; empty when the identifier given named nobody we know.
    matched_by = models.CharField(
        gettext_lazy("matched by"), max_length=10, choices=MatchedBy.choices, blank=True
    )
    # Which rule credited a message; empty when none did (unattributed).
    attributed_by = models.CharField(
        gettext_lazy("attributed by"), max_length=10, choices=AttributedBy.choices, blank=True
    )
    # The buyer, when recognised: the "converted" segment condition reads it. Erasing the
    # contact keeps the order (it names nobody any more).
    contact = models.ForeignKey(
        Contact,
        verbose_name=gettext_lazy("contact"),
        on_delete=models.SET_NULL,
        related_name="conversions",
        null=True,
        blank=True,
        # The (contact, occurred_at) index serves lookups by contact.
        db_index=False,
    )
    message = models.ForeignKey(
        Message,
        verbose_name=gettext_lazy("message"),
        on_delete=models.SET_NULL,
        related_name="conversions",
        null=True,
        blank=True,
    )
    # Copied from the message so a campaign's conversions are read without a join to messages.
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=gettext_lazy("dispatch"),
        on_delete=models.SET_NULL,
        related_name="conversions",
        null=True,
        blank=True,
        # The (dispatch, occurred_at) index serves lookups by dispatch.
        db_index=False,
    )
    # The click credited. A click id is read without a lookup, so a conversion can name a click
    # the drainer has not written yet: clicked_at and cta_index hold it either way.
    click = models.ForeignKey(
        "analytics.Click",
        verbose_name=gettext_lazy("click"),
        on_delete=models.SET_NULL,
        related_name="conversions",
        null=True,
        blank=True,
    )
    clicked_at = models.DateTimeField(gettext_lazy("clicked at"), null=True, blank=True)
    cta_index = models.PositiveSmallIntegerField(gettext_lazy("CTA index"), null=True, blank=True)
    source = models.CharField(
        gettext_lazy("source"), max_length=20, choices=Source.choices, default=Source.API
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("conversion")
        verbose_name_plural = gettext_lazy("conversions")
        ordering = ["-occurred_at"]
        indexes = [
            # Serves the "converted in the last N days" segment condition.
            models.Index(fields=["contact", "occurred_at"], name="analytics_conv_contact"),
            # Serves a campaign's conversions and revenue over a period.
            models.Index(fields=["dispatch", "occurred_at"], name="analytics_conv_dispatch"),
            # Serves the global dashboard over a period, live or test.
            models.Index(fields=["test_mode", "occurred_at"], name="analytics_conv_period"),
        ]
        constraints = [
            # One conversion per order: a retried or repeated post adds nothing.
            models.UniqueConstraint(
                fields=["test_mode", "order_id"], name="analytics_conversion_order_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="analytics_conversion_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.amount} {self.currency}"

    @classmethod
    def from_db(cls, db, field_names, values):
        conversion = super().from_db(db, field_names, values)
        # The message credited when loaded: a re-attribution refreshes both messages' rollups.
        conversion.loaded_message_id = conversion.__dict__.get("message_id")
        return conversion

    @property
    def amount(self):
        """The value with the currency's own decimal places, as text: "89.90", "1200" (JPY)."""
        exponent = Currency(self.currency).exponent or 0
        return str(Decimal(self.value).quantize(Decimal(1).scaleb(-exponent)))
