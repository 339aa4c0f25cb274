"""First-run set-up for `make run`: demo users once, then the demo data of the other apps."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from accounts.roles import APPROVER, MARKETING, VIEWER

DEMO_USERS = (
    # username, env var holding its password, role (None = superuser)
    ("admin", "DEMO_ADMIN_PASSWORD", None),
    ("marketing", "DEMO_MARKETING_PASSWORD", MARKETING),
    ("viewer", "DEMO_VIEWER_PASSWORD", VIEWER),
    ("approver", "DEMO_APPROVER_PASSWORD", APPROVER),
)


class Command(BaseCommand):
    help = (
        "Create the demo users and a test API key the first time (printing them once), "
        "then load the demo data."
    )

    def handle(self, *args, **options):
        user_model = get_user_model()
        created = []
        for username, env_name, role in DEMO_USERS:
            if user_model.objects.filter(username=username).exists():
                continue
            password = os.environ.get(env_name) or secrets.token_urlsafe(12)
            if role is None:
                user_model.objects.create_superuser(username, "", password)
            else:
                user = user_model.objects.create_user(username, "", password)
                user.groups.add(Group.objects.get(name=role))
            created.append((username, password, role or "admin", env_name))
        if created:
            self.stdout.write(self.style.SUCCESS("\nDemo logins (shown this once; keep them):"))
            for username, password, role, env_name in created:
                origin = "from " + env_name if os.environ.get(env_name) else "generated"
                self.stdout.write(
                    f"  {role:<10} user {username:<10} password {password}  ({origin})"
                )
            self.stdout.write("")
        # The apps above this one add their demo data by command name: accounts imports none.
        commands = get_commands()
        if "setup_demo_api_key" in commands:
            call_command("setup_demo_api_key", stdout=self.stdout)
        if "seed_demo" in commands:
            call_command("seed_demo", verbosity=0, stdout=self.stdout)
        if "open_demo_shop" in commands:
            call_command("open_demo_shop", verbosity=0)
