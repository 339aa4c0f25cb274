"""Every provider's webhook security, through the Django view."""

import pytest

from tests.messaging.providers import test_rbm_webhook, test_simulator, test_twilio

from .webhook_contract import DjangoWebhookContract


class TestSimulatorWebhookView(DjangoWebhookContract, test_simulator.TestSimulatorWebhookSecurity):
    provider_name = "simulator"
    provider_settings = {"SIMULATOR_WEBHOOK_SECRET": test_simulator.SECRET}


# rbm_settings holds the client token the recorded payloads are signed with.
@pytest.mark.usefixtures("rbm_settings")
class TestRbmWebhookView(DjangoWebhookContract, test_rbm_webhook.TestRbmWebhookSecurity):
    provider_name = "rbm"


class TestTwilioWebhookView(DjangoWebhookContract, test_twilio.TestTwilioWebhookSecurity):
    provider_name = "twilio"
    provider_settings = {
        "TWILIO_ACCOUNT_SID": test_twilio.ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": test_twilio.AUTH_TOKEN,
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_SMS_FROM": "RELAIS",
    }
