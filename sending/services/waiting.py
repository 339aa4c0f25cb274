"""A sent message that has heard nothing back far longer than it should says so, with the
likely cause: its sender cannot reach our webhook address (a wrong port, an unreachable proxy).

The test panel and the API show the notice; nothing changes the message because of it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from messaging.providers.normalized import Channel
from sending.models import Attempt, Event, Message
from sending.services.routing import SIMULATOR, internal_webhook_url, webhook_url

# The simulator says when each of its events happens (12 s at most after a send, 30 s for its
# slow test number); one still missing this long after it was due was lost on the way.
SIMULATOR_RECEIPT_GRACE = timedelta(seconds=30)
# A real provider's RCS receipt is due before the message's deadline, when Relais withdraws it
# or hears it was delivered; this long after the deadline, silence means lost webhooks.
PROVIDER_RCS_RECEIPT_GRACE = timedelta(minutes=10)
# A phone that is on reports an SMS delivered within minutes; the network keeps it for an
# offline phone, but the provider still reports it sent long before this.
PROVIDER_SMS_RECEIPT_WAIT = timedelta(hours=1)

SIMULATOR_RECEIPTS_MISSING = "simulator_receipts_missing"
PROVIDER_RECEIPTS_MISSING = "provider_receipts_missing"


@dataclass(frozen=True)
class Notice:
    """Something a person following a message should know: a stable code and a sentence."""

    code: str
    detail: str


def waiting_notice(message, now=None):
    """Return a Notice when message waits for receipts far longer than expected, else None."""
    if message.status != Message.Status.SENT:
        return None
    attempts = sorted(message.attempts.all(), key=lambda attempt: (attempt.created, attempt.pk))
    if not attempts or attempts[-1].status != Attempt.Status.SENT:
        return None
    attempt = attempts[-1]
    now = now or timezone.now()
    if attempt.provider == SIMULATOR:
        return _simulator_notice(attempt, now)
    return _provider_notice(message, attempt, now)


def _simulator_notice(attempt, now):
    # An attempt still "sent" was last saved when the simulator accepted it: its clock starts then.
    planned = (attempt.raw_response or {}).get("planned_events") or []
    overdue = [
        event["event_id"]
        for event in planned
        if attempt.updated + timedelta(seconds=event["delay_seconds"]) + SIMULATOR_RECEIPT_GRACE
        < now
    ]
    if (
        not overdue
        or Event.objects.filter(provider=SIMULATOR, provider_event_id__in=overdue).exists()
    ):
        return None
    detail = _(
        "No delivery receipt yet: the simulator posts its receipts to %(url)s from the RQ "
        "worker. Is the app reachable there? Check INTERNAL_BASE_URL (and PUBLIC_BASE_URL), "
        "and that the worker runs with --with-scheduler."
    ) % {"url": internal_webhook_url(SIMULATOR)}
    return Notice(SIMULATOR_RECEIPTS_MISSING, detail)


def _provider_notice(message, attempt, now):
    if attempt.channel == Channel.RCS:
        wait = timedelta(seconds=message.rcs_ttl_seconds) + PROVIDER_RCS_RECEIPT_GRACE
    else:
        wait = PROVIDER_SMS_RECEIPT_WAIT
    waited = now - attempt.updated
    # Any event at all for this attempt proves the provider reaches us: the phone is just off.
    if waited < wait or attempt.events.exists():
        return None
    minutes = int(waited.total_seconds() // 60)
    detail = ngettext(
        "No delivery receipt after %(minutes)d minute, and no word at all from %(provider)s "
        "about this message: it may not reach %(url)s. Check PUBLIC_BASE_URL and the webhook "
        "address set at the provider.",
        "No delivery receipt after %(minutes)d minutes, and no word at all from %(provider)s "
        "about this message: it may not reach %(url)s. Check PUBLIC_BASE_URL and the webhook "
        "address set at the provider.",
        minutes,
    ) % {"minutes": minutes, "provider": attempt.provider, "url": webhook_url(attempt.provider)}
    return Notice(PROVIDER_RECEIPTS_MISSING, detail)
