"""Django's own apps as Relais names and configures them."""

from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.apps import AuthConfig
from django.utils.translation import pgettext_lazy


class RelaisAdminConfig(AdminConfig):
    """The admin, served by config.admin_site.RelaisAdminSite."""

    default_site = "config.admin_site.RelaisAdminSite"

    def ready(self):
        super().ready()  # registers every app's admin.py on the site
        from django.contrib.admin import site

        site.hide_technical_sections()


class RelaisAuthConfig(AuthConfig):
    """Django's users and groups, under the name admins know them by."""

    verbose_name = pgettext_lazy("admin section", "Users and roles")
