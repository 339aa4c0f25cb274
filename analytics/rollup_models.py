"""Rollups: the counts the dashboard reads, kept up to date from message changes.

MessageFact holds what each message currently adds to the rollups, so a change of a message
(sent, then delivered, then fallen back to SMS, a failure corrected by a late delivery) moves
its counts from one bucket to another exactly, and a replayed change adds nothing. Rollup and
ButtonRollup are the sums of the facts per bucket; `rebuild_rollups` recomputes all three from
the raw rows. Campaign and template version are plain integers (0: none), not foreign keys:
these tables are derived data, rebuilt at will, and a key with a NULL would never match in
an upsert.
"""

from django.db import models

# The counters of a rollup bucket, in the order the upsert writes them.
COUNTERS = (
    "messages",
    "attempted",
    "sent",
    "delivered",
    "read",
    "failed",
    "rcs_billable",
    "sms_segments",
    "opted_out",
    "clicks_total",
    "clicks_unique",
    "clicks_bot",
    "clicks_suspected",
    "conversions",
)
# What a bucket is: every dimension the dashboard splits or filters by.
KEY = (
    "test_mode",
    "campaign_id",
    "arm",
    "stage",
    "template_version_id",
    "intended_channel",
    "route",
    "fallback_reason",
    "error_code",
    "hour",
)
BUTTON_KEY = (
    "test_mode",
    "campaign_id",
    "arm",
    "stage",
    "template_version_id",
    "route",
    "hour",
    "cta_id",
)
BUTTON_COUNTERS = ("taps_total", "taps_unique")
CURRENCY_KEY = (
    "test_mode",
    "campaign_id",
    "arm",
    "stage",
    "template_version_id",
    "intended_channel",
    "route",
    "hour",
    "currency",
)
CURRENCY_COUNTERS = ("conversions", "revenue")


class Route(models.TextChoices):
    """The channel that actually carried a message, with how it got there."""

    RCS = "rcs", "RCS"
    SMS_FALLBACK = "sms_fallback", "SMS fallback"
    SMS_ONLY = "sms_only", "SMS only"
    NONE = "", "Not carried"


class Bucket(models.Model):
    test_mode = models.BooleanField(default=False)
    campaign_id = models.BigIntegerField(default=0)
    arm = models.CharField(max_length=20, blank=True)
    stage = models.PositiveSmallIntegerField(default=0)
    template_version_id = models.BigIntegerField(default=0)
    intended_channel = models.CharField(max_length=3, blank=True)
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    fallback_reason = models.CharField(max_length=20, blank=True)
    # The attempt's error code (else the message's reason) of a failed or expired message.
    error_code = models.CharField(max_length=100, blank=True)
    # The hour the message was sent (UTC), else the hour it was created.
    hour = models.DateTimeField()

    messages = models.BigIntegerField(default=0)
    attempted = models.BigIntegerField(default=0)
    sent = models.BigIntegerField(default=0)
    delivered = models.BigIntegerField(default=0)
    read = models.BigIntegerField(default=0)
    failed = models.BigIntegerField(default=0)
    # Delivered RCS messages (billed on delivery) and SMS segments sent (billed when sent):
    # the cost is computed when read, with the current prices.
    rcs_billable = models.BigIntegerField(default=0)
    sms_segments = models.BigIntegerField(default=0)
    opted_out = models.BigIntegerField(default=0)
    clicks_total = models.BigIntegerField(default=0)
    clicks_unique = models.BigIntegerField(default=0)
    clicks_bot = models.BigIntegerField(default=0)
    clicks_suspected = models.BigIntegerField(default=0)
    # Conversions in every currency; their values are summed per currency (CurrencyRollup).
    conversions = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class MessageFact(Bucket):
    """What one message adds to the rollups now (its bucket and its counts)."""

    message_id = models.BigIntegerField(primary_key=True)
    # {cta_id: [taps, 1 when tapped at all]} of human taps and clicks.
    buttons = models.JSONField(default=dict, blank=True)
    # {currency: [conversions, "revenue"]} of its attributed conversions (amounts as text).
    revenues = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "message fact"

    def __str__(self):
        return f"fact of message {self.message_id}"


class Rollup(Bucket):
    """The counts of one bucket: campaign × arm × stage × version × channels × error × hour."""

    class Meta:
        verbose_name = "rollup"
        constraints = [models.UniqueConstraint(fields=KEY, name="analytics_rollup_bucket")]
        indexes = [
            # Serves the dashboard's reads: one mode, one campaign (or all), a period.
            models.Index(fields=["test_mode", "campaign_id", "hour"], name="analytics_rollup_read"),
        ]

    def __str__(self):
        return f"rollup {self.campaign_id}/{self.arm}/{self.route} {self.hour:%Y-%m-%d %H}h"


class ButtonRollup(models.Model):
    """Human taps and clicks of one button (CTA) in one bucket, whatever channel carried it."""

    test_mode = models.BooleanField(default=False)
    campaign_id = models.BigIntegerField(default=0)
    arm = models.CharField(max_length=20, blank=True)
    stage = models.PositiveSmallIntegerField(default=0)
    template_version_id = models.BigIntegerField(default=0)
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    hour = models.DateTimeField()
    cta_id = models.CharField(max_length=64)
    taps_total = models.BigIntegerField(default=0)
    taps_unique = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "button rollup"
        constraints = [
            models.UniqueConstraint(fields=BUTTON_KEY, name="analytics_button_rollup_bucket")
        ]
        indexes = [
            # Serves the per-button table: one mode, one campaign (or all), a period.
            models.Index(fields=["test_mode", "campaign_id", "hour"], name="analytics_button_read"),
        ]

    def __str__(self):
        return f"button {self.cta_id} of {self.campaign_id}"


class CurrencyRollup(models.Model):
    """Attributed conversions and their revenue in one currency, in one bucket (without the
    fallback reason and error code). Amounts of different currencies are never added."""

    test_mode = models.BooleanField(default=False)
    campaign_id = models.BigIntegerField(default=0)
    arm = models.CharField(max_length=20, blank=True)
    stage = models.PositiveSmallIntegerField(default=0)
    template_version_id = models.BigIntegerField(default=0)
    intended_channel = models.CharField(max_length=3, blank=True)
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    hour = models.DateTimeField()
    # ISO 4217 code, as the conversion was reported.
    currency = models.CharField(max_length=3)
    conversions = models.BigIntegerField(default=0)
    # Wide enough for any currency's minor units (KWD has 3 decimal places).
    revenue = models.DecimalField(max_digits=20, decimal_places=3, default=0)

    class Meta:
        verbose_name = "currency rollup"
        constraints = [
            models.UniqueConstraint(fields=CURRENCY_KEY, name="analytics_currency_rollup_bucket")
        ]
        indexes = [
            models.Index(
                fields=["test_mode", "campaign_id", "hour"], name="analytics_currency_read"
            ),
        ]

    def __str__(self):
        return f"{self.currency} of {self.campaign_id}"
