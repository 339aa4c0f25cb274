"""The webhook security every provider meets, as mixins over small per-provider adapters.

An adapter (SimulatorWebhook, RbmWebhook, TwilioWebhook) knows how to build one provider's
signed request from a recorded payload, with the signature computed in the test, and how to
spoil it. A test class names its adapter and mixes in a contract:

- WebhookSecurityContract checks the provider itself (verify_webhook, handle_webhook), with
  no database: the provider tests use it;
- WebhookViewContract posts the same requests to the Django view through the test client and
  checks what the provider would see (200 or 403) and what gets recorded: the sending tests
  use it.

Between them: a valid signature is accepted, a bad or missing one rejected, a replay recorded
once, an event about a message Relais does not know still answered 200 and kept.

A plugin of the root conftest: the `webhook_providers` fixture gives the view the three test
providers and seeds an attempt each can match, for the tests that post odd signed payloads.
"""

import base64
import dataclasses
import json
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client

from messaging.providers import get_provider
from messaging.providers.normalized import Channel, ProviderEvent
from messaging.providers.simulator import SIGNATURE_HEADER as SIMULATOR_SIGNATURE
from messaging.providers.webhooks import WebhookRejected, WebhookRequest
from sending import services
from sending.models import Attempt, Event
from sending.webhooks import MAX_BODY_BYTES
from tests.support.providers import (
    RBM_WEBHOOK_URL,
    SIMULATOR_SETTINGS,
    TWILIO_SETTINGS,
    TWILIO_SIGNED_CALLBACK,
    fixture_bytes,
    make_rbm,
    make_simulator,
    make_twilio,
    signed_rbm_request,
    signed_twilio_callback,
)
from tests.support.sending import ALWAYS_RCS

# The public URL the view rebuilds the requests' URLs from (Twilio signs them).
PUBLIC_BASE_URL = "https://relais.example.com"


def replace_request(request, **changes):
    """Copy a WebhookRequest with some parts changed; a new body re-parses its form."""
    if "body" in changes and "form" not in changes:
        changes["form"] = None
    return dataclasses.replace(request, **changes)


def without_header(request, name):
    headers = {key: value for key, value in request.headers.items() if key != name}
    return replace_request(request, headers=headers)


class WebhookAdapter:
    """One provider's webhooks as the tests build them."""

    # The provider's name in settings, and in the path of its webhook.
    name = ""
    # The public URL a recorded request is signed for, unless told another.
    url = ""

    # The settings that make get_provider(name) hold the same test credentials.
    settings = {}

    def provider(self):
        """The provider under test, holding the test credentials the requests are signed with."""
        raise NotImplementedError

    def configure(self, request):
        """Make the settings build this provider as provider() does (the view looks it up)."""
        settings = request.getfixturevalue("settings")
        for name, value in self.settings.items():
            setattr(settings, name, value)

    def signed(self, url=None) -> WebhookRequest:
        """A recorded request, validly signed for url, about a message no test database holds."""
        raise NotImplementedError

    def tampered(self, request) -> WebhookRequest:
        """The same request with its content changed and its signature kept: a bad signature."""
        raise NotImplementedError

    def unsigned(self, request) -> WebhookRequest:
        """The same request without its signature."""
        raise NotImplementedError


class SimulatorWebhook(WebhookAdapter):
    name = "simulator"
    settings = SIMULATOR_SETTINGS
    url = "https://relais.example.com/webhooks/simulator/"

    def provider(self):
        return make_simulator()

    def signed(self, url=None):
        body = fixture_bytes("simulator", "webhook_events.json")
        headers = {
            "Content-Type": "application/json",
            SIMULATOR_SIGNATURE: make_simulator().sign(body),
        }
        return WebhookRequest(url=url or self.url, headers=headers, body=body)

    def tampered(self, request):
        return replace_request(request, body=request.body.replace(b"cta_b2", b"cta_zz"))

    def unsigned(self, request):
        return without_header(request, SIMULATOR_SIGNATURE)


class RbmWebhook(WebhookAdapter):
    name = "rbm"
    url = RBM_WEBHOOK_URL

    def provider(self):
        return make_rbm()

    def configure(self, request):
        # Also fakes Google's token service: the provider is built from a key file.
        request.getfixturevalue("rbm_settings")

    def signed(self, url=None):
        return signed_rbm_request("user_message_suggestion_action.json", url=url or self.url)

    def tampered(self, request):
        # Google signs the decoded message data, so the change goes inside it.
        envelope = json.loads(request.body)
        data = json.loads(base64.b64decode(envelope["message"]["data"]))
        data["suggestionResponse"]["postbackData"] = "cta_zz"
        envelope["message"]["data"] = base64.b64encode(json.dumps(data).encode()).decode()
        return replace_request(request, body=json.dumps(envelope).encode())

    def unsigned(self, request):
        return without_header(request, "X-Goog-Signature")


class TwilioWebhook(WebhookAdapter):
    name = "twilio"
    settings = TWILIO_SETTINGS
    # Twilio signs the URL too, query included: the attempt the callback is about.
    url = TWILIO_SIGNED_CALLBACK

    def provider(self):
        return make_twilio()

    def signed(self, url=None):
        return signed_twilio_callback("status_undelivered.txt", url=url or self.url)

    def tampered(self, request):
        return replace_request(request, body=request.body.replace(b"undelivered", b"delivered"))

    def unsigned(self, request):
        return without_header(request, "X-Twilio-Signature")


class WebhookSecurityContract:
    """The provider verifies and parses its webhooks; set `webhook` to the provider's adapter."""

    webhook: WebhookAdapter

    def test_valid_signature_is_accepted(self):
        self.webhook.provider().verify_webhook(self.webhook.signed())

    def test_valid_request_parses_into_events_with_dedupe_ids(self):
        events = self.webhook.provider().handle_webhook(self.webhook.signed())
        assert events, "a recorded payload should produce at least one event"
        for event in events:
            assert isinstance(event, ProviderEvent)
            assert event.provider_event_id
            assert event.raw

    def test_tampered_request_is_rejected(self):
        request = self.webhook.tampered(self.webhook.signed())
        with pytest.raises(WebhookRejected):
            self.webhook.provider().verify_webhook(request)

    def test_missing_signature_is_rejected(self):
        request = self.webhook.unsigned(self.webhook.signed())
        with pytest.raises(WebhookRejected):
            self.webhook.provider().verify_webhook(request)

    def test_handle_webhook_never_parses_a_tampered_request(self):
        request = self.webhook.tampered(self.webhook.signed())
        with pytest.raises(WebhookRejected):
            self.webhook.provider().handle_webhook(request)

    def test_replayed_request_gives_the_same_event_ids(self):
        provider = self.webhook.provider()
        first = provider.handle_webhook(self.webhook.signed())
        second = provider.handle_webhook(self.webhook.signed())
        assert [e.provider_event_id for e in first] == [e.provider_event_id for e in second]


class WebhookViewContract:
    """The Django view answers and records a provider's webhooks; set `webhook` to its adapter.

    The view is given the adapter's provider, and each request is posted through the test client
    to the path of the request's public URL: the view rebuilds that URL from PUBLIC_BASE_URL, as
    Twilio's signature needs.
    """

    webhook: WebhookAdapter
    public_base_url = PUBLIC_BASE_URL

    @pytest.fixture(autouse=True)
    def _view_uses_this_provider(self, db, settings, request):
        settings.PUBLIC_BASE_URL = self.public_base_url
        self.webhook.configure(request)

    def post(self, request):
        """POST a WebhookRequest to the view; returns the response."""
        assert request.url.startswith(self.public_base_url + "/webhooks/")
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        return Client().generic(
            "POST",
            path,
            data=request.body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            headers=headers,
        )

    def expected_event_ids(self):
        events = self.webhook.provider().handle_webhook(self.webhook.signed())
        return {event.provider_event_id for event in events}

    def test_view_records_a_signed_request(self):
        response = self.post(self.webhook.signed())
        assert response.status_code == 200
        recorded = set(Event.objects.values_list("provider_event_id", flat=True))
        assert recorded == self.expected_event_ids()
        assert set(Event.objects.values_list("provider", flat=True)) == {self.webhook.name}

    def test_view_answers_403_to_a_bad_signature(self):
        response = self.post(self.webhook.tampered(self.webhook.signed()))
        assert response.status_code == 403
        assert not Event.objects.exists()

    def test_view_answers_403_without_signature(self):
        response = self.post(self.webhook.unsigned(self.webhook.signed()))
        assert response.status_code == 403
        assert not Event.objects.exists()

    def test_view_records_a_replayed_event_once(self):
        assert self.post(self.webhook.signed()).status_code == 200
        first = set(Event.objects.values_list("pk", flat=True))
        # A provider retrying gets 200 too, or it would retry for days.
        assert self.post(self.webhook.signed()).status_code == 200
        assert set(Event.objects.values_list("pk", flat=True)) == first
        assert len(first) == len(self.expected_event_ids())

    def test_view_answers_200_for_an_unknown_message_and_keeps_the_event(self):
        response = self.post(self.webhook.signed())
        assert response.status_code == 200
        assert Event.objects.exists()
        assert not Event.objects.filter(message__isnull=False).exists()


# Three providers answering the view, each with an attempt to match

# Ids of the seeded attempts, so events can reach a real message and its contact.
SEEDED_ATTEMPT_ID = uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
SEEDED_RBM_ATTEMPT_ID = uuid.UUID("6fa459ea-ee8a-3ca4-894e-db77e160355e")  # RBM's messageId is ours
SEEDED_TWILIO_SID = "SM0123456789abcdef0123456789abcdef"


@pytest.fixture
def webhook_providers(db, rbm_settings, promo, opted_in, jobs, network):
    """Settings hold the three providers' test secrets; each provider has an attempt to match."""
    settings = rbm_settings
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.MESSAGING_PROVIDER = "simulator"
    for name, value in {**SIMULATOR_SETTINGS, **TWILIO_SETTINGS}.items():
        setattr(settings, name, value)
    test_providers = {name: get_provider(name) for name in ("simulator", "rbm", "twilio")}

    opted_in(ALWAYS_RCS, test_mode=True)

    def send():
        return services.submit_message(
            template_id=promo.template.slug,
            recipient=ALWAYS_RCS,
            variables={"prenom": "Marie"},
            test_mode=True,
        )

    sent = send()
    jobs.run()
    sent.attempts.update(
        public_id=SEEDED_ATTEMPT_ID, provider_message_id=f"sim-{SEEDED_ATTEMPT_ID}"
    )
    # One attempt per channel and message: the other providers' attempts get messages of their own.
    Attempt.objects.create(
        public_id=SEEDED_RBM_ATTEMPT_ID, message=send(), channel=Channel.RCS, provider="rbm"
    )
    Attempt.objects.create(
        message=send(),
        channel=Channel.SMS,
        provider="twilio",
        provider_message_id=SEEDED_TWILIO_SID,
    )
    return test_providers


def post_webhook(path, body, content_type, headers):
    """POST a body to a webhook; fails the test unless the answer is 200 or 403, or 413 for a
    body over the size limit."""
    # raise_request_exception: a crash fails the test with its traceback, not just a 500.
    response = Client(raise_request_exception=True).generic(
        "POST", path, data=body, content_type=content_type, headers=headers
    )
    statuses = (413,) if len(body) > MAX_BODY_BYTES else (200, 403)
    assert response.status_code in statuses, (response.status_code, body[:300])
    return response
