"""The demo shop (test data): run by setup_demo after seed_demo has launched the demo campaigns."""

from django.core.management.base import BaseCommand

from integrations import demo


class Command(BaseCommand):
    help = (
        "Schedule the orders the demo audience's people place without a message (1 %, holdout "
        "included), through the conversions service, so the demo campaigns' holdout has "
        "something to compare with. Once: running it again adds nothing."
    )

    def handle(self, *args, **options):
        scheduled = demo.open_shop()
        if scheduled and options["verbosity"] >= 1:
            self.stdout.write(f"Scheduled {scheduled} demo orders (test data).")
