"""Dispatch: messages sent together under one policy (a campaign's send, later a rollout stage).

Campaigns live above sending and own their Campaign; sending only knows the group of
messages, how fast it may go and whether it may go at all. Pause and cancel stop the claims
of its batches at once (the claim query reads the status); done is set by the engine when no
message of it is left queued or sending.
"""

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy

from messaging.providers.normalized import TrafficType


class Dispatch(models.Model):
    """A group of messages sent in batches by RQ workers, under one template version and policy."""

    class Status(models.TextChoices):
        RUNNING = "running", gettext_lazy("Running")
        PAUSED = "paused", gettext_lazy("Paused")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")
        DONE = "done", gettext_lazy("Done")

    test_mode = models.BooleanField(gettext_lazy("test mode"), default=False)
    template_version = models.ForeignKey(
        "editor.TemplateVersion",
        verbose_name=gettext_lazy("template version"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    # One of Message.Policy (rcs_with_fallback, rcs_only, sms_only).
    policy = models.CharField(gettext_lazy("policy"), max_length=20)
    traffic_type = models.CharField(
        gettext_lazy("traffic type"), max_length=20, choices=TrafficType.choices
    )
    # Messages a second per provider and channel, shared by every worker; null: no limit.
    throttle_per_second = models.PositiveIntegerField(
        gettext_lazy("messages per second"), null=True, blank=True
    )
    rcs_ttl_seconds = models.PositiveIntegerField(gettext_lazy("RCS deadline (seconds)"))
    provider = models.CharField(gettext_lazy("provider"), max_length=100)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    # Rollout: messages of a later stage wait until the campaign releases it.
    released_stage = models.PositiveSmallIntegerField(gettext_lazy("released stage"), default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("dispatch")
        verbose_name_plural = gettext_lazy("dispatches")
        ordering = ["-created"]

    def __str__(self):
        return f"dispatch {self.pk} ({self.status})"

    @property
    def is_promotion(self):
        return self.traffic_type == TrafficType.PROMOTION

    def counts(self):
        """{status: n} over its messages (one index-only scan of (dispatch, status))."""
        rows = self.messages.order_by().values_list("status").annotate(n=Count("pk"))
        return dict(rows)
