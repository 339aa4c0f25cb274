"""Receive a shop's webhook (verify, record once, queue) and process it in the background:
the customer as a contact, their SMS consent, the paid order as a conversion, the message."""

import hashlib
import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from iso4217 import Currency

import jobs
from analytics.attribution import ConversionRefused, record_conversion
from analytics.conversions import Conversion
from audience.destinations import check_destination
from audience.models import Contact
from audience.services import InvalidNumber, get_or_create_contact, normalize_phone, record_consent
from editor.models import MessageTemplate
from integrations.shops import mapping as mappings
from integrations.shops import parsing, reasons, samples, verification
from integrations.shops.models import Platform, ShopEvent
from integrations.shops.reasons import Reason
from sending.models import Message
from sending.services.submit import SendRefused, submit_message

logger = logging.getLogger(__name__)

# WooCommerce checks a new webhook's URL with this form body, unsigned.
WOO_PING = re.compile(rb"webhook_id=\d+")
EXCERPT = 2000


@dataclass(frozen=True)
class Reception:
    """How a webhook was answered: the HTTP status, a short word for the log, the event."""

    status: int
    outcome: str
    event: ShopEvent | None = None
    detail: str = ""


def receive(shop, body, headers, *, test_event=False):
    """Verify body (bytes) with the shop's secret, record it once per delivery id and queue its
    processing. Nothing is written for a bad signature."""
    platform = shop.platform
    signature = headers.get(verification.SIGNATURE_HEADER[platform]) or ""
    if platform == Platform.WOOCOMMERCE and not signature and WOO_PING.fullmatch(body.strip()):
        return Reception(200, "ping")
    if not verification.is_valid(shop.webhook_secret, body, signature):
        detail = "missing signature" if not signature else "signature does not match"
        logger.warning("refused a webhook for shop %s: %s", shop.pk, detail)
        note_refusal(shop, missing=not signature)
        return Reception(401, "unauthorized", detail=detail)
    topic = (headers.get(verification.TOPIC_HEADER[platform]) or "").strip()[:60]
    # Without a delivery id, the body's hash: the same body twice is the same delivery.
    delivery_id = (headers.get(verification.DELIVERY_HEADER[platform]) or "").strip()[:200]
    delivery_id = delivery_id or "sha256:" + hashlib.sha256(body).hexdigest()
    fields = {
        "shop": shop,
        "delivery_id": delivery_id,
        "topic": topic,
        "test_mode": shop.is_test or test_event,
        "is_test_event": test_event,
    }
    code, values, detail = "", {}, ""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        code, values, detail = Reason.MALFORMED_JSON, {"error": str(exc)[:200]}, str(exc)
    else:
        if not isinstance(payload, dict):
            code, detail = Reason.NOT_AN_OBJECT, "the body is JSON but not an object"
    if code:
        # The answer stays in English: the platform's delivery log shows it to a developer.
        detail = f"malformed JSON: {detail}"
        logger.warning("shop %s sent %s (delivery %s)", shop.pk, detail, delivery_id)
        event = _record(
            fields,
            status=ShopEvent.Status.MALFORMED,
            reason_code=code,
            reason_values=values,
            raw_excerpt=body[:EXCERPT].decode("utf-8", errors="replace"),
        )
        return Reception(400, "malformed", event, detail)
    event = _record(fields, payload=payload)
    if event is None:
        return Reception(
            200, "duplicate", ShopEvent.objects.get(shop=shop, delivery_id=delivery_id)
        )
    return Reception(200, "accepted", event)


# How long the shop's page remembers the last webhook refused for its signature.
REFUSAL_MEMORY = 7 * 24 * 3600


def _refusal_key(shop):
    return f"shops:refused:{shop.public_id}"


def note_refusal(shop, *, missing):
    """Remember the last refused webhook for the shop's page (a wrong secret is the usual
    set-up mistake, and nothing else is written for it). In the cache, not the database: a
    flood of forged posts costs one key. Never fails the answer."""
    try:
        cache.set(
            _refusal_key(shop),
            {"at": timezone.now().isoformat(), "missing": missing},
            REFUSAL_MEMORY,
        )
    except Exception:  # noqa: BLE001 - the 401 matters more than the note
        logger.exception("could not note the refused webhook of shop %s", shop.pk)


def last_refusal(shop):
    """(when, missing signature?) of the last refused webhook, or None."""
    try:
        noted = cache.get(_refusal_key(shop))
    except Exception:  # noqa: BLE001 - the page shows without it
        logger.exception("could not read the refused webhook of shop %s", shop.pk)
        return None
    if not noted:
        return None
    return datetime.fromisoformat(noted["at"]), bool(noted.get("missing"))


def _record(fields, **values):
    """The new event (its processing queued), or None when this delivery was recorded before."""
    try:
        with transaction.atomic():
            event = ShopEvent.objects.create(**fields, **values)
            if event.status == ShopEvent.Status.RECEIVED:
                jobs.enqueue(
                    "integrations.shops.tasks.process_event", event.pk, queue=jobs.WEBHOOKS
                )
    except IntegrityError:
        return None
    return event


def send_test_event(shop, topic, status=""):
    """Run the platform's recorded sample for topic through receive() and the job, in test
    mode: signed here with the shop's own secret, as the shop would sign it."""
    body = samples.sample_body(shop.platform, topic, status)
    headers = {
        verification.SIGNATURE_HEADER[shop.platform]: verification.sign(shop.webhook_secret, body),
        verification.DELIVERY_HEADER[shop.platform]: f"relais-test-{uuid.uuid4()}",
        verification.TOPIC_HEADER[shop.platform]: topic,
    }
    return receive(shop, body, headers, test_event=True)


# A received event still waiting after this long lost its job (Redis down when it was written).
STUCK_AFTER = timedelta(minutes=5)


def redrive(now=None):
    """Queue again the events whose job was lost; the number queued."""
    now = now or timezone.now()
    stuck = ShopEvent.objects.filter(
        status=ShopEvent.Status.RECEIVED, created__lt=now - STUCK_AFTER
    ).values_list("pk", flat=True)
    ids = list(stuck[:10_000])
    jobs.enqueue_many(
        "integrations.shops.tasks.process_event", [(pk,) for pk in ids], queue=jobs.WEBHOOKS
    )
    return len(ids)


def process_again(events):
    """Queue the failed events among events to be processed again, once their cause is fixed
    (a mapping, a published template); the ids queued. A failed event sent nothing, and the
    send key still holds one message per order and topic."""
    with transaction.atomic():
        ids = list(
            ShopEvent.objects.select_for_update()
            .filter(pk__in=[event.pk for event in events], status=ShopEvent.Status.FAILED)
            .exclude(payload=None)
            .values_list("pk", flat=True)
        )
        ShopEvent.objects.filter(pk__in=ids).update(
            status=ShopEvent.Status.RECEIVED, reason_code="", reason_values={}, processed_at=None
        )
        jobs.enqueue_many(
            "integrations.shops.tasks.process_event", [(pk,) for pk in ids], queue=jobs.WEBHOOKS
        )
    return ids


def process(event_id):
    """Process one received event once: contact, consent, conversion, then the message.

    Reasons are stored as codes and values (integrations.shops.reasons), worded when shown; the
    send API's own refusals are kept worded in the installation's language too."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        event = (
            ShopEvent.objects.select_for_update().select_related("shop").filter(pk=event_id).first()
        )
        if event is None or event.status != ShopEvent.Status.RECEIVED:
            return event
        _process(event)
        event.processed_at = timezone.now()
        event.save()
    return event


def _process(event):
    shop = event.shop
    order = parsing.parse(
        shop.platform, event.topic, event.payload, consent_meta_key=shop.consent_meta_key
    )
    event.order_id = order.order_id[:100]
    phone, refusal = pick_phone(order)
    contact = None
    if phone:
        event.phone = phone
        contact = get_or_create_contact(phone, test_mode=event.test_mode)
        event.consent = write_consent(contact, order.consent, shop)
    converted, event.conversion_refusal = record_paid_order(shop, order, phone, event.test_mode)
    # Processed again, the order's conversion is the one recorded the first time.
    event.converted = event.converted or converted
    if contact is None:
        return _finish(event, ShopEvent.Status.SKIPPED, *refusal)
    mapping = mappings.find(shop, event.topic, order.status)
    if mapping is None:
        return _finish(event, ShopEvent.Status.SKIPPED, Reason.NO_MAPPING, topic=event.topic)
    send(event, mapping, order, phone)


def _finish(event, status, code, values=None, **more):
    event.status = status
    event.reason_code = code
    event.reason_values = {**(values or {}), **more}


def pick_phone(order):
    """(E.164 phone, None) for the first number of the order Relais sends to, else
    (None, (reason code, its values)) for the first number refused."""
    if not order.phones:
        return None, (Reason.NO_PHONE, {})
    refusal = None
    for raw in order.phones:
        try:
            phone = normalize_phone(raw, region=order.country or None)
        except InvalidNumber:
            refusal = refusal or (Reason.INVALID_PHONE, {"number": str(raw)[:40]})
            continue
        refused = check_destination(phone)
        if refused is None:
            return phone, None
        code = Reason.COUNTRY_NOT_ALLOWED
        values = {"number": phone, "country": refused.country}
        if refused.code != "country_not_allowed":
            code, values = Reason.NOT_A_MOBILE, {"number": phone, "kind": refused.kind}
        refusal = refusal or (code, values)
    return None, refusal


def write_consent(contact, consent, shop):
    """Write the shop's SMS consent to the ledger when it changes anything; the kind written."""
    if consent is None:
        return ""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.sms_consent == consent.kind:
        return ""
    occurred_at = min(consent.occurred_at or timezone.now(), timezone.now())
    # A consent older than the entry deciding the channel (a later STOP) changes no column:
    # the same word from the shop is written once, not with every order.
    already = contact.consent_entries.filter(
        source=shop.source, kind=consent.kind, occurred_at=occurred_at
    )
    if already.exists():
        return ""
    record_consent(
        contact,
        consent.kind,
        source=shop.source,
        wording=consent.wording,
        occurred_at=occurred_at,
        test_mode=contact.test_mode,
        operator=shop.name,
    )
    return consent.kind


def record_paid_order(shop, order, phone, test_mode):
    """(True when a new conversion was recorded, the refusal's code and values or None)."""
    if not (order.paid and order.order_id and order.total is not None and order.currency):
        return False, None
    currency = order.currency.upper()
    try:
        _conversion, created = record_conversion(
            order_id=order.order_id,
            value=order.total,
            currency=currency,
            occurred_at=order.placed_at,
            phone=phone,
            test_mode=test_mode,
            source=shop.source,
        )
    except ConversionRefused as refused:
        return False, conversion_refusal(refused, order.order_id, currency, test_mode)
    return created, None


def conversion_refusal(refused, order_id, currency, test_mode):
    """The values reasons.conversion_sentence words a refused conversion with."""
    refusal = {"code": refused.code}
    if refused.code == "too_many_decimals":
        try:
            places = Currency(currency).exponent or 0
        except ValueError:
            places = None
        refusal.update(currency=currency, places=places)
    elif refused.code == "order_conflict":
        recorded = Conversion.objects.filter(test_mode=test_mode, order_id=order_id).first()
        refusal["order"] = order_id
        if recorded and recorded.currency != currency:
            refusal["currency"] = recorded.currency
        elif recorded:
            refusal["value"] = str(recorded.amount)
    worded = refusal.get("places") is not None or "currency" in refusal or "value" in refusal
    if refused.code not in reasons.CONVERSION_CODES or (
        refused.code in ("too_many_decimals", "order_conflict") and not worded
    ):
        # Nothing to word it again with: the sentence as record_conversion wrote it.
        refusal["detail"] = refused.message
    return refusal


def send_key(event, mapping):
    mode = "test" if event.test_mode else "live"
    key = f"{mode}:{event.order_id}:{event.topic}"
    # WooCommerce's order.updated mapped once for "processing" and once for "completed" sends
    # each once, not the first alone.
    key = f"{key}:{mapping.status}" if mapping.status else key
    # Every click on "Send a test event" sends again: that is what it is for.
    return f"{key}:{event.delivery_id}" if event.is_test_event else key


def send(event, mapping, order, phone):
    """Submit the mapped template once per order and topic, and note the outcome on event."""
    template = mapping.template
    version = template.current_version
    if version is None or template.status == MessageTemplate.Status.ARCHIVED:
        return _finish(
            event, ShopEvent.Status.FAILED, Reason.TEMPLATE_NOT_PUBLISHED, template=template.name
        )
    try:
        variables = mappings.variables_for(
            mapping, event.payload, order, version.declared_variables()
        )
    except mappings.MappingProblem as problem:
        return _finish(
            event,
            ShopEvent.Status.FAILED,
            Reason.MISSING_VALUE,
            variable=problem.variable,
            path=problem.path,
        )
    try:
        with transaction.atomic():
            event.send_key = send_key(event, mapping)
            event.save(update_fields=["send_key"])
            event.message = submit_message(
                template_id=template.slug,
                recipient=phone,
                variables=variables,
                external_id=f"{event.shop.platform}:{order.order_id}"[:200],
                test_mode=event.test_mode,
                source=Message.Source.SHOP,
            )
    except IntegrityError:
        event.send_key = None
        return _finish(event, ShopEvent.Status.SKIPPED, Reason.ALREADY_SENT)
    except SendRefused as refused:
        event.send_key = None
        event.message = None
        status = (
            ShopEvent.Status.SKIPPED if refused.field == "recipient" else ShopEvent.Status.FAILED
        )
        return _finish(event, status, *send_refusal(refused))
    event.status = ShopEvent.Status.SENT


# The send API's refusals a shop event words itself, in the reader's language.
SEND_CODES = {
    "no_consent": Reason.NO_CONSENT,
    "recipient_opted_out": Reason.OPTED_OUT,
    "template_not_published": Reason.TEMPLATE_NOT_PUBLISHED,
}


def send_refusal(refused):
    """(reason code, values) for a refusal of the send API: any other than SEND_CODES keeps its
    code, field and sentence (worded in the installation's language)."""
    if refused.code in SEND_CODES:
        return SEND_CODES[refused.code], {}
    return Reason.SEND_REFUSED, {
        "code": refused.code,
        "field": refused.field,
        "detail": refused.message[:500],
    }
