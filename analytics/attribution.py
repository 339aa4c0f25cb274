"""Recording a conversion: recognise the buyer, credit the message that earned the order (the
last one clicked within the click window, else the last one delivered within the delivery
window), and keep one row per order id however often, and however concurrently, it is posted."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from iso4217 import Currency

from analytics.conversions import Conversion
from analytics.models import Click
from audience.models import Contact
from messaging.links import read_click_id, settings_keys
from sending.models import Message

# A shop's clock and ours may differ a little; an order further ahead than this is a mistake.
FUTURE_SKEW = timedelta(hours=1)


class ConversionRefused(Exception):
    """A conversion that cannot be recorded; status, code and field say why."""

    def __init__(self, status, code, message, field):
        self.status = status
        self.code = code
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


@dataclass(frozen=True)
class Credit:
    """What earned an order: the rule, the message, and for a click its time, CTA and row."""

    attributed_by: str
    message: Message
    clicked_at: datetime | None = None
    cta_index: int | None = None
    click: Click | None = None


@dataclass(frozen=True)
class _ClickFromId:
    message: Message
    cta_index: int
    clicked_at: datetime


def click_window():
    return timedelta(days=settings.CONVERSION_CLICK_WINDOW_DAYS)


def delivery_window():
    return timedelta(hours=settings.CONVERSION_DELIVERY_WINDOW_HOURS)


def _messages(test_mode):
    # Draft tests are the marketer's own phone trying a template, never a customer's message.
    return Message.objects.filter(test_mode=test_mode, draft_test=False)


def read_click(value, test_mode):
    """The message, CTA and time a genuine click id names in this mode, else None."""
    # Under SECRET_KEY's fallbacks too: a rotated key still reads the ids handed out before.
    found = (read_click_id(value, key) for key in settings_keys()) if value else ()
    read = next((item for item in found if item is not None), None)
    if read is None:
        return None
    number, cta_index, unix = read
    message = _messages(test_mode).select_related("contact").filter(pk=number).first()
    if message is None:
        return None
    return _ClickFromId(message, cta_index, datetime.fromtimestamp(unix, UTC))


def _e164(phone):
    """The E.164 form contacts are stored under (national numbers read in the default region)."""
    try:
        parsed = phonenumbers.parse(phone.strip(), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        message = _("This is not a valid phone number.")
        raise ConversionRefused(422, "invalid_phone", message, "phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def recognise(*, click_id=None, message_id=None, phone=None, test_mode=False):
    """(contact, matched_by, click read from the id) for the first identifier that names
    someone in this mode, trying the click id, then the message id, then the phone number;
    (None, "", None) when none does. Raises ConversionRefused for a number that is not one,
    whatever the other identifiers say."""
    number = _e164(phone) if phone is not None else None
    clicked = read_click(click_id, test_mode)
    if clicked is not None:
        return clicked.message.contact, Conversion.MatchedBy.CLICK_ID, clicked
    if message_id is not None:
        message = _messages(test_mode).select_related("contact").filter(public_id=message_id)
        message = message.first()
        if message is not None:
            return message.contact, Conversion.MatchedBy.MESSAGE_ID, None
    if number is not None:
        contact = Contact.objects.in_mode(test_mode).filter(phone=number).first()
        if contact is not None:
            return contact, Conversion.MatchedBy.PHONE, None
    return None, "", None


def credit(contact, occurred_at, test_mode, clicked=None):
    """The Credit for an order the contact placed at occurred_at, or None.

    The last click by a person within the click window before the order wins (a click id
    counts even before its row is written); without one, the last message delivered within
    the delivery window before the order.
    """
    since = occurred_at - click_window()
    last = (
        Click.objects.counted()
        .filter(
            message__contact=contact,
            message__draft_test=False,
            test_mode=test_mode,
            occurred_at__gte=since,
            occurred_at__lte=occurred_at,
        )
        .select_related("message")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    best = None
    if last is not None:
        best = Credit(
            Conversion.AttributedBy.CLICK, last.message, last.occurred_at, last.cta_index, last
        )
    if (
        clicked is not None
        and since <= clicked.clicked_at <= occurred_at
        # A row of the same click is written to the second; it is the better record of it.
        and (best is None or clicked.clicked_at > best.clicked_at)
    ):
        best = Credit(
            Conversion.AttributedBy.CLICK, clicked.message, clicked.clicked_at, clicked.cta_index
        )
    if best is not None or not settings.CONVERSION_DELIVERY_WINDOW_HOURS:
        return best
    delivered = (
        _messages(test_mode)
        .filter(
            contact=contact,
            delivered_at__gte=occurred_at - delivery_window(),
            delivered_at__lte=occurred_at,
        )
        .order_by("-delivered_at", "-pk")
        .first()
    )
    if delivered is not None:
        return Credit(Conversion.AttributedBy.DELIVERY, delivered)
    return None


def _check_places(value, currency):
    exponent = Currency(currency).exponent or 0
    if value == value.quantize(Decimal(1).scaleb(-exponent)):
        return
    if exponent == 0:
        message = _("Amounts in %(currency)s are whole numbers.") % {"currency": currency}
    else:
        message = ngettext(
            "Amounts in %(currency)s have at most %(places)d decimal place.",
            "Amounts in %(currency)s have at most %(places)d decimal places.",
            exponent,
        ) % {"currency": currency, "places": exponent}
    raise ConversionRefused(422, "too_many_decimals", message, "value")


def _same_order(existing, value, currency):
    """The existing conversion when the repeat agrees with it; refuse one that does not."""
    if existing.currency != currency:
        message = _("Order %(order)s was recorded in %(currency)s.") % {
            "order": existing.order_id,
            "currency": existing.currency,
        }
        raise ConversionRefused(409, "order_conflict", message, "currency")
    if existing.value != value:
        message = _("Order %(order)s was recorded with the value %(value)s.") % {
            "order": existing.order_id,
            "value": existing.amount,
        }
        raise ConversionRefused(409, "order_conflict", message, "value")
    return existing


def record_conversion(
    *,
    order_id,
    value,
    currency,
    occurred_at=None,
    click_id=None,
    message_id=None,
    phone=None,
    test_mode=False,
    source=Conversion.Source.API,
):
    """(conversion, created): a new conversion credited by the attribution rules, or the one
    already recorded for this order id in this mode when value and currency agree.

    Raises ConversionRefused: 422 for input the schema cannot judge alone (decimal places of
    the currency, an order in the future, a phone that is no number), 409 for an order id
    already recorded with another value or currency.
    """
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + FUTURE_SKEW:
        message = _("An order cannot be placed in the future.")
        raise ConversionRefused(422, "future_order", message, "occurred_at")
    _check_places(value, currency)
    if phone is not None:
        _e164(phone)  # refused whether or not the order is already known
    orders = Conversion.objects.filter(test_mode=test_mode, order_id=order_id)
    existing = orders.first()
    if existing is not None:
        return _same_order(existing, value, currency), False
    contact, matched_by, clicked = recognise(
        click_id=click_id, message_id=message_id, phone=phone, test_mode=test_mode
    )
    earned = credit(contact, occurred_at, test_mode, clicked) if contact is not None else None
    conversion = Conversion(
        order_id=order_id,
        value=value,
        currency=currency,
        occurred_at=occurred_at,
        test_mode=test_mode,
        matched_by=matched_by,
        contact=contact,
        source=source,
    )
    if earned is not None:
        conversion.attributed_by = earned.attributed_by
        conversion.message = earned.message
        conversion.dispatch_id = earned.message.dispatch_id
        conversion.click = earned.click
        conversion.clicked_at = earned.clicked_at
        conversion.cta_index = earned.cta_index
    try:
        # A savepoint: the same order id posted at the same moment loses the race here, and
        # the transaction around it goes on to answer with the winner.
        with transaction.atomic():
            conversion.save()
    except IntegrityError:
        existing = orders.first()
        if existing is None:
            raise
        return _same_order(existing, value, currency), False
    return conversion, True
