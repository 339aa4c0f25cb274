"""Recorded sample payloads of each platform (samples/*.json): the tree of the mapping screen
and the body of "Send a test event"."""

import json
from functools import cache
from pathlib import Path

from integrations.shops.models import Platform

SAMPLES = Path(__file__).resolve().parent / "samples"


@cache
def _read(name):
    return (SAMPLES / name).read_bytes()


def sample_name(platform, topic, status=""):
    if platform == Platform.SHOPIFY:
        if topic.startswith("fulfillments/"):
            return "shopify_fulfillment.json"
        if topic == "orders/fulfilled":
            return "shopify_order_fulfilled.json"
        return "shopify_order.json"
    if status == "completed":
        return "woocommerce_order_completed.json"
    return "woocommerce_order.json"


def sample_body(platform, topic, status=""):
    """The raw bytes of the sample for a topic, as the platform would send them."""
    body = _read(sample_name(platform, topic, status))
    if platform == Platform.WOOCOMMERCE and status and status not in ("processing", "completed"):
        payload = json.loads(body)
        payload["status"] = status
        body = json.dumps(payload, ensure_ascii=False, indent=2).encode()
    return body


def sample_payload(platform, topic, status=""):
    return json.loads(sample_body(platform, topic, status))
