from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = gettext_lazy("Integrations")

    def ready(self):
        # Sending and audience announce what happened; integrations turns it into deliveries.
        from audience.signals import consent_changes
        from integrations import demo, receivers
        from sending.signals import message_events

        message_events.connect(receivers.on_message_events, dispatch_uid="integrations-messages")
        consent_changes.connect(receivers.on_consent_changes, dispatch_uid="integrations-consent")
        # The demo audience's people act on their delivered messages (test data only).
        message_events.connect(demo.people_react, dispatch_uid="integrations-demo-people")
