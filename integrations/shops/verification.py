"""Webhook signatures of Shopify and WooCommerce: both send the base64 of an HMAC-SHA256 of
the raw body, keyed with the shop's secret, in a header of their own."""

import base64
import hashlib
import hmac

from integrations.shops.models import Platform

# Django's META names of the headers, per platform.
SIGNATURE_HEADER = {
    Platform.SHOPIFY: "X-Shopify-Hmac-Sha256",
    Platform.WOOCOMMERCE: "X-WC-Webhook-Signature",
}
DELIVERY_HEADER = {
    Platform.SHOPIFY: "X-Shopify-Webhook-Id",
    Platform.WOOCOMMERCE: "X-WC-Webhook-Delivery-ID",
}
TOPIC_HEADER = {
    Platform.SHOPIFY: "X-Shopify-Topic",
    Platform.WOOCOMMERCE: "X-WC-Webhook-Topic",
}


def sign(secret, body):
    """The signature a platform would send for body (bytes) with secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def is_valid(secret, body, signature):
    """True when signature is the signature of body with secret (compared in constant time)."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), signature.strip().encode())
