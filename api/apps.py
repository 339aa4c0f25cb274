from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = pgettext_lazy("admin section", "API keys")

    def ready(self):
        from django.core.signals import request_finished

        from api import request_ids

        request_finished.connect(request_ids.clear, dispatch_uid="api.request_ids.clear")
