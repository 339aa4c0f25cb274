"""Campaigns: one template (or two, for a content test) sent to a list or a segment.

A campaign decides who gets what; the sending engine (sending.Dispatch) sends. A campaign owns
one Dispatch per arm (CampaignArm), because a dispatch carries one template version and one
policy: a channel test is an RCS dispatch and an SMS-only dispatch, a content test a dispatch
per version. The holdout, who gets nothing, is recorded in CampaignHoldout.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy

from sending.models import Message

Policy = Message.Policy


def new_seed():
    return secrets.token_hex(8)


class Campaign(models.Model):
    """What to send, to whom, how fast, tested how; its status follows its dispatches."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SCHEDULED = "scheduled", gettext_lazy("Scheduled")
        SENDING = "sending", gettext_lazy("Sending")
        PAUSED = "paused", gettext_lazy("Paused")
        WAITING_TO_CONTINUE = "waiting_to_continue", gettext_lazy("Waiting to continue")
        STOPPED = "stopped", gettext_lazy("Stopped")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")
        DONE = "done", gettext_lazy("Done")

    class Experiment(models.TextChoices):
        NONE = "none", gettext_lazy("No experiment")
        CHANNEL = "channel", gettext_lazy("Channel test (RCS against SMS)")
        CONTENT = "content", gettext_lazy("Content test (A against B)")

    class RolloutMode(models.TextChoices):
        AUTO = "auto", gettext_lazy("Continue automatically")
        MANUAL = "manual", gettext_lazy("Wait for Continue")

    class IfUnclear(models.TextChoices):
        WAIT = "wait", gettext_lazy("Wait for a person to choose")
        SEND_A = "send_a", gettext_lazy("Send A, the control")

    class StopReason(models.TextChoices):
        FAILURE_RATE = "failure_rate", gettext_lazy("Too many failures")
        OPT_OUT_RATE = "opt_out_rate", gettext_lazy("Too many opt-outs")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(gettext_lazy("name"), max_length=150)
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    template_version = models.ForeignKey(
        "editor.TemplateVersion",
        verbose_name=gettext_lazy("template version"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    # Version B of a content test.
    template_version_b = models.ForeignKey(
        "editor.TemplateVersion",
        verbose_name=gettext_lazy("template version B"),
        on_delete=models.PROTECT,
        related_name="campaigns_as_b",
        null=True,
        blank=True,
    )
    # Deleting a list or segment leaves its campaigns: a draft then asks for another audience,
    # a launched one keeps its messages.
    contact_list = models.ForeignKey(
        "audience.ContactList",
        verbose_name=gettext_lazy("list"),
        on_delete=models.SET_NULL,
        related_name="campaigns",
        null=True,
        blank=True,
    )
    segment = models.ForeignKey(
        "audience.Segment",
        verbose_name=gettext_lazy("segment"),
        on_delete=models.SET_NULL,
        related_name="campaigns",
        null=True,
        blank=True,
    )
    # {"prenom": {"field": "first_name", "default": "client"}, "duree": {"value": "48h"}}
    variables = models.JSONField(gettext_lazy("variables"), default=dict, blank=True)
    policy = models.CharField(
        gettext_lazy("channels"),
        max_length=20,
        choices=Policy.choices,
        default=Policy.RCS_WITH_FALLBACK,
    )
    experiment = models.CharField(
        gettext_lazy("experiment"),
        max_length=10,
        choices=Experiment.choices,
        default=Experiment.NONE,
    )
    # Channel test: the share of the capable contacts in the RCS arm; content test: in arm B.
    experiment_share = models.FloatField(gettext_lazy("experiment share"), default=0.5)
    holdout_share = models.FloatField(gettext_lazy("holdout share"), default=0.0)
    # Content test's winner rule; null: everyone gets A or B at once. Else winner_test_share of
    # the audience gets A or B, and after this many hours the rest gets the winner.
    winner_after_hours = models.PositiveIntegerField(
        gettext_lazy("send the winner after (hours)"), null=True, blank=True
    )
    winner_test_share = models.FloatField(gettext_lazy("share in the test"), default=0.2)
    winner_confidence = models.FloatField(gettext_lazy("significance"), default=0.95)
    winner_if_unclear = models.CharField(
        gettext_lazy("when the difference is not significant"),
        max_length=10,
        choices=IfUnclear.choices,
        default=IfUnclear.WAIT,
    )
    winner_due_at = models.DateTimeField(gettext_lazy("winner decided at the latest"), null=True)
    winner_decided_at = models.DateTimeField(gettext_lazy("winner decided"), null=True)
    # "a" or "b" once the rest is sent (by the rule or by a person); blank before.
    winner = models.CharField(gettext_lazy("winner"), max_length=1, blank=True)
    winner_significant = models.BooleanField(gettext_lazy("significant"), null=True)
    # {"a": {"messages": n, "clicks": n, "rate": r}, "b": {...}, "p_value": p, "confidence": c}
    winner_figures = models.JSONField(gettext_lazy("test figures"), default=dict, blank=True)
    winner_detail = models.CharField(gettext_lazy("winner decision"), max_length=300, blank=True)
    rest_sent_at = models.DateTimeField(gettext_lazy("rest sent at"), null=True, blank=True)
    # Null: everyone at once; else the share sent first (stage 0).
    rollout_share = models.FloatField(gettext_lazy("first share"), null=True, blank=True)
    rollout_mode = models.CharField(
        gettext_lazy("then"),
        max_length=10,
        choices=RolloutMode.choices,
        default=RolloutMode.MANUAL,
    )
    rollout_wait_minutes = models.PositiveIntegerField(gettext_lazy("wait (minutes)"), default=60)
    max_failure_rate = models.FloatField(gettext_lazy("highest failure rate"), default=0.05)
    max_opt_out_rate = models.FloatField(gettext_lazy("highest opt-out rate"), default=0.01)
    # When the next check of the first share is due (its job's token; null once decided): the
    # reconciler re-drives a check whose job is late past a grace (lost with Redis, a dead worker).
    rollout_check_due_at = models.DateTimeField(
        gettext_lazy("rollout check due at"), null=True, blank=True
    )
    rollout_released_at = models.DateTimeField(
        gettext_lazy("rest released at"), null=True, blank=True
    )
    send_at = models.DateTimeField(gettext_lazy("send at"), null=True, blank=True)
    throttle_per_second = models.PositiveIntegerField(
        gettext_lazy("messages per second"), null=True, blank=True
    )
    rcs_ttl_seconds = models.PositiveIntegerField(
        gettext_lazy("RCS deadline (seconds)"), null=True, blank=True
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    stop_reason = models.CharField(
        gettext_lazy("stop reason"), max_length=20, choices=StopReason.choices, blank=True
    )
    # The stop's sentence in the language of the process that stopped it (the admin, logs);
    # screens, the API and the email say it in their reader's language from stop_figures.
    stop_detail = models.CharField(gettext_lazy("stop detail"), max_length=300, blank=True)
    # {"reached": n, "failed": n, "opted_out": n, "failure_rate": r, "opt_out_rate": r,
    #  "max_failure_rate": r, "max_opt_out_rate": r}; {} before a stop (or for a stop recorded
    # before the figures were kept, whose stop_detail is all there is).
    stop_figures = models.JSONField(gettext_lazy("stop figures"), default=dict, blank=True)
    # Every random draw (holdout, arm, rollout stage) hashes (seed, contact): reproducible.
    seed = models.CharField(max_length=32, default=new_seed, editable=False)
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    launched_at = models.DateTimeField(gettext_lazy("launched"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("campaign")
        verbose_name_plural = gettext_lazy("campaigns")
        ordering = ["-created"]
        indexes = [models.Index(fields=["test_mode", "status"], name="campaign_mode_status")]

    def __str__(self):
        return self.name

    @property
    def audience(self):
        return self.contact_list or self.segment

    @property
    def has_rollout(self):
        return self.rollout_share is not None

    @property
    def has_winner_rule(self):
        return self.experiment == self.Experiment.CONTENT and self.winner_after_hours is not None

    @property
    def waits_for_winner_choice(self):
        """Decided without a clear winner, the rest waiting for a person's Send A or Send B."""
        return (
            self.has_winner_rule
            and self.winner_decided_at is not None
            and self.rest_sent_at is None
            and self.status not in (self.Status.CANCELLED, self.Status.DONE)
        )

    @property
    def is_active(self):
        return self.status in {
            self.Status.SENDING,
            self.Status.PAUSED,
            self.Status.WAITING_TO_CONTINUE,
            self.Status.STOPPED,
        }


class CampaignArm(models.Model):
    """One dispatch of a campaign and the experiment arm its messages belong to."""

    class Arm(models.TextChoices):
        ALL = "", gettext_lazy("Everyone")
        RCS = "rcs", gettext_lazy("RCS arm")
        SMS = "sms", gettext_lazy("SMS arm")
        OUTSIDE = "outside", gettext_lazy("Outside the test")
        A = "a", gettext_lazy("Version A")
        B = "b", gettext_lazy("Version B")
        REST = "rest", gettext_lazy("The rest (the winner)")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="arms")
    dispatch = models.OneToOneField(
        "sending.Dispatch", on_delete=models.PROTECT, related_name="campaign_arm"
    )
    arm = models.CharField(gettext_lazy("arm"), max_length=20, choices=Arm.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "arm"], name="campaign_arm_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} / {self.arm or 'all'}"


class CampaignHoldout(models.Model):
    """A contact of the audience drawn into the holdout: sent nothing, kept to measure against."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="holdout")
    contact = models.ForeignKey("audience.Contact", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contact"], name="campaign_holdout_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} / holdout {self.contact_id}"
