"""The batch sending engine: one RQ job sends a batch (≤ 1,000 messages) of a dispatch.

1. Claim (claim_sql): one query locks the batch's claimable messages (SKIP LOCKED, no write)
   and loads them with their contacts, re-reading the dispatch (running, stage released).
2. Prepare: take a short lease on each (or suppress a promotion whose contact has no opt-in
   left), route it, check consent on its channel, render it from the template version
   compiled once for the batch, count the hourly ceiling per country; the lease and the
   prepared columns are written by one UPDATE, in the claim's transaction.
3. Send, a chunk at a time: the attempts are written (committed) before their provider
   calls — an idempotent provider's (RBM, the simulator) all at once with the claim, any
   other's a chunk at a time just before its calls — made CONCURRENCY at a time by the
   process's asyncio HTTP client (messaging.providers.concurrent, one keep-alive session),
   within the dispatch's throttle (Redis, shared by every worker); results are written in
   bulk. While a chunk's calls are in flight, the previous chunk's results (and the next
   chunk's attempts) are written. A heartbeat thread extends the lease every HEARTBEAT
   seconds and notices a pause; what was never called is given back, with the attempts
   written for it.
4. SMS fallbacks queued by step 3 (not reachable over RCS...) go through steps 1–3 again in
   the same job (a job of their own, queued as they were, sends them if this one dies), and
   the dispatch is marked done when nothing of it is left to send.

A killed worker leaves its messages "sending" with a lease that runs out within LEASE; the
reconciler gives their ids to a new batch job, whose claim takes them back. An attempt left
"calling" is repeated with the same id by an idempotent provider (RBM, the simulator) and
marked unknown_outcome otherwise, as in the per-message pipeline: nothing is sent twice.
"""

import functools
import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from messaging.providers import concurrent
from messaging.providers.helpers import chunked
from sending.dispatches import Dispatch
from sending.models import Attempt, Message
from sending.services import claim_sql, throttle
from sending.services.batch_render import prepare
from sending.services.batch_results import record_results, write_attempts
from sending.services.bulk_sql import commit_without_waiting
from sending.services.snapshot import enqueue_batches
from sending.signals import dispatch_finished

logger = logging.getLogger(__name__)

# Short, and extended while the batch runs: a killed worker's batch is free again quickly.
LEASE = timedelta(seconds=30)
HEARTBEAT = 10.0
# Calls made (and results written) a chunk at a time. A provider that is not idempotent gets
# its attempts written a chunk at a time too, and two chunks may be in flight, so a crash
# leaves at most 2 * CHUNK of them "calling" (marked unknown_outcome). An idempotent
# provider's attempts are written for the whole batch at once: a crash leaves up to a batch
# "calling", each repeated with the same id, which the provider ignores as a duplicate.
CHUNK = 100
# The calls whose attempts are written already go in larger chunks: a chunk's results are
# written by one round trip and one commit, fewer of them for the same messages.
WRITTEN_CHUNK = 250
# Provider calls in flight at once per worker process (connections of its HTTP client).
CONCURRENCY = 32
# A job hands what it has not sent after this long to a new job, well within RQ's job timeout
# (300 s) even under a slow throttle (500 messages at 1 a second).
TIME_BUDGET = 120.0


class Heartbeat:
    """Extends the lease of a batch's messages in the background; notices pause and cancel."""

    def __init__(self, message_ids, interval=HEARTBEAT):
        self.ids = list(message_ids)
        self.interval = interval
        self.stopped = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="relais-lease")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self):
        try:
            while not self._done.wait(self.interval):
                statuses = claim_sql.extend_lease(self.ids, until=timezone.now() + LEASE)
                if statuses and Dispatch.Status.RUNNING not in statuses:
                    self.stopped = True
        except Exception:  # the batch goes on; its lease may run out and the batch be redone
            logger.exception("lease heartbeat failed")
        finally:
            connection.close()


def send_batch(dispatch_id, message_ids):
    """Send the claimable messages among message_ids; re-running it sends nothing twice."""
    dispatch = Dispatch.objects.select_related("template_version").filter(pk=dispatch_id).first()
    if dispatch is None:
        return 0
    sent = 0
    ids = list(message_ids)
    # Two passes at most: the RCS tries, then the SMS fallbacks they queued.
    for _pass in range(2):
        done, fallbacks = _send_pass(dispatch, ids)
        sent += done
        if not fallbacks:
            break
        # Their own job was queued as they were (batch_results.record_results): whichever of
        # this pass and that job claims them first sends, the other finds nothing left.
        ids = fallbacks
    finish_if_done(dispatch_id)
    return sent


def _send_pass(dispatch, ids):
    now = timezone.now()
    with transaction.atomic():
        locked = claim_sql.lock_batch(dispatch.pk, ids, now=now)
        if not locked:
            return 0, []
        work = prepare(dispatch, locked, now, until=now + LEASE)
        # An idempotent provider's attempts are all written here, with the claim: a crash can
        # only make it repeat a call with the same id. The commit waits for the disk, as it
        # must before any call; with nothing written, it need not.
        early = [item for item in work if item.provider.idempotent]
        ready = write_attempts(early, atomic=False) if early else []
        if not ready:
            commit_without_waiting()
    if not work:
        return 0, []
    # Calls go a chunk at a time: the written ones, then the others (a provider that is not
    # idempotent), whose chunk's attempts are written and committed just before its calls.
    chunks = [Chunk(calls=part) for part in chunked(ready, WRITTEN_CHUNK)]
    later = [item for item in work if not item.provider.idempotent]
    chunks += [Chunk(items=part) for part in chunked(later, CHUNK)]
    sent, fallbacks = 0, []
    started = time.monotonic()
    # One chunk's calls are in flight while the previous chunk's results are written (and
    # the next chunk's attempts, if not written yet): the database overlaps the network.
    flying = None

    def land():
        nonlocal sent, flying
        calls, future = flying
        flying = None
        done, queued_again = record_results(dispatch, calls, future.result())
        sent += done
        fallbacks.extend(queued_again)

    with Heartbeat(item.message.pk for item in work) as beat:
        for index, chunk in enumerate(chunks):
            if time.monotonic() - started > TIME_BUDGET:
                left = _give_back(chunks[index:])
                enqueue_batches(dispatch.pk, left)
                logger.info("dispatch %s: %d messages left to a new job", dispatch.pk, len(left))
                break
            if beat.stopped or not _wait_for_throttle(dispatch, chunk.providers(), beat):
                left = _give_back(chunks[index:])
                logger.info("dispatch %s stopped: %d messages given back", dispatch.pk, len(left))
                break
            # Written and committed before any of the chunk's calls is made.
            calls = chunk.calls if chunk.calls is not None else write_attempts(chunk.items)
            future = concurrent.sender(CONCURRENCY).submit(
                (call.provider, call.outbound) for call in calls
            )
            if flying is not None:
                land()
            flying = calls, future
        if flying is not None:
            land()
    return sent, fallbacks


@dataclass
class Chunk:
    """Calls whose attempts are written, or Prepared items whose attempts are not yet."""

    calls: list | None = None
    items: list | None = None

    def message_ids(self):
        if self.calls is not None:
            return [call.message.pk for call in self.calls]
        return [item.message.pk for item in self.items]

    def providers(self):
        """(provider name, channel) of each call."""
        return [(one.provider.name, one.channel) for one in self.calls or self.items]


def _give_back(chunks):
    """Release the messages of chunks never called; returns their ids. Attempts this run wrote
    for them go, uncalled: left "calling", they would read as a call cut short, and a later
    run would send them without looking at quiet hours again."""
    left = [pk for chunk in chunks for pk in chunk.message_ids()]
    uncalled = [call.attempt.pk for chunk in chunks for call in chunk.calls or () if call.fresh]
    with transaction.atomic():
        if uncalled:
            Attempt.objects.filter(pk__in=uncalled, status=Attempt.Status.CALLING).delete()
        claim_sql.release(left)
    return left


def _wait_for_throttle(dispatch, providers, beat):
    counts = {}
    for key in providers:
        counts[key] = counts.get(key, 0) + 1
    for (provider, channel), count in counts.items():
        allowed = throttle.acquire(
            provider,
            channel,
            count,
            dispatch.throttle_per_second,
            should_stop=lambda: beat.stopped,
        )
        if not allowed:
            return False
    return True


def finish_if_done(dispatch_id, now=None):
    """Mark a running dispatch done when none of its messages is queued or sending."""
    left = Message.objects.filter(
        dispatch_id=dispatch_id, status__in=(Message.Status.QUEUED, Message.Status.SENDING)
    )
    # Looked for without a lock first. Every batch job ends here: the UPDATE alone locked the
    # dispatch's row while its subquery looked for a message left, and at a million messages
    # (0.05-0.5 s a look, longer as the sent rows pile up) the workers queued up behind each
    # other on that lock. The UPDATE, run when nothing seemed left, looks again.
    if left.exists():
        return 0
    finished = (
        Dispatch.objects.filter(pk=dispatch_id, status=Dispatch.Status.RUNNING)
        .exclude(pk__in=left.values("dispatch_id")[:1])
        .update(status=Dispatch.Status.DONE, finished_at=now or timezone.now())
    )
    if finished:
        transaction.on_commit(functools.partial(_announce_finished, dispatch_id))
    return finished


def _announce_finished(dispatch_id):
    # A listener's error is logged, never raised into the job that sent the messages.
    for receiver, error in dispatch_finished.send_robust(sender=Dispatch, dispatch_id=dispatch_id):
        if isinstance(error, Exception):
            logger.error("%s failed on dispatch %s finished", receiver, dispatch_id, exc_info=error)
