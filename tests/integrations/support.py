"""Helpers for the outbound webhook tests: an independent verifier, endpoints, a receiver."""

import hashlib
import hmac
import json

from integrations.models import WebhookEndpoint

ALL_EVENTS = [
    "message.sent",
    "message.delivered",
    "message.read",
    "message.failed",
    "message.fell_back",
    "message.clicked",
    "contact.opted_out",
    "contact.opted_in",
    "inbound.received",
]


def independent_verify(secret, request):
    """Check a recorded request's Relais-Signature as a receiver would, without Relais' code."""
    fields = dict(part.split("=", 1) for part in request.header("Relais-Signature").split(","))
    message = fields["t"].encode("ascii") + b"." + request.body
    expected = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def make_endpoint(url, *, mode="test", events=None, **fields):
    return WebhookEndpoint.objects.create(
        mode=mode, url=url, events=list(events or ALL_EVENTS), **fields
    )


def bodies(stub):
    return [json.loads(request.body) for request in stub.requests]
