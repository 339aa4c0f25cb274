"""The RBM provider as the tests build it: fake tokens, a stub endpoint, signed webhooks."""

import base64
import hashlib
import hmac
import json

from messaging.providers.base import Channel, OutboundMessage, WebhookRequest
from messaging.providers.rbm import RbmProvider

from .helpers import ATTEMPT_ID, fixture_bytes

AGENT = "relais_demo_agent@rbm.goog"
CLIENT_TOKEN = "relais-test-client-token"
NUMBER = "+33612345678"
CONTENT = {
    "text": "Bonjour Camille",
    "suggestions": [{"reply": {"text": "Oui", "postbackData": "cta_a1"}}],
}
WEBHOOK_URL = "https://relais.example.com/webhooks/rbm/"


class FakeTokens:
    """Hands out a new token after each invalidate(), like a refreshed service account."""

    def __init__(self):
        self.invalidated = 0

    def token(self):
        return f"ya29.token-{self.invalidated}"

    def invalidate(self):
        self.invalidated += 1


class CountingPacer:
    def __init__(self):
        self.waits = 0

    def wait(self):
        self.waits += 1


def make_rbm(stub=None, **overrides):
    options = {
        "agent_id": AGENT,
        "client_token": CLIENT_TOKEN,
        "token_source": FakeTokens(),
        "api_base": stub.base_url if stub else "http://127.0.0.1:9",
        "batch_pacer": CountingPacer(),
    }
    options.update(overrides)
    return RbmProvider(**options)


def rcs_message(**overrides):
    fields = {
        "attempt_id": ATTEMPT_ID,
        "to": NUMBER,
        "channel": Channel.RCS,
        "rcs_content": CONTENT,
        "traffic_type": "PROMOTION",
        "ttl_seconds": 600,
    }
    fields.update(overrides)
    return OutboundMessage(**fields)


def signed_request(name, client_token=CLIENT_TOKEN, url=WEBHOOK_URL):
    body = fixture_bytes("rbm", name)
    data = base64.b64decode(json.loads(body)["message"]["data"])
    signature = base64.b64encode(hmac.new(client_token.encode(), data, hashlib.sha512).digest())
    headers = {"Content-Type": "application/json", "X-Goog-Signature": signature.decode()}
    return WebhookRequest(url=url, headers=headers, body=body)
