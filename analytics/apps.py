from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import receivers, segment_conditions
        from audience.signals import consent_changes
        from sending.signals import button_tapped, message_events, message_timeline

        button_tapped.connect(receivers.tap_reported, dispatch_uid="analytics-button-tapped")
        message_timeline.connect(receivers.link_events, dispatch_uid="analytics-link-events")
        # Both are sent after the commit, as lists (a batch of sends, an import's entries).
        message_events.connect(
            receivers.rollups_of_message_changes, dispatch_uid="analytics-rollups"
        )
        consent_changes.connect(
            receivers.rollups_of_consent_changes, dispatch_uid="analytics-rollups-consent"
        )
        segment_conditions.register()
