from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import receivers, segment_conditions
        from sending.signals import button_tapped, message_events_listed

        button_tapped.connect(receivers.tap_reported, dispatch_uid="analytics-button-tapped")
        message_events_listed.connect(receivers.link_events, dispatch_uid="analytics-link-events")
        segment_conditions.register()
