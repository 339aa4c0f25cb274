from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AudienceConfig(AppConfig):
    name = "audience"
    verbose_name = pgettext_lazy("admin section", "Audience")

    def ready(self):
        from audience import segment_conditions

        segment_conditions.register()
