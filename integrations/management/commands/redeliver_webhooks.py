from django.core.management.base import BaseCommand

from integrations import services


class Command(BaseCommand):
    help = "Queue the webhook deliveries whose job was lost (Redis down when they were written)."

    def handle(self, *args, **options):
        count = services.redrive()
        self.stdout.write(f"{count} deliveries queued again.")
