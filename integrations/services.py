"""Deliver outbound webhooks: one RQ job per delivery, retried with exponential backoff.

- record(): the deliveries of announced events, one row per (event, subscribed endpoint of
  its mode), written in bulk with one job each on the webhooks queue.
- deliver(): POST the signed body; 2xx is success. Anything else (an error status, a timeout,
  a refused or blocked address) is retried after backoff(attempts) through RQ's scheduler,
  for RETRY_FOR (3 days) after the event; then the delivery is failed.
- Order: deliveries with the same ordering key (a message, a contact) to one endpoint go one
  at a time, oldest first; a later one waits until the earlier one succeeded or was given up,
  and is then queued by it.
- An endpoint whose deliveries have all failed for DISABLE_AFTER (3 days) is disabled, the
  admins are emailed and the Webhooks page says why; enabling it again re-queues its
  unfinished deliveries.
"""

import functools
import json
import logging
import random
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import jobs
from integrations import outbound, signing
from integrations.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
TASK = "integrations.tasks.deliver"
# Backoff: 30 s, 1 min, 2 min, ... doubling up to 6 h between tries, for 3 days.
BACKOFF_BASE = 30
BACKOFF_CAP = 6 * 3600
RETRY_FOR = timedelta(days=3)
DISABLE_AFTER = timedelta(days=3)
# A job holds its delivery this long: a second job for it meanwhile does nothing.
LEASE = timedelta(seconds=60)
ERROR_LENGTH = 300


def backoff(attempts):
    """Seconds to wait after the attempts-th failed try: exponential, capped, with jitter."""
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0))
    # Up to 20 % earlier, so the retries of one outage do not all come back at once.
    return max(1, round(delay * random.uniform(0.8, 1.0)))


def active_endpoints():
    return list(WebhookEndpoint.objects.filter(enabled=True))


def record(endpoints, events):
    """Write a delivery per (event, endpoint that wants it) and queue them; returns the rows.

    events: (type, ordering key, test_mode, body) as integrations.payloads builds them.
    """
    rows = []
    for event_type, key, test_mode, body in events:
        for endpoint in endpoints:
            if endpoint.is_test != bool(test_mode) or event_type not in endpoint.events:
                continue
            rows.append(
                WebhookDelivery(
                    endpoint=endpoint,
                    event_id=body["id"],
                    type=event_type,
                    ordering_key=key,
                    payload=body,
                )
            )
    if not rows:
        return []
    with transaction.atomic():
        WebhookDelivery.objects.bulk_create(rows)
        jobs.enqueue_many(TASK, [(row.pk,) for row in rows], queue=jobs.WEBHOOKS)
    return rows


def body_of(delivery):
    """The exact bytes sent (and signed)."""
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def deliver(delivery_id):
    """Try one delivery now; returns its status after the try, or None when nothing was done."""
    delivery = _take(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        signing.HEADER: signing.header(endpoint.secret, body),
        "Relais-Event-Id": str(delivery.event_id),
        "Relais-Event-Type": delivery.type,
    }
    code, error = None, ""
    try:
        response = outbound.post(endpoint.url, body, headers)
        code = response.status_code
        response.close()
        if not 200 <= code < 300:
            error = _("The endpoint answered %(code)s.") % {"code": code}
    except outbound.BlockedAddress as exc:
        error = _("Refused: %(reason)s") % {"reason": exc}
    except requests.Timeout:
        error = _("No answer within %(seconds)s seconds.") % {"seconds": outbound.TIMEOUT[1]}
    except requests.RequestException as exc:
        error = _("Could not connect: %(error)s") % {"error": exc.__class__.__name__}
    return _record_try(delivery.pk, code, error)


def _take(delivery_id):
    """Lease a delivery that is due and whose earlier deliveries (same key) are done."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status not in WebhookDelivery.UNFINISHED:
            return None
        if not delivery.endpoint.enabled:
            return None
        if delivery.locked_until is not None and delivery.locked_until > now:
            return None
        if delivery.ordering_key and _earlier_unfinished(delivery).exists():
            # Queued again by the earlier one once it is done.
            return None
        delivery.locked_until = now + LEASE
        delivery.save(update_fields=["locked_until"])
    return delivery


def _earlier_unfinished(delivery):
    return WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        ordering_key=delivery.ordering_key,
        status__in=WebhookDelivery.UNFINISHED,
        pk__lt=delivery.pk,
    )


def _record_try(delivery_id, code, error):
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.locked_until = None
        delivery.response_code = code
        delivery.error = error[:ERROR_LENGTH]
        if not error:
            delivery.status = Status.SUCCEEDED
            delivery.next_attempt_at = None
            endpoint.failure_streak = 0
            endpoint.failing_since = None
        else:
            endpoint.failure_streak += 1
            endpoint.failing_since = endpoint.failing_since or now
            if now - delivery.created >= RETRY_FOR:
                delivery.status = Status.FAILED
                delivery.next_attempt_at = None
            else:
                delay = backoff(delivery.attempts)
                delivery.status = Status.RETRYING
                delivery.next_attempt_at = now + timedelta(seconds=delay)
                jobs.enqueue(TASK, delivery.pk, queue=jobs.WEBHOOKS, delay=delay)
            if endpoint.enabled and now - endpoint.failing_since >= DISABLE_AFTER:
                _disable(endpoint, now)
        delivery.save()
        endpoint.save(
            update_fields=[
                "failure_streak",
                "failing_since",
                "enabled",
                "disabled_reason",
                "disabled_at",
                "updated",
            ]
        )
        if delivery.status not in WebhookDelivery.UNFINISHED:
            _queue_next(delivery)
    return delivery.status


def _queue_next(delivery):
    """Queue the oldest unfinished delivery waiting behind this one (same endpoint and key)."""
    if not delivery.ordering_key:
        return
    following = (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            ordering_key=delivery.ordering_key,
            status__in=WebhookDelivery.UNFINISHED,
            pk__gt=delivery.pk,
        )
        .order_by("pk")
        .values_list("pk", "next_attempt_at")
        .first()
    )
    if following is not None:
        pk, due = following
        delay = max(0, (due - timezone.now()).total_seconds()) if due else None
        jobs.enqueue(TASK, pk, queue=jobs.WEBHOOKS, delay=delay or None)


def _disable(endpoint, now):
    days = (now - endpoint.failing_since).days
    with translation.override(settings.LANGUAGE_CODE):
        endpoint.disabled_reason = _(
            "Disabled automatically: every delivery failed for %(days)s days "
            "(%(count)s tries in a row)."
        ) % {"days": days, "count": endpoint.failure_streak}
    endpoint.enabled = False
    endpoint.disabled_at = now
    transaction.on_commit(functools.partial(_notify_disabled, endpoint.pk), robust=True)


def _notify_disabled(endpoint_id):
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    logger.warning("webhook endpoint %s disabled: %s", endpoint.url, endpoint.disabled_reason)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Webhook endpoint disabled (%(mode)s): %(url)s") % {
            "mode": endpoint.mode,
            "url": endpoint.url,
        }
        body = _(
            "%(reason)s\n\nNo more events are sent to it. Fix the receiver, then enable the "
            "endpoint again on the Webhooks page: the deliveries still waiting go out then."
        ) % {"reason": endpoint.disabled_reason}
    mail_admins(subject, body, fail_silently=True)


def enable(endpoint):
    """Enable an endpoint again and re-queue its unfinished deliveries (oldest of each key)."""
    with transaction.atomic():
        endpoint.enabled = True
        endpoint.disabled_reason = ""
        endpoint.disabled_at = None
        endpoint.failure_streak = 0
        endpoint.failing_since = None
        endpoint.save()
        waiting = endpoint.deliveries.filter(status__in=WebhookDelivery.UNFINISHED)
        waiting.update(next_attempt_at=None, locked_until=None)
        ids = list(waiting.order_by("pk").values_list("pk", flat=True))
        jobs.enqueue_many(TASK, [(pk,) for pk in ids], queue=jobs.WEBHOOKS)
    return len(ids)


def resend(delivery):
    """Send a delivery again now, whatever became of it (same event id: receivers dedupe)."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.PENDING, next_attempt_at=None, locked_until=None
        )
        jobs.enqueue(TASK, delivery.pk, queue=jobs.WEBHOOKS)


def redrive(now=None, grace=timedelta(minutes=10), limit=1000):
    """Queue unfinished deliveries whose job was lost (Redis down at commit, a lost retry)."""
    now = now or timezone.now()
    lost = (
        WebhookDelivery.objects.filter(
            status__in=WebhookDelivery.UNFINISHED, endpoint__enabled=True, created__lt=now - grace
        )
        .exclude(next_attempt_at__gt=now - grace)
        .exclude(locked_until__gt=now)
    )
    ids = list(lost.order_by("pk").values_list("pk", flat=True)[:limit])
    jobs.enqueue_many(TASK, [(pk,) for pk in ids], queue=jobs.WEBHOOKS)
    return len(ids)
