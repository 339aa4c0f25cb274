"""The live progress screens' numbers: a campaign's messages grouped the way people read
them (queued / sent / delivered / failed), overall, by channel and by arm, in one query; and
what waits for the quiet hours to end. Reads only, so the dashboard may ask too."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, QuerySet
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, CampaignArm
from sending.models import Message

Status = Message.Status
# Each message status in one of the columns people read; cancelled and suppressed messages
# (opted out since, capped, cancelled) count as "not sent".
COLUMN = {
    Status.QUEUED: "queued",
    Status.SENDING: "queued",
    Status.SENT: "sent",
    Status.DELIVERED: "delivered",
    Status.READ: "delivered",
    Status.FAILED: "failed",
    Status.EXPIRED: "failed",
    Status.CANCELLED: "skipped",
    Status.SUPPRESSED: "skipped",
}
CHANNEL_LABELS = {
    "rcs": gettext_lazy("RCS"),
    "sms": gettext_lazy("SMS"),
    "": gettext_lazy("Not yet"),
}

STAGE_LABELS = [gettext_lazy("First share"), gettext_lazy("The rest")]


@dataclass
class Row:
    """Counts of one group of messages; `done` is what no longer waits to be sent."""

    label: str
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    key: str = ""

    @property
    def total(self):
        return self.queued + self.sent + self.delivered + self.failed + self.skipped

    @property
    def done(self):
        return self.total - self.queued

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, column, n):
        setattr(self, column, getattr(self, column) + n)


@dataclass
class Tally:
    overall: Row
    by_channel: list = field(default_factory=list)
    by_arm: list = field(default_factory=list)
    by_stage: list = field(default_factory=list)


def campaign_messages(campaigns):
    """The messages of these campaigns (through each arm's dispatch)."""
    return Message.objects.filter(dispatch__campaign_arm__campaign__in=campaigns)


def tally(campaign):
    """The campaign's progress overall, by channel (final, else intended) and by arm."""
    rows = (
        campaign_messages([campaign])
        .order_by()
        .values_list("status", "final_channel", "intended_channel", "arm", "stage")
        .annotate(n=Count("pk"))
    )
    overall = Row(gettext_lazy("All messages"))
    channels, arms, stages = {}, {}, {}
    arm_labels = dict(CampaignArm.Arm.choices)
    for status, final, intended, arm, stage, n in rows:
        column = COLUMN.get(status, "queued")
        overall.add(column, n)
        channel = final or intended or ""
        channels.setdefault(channel, Row(CHANNEL_LABELS.get(channel, channel), key=channel))
        channels[channel].add(column, n)
        arms.setdefault(arm, Row(arm_labels.get(arm, arm), key=arm))
        arms[arm].add(column, n)
        stages.setdefault(stage, Row(STAGE_LABELS[min(stage, 1)], key=stage))
        stages[stage].add(column, n)
    by_arm = (
        sorted(arms.values(), key=lambda row: row.key) if len(arms) > 1 or "" not in arms else []
    )
    by_stage = sorted(stages.values(), key=lambda row: row.key) if campaign.has_rollout else []
    return Tally(overall, sorted(channels.values(), key=lambda row: row.key), by_arm, by_stage)


def percents(campaigns):
    """{campaign pk: Row} for a page of campaigns, in one query."""
    rows = (
        campaign_messages(campaigns)
        .order_by()
        .values_list("dispatch__campaign_arm__campaign", "status")
        .annotate(n=Count("pk"))
    )
    result = {}
    for campaign_id, status, n in rows:
        result.setdefault(campaign_id, Row("")).add(COLUMN.get(status, "queued"), n)
    return result


@dataclass(frozen=True)
class Hold:
    """A sending campaign's messages that wait for the quiet hours to end."""

    campaign: Campaign
    messages: int
    # When the first of them goes out (the window for promotions opens).
    opens: datetime


def quiet_hours_holds(campaigns) -> list[Hold]:
    """The sending campaigns among `campaigns` whose messages wait for the quiet hours to end,
    with how many wait and when the first goes, the soonest first; in one query. Give the
    Campaign objects the caller has (they are reused, and no query runs when none is sending),
    or a queryset, read together with the counts."""
    if isinstance(campaigns, QuerySet):
        held = _held(campaigns).annotate(**HELD)
        holds = [Hold(campaign, campaign.held_messages, campaign.held_opens) for campaign in held]
    else:
        sending = {c.pk: c for c in campaigns if c.status == Campaign.Status.SENDING}
        # values_list() before annotate(): grouped by the campaign's id alone.
        rows = _held(Campaign.objects.filter(pk__in=sending)).values_list("pk").annotate(**HELD)
        holds = [Hold(sending[pk], n, opens) for pk, n, opens in rows] if sending else []
    return sorted(holds, key=lambda hold: (hold.opens, hold.campaign.pk))


# The campaigns' messages held by the quiet hours: one filter() call, before annotate(), so
# HELD counts the messages it matched.
HELD_MESSAGES = "arms__dispatch__messages"
HELD = {
    "held_messages": Count(HELD_MESSAGES),
    "held_opens": Min(f"{HELD_MESSAGES}__not_before"),
}


def _held(campaigns):
    return campaigns.order_by().filter(
        status=Campaign.Status.SENDING,
        **{
            f"{HELD_MESSAGES}__status": Status.QUEUED,
            f"{HELD_MESSAGES}__status_reason": Message.Reason.QUIET_HOURS,
        },
    )


def quiet_hours_hold(campaign):
    """How many of a sending campaign's messages wait for the quiet hours to end, and when the
    first of them goes out: (count, moment), or (0, None) when none waits."""
    holds = quiet_hours_holds([campaign])
    return (holds[0].messages, holds[0].opens) if holds else (0, None)
