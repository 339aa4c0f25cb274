"""Writing clicks: the drainer of the click stream, and button taps reported by providers."""

import logging
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, When

from analytics import bots, clickstream
from analytics.models import Click
from analytics.rollups import queue
from messaging.providers.normalized import EventType
from sending.models import Message

logger = logging.getLogger(__name__)

BATCH = 500
# How long a drainer may hold the lock before another may take over (seconds); a batch
# takes well under a second.
LOCK_SECONDS = 30
TAP_EVENTS = {EventType.CLICKED, EventType.REPLIED}


def drain_clicks(batch=BATCH):
    """Write the clicks waiting in the stream, a batch at a time; returns how many were read.

    Entries left unacknowledged by an earlier run (it crashed) are read first. An entry is
    acknowledged only after its batch commits; one already written (a crash between the
    commit and the acknowledgement) is recognised by its stream id and not written again.
    """
    connection = clickstream.client()
    clickstream.ensure_group(connection)
    lock = connection.lock(f"{clickstream.key()}:drainer", timeout=LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        return 0
    try:
        read = 0
        for start in ("0", ">"):
            while True:
                answer = connection.xreadgroup(
                    clickstream.GROUP, clickstream.CONSUMER, {clickstream.key(): start}, batch
                )
                entries = answer[0][1] if answer else []
                if not entries:
                    break
                write_clicks(entries)
                connection.xack(clickstream.key(), clickstream.GROUP, *[e[0] for e in entries])
                read += len(entries)
                lock.extend(LOCK_SECONDS, replace_ttl=True)
                if len(entries) < batch:
                    break
        return read
    finally:
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - an expired lock is not worth failing the pass for
            logger.warning("the click drainer's lock had expired")


def write_clicks(entries):
    """Write one batch of stream entries [(entry id, fields)] as clicks, in one transaction."""
    parsed = [click for click in map(_parse, entries) if click is not None]
    numbers = {click["m"] for click in parsed}
    messages = {
        row["pk"]: row
        for row in Message.objects.filter(pk__in=numbers).values(
            "pk", "links", "dispatch_id", "test_mode", "delivered_at", "sent_at"
        )
    }
    with transaction.atomic():
        done = set(
            Click.objects.filter(stream_id__in=[c["id"] for c in parsed]).values_list(
                "stream_id", flat=True
            )
        )
        seen = set(
            Click.objects.filter(message_id__in=messages, is_unique=True).values_list(
                "message_id", "cta_id"
            )
        )
        rows = []
        for click in parsed:
            message = messages.get(click["m"])
            if click["id"] in done or message is None:
                continue
            row = _click_row(click, message)
            if row is None:
                continue
            if row.kind == Click.Kind.HUMAN and (row.message_id, row.cta_id) not in seen:
                row.is_unique = True
                seen.add((row.message_id, row.cta_id))
            rows.append(row)
        Click.objects.bulk_create(rows)
        _stamp_first_clicks(rows)
    # Every message of the batch, written now or by a run that died before acknowledging it:
    # its rollups are queued before the entries are acknowledged, so none is forgotten.
    queue.mark(messages)
    return len(rows)


def _parse(entry):
    entry_id, fields = entry
    # An entry trimmed from the stream while pending comes back empty: nothing to write.
    try:
        return {
            "id": entry_id,
            "m": int(fields["m"]),
            "i": int(fields["i"]),
            "t": float(fields["t"]),
            "ua": fields.get("ua", ""),
            "al": bool(fields.get("al")),
            "hm": fields.get("hm", "GET"),
            "c": fields.get("c", ""),
        }
    except (KeyError, TypeError, ValueError):
        logger.warning("click stream entry %s unreadable, skipped: %r", entry_id, fields)
        return None


def _click_row(click, message):
    message_links = message["links"] or []
    if not 0 <= click["i"] < len(message_links):
        return None
    link = message_links[click["i"]]
    at = datetime.fromtimestamp(click["t"], tz=UTC)
    delivered = message["delivered_at"] or message["sent_at"]
    after = (at - delivered).total_seconds() if delivered is not None else None
    kind, agent = bots.classify(click["ua"], click["al"], after, click["hm"])
    return Click(
        message_id=message["pk"],
        dispatch_id=message["dispatch_id"],
        cta_index=click["i"],
        cta_id=link.get("cta") or "",
        channel=link.get("channel") or "",
        source=Click.Source.LINK,
        kind=kind,
        agent=agent,
        occurred_at=at,
        test_mode=message["test_mode"],
        click_id=click["c"],
        stream_id=click["id"],
    )


def _stamp_first_clicks(rows):
    """Set Message.clicked_at to the first human tap where it is not set yet."""
    first = {}
    for row in rows:
        if row.kind == Click.Kind.HUMAN:
            known = first.get(row.message_id)
            first[row.message_id] = min(known, row.occurred_at) if known else row.occurred_at
    if not first:
        return
    if connection.vendor == "postgresql":
        # One statement over two arrays: a CASE of up to 500 WHENs cost the drainer three
        # quarters of its time when a batch's taps named many messages (Django copies each
        # WHEN several times while compiling it).
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {Message._meta.db_table} AS m SET clicked_at = first.at
                    FROM unnest(%s::bigint[], %s::timestamptz[]) AS first (id, at)
                    WHERE m.id = first.id AND m.clicked_at IS NULL""",
                [list(first), list(first.values())],
            )
        return
    Message.objects.filter(pk__in=first, clicked_at__isnull=True).update(
        clicked_at=Case(*[When(pk=pk, then=at) for pk, at in first.items()])
    )


def record_tap(event):
    """Record a provider-reported button tap (a postback) as a click; once per event."""
    message = event.message
    if message is None or not event.cta_id or event.type not in TAP_EVENTS:
        return None
    index = next(
        (
            position
            for position, link in enumerate(message.links or [])
            if link.get("cta") == event.cta_id and link.get("channel") == "rcs"
        ),
        None,
    )
    click = Click(
        message=message,
        dispatch_id=message.dispatch_id,
        cta_index=index,
        cta_id=event.cta_id,
        channel=event.channel or message.final_channel or "rcs",
        source=Click.Source.POSTBACK,
        kind=Click.Kind.HUMAN,
        agent=Click.Agent.PROVIDER,
        occurred_at=event.occurred_at,
        test_mode=message.test_mode,
        event=event,
    )
    click.is_unique = not Click.objects.filter(
        message=message, cta_id=event.cta_id, is_unique=True
    ).exists()
    try:
        with transaction.atomic():
            click.save()
    except IntegrityError:
        # A link click of the same CTA was written meanwhile and is the unique one.
        click.is_unique = False
        click.pk = None
        with transaction.atomic():
            click.save()
    Message.objects.filter(pk=message.pk, clicked_at__isnull=True).update(
        clicked_at=event.occurred_at
    )
    return click
