from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics import segment_conditions

        segment_conditions.register()
