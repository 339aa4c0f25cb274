"""Messages scheduled ahead (send_at) and cancelling a message before it goes.

A scheduled message waits with status scheduled, `send_at` and `locked_until` at its time,
and a send job delayed until then (RQ's scheduler: the worker runs with --with-scheduler).
The reconciler re-drives it if that job is lost (Message.objects.stuck()). Quiet hours, the
frequency cap and consent are applied when it goes, by the claim, as for any message; nothing
counts a scheduled message against the cap before its time.
"""

import math

from django.db import transaction
from django.utils.translation import gettext as _

import jobs
from sending.models import Attempt, Message

# Attempts that mean the provider has (or may have) the message: too late to cancel it.
_OUT = (
    Attempt.Status.CALLING,
    Attempt.Status.SENT,
    Attempt.Status.DELIVERED,
    Attempt.Status.READ,
    Attempt.Status.UNKNOWN_OUTCOME,
)
CANCELLABLE = (Message.Status.SCHEDULED, Message.Status.QUEUED)


def schedule(message, send_at):
    """Make a new message (unsaved) wait until send_at."""
    message.status = Message.Status.SCHEDULED
    message.send_at = send_at
    # Also what the reconciler reads: it re-drives the message if the delayed job is lost.
    message.locked_until = send_at


def job_delay(message, now):
    """Seconds until a scheduled message is due (at least 1)."""
    return max(1, math.ceil((message.send_at - now).total_seconds()))


def early(message, now) -> bool:
    """True when a scheduled message is claimed before its time (a job run early, or a clock
    ahead): its job is put back for the time left, and nothing else is done."""
    if message.status != Message.Status.SCHEDULED or message.send_at is None:
        return False
    if message.send_at <= now:
        return False
    jobs.enqueue("sending.tasks.send_message", message.pk, delay=job_delay(message, now))
    return True


class NotCancellable(Exception):
    """The message is past the point where it can be cancelled; `status` says where it is."""

    def __init__(self, message):
        self.status = message.status
        if message.status in CANCELLABLE:
            detail = _(
                "This message is already with the provider (an attempt was made): it can no "
                "longer be cancelled."
            )
        else:
            detail = _(
                "Only a scheduled or queued message can be cancelled; this one is %(status)s."
            ) % {"status": message.status}
        self.detail = detail
        super().__init__(detail)


def cancel(message_id):
    """Cancel a scheduled or queued message that no provider has; return it (saved).

    Raises NotCancellable otherwise. Safe against a worker claiming it at the same moment:
    the row is locked, and the claim finds it cancelled (or the cancel finds it sending).
    """
    with transaction.atomic():
        message = Message.objects.select_for_update(of=("self",)).get(pk=message_id)
        if message.status == Message.Status.CANCELLED:
            return message  # cancelling twice is not an error
        if message.status not in CANCELLABLE or message.attempts.filter(status__in=_OUT).exists():
            raise NotCancellable(message)
        message.status = Message.Status.CANCELLED
        message.status_reason = ""
        message.status_detail = _("Cancelled through the API.")
        message.locked_until = None
        message.save()
    return message
