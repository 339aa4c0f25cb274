from django.apps import AppConfig
from django.core import checks
from django.utils.translation import pgettext_lazy


class SendingConfig(AppConfig):
    name = "sending"
    verbose_name = pgettext_lazy("admin section", "Sending")

    def ready(self):
        from audience.audit_cost import register_sms_templates
        from messaging.providers.checks import check_provider_settings
        from sending import segment_conditions
        from sending.audit_templates import published_sms_templates
        from sending.checks import check_public_base_url

        checks.register(check_provider_settings)
        checks.register(check_public_base_url)
        segment_conditions.register()
        # The capability audit's cost estimate offers the published templates (editor's).
        register_sms_templates(published_sms_templates)
