from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts.roles import sync_administrator_role

        # Sent once per app after migrate; permissions of later apps exist by the last one.
        post_migrate.connect(sync_administrator_role, dispatch_uid="accounts.administrator_role")
