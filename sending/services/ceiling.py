"""The hourly ceiling per destination country: a burst of sends to one country pauses it.

SMS pumping shows up as a sudden flood of messages to numbers in one unusual country. Every
provider call counts against its destination country's clock hour (one Redis INCR: measured
~95 times cheaper than counting the hour's rows in the database, see bench/bench_ceiling.py).
Past SENDING_HOURLY_CEILINGS, messages to that country are held (queued again for the end of
the hour, status_reason country_paused), a SendingPause row is written, and the admins are
alerted once; the rest of the world keeps sending. The pause lifts by itself when the hour
ends, or by hand in the admin. Test mode counts apart from live.
"""

import functools
import logging
from datetime import UTC, timedelta

import phonenumbers
import redis
from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import jobs
from audience.destinations import destination_country
from sending.models import Message, SendingPause

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)
# For countries SENDING_HOURLY_CEILINGS does not name, when it has no "*" either.
DEFAULT_CEILING = 500


@functools.cache
def _client(url):
    return redis.Redis.from_url(url)


def _key(country, test_mode, window_start):
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "relais"
    mode = "test" if test_mode else "live"
    return f"{prefix}:ceiling:{mode}:{country}:{window_start:%Y%m%d%H}"


def window_start(now):
    """The start of the clock hour (UTC) that now falls in."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def ceiling_for(country):
    """How many provider calls to country an hour may make before sending there pauses."""
    ceilings = settings.SENDING_HOURLY_CEILINGS
    return ceilings.get(country, ceilings.get("*", DEFAULT_CEILING))


def sent_this_hour(country, test_mode, now=None):
    """How many sends to country the current hour has counted."""
    key = _key(country, test_mode, window_start(now or timezone.now()))
    return int(_client(settings.REDIS_URL).get(key) or 0)


def _count(country, test_mode, start, delta):
    key = _key(country, test_mode, start)
    pipe = _client(settings.REDIS_URL).pipeline(transaction=False)
    pipe.incrby(key, delta)
    # Kept a little past its hour; EXPIRE without NX works on the embedded Redis 6 too.
    pipe.expire(key, int(2 * WINDOW.total_seconds()))
    return pipe.execute()[0]


def hold(message, now):
    """Count message's send against its country's hour; True when it is held instead (saved,
    queued again for when the pause lifts). Call it with the message locked, just before the
    provider call."""
    country = destination_country(message.contact.phone)
    start = window_start(now)
    ceiling = ceiling_for(country)
    count = _count(country, message.test_mode, start, 1)
    if count > ceiling:
        pause = _pause(country, message.test_mode, start, ceiling, count)
        if pause.is_active(now):
            # Held messages are not sends: the counter keeps counting only what went out.
            _count(country, message.test_mode, start, -1)
            _hold(message, pause, now)
            return True
    if message.status_reason == Message.Reason.COUNTRY_PAUSED:
        message.status_reason = ""
        message.status_detail = ""
    return False


def _hold(message, pause, now):
    message.status = Message.Status.QUEUED
    message.status_reason = Message.Reason.COUNTRY_PAUSED
    message.status_detail = _(
        "Sending to %(country)s is paused until %(until)s UTC: more than %(ceiling)d messages "
        "this hour."
    ) % {"country": pause.country, "until": f"{pause.until:%H:%M}", "ceiling": pause.ceiling}
    # Also when the reconciler re-drives it if the delayed job is lost.
    message.locked_until = pause.until
    message.save()
    delay = max(1, int((pause.until - now).total_seconds()))
    jobs.enqueue("sending.tasks.send_message", message.pk, delay=delay)


def _pause(country, test_mode, start, ceiling, count):
    pause, created = SendingPause.objects.get_or_create(
        country=country,
        test_mode=test_mode,
        window_start=start,
        defaults={"until": start + WINDOW, "ceiling": ceiling},
    )
    if created:
        transaction.on_commit(functools.partial(_alert, pause, count), robust=True)
    return pause


def _alert(pause, count):
    mode = "test" if pause.test_mode else "live"
    logger.error(
        "Sending to %s (%s) paused until %s: %d messages in the hour, ceiling %d",
        pause.country,
        mode,
        f"{pause.until:%Y-%m-%d %H:%M} UTC",
        count,
        pause.ceiling,
    )
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("admin:sending_sendingpause_changelist")
    values = {
        "country": pause.country,
        "mode": mode,
        "count": count,
        "ceiling": pause.ceiling,
        "start": f"{pause.window_start:%Y-%m-%d %H:%M}",
        "until": f"{pause.until:%H:%M}",
        "link": link,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Sending to %(country)s (%(mode)s) paused: hourly ceiling passed") % values
        body = (
            _(
                "Relais counted %(count)d messages to %(country)s (%(mode)s mode) in the hour from "
                "%(start)s UTC; the ceiling is %(ceiling)d (SENDING_HOURLY_CEILINGS).\n\n"
                "A burst like this is how SMS pumping looks. Messages to %(country)s are held, not "
                "lost: they go out after %(until)s UTC, when the pause lifts by itself. Other "
                "countries keep sending.\n\n"
                "If the traffic is expected, lift the pause now: %(link)s\n"
                "If it is not, revoke the API key that sent it."
            )
            % values
        )
    mail_admins(subject, body, fail_silently=True)


def lift(pause, *, by="", now=None):
    """Lift a pause by hand for the rest of its hour; its held messages are sent at once."""
    now = now or timezone.now()
    with transaction.atomic():
        pause = SendingPause.objects.select_for_update().get(pk=pause.pk)
        if not pause.is_active(now):
            return 0
        pause.lifted_at = now
        pause.lifted_by = by
        pause.save(update_fields=["lifted_at", "lifted_by"])
        code = phonenumbers.country_code_for_region(pause.country)
        held = [
            pk
            for pk, phone in Message.objects.filter(
                status=Message.Status.QUEUED,
                status_reason=Message.Reason.COUNTRY_PAUSED,
                test_mode=pause.test_mode,
                contact__phone__startswith=f"+{code}" if code else "+",
            ).values_list("pk", "contact__phone")
            # Countries share calling codes (+1, +590, +262): keep this pause's own.
            if destination_country(phone) == pause.country
        ]
        Message.objects.filter(pk__in=held).update(locked_until=now, updated=now)
        jobs.enqueue_many("sending.tasks.send_message", [(pk,) for pk in held])
    logger.warning("Sending to %s paused until %s lifted by %s", pause.country, pause.until, by)
    return len(held)
