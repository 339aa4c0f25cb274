"""The demo API key of a fresh install: created and printed once, when no key exists yet."""

from django.core.management.base import BaseCommand

from api.models import ApiKey


class Command(BaseCommand):
    help = "Create a test-mode API key and print it, unless some API key already exists."

    def handle(self, *args, **options):
        if ApiKey.objects.exists():
            return
        _key, secret = ApiKey.create(name="Demo (test mode)", mode=ApiKey.Mode.TEST)
        self.stdout.write(
            self.style.SUCCESS("Demo API key (test mode, shown this once): ") + secret
        )
        self.stdout.write("  Try it: see docs/api.md, or open /api/docs\n")
