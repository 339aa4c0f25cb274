"""The webhook security every provider meets through the Django view, as a mixin.

Mix it in front of a provider's WebhookSecurityContract test class (which builds signed
requests from recorded payloads), set `provider_name`, and `provider_settings` to the settings
that build the same provider (its test secrets). Each request is posted through the test client
to the path of the request's public URL: the view rebuilds that URL from PUBLIC_BASE_URL, as
Twilio's signature needs.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from sending.models import Event


class DjangoWebhookContract:
    provider_name = ""
    provider_settings = {}
    public_base_url = "https://relais.example.com"

    @pytest.fixture(autouse=True)
    def _view_uses_this_provider(self, db, settings):
        settings.PUBLIC_BASE_URL = self.public_base_url
        for name, value in self.provider_settings.items():
            setattr(settings, name, value)

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
        return {e.provider_event_id for e in self.make_provider().handle_webhook(self.valid())}

    def valid(self):
        return self.make_valid_request()

    def test_view_records_a_signed_request(self):
        response = self.post(self.valid())
        assert response.status_code == 200
        recorded = set(Event.objects.values_list("provider_event_id", flat=True))
        assert recorded == self.expected_event_ids()
        assert set(Event.objects.values_list("provider", flat=True)) == {self.provider_name}

    def test_view_answers_403_to_a_bad_signature(self):
        response = self.post(self.tamper(self.valid()))
        assert response.status_code == 403
        assert not Event.objects.exists()

    def test_view_answers_403_without_signature(self):
        response = self.post(self.strip_signature(self.valid()))
        assert response.status_code == 403
        assert not Event.objects.exists()

    def test_view_records_a_replayed_event_once(self):
        assert self.post(self.valid()).status_code == 200
        first = set(Event.objects.values_list("pk", flat=True))
        # A provider retrying gets 200 too, or it would retry for days.
        assert self.post(self.valid()).status_code == 200
        assert set(Event.objects.values_list("pk", flat=True)) == first
        assert len(first) == len(self.expected_event_ids())

    def test_view_answers_200_for_an_unknown_message_and_keeps_the_event(self):
        response = self.post(self.valid())
        assert response.status_code == 200
        assert Event.objects.exists()
        assert not Event.objects.filter(message__isnull=False).exists()
