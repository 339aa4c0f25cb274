"""Read what Relais needs from a Shopify or WooCommerce order payload, and walk any payload by
field path (the mapping screen and the mappings use the same paths).

A path is keys and list positions joined by dots: "customer.first_name",
"fulfillments.0.tracking_url". Paths starting with "@" name what this module works out for
both platforms alike (the tracking link wherever the platform keeps it, the total with its
currency): DERIVED lists them.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from integrations.shops.models import Platform

MISSING = object()

# WooCommerce's Shipment Tracking extensions keep their parcels in this order meta field.
WOO_TRACKING_META = "_wc_shipment_tracking_items"

DERIVED = {
    "@order_number": gettext_lazy("Order number as the customer sees it"),
    "@first_name": gettext_lazy("Customer's first name"),
    "@total": gettext_lazy("Total with its currency"),
    "@tracking_url": gettext_lazy("Tracking link"),
    "@tracking_number": gettext_lazy("Tracking number"),
    "@carrier": gettext_lazy("Carrier"),
}

# Shopify's SMS marketing states, as consent kinds; the others (not_subscribed, pending,
# redacted) say nothing either way.
SHOPIFY_SMS_STATES = {"subscribed": "opt_in", "unsubscribed": "opt_out"}
# What WooCommerce plugins write in a consent meta field. An unticked box ("no", "") is no
# withdrawal: only words that say so are.
WOO_YES = {"yes", "1", "true", "on", "subscribed", "opt_in", "opted_in"}
WOO_WITHDRAWN = {"unsubscribed", "opt_out", "opted_out", "withdrawn"}


@dataclass
class Consent:
    kind: str  # "opt_in" or "opt_out"
    occurred_at: datetime | None
    wording: str


@dataclass
class Order:
    """What the connector reads from one payload; empty strings where the payload has nothing."""

    order_id: str = ""
    phones: list[str] = field(default_factory=list)
    # Where national numbers are read (ISO 3166 alpha-2), from the addresses.
    country: str = ""
    status: str = ""
    paid: bool = False
    total: Decimal | None = None
    currency: str = ""
    placed_at: datetime | None = None
    consent: Consent | None = None
    derived: dict = field(default_factory=dict)


def resolve(payload, path):
    """The value at path in payload, or MISSING."""
    if path.startswith("@"):
        return MISSING
    value = payload
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def leaves(payload, prefix=""):
    """(path, value) of every scalar in payload, in document order."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            yield from leaves(value, f"{prefix}{key}.")
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            yield from leaves(value, f"{prefix}{index}.")
    else:
        yield prefix.rstrip("."), payload


def as_text(value):
    if value is None or value is MISSING or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _datetime(value):
    """An aware datetime; WooCommerce's *_gmt fields carry no offset and are UTC."""
    try:
        parsed = parse_datetime(as_text(value)) if value else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _first(*values):
    for value in values:
        text = as_text(value)
        if text:
            return text
    return ""


def _phones(*values):
    return list(dict.fromkeys(text for text in map(as_text, values) if text))


def _total_text(total, currency):
    return f"{total} {currency}".strip() if total is not None else ""


def parse(platform, topic, payload, *, consent_meta_key=""):
    """The Order in payload (a Shopify or WooCommerce order, or a Shopify fulfillment)."""
    if not isinstance(payload, dict):
        return Order()
    if platform == Platform.SHOPIFY:
        if topic.startswith("fulfillments/"):
            return _shopify_fulfillment(payload)
        if topic.startswith("customers/"):
            return _shopify_customer(payload)
        return _shopify_order(payload)
    return _woo_order(payload, consent_meta_key)


def _shopify_order(order):
    customer = order.get("customer") or {}
    billing = order.get("billing_address") or {}
    shipping = order.get("shipping_address") or {}
    fulfillments = [item for item in order.get("fulfillments") or [] if isinstance(item, dict)]
    tracked = next((item for item in reversed(fulfillments) if item.get("tracking_url")), None)
    tracked = tracked or (fulfillments[-1] if fulfillments else {})
    total = _decimal(order.get("total_price"))
    currency = as_text(order.get("currency"))
    return Order(
        order_id=as_text(order.get("id")),
        phones=_phones(
            customer.get("phone"),
            order.get("phone"),
            billing.get("phone"),
            shipping.get("phone"),
            (customer.get("default_address") or {}).get("phone"),
        ),
        country=_first(shipping.get("country_code"), billing.get("country_code")).upper(),
        status=as_text(order.get("financial_status")),
        paid=order.get("financial_status") == "paid",
        total=total,
        currency=currency,
        placed_at=_datetime(order.get("processed_at") or order.get("created_at")),
        consent=_shopify_consent(order, customer),
        derived={
            "@order_number": _first(order.get("name"), order.get("order_number")),
            "@first_name": _first(
                customer.get("first_name"), billing.get("first_name"), shipping.get("first_name")
            ),
            "@total": _total_text(total, currency),
            "@tracking_url": _first(
                tracked.get("tracking_url"), *tracked.get("tracking_urls") or []
            ),
            "@tracking_number": _first(
                tracked.get("tracking_number"), *tracked.get("tracking_numbers") or []
            ),
            "@carrier": as_text(tracked.get("tracking_company")),
        },
    )


def _shopify_fulfillment(fulfillment):
    destination = fulfillment.get("destination") or {}
    return Order(
        order_id=as_text(fulfillment.get("order_id")),
        phones=_phones(destination.get("phone")),
        country=as_text(destination.get("country_code")).upper(),
        status=as_text(fulfillment.get("status")),
        derived={
            "@order_number": as_text(fulfillment.get("name")).split(".")[0],
            "@first_name": as_text(destination.get("first_name")),
            "@total": "",
            "@tracking_url": _first(
                fulfillment.get("tracking_url"), *fulfillment.get("tracking_urls") or []
            ),
            "@tracking_number": _first(
                fulfillment.get("tracking_number"), *fulfillment.get("tracking_numbers") or []
            ),
            "@carrier": as_text(fulfillment.get("tracking_company")),
        },
    )


def _shopify_customer(customer):
    """A customers/create or customers/update payload: a contact and its consent, no order."""
    address = customer.get("default_address") or {}
    return Order(
        phones=_phones(customer.get("phone"), address.get("phone")),
        country=as_text(address.get("country_code")).upper(),
        consent=_shopify_consent({}, customer),
        derived={"@first_name": as_text(customer.get("first_name"))},
    )


def _shopify_consent(order, customer):
    sms = customer.get("sms_marketing_consent")
    if isinstance(sms, dict) and sms.get("state") in SHOPIFY_SMS_STATES:
        level = as_text(sms.get("opt_in_level"))
        wording = f"Shopify sms_marketing_consent: {sms['state']}"
        return Consent(
            kind=SHOPIFY_SMS_STATES[sms["state"]],
            occurred_at=_datetime(sms.get("consent_updated_at")),
            wording=f"{wording} ({level})" if level else wording,
        )
    if order.get("buyer_accepts_sms_marketing") is True:
        return Consent(
            kind="opt_in",
            occurred_at=_datetime(order.get("created_at")),
            wording="Shopify buyer_accepts_sms_marketing: true",
        )
    return None


def _meta(order, key):
    for item in order.get("meta_data") or []:
        if isinstance(item, dict) and item.get("key") == key:
            return item.get("value")
    return MISSING


def _woo_consent(order, key):
    if not key:
        return None
    value = _meta(order, key)
    word = as_text(value).lower()
    if word in WOO_YES:
        kind = "opt_in"
    elif word in WOO_WITHDRAWN:
        kind = "opt_out"
    else:
        return None
    return Consent(
        kind=kind,
        occurred_at=_datetime(order.get("date_modified_gmt") or order.get("date_created_gmt")),
        wording=f"WooCommerce order meta {key}: {as_text(value)}",
    )


def _woo_tracking(order):
    items = _meta(order, WOO_TRACKING_META)
    items = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    if not items:
        return {}
    item = items[-1]
    return {
        "url": _first(
            item.get("formatted_tracking_link"),
            item.get("custom_tracking_link"),
            item.get("tracking_link"),
        ),
        "number": as_text(item.get("tracking_number")),
        "carrier": _first(
            item.get("formatted_tracking_provider"),
            item.get("custom_tracking_provider"),
            item.get("tracking_provider"),
        ),
    }


def _woo_order(order, consent_meta_key):
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    tracking = _woo_tracking(order)
    status = as_text(order.get("status"))
    total = _decimal(order.get("total"))
    currency = as_text(order.get("currency"))
    placed_at = _datetime(order.get("date_paid_gmt") or order.get("date_created_gmt"))
    return Order(
        order_id=as_text(order.get("id")),
        phones=_phones(billing.get("phone"), shipping.get("phone")),
        country=_first(billing.get("country"), shipping.get("country")).upper(),
        status=status,
        paid=status in ("processing", "completed"),
        total=total,
        currency=currency,
        placed_at=placed_at,
        consent=_woo_consent(order, consent_meta_key),
        derived={
            "@order_number": _first(order.get("number"), order.get("id")),
            "@first_name": _first(billing.get("first_name"), shipping.get("first_name")),
            "@total": _total_text(total, currency),
            "@tracking_url": tracking.get("url", ""),
            "@tracking_number": tracking.get("number", ""),
            "@carrier": tracking.get("carrier", ""),
        },
    )


def tree(payload, prefix=""):
    """The payload as nested nodes for the mapping screen: key, path, and either the value (a
    leaf) or children."""
    items = payload.items() if isinstance(payload, dict) else enumerate(payload)
    nodes = []
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, dict | list) and value:
            nodes.append({"key": key, "path": path, "children": tree(value, f"{path}.")})
        else:
            nodes.append({"key": key, "path": path, "value": as_text(value) or "—", "leaf": True})
    return nodes
