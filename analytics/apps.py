from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from analytics import receivers, segment_conditions
        from analytics.conversions import Conversion
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
        for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                receivers.rollups_of_conversions,
                sender=Conversion,
                dispatch_uid=f"analytics-rollups-conversion-{uid}",
            )
        segment_conditions.register()
