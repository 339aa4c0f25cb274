"""Delete the API idempotency records older than 24 hours (safe to run from cron at any time)."""

from django.core.management.base import BaseCommand

from api.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete the API idempotency records older than 24 hours."

    def handle(self, *args, **options):
        deleted = IdempotencyRecord.purge_expired()
        self.stdout.write(f"Deleted {deleted} idempotency records older than 24 hours.")
