"""Helpers for the shop connector tests: shops, recorded payloads, signed webhook posts."""

import base64
import hashlib
import hmac
import uuid
from pathlib import Path

from django.urls import reverse

from integrations.shops.models import Shop, ShopMapping

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "shops"
SECRET = "shpss_4f1c0e7a9b2d46e8a1c3"
HEADERS = {
    "shopify": ("X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id", "X-Shopify-Topic"),
    "woocommerce": ("X-WC-Webhook-Signature", "X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Topic"),
}


def fixture(name):
    """The raw bytes of a recorded payload in tests/fixtures/shops/."""
    return (FIXTURES / name).read_bytes()


def signature(secret, body):
    """Computed here as the platforms document it, without Relais' code."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def make_shop(platform="shopify", **fields):
    values = {
        "platform": platform,
        "name": "Atelier Inès" if platform == "shopify" else "Savonnerie Hugo",
        "domain": "atelier-ines.myshopify.com" if platform == "shopify" else "savonnerie.example",
        "webhook_secret": SECRET,
        "mode": "live",
    }
    values.update(fields)
    return Shop.objects.create(**values)


def make_mapping(shop, template, topic, status="", **fields):
    return ShopMapping.objects.create(
        shop=shop, topic=topic, status=status, template=template, fields=fields
    )


def post_webhook(client, shop, body, topic, *, delivery_id=None, secret=None, sign=True, **extra):
    """POST body to the shop's webhook address as the platform does; returns the response."""
    signature_header, delivery_header, topic_header = HEADERS[shop.platform]
    headers = {
        delivery_header: delivery_id or str(uuid.uuid4()),
        topic_header: topic,
        **extra,
    }
    if sign:
        headers[signature_header] = signature(secret or shop.webhook_secret, body)
    return client.post(
        reverse("integrations:shop_webhook", args=[shop.public_id]),
        data=body,
        content_type="application/json",
        headers=headers,
    )


def order_template(**overrides):
    """A published transactional order confirmation; returns (template, version)."""
    from tests.factories import make_published_template

    fields = {
        "name": "Confirmation de commande",
        "category": "order",
        "traffic_type": "TRANSACTION",
        "rcs_content": {
            "text": "Merci {{ prenom }} ! Commande {{ numero_commande }} : {{ montant }}."
        },
        "sms_fallback": "Merci {{ prenom }} ! Commande {{ numero_commande }} : {{ montant }}.",
        "variables": [
            {"name": "prenom", "default": None, "sample": "Marie"},
            {"name": "numero_commande", "default": None, "sample": "#1001"},
            {"name": "montant", "default": "", "sample": "42,00 €"},
        ],
    }
    fields.update(overrides)
    return make_published_template(**fields)


def delivery_template(**overrides):
    """A published transactional delivery notice with the tracking link and the carrier."""
    from tests.factories import make_published_template

    fields = {
        "name": "Colis expédié",
        "category": "delivery",
        "traffic_type": "TRANSACTION",
        "rcs_content": {"text": "{{ prenom }}, votre colis part avec {{ transporteur }}."},
        "sms_fallback": "{{ prenom }}, colis confié à {{ transporteur }} : {{ lien_suivi }}",
        "variables": [
            {"name": "prenom", "default": "Bonjour", "sample": "Marie"},
            {"name": "transporteur", "default": None, "sample": "Colissimo"},
            {"name": "lien_suivi", "default": None, "sample": "https://suivi.example/1"},
        ],
    }
    fields.update(overrides)
    return make_published_template(**fields)
