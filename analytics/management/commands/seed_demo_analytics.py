"""Demo figures for the dashboard (test data): run by setup_demo after seed_demo."""

from django.core.management.base import BaseCommand

from analytics import demo


class Command(BaseCommand):
    help = (
        "Write two finished demo campaigns of test data (a channel test and a content test, "
        "each with a holdout) with rates like the field's, so the dashboard has figures with "
        "its test-data switch on. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        written = demo.seed()
        if written and options["verbosity"] >= 1:
            self.stdout.write(f"Wrote {written} demo messages for the dashboard (test data).")
