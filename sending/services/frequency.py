"""The frequency cap for promotions: at most PROMOTION_CAP_PER_24H per contact in 24 hours.

What counts against a contact, across campaigns, API sends and every other path, is a
promotional message of the contact (same data mode) that is not an editor test and:

- went out in the 24 hours before `now` (`sent_at` after now − 24 h: the provider accepted it,
  whatever its receipts said since), or
- is on its way: queued or sending and not sent yet (waiting for quiet hours, a retry or its
  batch), or scheduled for `now` or earlier (due: its job is about to claim it). A message
  scheduled for later does not count yet. Suppressed and cancelled messages never count.

A message never counts against itself. Of two promotions on their way to one contact, the
older one (lower id) counts against the younger, never the other way round, so the older goes
and the younger is capped whoever checks first; a message already sending (another worker
holds it) counts whatever its age. Check inside the transaction that claims the message(s):
then two claims of the same contact's promotions cannot both pass, nor both be capped.

PROMOTION_CAP_PER_24H=0 turns the cap off.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from messaging.providers.normalized import TrafficType
from sending.models import Message

WINDOW = timedelta(hours=24)
IN_FLIGHT = (Message.Status.QUEUED, Message.Status.SENDING)
NEVER_COUNTED = (Message.Status.SUPPRESSED, Message.Status.CANCELLED)


def cap():
    """How many promotions a contact may get in 24 hours; 0 when the cap is off."""
    return settings.PROMOTION_CAP_PER_24H


def counted_messages(contact_ids, now, test_mode, *, also=()):
    """The promotional messages that count against these contacts at `now` (see above), and
    the messages `also` names (the ones being decided, whatever their state)."""
    counted = (
        Q(sent_at__gt=now - WINDOW)
        | Q(sent_at__isnull=True, status__in=IN_FLIGHT)
        | Q(status=Message.Status.SCHEDULED, send_at__lte=now)
    )
    if also:
        counted |= Q(pk__in=also)
    return (
        Message.objects.filter(
            contact_id__in=contact_ids,
            test_mode=test_mode,
            traffic_type=TrafficType.PROMOTION,
        )
        .exclude(source=Message.Source.EDITOR_TEST)
        .exclude(status__in=NEVER_COUNTED)
        .filter(counted)
    )


def capped_contact_ids(contact_ids, now, test_mode, *, message_ids=()) -> set:
    """The contacts among contact_ids that may get no more promotions at `now`: one query.

    message_ids are the messages this decision is for (a claimed batch, one per contact):
    they never count, and a message on its way counts against them only when it is older
    or already sending. Without them, every promotion on its way counts (a review screen's
    "would be capped" before the messages exist).
    """
    limit = cap()
    contact_ids = list(contact_ids)
    if not limit or not contact_ids:
        return set()
    deciding = set(message_ids)
    rows = list(
        counted_messages(contact_ids, now, test_mode, also=deciding).values_list(
            "pk", "contact_id", "status", "sent_at"
        )
    )
    # The message being decided for each contact: the oldest of message_ids it has.
    decided_for = {}
    for pk, contact_id, _status, _sent_at in rows:
        if pk in deciding:
            decided_for[contact_id] = min(pk, decided_for.get(contact_id, pk))
    counts = Counter()
    for pk, contact_id, status, sent_at in rows:
        if pk in deciding:
            continue
        if sent_at is None and status != Message.Status.SENDING:
            younger = contact_id in decided_for and pk > decided_for[contact_id]
            if younger:
                continue
        counts[contact_id] += 1
    return {contact_id for contact_id, count in counts.items() if count >= limit}


def is_capped(contact, now, *, message=None) -> bool:
    """True when contact may get no more promotions at `now`; message is the one being
    decided (it never counts against itself, and younger ones on their way do not either)."""
    message_ids = [message.pk] if message is not None and message.pk else []
    capped = capped_contact_ids([contact.pk], now, contact.test_mode, message_ids=message_ids)
    return contact.pk in capped
