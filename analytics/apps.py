from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import receivers, segment_conditions
        from sending.signals import button_tapped

        button_tapped.connect(receivers.tap_reported, dispatch_uid="analytics-button-tapped")
        segment_conditions.register()
