"""The webhook security every provider meets, as a mixin a provider or view test class reuses.

A subclass provides four hooks:
- make_provider(): the provider under test;
- make_valid_request(url=None): a signed WebhookRequest (recorded payload, signature computed
  in the test) for the given public URL, or the class's default webhook_url;
- tamper(request): the same request with its content changed but the signature kept;
- strip_signature(request): the same request without its signature header.

A Django view test can subclass a provider's test class and post the same requests through the
test client (request.body, request.headers), adding the HTTP-level checks (403, replay, 200 for
unknown messages) on top; build the request with the test server's URL, since some providers
(Twilio) sign the URL.
"""

import dataclasses

import pytest

from messaging.providers.base import ProviderEvent, WebhookRejected, WebhookRequest


def replace_request(request, **changes):
    """Copy a WebhookRequest with some parts changed; a new body re-parses its form."""
    if "body" in changes and "form" not in changes:
        changes["form"] = None
    return dataclasses.replace(request, **changes)


class WebhookSecurityContract:
    webhook_url = "https://relais.example.com/webhooks/provider/"

    def make_provider(self):
        raise NotImplementedError

    def make_valid_request(self, url=None) -> WebhookRequest:
        raise NotImplementedError

    def tamper(self, request) -> WebhookRequest:
        raise NotImplementedError

    def strip_signature(self, request) -> WebhookRequest:
        raise NotImplementedError

    def test_valid_signature_is_accepted(self):
        self.make_provider().verify_webhook(self.make_valid_request())

    def test_valid_request_parses_into_events_with_dedupe_ids(self):
        events = self.make_provider().handle_webhook(self.make_valid_request())
        assert events, "a recorded payload should produce at least one event"
        for event in events:
            assert isinstance(event, ProviderEvent)
            assert event.provider_event_id
            assert event.raw

    def test_tampered_request_is_rejected(self):
        request = self.tamper(self.make_valid_request())
        with pytest.raises(WebhookRejected):
            self.make_provider().verify_webhook(request)

    def test_missing_signature_is_rejected(self):
        request = self.strip_signature(self.make_valid_request())
        with pytest.raises(WebhookRejected):
            self.make_provider().verify_webhook(request)

    def test_handle_webhook_never_parses_a_tampered_request(self):
        request = self.tamper(self.make_valid_request())
        with pytest.raises(WebhookRejected):
            self.make_provider().handle_webhook(request)

    def test_replayed_request_gives_the_same_event_ids(self):
        provider = self.make_provider()
        first = provider.handle_webhook(self.make_valid_request())
        second = provider.handle_webhook(self.make_valid_request())
        assert [e.provider_event_id for e in first] == [e.provider_event_id for e in second]
