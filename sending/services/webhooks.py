"""Webhook ingestion: record each provider event once, then update messages and consent."""

import dataclasses
import logging
import math

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

import jobs
from audience import services as audience
from audience.models import ConsentEntry
from messaging.fields import fit
from messaging.providers import PROVIDERS, get_provider
from messaging.providers.modes import keeps_word_of
from messaging.providers.normalized import Channel, EventType
from messaging.providers.webhooks import WebhookRequest
from sending import signals
from sending.models import Attempt, Event, Message
from sending.services.fallback import apply_event
from sending.services.modes import inbound_mode
from sending.services.routing import SIMULATOR
from sending.services.submit import submit_acknowledgement
from sending.signals import MessageEvent, announce_message

logger = logging.getLogger(__name__)

STATUS_EVENTS = {
    EventType.QUEUED,
    EventType.SENT,
    EventType.DELIVERED,
    EventType.READ,
    EventType.FAILED,
    EventType.UNDELIVERED,
    EventType.EXPIRED,
}
INBOUND_EVENTS = {EventType.TEXT, EventType.REPLIED, EventType.CLICKED}


def webhook_provider(name):
    """The provider whose webhook URL this is, or None when unknown or not configured."""
    if name not in PROVIDERS:
        return None
    try:
        return get_provider(name)
    except ImproperlyConfigured as exc:
        logger.warning("webhook for %s, which is not configured: %s", name, exc)
        return None


def webhook_request(request):
    """The provider-neutral view of a Django request, with the URL the provider called."""
    # Behind a proxy request.build_absolute_uri() may be an internal address; Twilio signs
    # the public one, so it is rebuilt from PUBLIC_BASE_URL.
    url = settings.PUBLIC_BASE_URL.rstrip("/") + request.path
    query = request.META.get("QUERY_STRING", "")
    if query:
        url += "?" + query
    return WebhookRequest(
        url=url, method=request.method, headers=dict(request.headers), body=request.body
    )


def ingest(provider_name, provider_events):
    """Record new events and act on them; replays are ignored. Returns the new Event rows."""
    new = []
    for provider_event in provider_events:
        # The event row and its effects commit together: if acting on it fails, the row is
        # rolled back too, so the provider's retry is processed instead of being ignored.
        with transaction.atomic():
            event = _record(provider_name, provider_event)
            if event is None:
                continue
            _act_on(event, url=provider_event.url)
        new.append(event)
    return new


def _act_on(event, url=None):
    if event.attempt is not None and event.type in STATUS_EVENTS:
        apply_event(
            event.attempt,
            event.type,
            occurred_at=event.occurred_at,
            channel=event.channel or None,
            error_code=event.error_code or None,
        )
    if event.type in INBOUND_EVENTS:
        _announce_inbound(event, url)
        _answer_keyword(event)
    if event.type in (EventType.CLICKED, EventType.REPLIED) and event.cta_id:
        signals.button_tapped.send(sender=Event, event=event)


def _announce_inbound(event, url):
    """A tap on a button or link is "clicked"; a text or a tapped suggestion is "inbound"."""
    if event.message is None:
        return
    kind = MessageEvent.CLICKED if event.type == EventType.CLICKED else MessageEvent.INBOUND
    announce_message(
        event.message,
        kind,
        channel=event.channel or None,
        occurred_at=event.occurred_at,
        provider=event.provider,
        event_id=event.pk,
        cta_id=event.cta_id,
        url=url,
        text=event.text if kind == MessageEvent.INBOUND else None,
    )


def _record(provider_name, provider_event):
    # Made storable before any query: PostgreSQL refuses a NUL even in a lookup.
    provider_event = _storable_event(provider_event)
    attempt = _attempt_of(provider_name, provider_event)
    message = (
        attempt.message
        if attempt is not None
        else _message_of_inbound(provider_name, provider_event)
    )
    if attempt is None and message is not None and provider_event.channel:
        attempt = message.attempts.filter(channel=provider_event.channel).first()
    event = Event(
        message=message,
        attempt=attempt,
        provider=provider_name,
        provider_event_id=fit(Event, "provider_event_id", provider_event.provider_event_id),
        type=provider_event.type,
        channel=provider_event.channel or "",
        cta_id=fit(Event, "cta_id", provider_event.cta_id or ""),
        number=fit(Event, "number", provider_event.number or ""),
        text=provider_event.text or "",
        error_code=fit(Event, "error_code", provider_event.error_code or ""),
        raw=provider_event.raw or {},
    )
    if provider_event.occurred_at is not None:
        event.occurred_at = provider_event.occurred_at
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        # Seen before (a provider retry or a replay): recorded once, acted on once.
        return None
    return event


def _storable(value):
    """A payload value the database accepts, whatever a provider sent: text without NUL or
    lone surrogates, and JSON without NaN or infinities (PostgreSQL refuses all three)."""
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def _storable_event(provider_event):
    names = ("provider_event_id", "provider_message_id", "number", "cta_id", "text", "error_code")
    names += ("url", "raw")
    return dataclasses.replace(
        provider_event, **{name: _storable(getattr(provider_event, name)) for name in names}
    )


def _attempt_of(provider_name, provider_event):
    attempts = Attempt.objects.select_related("message").filter(provider=provider_name)
    if provider_event.attempt_id is not None:
        return attempts.filter(public_id=provider_event.attempt_id).first()
    if provider_event.provider_message_id:
        return attempts.filter(provider_message_id=provider_event.provider_message_id).first()
    return None


def _message_of_inbound(provider_name, provider_event):
    """The latest message to the sender of an inbound event (a reply answers it), or None.

    A reply from the simulator answers a simulated message, a reply from a real network a real
    one: a real STOP is never filed under a test message that never left the machine.
    """
    if provider_event.type not in INBOUND_EVENTS or not provider_event.number:
        return None
    try:
        phone = audience.normalize_phone(provider_event.number)
    except audience.InvalidNumber:
        return None
    messages = Message.objects.filter(contact__phone=phone, sent_at__isnull=False)
    if provider_name == SIMULATOR:
        messages = messages.filter(provider=SIMULATOR)
    else:
        messages = messages.exclude(provider=SIMULATOR)
    return messages.order_by("-sent_at", "-pk").first()


def _postback(raw):
    """The postbackData of a tapped RBM suggestion, when the raw payload carries one as text."""
    raw = raw if isinstance(raw, dict) else {}
    response = raw.get("suggestionResponse")
    response = response if isinstance(response, dict) else {}
    postback = response.get("postbackData") or raw.get("postbackData")
    return postback if isinstance(postback, str) else None


def _unsubscribe(event):
    """Opt the sender out at once; the acknowledgement is sent by a job."""
    phone = _sender_phone(event)
    if phone is None:
        return
    test_mode = inbound_mode(event.message, event.provider)
    if not keeps_word_of(event.provider, test_mode=test_mode):
        logger.info("simulated opt-out (event %s) not applied to a live contact", event.pk)
        return
    tapped = event.type in (EventType.REPLIED, EventType.CLICKED)
    source = ConsentEntry.Source.RCS_BUTTON if tapped else ConsentEntry.Source.INBOUND_STOP
    # Dated when we learn of it, not by the provider's clock: a delayed webhook must not let
    # an opt-in recorded meanwhile outrank the STOP.
    _contact, changed = audience.opt_out(
        phone, source=source, wording=event.text or _postback(event.raw) or "", test_mode=test_mode
    )
    if changed:
        jobs.enqueue("sending.tasks.acknowledge_opt_out", event.pk, queue=jobs.WEBHOOKS)


def _answer_keyword(event):
    """STOP opts out, START opts back in, HELP is answered (docs/sending.md, "Keywords")."""
    keyword = audience.recognise(event.text, _postback(event.raw))
    if keyword is audience.Keyword.STOP:
        _unsubscribe(event)
    # START and HELP are read only when typed: a tapped button's label is not a request.
    elif keyword is audience.Keyword.START and event.type == EventType.TEXT:
        _resubscribe(event)
    elif keyword is audience.Keyword.HELP and event.type == EventType.TEXT and _sender_phone(event):
        jobs.enqueue("sending.tasks.answer_help", event.pk, queue=jobs.WEBHOOKS)


def _sender_phone(event):
    """The E.164 number an inbound event came from, or None (logged) when unreadable."""
    number = event.number or (event.message.contact.phone if event.message else "")
    try:
        return audience.normalize_phone(number)
    except audience.InvalidNumber:
        logger.warning("keyword from an unreadable number %r (event %s)", number, event.pk)
        return None


def _resubscribe(event):
    """Give back what the sender's STOPs took away; the acknowledgement is sent by a job."""
    phone = _sender_phone(event)
    if phone is None:
        return
    test_mode = inbound_mode(event.message, event.provider)
    if not keeps_word_of(event.provider, test_mode=test_mode):
        logger.info("simulated opt-in (event %s) not applied to a live contact", event.pk)
        return
    _contact, changed = audience.opt_back_in(
        phone, source=ConsentEntry.Source.INBOUND_STOP, wording=event.text, test_mode=test_mode
    )
    if changed:
        jobs.enqueue("sending.tasks.acknowledge_opt_in", event.pk, queue=jobs.WEBHOOKS)


def acknowledge_opt_out(event_id, text=None):
    """Send the one reply to a keyword event (the opt-out acknowledgement unless text is given);
    a second run sends nothing."""
    event = Event.objects.select_related("message").filter(pk=event_id).first()
    if event is None:
        return None
    phone = audience.normalize_phone(event.number or event.message.contact.phone)
    # Answered in the mode of the opt-out: a test STOP gets a test acknowledgement.
    test_mode = inbound_mode(event.message, event.provider)
    contact = audience.get_or_create_contact(phone, test_mode=test_mode)
    marker = f"ack-event-{event.pk}"
    if contact.messages.filter(external_id=marker).exists():
        return None
    return submit_acknowledgement(
        contact,
        channel=event.channel or Channel.SMS,
        provider=event.provider,
        test_mode=test_mode,
        external_id=marker,
        text=text,
    )
