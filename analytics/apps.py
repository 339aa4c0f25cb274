from django.apps import AppConfig
from django.db.models.signals import post_save


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import receivers
        from audience.models import ConsentEntry
        from sending import signals

        post_save.connect(
            receivers.rollups_of_opt_out, sender=ConsentEntry, dispatch_uid="analytics-opt-out"
        )
        # Announced by sending after each commit that changes messages (sent, delivered...).
        message_events = getattr(signals, "message_events", None)
        if message_events is not None:
            message_events.connect(
                receivers.rollups_of_message_changes, dispatch_uid="analytics-rollups"
            )
