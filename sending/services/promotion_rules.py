"""Quiet hours and the frequency cap applied to one message: when it is accepted and when it
is claimed (the batch engine applies the same rules to a whole batch, set-based).

A promotion (not an editor test) due in a closed window is held: queued, reason quiet_hours,
`not_before` and `locked_until` at the next opening, and a send job scheduled for then (the
reconciler re-drives it if that job is lost). A promotion to a contact at the cap is
suppressed, reason frequency_cap.
"""

from datetime import UTC

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import jobs
from audience.destinations import destination_country
from sending.models import Attempt, Message
from sending.services import frequency, quiet_hours


def governed(message) -> bool:
    """True when quiet hours and the cap apply: promotions, except the editor's test sends."""
    return (
        quiet_hours.applies_to(message.traffic_type)
        and message.source != Message.Source.EDITOR_TEST
    )


def window_opens(message, now):
    """When a governed message may go: None when it may go now, else the next opening (UTC)."""
    opens = quiet_hours.next_open(destination_country(message.contact.phone), now)
    return None if opens <= now else opens


def hold(message, opens, now):
    """Keep message queued until opens (on the instance; the caller saves it and schedules
    its send job with job_delay)."""
    window = quiet_hours.policy_for(destination_country(message.contact.phone))
    local = opens.astimezone(window.zone)
    message.status = Message.Status.QUEUED
    message.status_reason = Message.Reason.QUIET_HOURS
    message.status_detail = _(
        "Quiet hours for promotions: goes out at %(time)s (%(zone)s time), %(utc)s UTC."
    ) % {
        "time": f"{local:%Y-%m-%d %H:%M}",
        "zone": window.time_zone,
        "utc": f"{opens.astimezone(UTC):%Y-%m-%d %H:%M}",
    }
    message.not_before = opens
    # Also what the reconciler reads: it re-drives the message if the delayed job is lost.
    message.locked_until = opens


def job_delay(message, now):
    """Seconds the send job of message waits: until a quiet-hours hold ends; None: at once."""
    if message.status_reason != Message.Reason.QUIET_HOURS or message.not_before is None:
        return None
    return max(1, int((message.not_before - now).total_seconds()))


def decide_at_submit(message, now):
    """Apply both rules to a message being accepted (on the instance, before its first save):
    held for the window when it is closed (the cap is decided when the window opens, at the
    claim), else suppressed when the contact is at the cap."""
    if not governed(message):
        return
    opens = window_opens(message, now)
    if opens is not None:
        hold(message, opens, now)
    elif frequency.is_capped(message.contact, now):
        suppress_capped(message, now)


def suppress_capped(message, now):
    """End message as suppressed by the frequency cap (on the instance; the caller saves)."""
    cap = frequency.cap()
    detail = ngettext(
        "This contact reached the cap of %(count)d promotional message in 24 hours (sent or "
        "on its way).",
        "This contact reached the cap of %(count)d promotional messages in 24 hours (sent or "
        "on their way).",
        cap,
    ) % {"count": cap}
    message.finish(Message.Status.SUPPRESSED, Message.Reason.FREQUENCY_CAP, detail, at=now)


def stopped_at_claim(message, now) -> bool:
    """Apply both rules to a locked message about to be sent; True when it must not go now
    (held or suppressed, saved). Call it inside the claim's transaction."""
    if not governed(message):
        return False
    opens = window_opens(message, now)
    if (opens is None and not frequency.cap()) or _interrupted(message):
        _clear_hold(message)
        return False
    if opens is not None:
        hold(message, opens, now)
        message.save()
        jobs.enqueue("sending.tasks.send_message", message.pk, delay=job_delay(message, now))
        return True
    if frequency.is_capped(message.contact, now, message=message):
        suppress_capped(message, now)
        message.save()
        return True
    _clear_hold(message)
    return False


def _clear_hold(message):
    # It goes now: the reason it waited is history (not_before keeps when it was allowed).
    if message.status_reason == Message.Reason.QUIET_HOURS:
        message.status_reason = ""
        message.status_detail = ""


def _interrupted(message):
    # A run died calling the provider: the message may be out already, and the rules were
    # applied when that call was decided. The pipeline's crash handling takes it from here.
    return message.attempts.filter(status=Attempt.Status.CALLING).exists()
