"""The simulator posts its events to the app's own address, never through the public URL."""

import pytest

from sending import services
from sending.services import simulation
from tests.support.sending import ALWAYS_RCS

pytestmark = pytest.mark.django_db


def test_simulated_receipts_go_to_the_internal_address(
    settings, monkeypatch, jobs, promo, opted_in
):
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.INTERNAL_BASE_URL = "http://127.0.0.1:8102"
    posted = []

    class Accepted:
        status_code = 200

    def post_webhook(url, body, headers):
        posted.append(url)
        return Accepted()

    monkeypatch.setattr(simulation, "post_webhook", post_webhook)
    opted_in(ALWAYS_RCS)
    services.submit_message(
        template_id=promo.template.slug, recipient=ALWAYS_RCS, variables={"prenom": "Marie"}
    )
    jobs.run()

    assert posted, "the simulator planned no event"
    assert set(posted) == {"http://127.0.0.1:8102/webhooks/simulator/"}


def test_providers_are_still_told_the_public_address(settings):
    settings.PUBLIC_BASE_URL = "https://relais.example.com"
    settings.INTERNAL_BASE_URL = "http://127.0.0.1:8102"
    assert services.webhook_url("twilio") == "https://relais.example.com/webhooks/twilio/"
