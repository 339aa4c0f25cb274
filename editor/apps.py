from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = pgettext_lazy("admin section", "Templates and brands")
