"""Clicks on tracked links and provider-reported button taps, one row per tap."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from analytics.conversions import Conversion
from messaging.providers.normalized import Channel
from sending.models import Dispatch, Event, Message

__all__ = ["Click", "Conversion"]


class ClickQuerySet(models.QuerySet):
    def counted(self):
        """Taps by people: human clicks (bots and suspected bots are shown apart)."""
        return self.filter(kind=Click.Kind.HUMAN)

    def unique_count(self):
        """People who tapped, once per message and CTA, whatever channel or source."""
        return self.counted().filter(is_unique=True).count()


class Click(models.Model):
    """One tap on a tracked link (source=link) or one button tap a provider reported."""

    class Kind(models.TextChoices):
        HUMAN = "human", gettext_lazy("Person")
        BOT = "bot", gettext_lazy("Bot (link preview or crawler)")
        SUSPECTED_BOT = "suspected_bot", gettext_lazy("Suspected bot")

    class Agent(models.TextChoices):
        BROWSER = "browser", gettext_lazy("Browser")
        PREVIEW = "preview", gettext_lazy("Link preview")
        CRAWLER = "crawler", gettext_lazy("Crawler")
        DATACENTRE = "datacentre", gettext_lazy("Data-centre client")
        NONE = "none", gettext_lazy("No user agent")
        PROVIDER = "provider", gettext_lazy("Reported by the provider")

    class Source(models.TextChoices):
        LINK = "link", gettext_lazy("Tracked link")
        POSTBACK = "postback", gettext_lazy("Provider postback")

    message = models.ForeignKey(
        Message,
        verbose_name=gettext_lazy("message"),
        on_delete=models.CASCADE,
        related_name="clicks",
        # The (message, cta_id) index serves lookups by message.
        db_index=False,
    )
    # Copied from the message so a campaign's clicks are read without a join to messages.
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=gettext_lazy("dispatch"),
        on_delete=models.CASCADE,
        related_name="clicks",
        null=True,
        blank=True,
        # The (dispatch, occurred_at) index serves lookups by dispatch.
        db_index=False,
    )
    # Position of the tracked link in the message (the number in its code); null for a tap a
    # provider reported on a button without a tracked link (a reply chip, a dial button).
    cta_index = models.PositiveSmallIntegerField(gettext_lazy("CTA index"), null=True, blank=True)
    # The editor's stable button id: joins a button's SMS link, RCS link and postback taps.
    cta_id = models.CharField(gettext_lazy("CTA id"), max_length=64)
    channel = models.CharField(gettext_lazy("channel"), max_length=3, choices=Channel.choices)
    source = models.CharField(
        gettext_lazy("source"), max_length=10, choices=Source.choices, default=Source.LINK
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=15, choices=Kind.choices, default=Kind.HUMAN
    )
    agent = models.CharField(gettext_lazy("user agent class"), max_length=12, choices=Agent.choices)
    # The first human tap of this message's CTA, over every channel and source: unique clicks.
    is_unique = models.BooleanField(gettext_lazy("unique"), default=False)
    occurred_at = models.DateTimeField(gettext_lazy("occurred at"))
    test_mode = models.BooleanField(gettext_lazy("test mode"), default=False)
    # The id handed to the landing page (rl_click), which a conversion may carry back.
    click_id = models.CharField(gettext_lazy("click id"), max_length=40, blank=True)
    # Redis stream entry the click came from: a redelivered entry is written once.
    stream_id = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # The provider event a postback tap came from: a redelivered webhook is written once.
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="click", null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ClickQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("click")
        verbose_name_plural = gettext_lazy("clicks")
        ordering = ["-occurred_at"]
        indexes = [
            # Serves a message's clicks and the "first human tap of this CTA?" check.
            models.Index(fields=["message", "cta_id"], name="analytics_click_message"),
            # Serves a campaign's clicks over a period (its dispatches' rows).
            models.Index(fields=["dispatch", "occurred_at"], name="analytics_click_dispatch"),
            # Serves the global dashboard over a period, live or test.
            models.Index(fields=["test_mode", "occurred_at"], name="analytics_click_period"),
        ]
        constraints = [
            # One unique click per person per message and CTA.
            models.UniqueConstraint(
                fields=["message", "cta_id"],
                condition=Q(is_unique=True),
                name="analytics_click_unique_once",
            ),
        ]

    def __str__(self):
        return f"{self.message_id}/{self.cta_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M:%S}"


# The rollups the dashboard reads live in their own modules (analytics/rollup_models.py,
# analytics/holdout_models.py).
from analytics.holdout_models import HoldoutIndex, HoldoutOrder  # noqa: E402
from analytics.rollup_models import (  # noqa: E402
    ButtonRollup,
    CurrencyRollup,
    MessageFact,
    Rollup,
)

__all__ = [
    "ButtonRollup",
    "Click",
    "Conversion",
    "CurrencyRollup",
    "HoldoutIndex",
    "HoldoutOrder",
    "MessageFact",
    "Rollup",
]
