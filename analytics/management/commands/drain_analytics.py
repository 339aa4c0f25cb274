"""The analytics drain loop: write the clicks waiting in Redis, then refresh the rollups of the
messages that changed (sends, receipts, clicks, conversions, STOPs). Run it all the time."""

import time

from django.core.management.base import BaseCommand

from analytics.rollups import queue
from analytics.services import drain_clicks


class Command(BaseCommand):
    help = (
        "Write the clicks waiting in the Redis click stream, then refresh the rollups of the "
        "messages that changed, in batches. Run it every few seconds (cron), or keep it "
        "running with --every 2."
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
            clicks = drain_clicks()
            refreshed = queue.drain()
            if clicks or refreshed or options["verbosity"] > 1:
                self.stdout.write(
                    f"{clicks} click(s) written, {refreshed} message(s) refreshed in the rollups."
                )
            if not every:
                return
            if first:
                self.stdout.write(f"Draining clicks and rollups every {every:g} seconds.")
                self.stdout.flush()
                first = False
            time.sleep(every)
