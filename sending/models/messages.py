"""Messages: one to one contact, whatever channel carries it, and the queries jobs run over them."""

import uuid
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audience.models import Contact
from messaging.fields import fit
from messaging.providers.normalized import Channel, TrafficType
from sending.dispatches import Dispatch


class MessageQuerySet(models.QuerySet):
    def stuck(self, now=None, *, queued_grace=timedelta(minutes=10), unpicked_grace=None):
        """Messages a job should be handling but apparently is not (lease or retry time passed).

        A queued message no job has picked yet may wait its turn behind a million others, so
        it counts as lost after queued_grace; unpicked_grace, shorter, is for when the caller
        knows that no job is waiting in the send queue (the one its job was in was lost)."""
        now = now or timezone.now()
        lease_expired = Q(status=Message.Status.SENDING, locked_until__lt=now)
        retry_overdue = Q(status=Message.Status.QUEUED, locked_until__lt=now - queued_grace)
        # A scheduled message's locked_until is its send_at: past it, its delayed job was lost.
        schedule_missed = Q(status=Message.Status.SCHEDULED, locked_until__lt=now - queued_grace)
        never_picked = Q(
            status=Message.Status.QUEUED,
            locked_until__isnull=True,
            updated__lt=now - (unpicked_grace or queued_grace),
        )
        return self.filter(lease_expired | retry_overdue | never_picked | schedule_missed)

    def deadline_overdue(self, now=None, *, grace=timedelta(minutes=10), window=timedelta(days=1)):
        """Sent over RCS, past the deadline (for a day at most), and still waiting for a check."""
        now = now or timezone.now()
        return self.filter(
            status=Message.Status.SENT,
            fallback_reason="",
            rcs_deadline__lt=now - grace,
            rcs_deadline__gt=now - window,
        )


# The statuses of a message a job holds or will pick up (see MessageQuerySet.stuck).
LEASED = ["scheduled", "queued", "sending"]


class Message(models.Model):
    """One message to one contact, from one template version, whatever channel carries it."""

    class Status(models.TextChoices):
        # Waits for its send_at (an API send scheduled ahead); nothing counts it before then.
        SCHEDULED = "scheduled", gettext_lazy("Scheduled")
        QUEUED = "queued", gettext_lazy("Queued")
        SENDING = "sending", gettext_lazy("Sending")
        SENT = "sent", gettext_lazy("Sent")
        DELIVERED = "delivered", gettext_lazy("Delivered")
        READ = "read", gettext_lazy("Read")
        FAILED = "failed", gettext_lazy("Failed")
        EXPIRED = "expired", gettext_lazy("Expired")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")
        SUPPRESSED = "suppressed", gettext_lazy("Suppressed")

    class Policy(models.TextChoices):
        RCS_WITH_FALLBACK = "rcs_with_fallback", gettext_lazy("RCS, SMS fallback")
        RCS_ONLY = "rcs_only", gettext_lazy("RCS only")
        SMS_ONLY = "sms_only", gettext_lazy("SMS only")

    class FallbackReason(models.TextChoices):
        NOT_CAPABLE = "not_capable", gettext_lazy("Not RCS capable")
        NOT_REACHABLE = "not_reachable", gettext_lazy("Not reachable over RCS")
        RCS_FAILED = "rcs_failed", gettext_lazy("RCS failed")
        RCS_EXPIRED = "rcs_expired", gettext_lazy("RCS not delivered in time")
        RCS_UNAVAILABLE = "rcs_unavailable", gettext_lazy("The provider cannot send RCS")
        PROVIDER_FALLBACK = "provider_fallback", gettext_lazy("Fallback done by the provider")

    class Source(models.TextChoices):
        """What created the message."""

        API = "api", gettext_lazy("Send API")
        EDITOR_TEST = "editor_test", gettext_lazy("Test from the editor")
        ACKNOWLEDGEMENT = "acknowledgement", gettext_lazy("Opt-out acknowledgement")
        CAMPAIGN = "campaign", gettext_lazy("Campaign")
        # Sent because a connected shop's webhook (an order event) is mapped to a template.
        SHOP = "shop", gettext_lazy("Shop connector")

    class Reason(models.TextChoices):
        """Why a message ended failed, expired, suppressed or with an unknown outcome."""

        NO_CONSENT = "no_consent", gettext_lazy("No opt-in for promotions")
        OPTED_OUT = "opted_out", gettext_lazy("Opted out")
        NOT_CAPABLE = "not_capable", gettext_lazy("Not RCS capable (RCS only)")
        NOT_REACHABLE = "not_reachable", gettext_lazy("Not reachable over RCS (RCS only)")
        RCS_UNAVAILABLE = "rcs_unavailable", gettext_lazy("The provider cannot send RCS")
        RCS_FAILED = "rcs_failed", gettext_lazy("RCS failed (RCS only)")
        RCS_EXPIRED = "rcs_expired", gettext_lazy("RCS not delivered in time (RCS only)")
        NO_SMS_TEXT = "no_sms_text", gettext_lazy("No SMS text to fall back to")
        NO_SMS_PROVIDER = "no_sms_provider", gettext_lazy("No provider can send SMS")
        REFUSED = "refused", gettext_lazy("Refused by the provider")
        UNDELIVERED = "undelivered", gettext_lazy("Not delivered")
        RETRIES_EXHAUSTED = "retries_exhausted", gettext_lazy("Provider unavailable, gave up")
        UNKNOWN_OUTCOME = "unknown_outcome", gettext_lazy("Outcome unknown after a crash")
        # Not an end: the message stays queued until the pause of its country lifts.
        COUNTRY_PAUSED = "country_paused", gettext_lazy("Held: hourly ceiling of its country")
        # Not an end either: a promotion waits queued until its country's window opens.
        QUIET_HOURS = "quiet_hours", gettext_lazy("Held: quiet hours for promotions")
        FREQUENCY_CAP = "frequency_cap", gettext_lazy("Frequency cap: promotions in 24 hours")
        # A campaign's contact whose number is not one Relais sends to (a landline, a
        # premium-rate number, a country not allowed): the send API refuses these at the door.
        DESTINATION_REFUSED = (
            "destination_refused",
            gettext_lazy("Number not allowed (landline, premium rate or country)"),
        )

    # Forward progress only: a late or replayed event never moves a message back.
    PROGRESS = {
        Status.QUEUED: 0,
        Status.SENDING: 1,
        Status.SENT: 2,
        Status.DELIVERED: 3,
        Status.READ: 4,
    }
    # Nothing changes these any more (a delivery is a fact and may still correct failed/expired).
    FINAL = {Status.SUPPRESSED, Status.CANCELLED}
    # Nothing more will be heard of these.
    SETTLED = {Status.READ, Status.FAILED, Status.EXPIRED, Status.CANCELLED, Status.SUPPRESSED}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact,
        verbose_name=gettext_lazy("contact"),
        on_delete=models.CASCADE,
        related_name="messages",
        # The unique (contact, dispatch) index starts with it and serves its lookups.
        db_index=False,
    )
    # Null for messages Relais writes itself (the acknowledgement of a STOP).
    template_version = models.ForeignKey(
        "editor.TemplateVersion",
        verbose_name=gettext_lazy("template version"),
        on_delete=models.PROTECT,
        related_name="messages",
        null=True,
        blank=True,
        # No index: nothing looks messages up by version (reports read the rollups) and a
        # version is never deleted, so an index would only cost every write of the row.
        db_index=False,
    )
    # A test of a template's unpublished draft: no version, the draft rendered into
    # rcs_content and brand_snapshot as it was when sent (sending/services/test_send.py).
    draft_test = models.BooleanField(gettext_lazy("draft test"), default=False)
    draft_of = models.ForeignKey(
        "editor.MessageTemplate",
        verbose_name=gettext_lazy("draft of"),
        on_delete=models.SET_NULL,
        related_name="draft_tests",
        null=True,
        blank=True,
        # The partial index in Meta (draft tests only) serves its one lookup.
        db_index=False,
    )
    variables = models.JSONField(gettext_lazy("variables"), default=dict, blank=True)
    # Only for messages without a template version; others are rendered from it at send time.
    rcs_content = models.JSONField(gettext_lazy("RCS content"), null=True, blank=True)
    # Only for draft tests: the brand as the version would have frozen it (sender, agent).
    brand_snapshot = models.JSONField(gettext_lazy("brand"), null=True, blank=True)
    # The SMS as it goes out (variables filled, STOP mention included): what was measured.
    sms_text = models.TextField(gettext_lazy("SMS text"), blank=True)
    sms_encoding = models.CharField(gettext_lazy("SMS encoding"), max_length=10, blank=True)
    sms_segments = models.PositiveSmallIntegerField(gettext_lazy("SMS segments"), default=0)
    traffic_type = models.CharField(
        gettext_lazy("traffic type"), max_length=20, choices=TrafficType.choices
    )
    policy = models.CharField(
        gettext_lazy("policy"),
        max_length=20,
        choices=Policy.choices,
        default=Policy.RCS_WITH_FALLBACK,
    )
    intended_channel = models.CharField(
        gettext_lazy("intended channel"), max_length=3, choices=Channel.choices
    )
    final_channel = models.CharField(
        gettext_lazy("final channel"), max_length=3, choices=Channel.choices, blank=True
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    status_reason = models.CharField(
        gettext_lazy("reason"), max_length=20, choices=Reason.choices, blank=True
    )
    status_detail = models.TextField(gettext_lazy("detail"), blank=True)
    fallback_reason = models.CharField(
        gettext_lazy("fallback reason"), max_length=20, choices=FallbackReason.choices, blank=True
    )
    rcs_ttl_seconds = models.PositiveIntegerField(gettext_lazy("RCS deadline (seconds)"))
    rcs_deadline = models.DateTimeField(gettext_lazy("RCS deadline"), null=True, blank=True)
    provider = models.CharField(gettext_lazy("provider"), max_length=100)
    test_mode = models.BooleanField(gettext_lazy("test mode"), default=False)
    external_id = models.CharField(gettext_lazy("external id"), max_length=200, blank=True)
    source = models.CharField(
        gettext_lazy("source"), max_length=20, choices=Source.choices, default=Source.API
    )
    # Sent in batches with others (a campaign); null for API sends and acknowledgements.
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=gettext_lazy("dispatch"),
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
        # The (dispatch, status) index serves its lookups.
        db_index=False,
    )
    # Experiment arm (blank: none) and rollout stage the message belongs to.
    arm = models.CharField(gettext_lazy("arm"), max_length=20, blank=True)
    stage = models.PositiveSmallIntegerField(gettext_lazy("stage"), default=0)
    # Asked by the caller (an API send scheduled ahead): it goes out then, not before.
    send_at = models.DateTimeField(gettext_lazy("send at"), null=True, blank=True)
    # A promotion held by quiet hours goes out at this time, not before (kept once it went).
    not_before = models.DateTimeField(gettext_lazy("not before"), null=True, blank=True)
    # Lease of the job sending it (status sending), or when its next try is due (queued).
    locked_until = models.DateTimeField(null=True, blank=True)
    send_tries = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(gettext_lazy("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(gettext_lazy("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(gettext_lazy("read at"), null=True, blank=True)
    failed_at = models.DateTimeField(gettext_lazy("failed at"), null=True, blank=True)
    # The tracked links it carries, in code order: [{"cta", "url", "channel"}, ...]; the
    # redirect only ever goes to one of these URLs. Null until the message is first sent.
    links = models.JSONField(gettext_lazy("tracked links"), null=True, blank=True)
    # First tap by a person on any of its tracked links or buttons, either channel (bots and
    # suspected bots leave it empty); set by analytics when it writes the click.
    clicked_at = models.DateTimeField(gettext_lazy("clicked at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("message")
        verbose_name_plural = gettext_lazy("messages")
        ordering = ["-created"]
        # Each status change writes a new version of the row into every index whose columns or
        # condition it touches: a partial index skips the rows outside its condition.
        indexes = [
            # Serves the reconciler's scan for messages whose lease or retry time passed; only
            # over the statuses that scan reads, so a message sent, delivered or read leaves it.
            models.Index(
                fields=["status", "locked_until"],
                name="sending_message_lease",
                condition=Q(status__in=LEASED),
            ),
            # Serves the reconciler's scan for RCS messages past their deadline with no check
            # yet (deadline_overdue); a message is in it while it waits for a receipt.
            models.Index(
                fields=["rcs_deadline"],
                name="sending_message_deadline",
                condition=Q(status="sent", fallback_reason="", rcs_deadline__isnull=False),
            ),
            # Serves a dispatch's counts, its "anything left?" check and resuming its batches.
            models.Index(fields=["dispatch", "status"], name="sending_message_dispatch"),
            # Serves GET /api/v1/messages: a mode's messages newest first, page after page.
            models.Index(fields=["test_mode", "created", "id"], name="sending_message_list"),
            # Serves GET /api/v1/messages/by-external-id/… and the external_id filter; campaign
            # messages carry none and stay out of it.
            models.Index(
                fields=["test_mode", "external_id"],
                name="sending_message_external",
                condition=~Q(external_id=""),
            ),
            # Serves clearing a deleted template's draft tests (SET_NULL): few rows, few writes.
            models.Index(
                fields=["draft_of"],
                name="sending_message_draft_of",
                condition=Q(draft_of__isnull=False),
            ),
        ]
        constraints = [
            # A second snapshot of the same audience adds nothing. Contact first: the index
            # also serves every lookup by contact (frequency cap, contact page, replies).
            models.UniqueConstraint(
                fields=["contact", "dispatch"], name="sending_message_once_per_dispatch"
            ),
        ]

    def __str__(self):
        return f"{self.public_id} → {self.contact.phone} ({self.status})"

    @property
    def is_settled(self):
        """True when nothing more is expected (delivered over RCS may still become read)."""
        if self.status in self.SETTLED:
            return True
        # SMS has no read receipts: once delivered, nothing more comes.
        return self.status == self.Status.DELIVERED and self.final_channel == Channel.SMS

    @property
    def is_promotion(self):
        return self.traffic_type == TrafficType.PROMOTION

    @property
    def allows_fallback(self):
        return self.policy == self.Policy.RCS_WITH_FALLBACK and bool(self.sms_text)

    def advance(self, status, at=None):
        """Move forward to sent, delivered or read (never back); True when something changed."""
        at = at or timezone.now()
        if self.status in self.FINAL:
            return False
        changed = False
        stamps = {
            self.Status.SENT: "sent_at",
            self.Status.DELIVERED: "delivered_at",
            self.Status.READ: "read_at",
        }
        # A read message was delivered, even when the DELIVERED receipt never came.
        implied = [s for s in stamps if self.PROGRESS[s] <= self.PROGRESS[status]]
        for step in implied:
            if getattr(self, stamps[step]) is None:
                setattr(self, stamps[step], at)
                changed = True
        current = self.PROGRESS.get(self.status)
        positive_fact = status in (self.Status.DELIVERED, self.Status.READ)
        if (current is not None and current < self.PROGRESS[status]) or (
            current is None and positive_fact
        ):
            self.status = status
            self.locked_until = None
            changed = True
        return changed

    def finish(self, status, reason, detail="", at=None):
        """End the message as failed, expired or suppressed, unless it was already delivered."""
        if self.status in self.FINAL or self.status in (self.Status.DELIVERED, self.Status.READ):
            return False
        self.status = status
        self.status_reason = reason
        self.status_detail = fit(Message, "status_detail", str(detail))
        self.failed_at = at or timezone.now()
        self.locked_until = None
        return True
