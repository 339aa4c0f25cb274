"""The raw rows behind a message's counts: its clicks, its conversions and its opt-outs.

Each function takes many messages at once and answers in a few queries, so refreshing a
batch of a thousand messages costs the same handful of queries as refreshing one.
"""

from collections import defaultdict
from datetime import timedelta

from analytics.models import Click, Conversion
from audience.models import ConsentEntry

# A reply STOP or an unsubscribe button within this long after a message counts against it.
OPT_OUT_WINDOW = timedelta(days=7)
OPT_OUT_SOURCES = (ConsentEntry.Source.INBOUND_STOP, ConsentEntry.Source.RCS_BUTTON)

HUMAN, BOT, SUSPECTED = "human", "bot", "suspected"
KINDS = {Click.Kind.HUMAN: HUMAN, Click.Kind.BOT: BOT, Click.Kind.SUSPECTED_BOT: SUSPECTED}


def clicks_of(message_ids):
    """{message_id: [(cta_id, kind), ...]}: every tap and click, kind human, bot or suspected.

    Tracked-link clicks and the button taps providers report (RCS postbacks) are both Click
    rows, under the same CTA id, so a button has one funnel whatever channel carried it.
    """
    found = defaultdict(list)
    rows = Click.objects.filter(message_id__in=message_ids).values_list(
        "message_id", "cta_id", "kind"
    )
    for message_id, cta_id, kind in rows:
        found[message_id].append((cta_id, KINDS[kind]))
    return found


def conversions_of(message_ids):
    """{message_id: [(value, currency), ...]}: the conversions attributed to each message."""
    found = defaultdict(list)
    rows = (
        Conversion.objects.filter(message_id__in=message_ids)
        .exclude(attributed_by="")
        .order_by("pk")
        .values_list("message_id", "value", "currency")
    )
    for message_id, value, currency in rows:
        found[message_id].append((value, currency))
    return found


def opt_outs_of(messages):
    """The ids of the messages (dicts with id, contact_id, sent_at) followed by an opt-out reply."""
    sent = [m for m in messages if m["sent_at"] is not None]
    if not sent:
        return set()
    entries = defaultdict(list)
    rows = ConsentEntry.objects.filter(
        contact_id__in={m["contact_id"] for m in sent},
        kind=ConsentEntry.Kind.OPT_OUT,
        source__in=OPT_OUT_SOURCES,
        occurred_at__gte=min(m["sent_at"] for m in sent),
    ).values_list("contact_id", "occurred_at")
    for contact_id, occurred_at in rows:
        entries[contact_id].append(occurred_at)
    return {
        m["id"]
        for m in sent
        if any(
            m["sent_at"] <= at <= m["sent_at"] + OPT_OUT_WINDOW for at in entries[m["contact_id"]]
        )
    }
