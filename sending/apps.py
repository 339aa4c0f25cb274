from django.apps import AppConfig
from django.core import checks
from django.utils.translation import pgettext_lazy


class SendingConfig(AppConfig):
    name = "sending"
    verbose_name = pgettext_lazy("admin section", "Sending")

    def ready(self):
        from messaging.providers.checks import check_provider_settings
        from sending import segment_conditions
        from sending.checks import check_public_base_url

        checks.register(check_provider_settings)
        checks.register(check_public_base_url)
        segment_conditions.register()
