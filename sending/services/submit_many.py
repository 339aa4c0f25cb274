"""Accepting up to 1,000 messages from one template in one call (POST /api/v1/messages/batch).

Each recipient is checked as a single send checks it and gets the same refusal (code and
field); the accepted ones are written together, in one transaction with one INSERT, and their
jobs enqueued in one round trip. Quiet hours and the frequency cap decide each message in
order, as the same sends one after the other would: an earlier message of the batch to a
contact counts against a later one.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import jobs
from audience.services import get_or_create_contacts
from sending.models import Message
from sending.services import frequency, promotion_rules, scheduling
from sending.services.submit import (
    SendRefused,
    check_consent,
    check_options,
    check_send_at,
    job_delay,
    new_message,
    prepare,
    published_version,
)

BATCH_MAX = 1000


@dataclass(frozen=True)
class Recipient:
    """One recipient of a batch: its number, its variables, the caller's reference."""

    recipient: str
    variables: dict
    external_id: str | None = None


def submit_many(
    *,
    template_id,
    recipients,
    policy=None,
    rcs_ttl_seconds=None,
    send_at=None,
    test_mode=False,
    source=Message.Source.API,
):
    """One result per recipient, in order: the saved Message, or the SendRefused a single
    send would have raised for it. A refusal of the template, the policy, the deadline or
    send_at concerns every recipient: it is raised, and nothing is written."""
    if len(recipients) > BATCH_MAX:
        raise ValueError(f"At most {BATCH_MAX} recipients a call.")
    version = published_version(template_id)
    send_at = check_send_at(send_at, timezone.now())
    policy, ttl = check_options(version, policy, rcs_ttl_seconds)
    results = [None] * len(recipients)
    prepared = {}
    for index, item in enumerate(recipients):
        try:
            prepared[index] = prepare(version, item.recipient, item.variables, policy, ttl)
        except SendRefused as refused:
            results[index] = refused
    with transaction.atomic():
        contacts = get_or_create_contacts(
            {ready.phone for ready in prepared.values()}, test_mode=test_mode
        )
        now = timezone.now()
        decide = _decider(version, contacts.values(), now, test_mode, send_at)
        accepted = []
        for index, ready in prepared.items():
            contact = contacts[ready.phone]
            try:
                check_consent(contact, version.traffic_type)
            except SendRefused as refused:
                results[index] = refused
                continue
            message = new_message(
                ready,
                contact,
                test_mode=test_mode,
                external_id=recipients[index].external_id,
                source=source,
            )
            decide(message)
            results[index] = message
            accepted.append(message)
        Message.objects.bulk_create(accepted, batch_size=500)
        _enqueue(accepted, now)
    return results


def _decider(version, contacts, now, test_mode, send_at):
    """A function deciding each new message's state in order: scheduled, held for the quiet
    hours, suppressed by the cap, or queued."""
    if send_at is not None:
        return lambda message: scheduling.schedule(message, send_at)
    counts = Counter()
    limit = frequency.cap()
    governed = None
    if limit:
        counted = frequency.counted_messages([c.pk for c in contacts], now, test_mode)
        counts.update(counted.values_list("contact_id", flat=True))

    def decide(message):
        nonlocal governed
        if governed is None:
            governed = promotion_rules.governed(message)
        if not governed:
            return
        opens = promotion_rules.window_opens(message, now)
        if opens is not None:
            # Held; the cap is decided when the window opens. It is on its way: it counts.
            promotion_rules.hold(message, opens, now)
        elif limit and counts[message.contact.pk] >= limit:
            promotion_rules.suppress_capped(message, now)
            return
        counts[message.contact.pk] += 1

    return decide


def _enqueue(messages, now):
    """Enqueue the new messages' send jobs, those due at the same time together."""
    by_delay = {}
    for message in messages:
        delay = job_delay(message, now)
        if delay is not False:
            by_delay.setdefault(delay, []).append((message.pk,))
    for delay, args_list in by_delay.items():
        jobs.enqueue_many("sending.tasks.send_message", args_list, delay=delay)
