"""Which side of a campaign's holdout comparison each order of its window is on, kept so the
comparison reads a few indexed rows instead of looking every buyer up among a million messages
(analytics/rollups/holdout.py keeps them; derived data, found again at will)."""

from django.db import models


class HoldoutOrder(models.Model):
    """An order placed in a campaign's window, and whether its buyer was addressed by the
    campaign, drawn into its holdout, or neither (a row all the same: it was looked at)."""

    class Side(models.TextChoices):
        TREATED = "treated", "Addressed"
        HOLDOUT = "holdout", "Holdout"
        NEITHER = "", "Neither"

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        # The (campaign, conversion) constraint's index serves lookups by campaign.
        db_index=False,
    )
    conversion = models.ForeignKey(
        "analytics.Conversion", on_delete=models.CASCADE, related_name="holdout_orders"
    )
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)
    # The conversion's `updated` when its side was found: an order changed since is looked
    # at again.
    seen = models.DateTimeField()

    class Meta:
        verbose_name = "holdout order"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "conversion"], name="analytics_holdout_order_once"
            ),
        ]

    def __str__(self):
        return f"order {self.conversion_id} of campaign {self.campaign_id}: {self.side or '-'}"


class HoldoutIndex(models.Model):
    """What a campaign's HoldoutOrder rows were found against: its window and how many
    contacts each side had. Another value (a rollout stage, the rest of a content test, an
    erased contact) makes every row of the campaign stale until they are found again."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    members = models.CharField(max_length=200)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "holdout index"
        verbose_name_plural = "holdout indexes"

    def __str__(self):
        return f"holdout index of campaign {self.campaign_id}"
