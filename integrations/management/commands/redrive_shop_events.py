from django.core.management.base import BaseCommand

from integrations.shops import services


class Command(BaseCommand):
    help = "Queue the shop events whose job was lost (Redis down when they were received)."

    def handle(self, *args, **options):
        count = services.redrive()
        self.stdout.write(f"{count} shop events queued again.")
