from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import receivers
        from audience.signals import consent_changes
        from sending.signals import message_events

        # Both are sent after the commit, as lists (a batch of sends, an import's entries).
        message_events.connect(
            receivers.rollups_of_message_changes, dispatch_uid="analytics-rollups"
        )
        consent_changes.connect(
            receivers.rollups_of_consent_changes, dispatch_uid="analytics-rollups-consent"
        )
