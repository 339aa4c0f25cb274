"""Quiet hours and the frequency cap applied to a whole claimed batch, set-based.

Run inside the claim's transaction (frequency.py explains why). The window is computed once
per destination country, the cap with one query for the batch. Held messages go back to
queued until their window opens, with one delayed batch job per opening; capped ones are
suppressed with reason frequency_cap. A message whose earlier run died while calling the
provider is left to the crash handling: the rules were applied when that call was decided.
"""

from audience.destinations import destination_country
from sending.models import Attempt, Message
from sending.services import frequency, promotion_rules, quiet_hours
from sending.services.snapshot import enqueue_batches


def apply_rules(dispatch, items, now, country_of=destination_country):
    """Return the items that may go now; the others are held or suppressed (on the instance,
    the caller writes them in bulk). country_of(phone) names a number's country."""
    governed = [item for item in items if promotion_rules.governed(item.message)]
    if not governed:
        return items
    interrupted = _interrupted([item.message for item in governed])
    openings = {}
    held = {}
    open_now = []
    for item in governed:
        message = item.message
        if message.pk in interrupted:
            # It goes now, as the per-message path does: why it waited is history.
            if message.status_reason == Message.Reason.QUIET_HOURS:
                message.status_reason = message.status_detail = ""
            continue
        country = country_of(message.contact.phone)
        if country not in openings:
            opens = quiet_hours.next_open(country, now)
            openings[country] = None if opens <= now else opens
        opens = openings[country]
        if opens is not None:
            promotion_rules.hold(message, opens, now)
            held.setdefault(opens, []).append(message.pk)
        else:
            open_now.append(item)
    capped = frequency.capped_contact_ids(
        [item.message.contact_id for item in open_now],
        now,
        dispatch.test_mode,
        message_ids=[item.message.pk for item in open_now],
    )
    stopped = {pk for ids in held.values() for pk in ids}
    for item in open_now:
        message = item.message
        if message.contact_id in capped:
            promotion_rules.suppress_capped(message, now)
            stopped.add(message.pk)
        elif message.status_reason == Message.Reason.QUIET_HOURS:
            message.status_reason = message.status_detail = ""
    for opens, ids in held.items():
        enqueue_batches(dispatch.pk, ids, delay=max(1, int((opens - now).total_seconds())))
    return [item for item in items if item.message.pk not in stopped]


def _interrupted(messages):
    """Ids of the messages with an attempt still calling: read from the flag the claim's query
    annotates (claim_sql.attempt_flags), or queried when a message lacks it."""
    if all(hasattr(message, "interrupted") for message in messages):
        return {message.pk for message in messages if message.interrupted}
    return set(
        Attempt.objects.filter(
            message_id__in=[message.pk for message in messages],
            status=Attempt.Status.CALLING,
        ).values_list("message_id", flat=True)
    )
