"""The capability audit: which contacts of a list or segment can receive RCS, asked of the
provider in bulk (RBM's users:batchGet takes 10,000 numbers), paced to its rate limit.

The job walks the audience in primary-key order, one chunk at a time. After each chunk, in one
transaction, it writes the answers to the contacts' capability cache (set-based) and moves the
audit's counters and cursor: a job killed midway and run again goes on where it stopped, and a
finished audit run again changes nothing.
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

import jobs
from api.auth import limits_storage_uri
from audience.models import CapabilityAudit, Contact
from audience.segments import RulesError, validate_rules
from messaging.providers import ProviderError, get_provider
from messaging.providers.helpers import chunked
from messaging.providers.modes import keeps_word_of, provider_name_for

logger = logging.getLogger(__name__)

# The most numbers one chunk holds: RBM's batch, and how often progress is written.
MAX_CHUNK = 10_000
# A provider that checks one number a call still writes progress every this many numbers.
SMALL_CHUNK = 100
RATE_LIMIT_NAMESPACE = "capability-check"
# A chunk the provider failed in a way retrying can fix is asked again this many times, after
# at most RETRY_WAIT_MAX seconds each.
CHUNK_RETRIES = 3
RETRY_WAIT_MAX = 30
# Seconds one job works before it queues the rest of the audit as a new job: RQ kills a job
# after the queue's timeout (300 s), and a million numbers take longer. With a paced wait (60 s)
# and the retries (90 s) of the last chunk, a job still ends well within it.
JOB_SECONDS = 90
TASK = "audience.tasks.run_capability_audit"


class AuditRefused(Exception):
    """An audit cannot start; the message says why and what to do instead."""


def audience_contacts(audit):
    """The contacts the audit checks: its list's or segment's, of the audit's mode only.

    Raises RulesError when a segment's rules name a list or segment that is gone.
    """
    if audit.segment_id is not None:
        return audit.segment.contacts().filter(test_mode=audit.test_mode)
    contacts = Contact.objects.in_mode(audit.test_mode)
    return contacts.filter(memberships__contact_list_id=audit.contact_list_id)


def start_audit(*, contact_list=None, segment=None, user=None):
    """Create an audit of a list or a segment (in its mode) and queue its job; raise
    AuditRefused saying why it cannot start."""
    if (contact_list is None) == (segment is None):
        raise ValueError("Audit one list or one segment.")
    test_mode = (contact_list or segment).test_mode
    provider_name = provider_name_for(test_mode)
    if not keeps_word_of(provider_name, test_mode=test_mode):
        raise AuditRefused(
            _(
                "Live contacts can only be checked through a real RCS provider: the simulator "
                "makes its answers up. Switch to test data to try the audit, or set "
                "MESSAGING_PROVIDER."
            )
        )
    audit = CapabilityAudit(
        contact_list=contact_list,
        segment=segment,
        test_mode=test_mode,
        provider=provider_name,
        rcs_price=settings.RCS_PRICE_EUR,
        sms_segment_price=settings.SMS_SEGMENT_PRICE_EUR,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        if segment is not None:
            # Also checks that the lists and segments the rules name still exist.
            validate_rules(segment.rules, test_mode=segment.test_mode, segment=segment)
        audit.total = audience_contacts(audit).count()
    except RulesError as exc:
        raise AuditRefused(
            _("This segment's rules cannot be read: %(problems)s")
            % {"problems": "; ".join(exc.messages)}
        ) from exc
    if not audit.total:
        raise AuditRefused(_("There is no contact to check."))
    with transaction.atomic():
        audit.save()
        jobs.enqueue(TASK, audit.pk, queue=jobs.DEFAULT)
    return audit


def resume_audit(audit):
    """Queue a stopped (or stalled) audit's job again: it goes on from the last chunk written."""
    if not audit.can_resume:
        return False
    with transaction.atomic():
        CapabilityAudit.objects.filter(pk=audit.pk, status=audit.status).update(
            status=CapabilityAudit.Status.PENDING, error=""
        )
        jobs.enqueue(TASK, audit.pk, queue=jobs.DEFAULT)
    return True


class Pace:
    """Keeps capability calls under the provider's limit for every worker at once: the window
    lives in Redis (the `limits` library's moving window), waited out when it is full."""

    def __init__(self, provider_name, per_minute, *, storage_uri=None, sleep=time.sleep):
        self.provider_name = provider_name
        self.item = RateLimitItemPerMinute(per_minute) if per_minute else None
        self.sleep = sleep
        if self.item is not None:
            uri = storage_uri or limits_storage_uri(settings.REDIS_URL)
            storage = storage_from_string(uri, key_prefix="relais-ratelimit")
            self.limiter = MovingWindowRateLimiter(storage)

    def wait(self):
        """Return once one more call fits in the window (at once when there is no limit)."""
        if self.item is None:
            return
        while not self.limiter.hit(self.item, RATE_LIMIT_NAMESPACE, self.provider_name):
            reset_time = self.limiter.get_window_stats(
                self.item, RATE_LIMIT_NAMESPACE, self.provider_name
            ).reset_time
            self.sleep(min(60.0, max(0.05, reset_time - time.time())))


def chunk_size(provider):
    """Numbers per chunk: the provider's batch up to 10,000, or a small chunk without a batch."""
    if provider.capability_batch_size > 1:
        return min(MAX_CHUNK, provider.capability_batch_size)
    return SMALL_CHUNK


def check_numbers(provider, numbers, pace):
    """Ask the provider about numbers, one paced batch call at a time: {number: capable}."""
    answers = {}
    for batch in chunked(numbers, provider.capability_batch_size):
        pace.wait()
        answers.update(provider.check_capability_batch(batch))
    return answers


def check_chunk(provider, numbers, pace, sleep=time.sleep):
    """check_numbers, again after a pause when the provider fails in a way retrying can fix
    (a 429 with its Retry-After, a timeout); raise the error past CHUNK_RETRIES."""
    for attempt in range(CHUNK_RETRIES + 1):
        try:
            return check_numbers(provider, numbers, pace)
        except ProviderError as exc:
            if exc.permanent or attempt == CHUNK_RETRIES:
                raise
            logger.info("capability check failed (%r); retrying", exc)
            sleep(min(RETRY_WAIT_MAX, exc.retry_after or 5 * 2**attempt))
    raise AssertionError("unreachable")


def run_audit(audit_id, *, pace=None, sleep=time.sleep, seconds=JOB_SECONDS):
    """Check the audit's audience chunk by chunk from its cursor; return the audit.

    After `seconds`, the rest goes to a new job (queued) and this one returns. Safe to run
    again: a finished audit is left as it is, a stopped one goes on from its cursor, and when
    two runs overlap only one writes each chunk.
    """
    deadline = time.monotonic() + seconds
    audit = CapabilityAudit.objects.get(pk=audit_id)
    if audit.status == CapabilityAudit.Status.DONE:
        return audit
    provider_name = provider_name_for(audit.test_mode)
    if not keeps_word_of(provider_name, test_mode=audit.test_mode):
        return _stop(audit, "simulated_live")
    now = timezone.now()
    CapabilityAudit.objects.filter(pk=audit.pk).update(
        status=CapabilityAudit.Status.RUNNING,
        provider=provider_name,
        started=audit.started or now,
        progressed=now,
        error="",
    )
    audit.refresh_from_db()
    provider = get_provider(provider_name)
    pace = pace or Pace(provider_name, provider.capability_calls_per_minute)
    size = chunk_size(provider)
    try:
        contacts = audience_contacts(audit)
    except RulesError:
        return _stop(audit, "rules")
    while True:
        rows = list(
            contacts.filter(pk__gt=audit.cursor).order_by("pk").values_list("pk", "phone")[:size]
        )
        if not rows:
            break
        try:
            answers = check_chunk(provider, [phone for _pk, phone in rows], pace, sleep)
        except ProviderError as exc:
            # The provider's message can name internals (a key file): only the log keeps it.
            logger.warning("capability audit %s stopped: %r", audit.pk, exc)
            return _stop(audit, "provider")
        if not _write_chunk(audit, rows, answers):
            logger.info("capability audit %s: another run wrote this chunk", audit.pk)
            return CapabilityAudit.objects.get(pk=audit.pk)
        audit.refresh_from_db()
        if len(rows) == size and time.monotonic() >= deadline:
            jobs.enqueue(TASK, audit.pk, queue=jobs.DEFAULT)
            return audit
    CapabilityAudit.objects.filter(pk=audit.pk, status=CapabilityAudit.Status.RUNNING).update(
        status=CapabilityAudit.Status.DONE,
        # The audience may have changed while it ran: the total is who was checked.
        total=F("checked"),
        finished=timezone.now(),
    )
    audit.refresh_from_db()
    return audit


def _write_chunk(audit, rows, answers):
    """Write one chunk's answers and move the counters past it; False if another run did."""
    yes = [pk for pk, phone in rows if answers.get(phone) is True]
    no = [pk for pk, phone in rows if answers.get(phone) is False]
    now = timezone.now()
    with transaction.atomic():
        moved = CapabilityAudit.objects.filter(
            pk=audit.pk, cursor=audit.cursor, status=CapabilityAudit.Status.RUNNING
        ).update(
            cursor=rows[-1][0],
            checked=F("checked") + len(rows),
            rcs_yes=F("rcs_yes") + len(yes),
            rcs_no=F("rcs_no") + len(no),
            unknown=F("unknown") + (len(rows) - len(yes) - len(no)),
            progressed=now,
        )
        if not moved:
            return False
        # Only contacts of the audit's mode; an unknown answer keeps what the cache knew.
        contacts = Contact.objects.in_mode(audit.test_mode)
        for capable, ids in ((True, yes), (False, no)):
            if ids:
                contacts.filter(pk__in=ids).update(
                    rcs_capable=capable, rcs_checked_at=now, updated=now
                )
    return True


def _stop(audit, reason):
    """Mark the audit stopped for reason (a code of CapabilityAudit.ERRORS)."""
    CapabilityAudit.objects.filter(pk=audit.pk).exclude(status=CapabilityAudit.Status.DONE).update(
        status=CapabilityAudit.Status.FAILED, error=reason, finished=timezone.now()
    )
    audit.refresh_from_db()
    return audit


def fail_audit(audit_id, reason="unexpected"):
    """Mark an audit stopped by an unexpected error (its job failed), keeping its progress."""
    audit = CapabilityAudit.objects.filter(pk=audit_id).first()
    if audit is not None:
        _stop(audit, reason)
