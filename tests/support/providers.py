"""The providers as the tests build them: recorded payloads, test credentials, signed webhooks.

A plugin of the root conftest: it also gives every test the `stub` fixture, a local HTTP server
standing in for a provider's API.
"""

import base64
import hashlib
import hmac
import json
from pathlib import Path
from urllib.parse import parse_qs
from uuid import UUID

import pytest
from twilio.request_validator import RequestValidator

from messaging.providers.rbm import RbmProvider
from messaging.providers.simulator import SimulatorProvider
from messaging.providers.twilio import TwilioProvider
from messaging.providers.webhooks import WebhookRequest
from tests.support.stub_server import StubServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The attempt id the recorded RBM payloads refer to.
ATTEMPT_ID = UUID("5f3c2a1e-8b7d-4c6e-9f01-23456789abcd")
# The recipient the recorded payloads name.
NUMBER = "+33612345678"


def fixture_bytes(provider, name):
    """Return a recorded payload as bytes, without the file's final newline."""
    return (FIXTURES / provider / name).read_bytes().rstrip(b"\n")


def fixture_json(provider, name):
    return json.loads(fixture_bytes(provider, name))


@pytest.fixture
def stub():
    """A local HTTP server that records requests and answers what the test queued."""
    with StubServer() as server:
        yield server


# The simulator

SIMULATOR_SECRET = "sim-test-secret"
# The settings that make get_provider("simulator") sign as make_simulator() does.
SIMULATOR_SETTINGS = {"SIMULATOR_WEBHOOK_SECRET": SIMULATOR_SECRET}


def make_simulator(**overrides):
    return SimulatorProvider(secret=SIMULATOR_SECRET, **overrides)


# Google RBM: fake tokens, a stub endpoint, signed webhooks

AGENT = "relais_demo_agent@rbm.goog"
CLIENT_TOKEN = "relais-test-client-token"
RBM_WEBHOOK_URL = "https://relais.example.com/webhooks/rbm/"


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


def signed_rbm_request(name, client_token=CLIENT_TOKEN, url=RBM_WEBHOOK_URL):
    """A recorded RBM webhook, signed over its decoded message data as Google signs it."""
    body = fixture_bytes("rbm", name)
    data = base64.b64decode(json.loads(body)["message"]["data"])
    signature = base64.b64encode(hmac.new(client_token.encode(), data, hashlib.sha512).digest())
    headers = {"Content-Type": "application/json", "X-Goog-Signature": signature.decode()}
    return WebhookRequest(url=url, headers=headers, body=body)


# Twilio

ACCOUNT_SID = "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"
AUTH_TOKEN = "twilio-test-auth-token"
TWILIO_CALLBACK = "https://relais.example.com/webhooks/twilio/"
TWILIO_SIGNED_CALLBACK = f"{TWILIO_CALLBACK}?attempt={ATTEMPT_ID}"
# The settings that make get_provider("twilio") check signatures as make_twilio() does.
TWILIO_SETTINGS = {
    "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_SMS_FROM": "RELAIS",
    "TWILIO_API_BASE": "http://127.0.0.1:9",
}


class MultiDict(dict):
    """A dict of lists the Twilio SDK reads like Django's QueryDict."""

    def getlist(self, name):
        return self[name]


def make_twilio(stub=None, **overrides):
    options = {
        "account_sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "sms_from": "RELAIS",
        "api_base": stub.base_url if stub else "http://127.0.0.1:9",
    }
    options.update(overrides)
    return TwilioProvider(**options)


def signed_twilio_callback(name, url=TWILIO_SIGNED_CALLBACK, token=AUTH_TOKEN):
    """A recorded callback, signed by the Twilio SDK itself for the given URL."""
    body = fixture_bytes("twilio", name)
    params = MultiDict(parse_qs(body.decode(), keep_blank_values=True))
    signature = RequestValidator(token).compute_signature(url, params)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    return WebhookRequest(url=url, headers=headers, body=body)
