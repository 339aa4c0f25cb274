"""Write the clicks of tracked links waiting in Redis to the database (run it all the time)."""

import time

from django.core.management.base import BaseCommand

from analytics.services import drain_clicks


class Command(BaseCommand):
    help = (
        "Write the clicks waiting in the Redis click stream, in batches. Run it every few "
        "seconds (cron), or keep it running with --every 2."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Keep running, one pass every SECONDS (default: one pass, then exit).",
        )

    def handle(self, *args, every=0, **options):
        first = True
        while True:
            count = drain_clicks()
            if count or options["verbosity"] > 1:
                self.stdout.write(f"{count} click(s) written.")
            if not every:
                return
            if first:
                self.stdout.write(f"Writing clicks every {every:g} seconds.")
                self.stdout.flush()
                first = False
            time.sleep(every)
