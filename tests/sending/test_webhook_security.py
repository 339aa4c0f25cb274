"""Every provider's webhook security, through the Django view."""

from tests.messaging.providers import test_rbm_webhook, test_simulator, test_twilio

from .webhook_contract import DjangoWebhookContract


class TestSimulatorWebhookView(DjangoWebhookContract, test_simulator.TestSimulatorWebhookSecurity):
    provider_name = "simulator"


class TestRbmWebhookView(DjangoWebhookContract, test_rbm_webhook.TestRbmWebhookSecurity):
    provider_name = "rbm"


class TestTwilioWebhookView(DjangoWebhookContract, test_twilio.TestTwilioWebhookSecurity):
    provider_name = "twilio"
