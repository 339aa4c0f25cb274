"""Every provider's webhook security, through the Django view."""

from tests.support.webhooks import RbmWebhook, SimulatorWebhook, TwilioWebhook, WebhookViewContract


class TestSimulatorWebhookView(WebhookViewContract):
    webhook = SimulatorWebhook()


class TestRbmWebhookView(WebhookViewContract):
    webhook = RbmWebhook()


class TestTwilioWebhookView(WebhookViewContract):
    webhook = TwilioWebhook()
