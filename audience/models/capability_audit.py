"""The capability audit of a list or a segment: how many can get RCS."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audience.models.contacts import ContactList
from audience.models.segment import Segment

AUDIT_STALLED_AFTER = timedelta(minutes=10)


class CapabilityAudit(models.Model):
    """One check of a list's (or a segment's) RCS reach through the provider's bulk check.

    The counters and the cursor move together, one chunk at a time, with the contacts' cached
    capability: a job re-run after a crash goes on from the cursor and counts nobody twice.
    """

    ERRORS = {
        "provider": gettext_lazy("The RCS provider could not answer; try again later."),
        "simulated_live": gettext_lazy("The simulator cannot check live contacts."),
        "rules": gettext_lazy("The segment's rules name a list or segment that is gone."),
        "unexpected": gettext_lazy("The audit stopped on an unexpected error."),
    }

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting to start")
        RUNNING = "running", gettext_lazy("Checking")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Stopped")

    contact_list = models.ForeignKey(
        ContactList,
        verbose_name=gettext_lazy("list"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audits",
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=gettext_lazy("segment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audits",
    )
    test_mode = models.BooleanField(gettext_lazy("test data"), default=False)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The provider that answered (the simulator for test data).
    provider = models.CharField(gettext_lazy("provider"), max_length=100, blank=True)
    total = models.PositiveIntegerField(gettext_lazy("contacts to check"), default=0)
    checked = models.PositiveIntegerField(gettext_lazy("checked"), default=0)
    rcs_yes = models.PositiveIntegerField(gettext_lazy("reachable by RCS"), default=0)
    rcs_no = models.PositiveIntegerField(gettext_lazy("not reachable by RCS"), default=0)
    unknown = models.PositiveIntegerField(gettext_lazy("unknown"), default=0)
    # The last contact checked (contacts are taken in primary-key order): where a re-run resumes.
    cursor = models.BigIntegerField(default=0, editable=False)
    # The prices of this installation when the audit ran, so its estimate keeps its meaning.
    rcs_price = models.DecimalField(
        gettext_lazy("price of an RCS message (EUR)"), max_digits=8, decimal_places=4
    )
    sms_segment_price = models.DecimalField(
        gettext_lazy("price of an SMS segment (EUR)"), max_digits=8, decimal_places=4
    )
    sms_segments = models.PositiveSmallIntegerField(
        gettext_lazy("SMS segments per message"), default=1
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="capability_audits",
    )
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    started = models.DateTimeField(gettext_lazy("started"), null=True, blank=True)
    # When the job last wrote a chunk: an audit running with no progress for long lost its job.
    progressed = models.DateTimeField(gettext_lazy("last progress"), null=True, blank=True)
    finished = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)
    # Why it stopped, as a code of ERRORS (words in the reader's language, not the worker's).
    error = models.CharField(gettext_lazy("error"), max_length=30, blank=True)
    # The two segments "<audience> — RCS" and "<audience> — not RCS" made from the result.
    rcs_segment = models.ForeignKey(
        Segment,
        verbose_name=gettext_lazy("RCS segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    other_segment = models.ForeignKey(
        Segment,
        verbose_name=gettext_lazy("not-RCS segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("capability audit")
        verbose_name_plural = gettext_lazy("capability audits")
        ordering = ["-created", "-pk"]
        constraints = [
            # An audit checks one list or one segment.
            models.CheckConstraint(
                condition=Q(contact_list__isnull=False, segment__isnull=True)
                | Q(contact_list__isnull=True, segment__isnull=False),
                name="audience_audit_one_audience",
            ),
        ]

    def __str__(self):
        return f"{self.audience_name} ({self.get_status_display()})"

    @property
    def audience(self):
        """The list or the segment the audit checks."""
        return self.contact_list or self.segment

    @property
    def audience_name(self):
        audience = self.audience
        return str(audience) if audience is not None else gettext_lazy("(deleted)")

    @property
    def is_settled(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self):
        """True when the audit waits or runs but its job has written nothing for a while."""
        if self.is_settled:
            return False
        last = self.progressed or self.started or self.created
        return last is not None and last < timezone.now() - AUDIT_STALLED_AFTER

    @property
    def can_resume(self):
        return self.status == self.Status.FAILED or self.is_stalled

    @property
    def error_message(self):
        if not self.error:
            return ""
        return self.ERRORS.get(self.error, self.ERRORS["unexpected"])

    @property
    def rcs_share(self):
        """The share of checked contacts reachable by RCS, in whole per cent."""
        return round(100 * self.rcs_yes / self.checked) if self.checked else 0

    @property
    def progress_percent(self):
        if not self.total:
            return 100 if self.is_settled else 0
        return min(100, round(100 * self.checked / self.total))
