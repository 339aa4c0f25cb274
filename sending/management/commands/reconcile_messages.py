"""Re-drive messages whose sending job died or whose retry was lost (run every minute)."""

import time

from django.core.management.base import BaseCommand

from sending import services


class Command(BaseCommand):
    help = (
        "Queue again the messages stuck in sending (lease expired) or queued without a job. "
        "Run it every minute (cron), or keep it running with --every 60."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, one pass every SECONDS (default: one pass, then exit).",
        )

    def handle(self, *args, every=0, **options):
        first = True
        while True:
            count = services.reconcile_stuck_messages()
            if count or options["verbosity"] > 1:
                self.stdout.write(f"{count} message(s) queued again.")
            if not every:
                return
            if first:
                # Once, after a pass worked: whoever started it (a service manager) sees it is up.
                self.stdout.write(f"Re-driving stuck messages every {every} seconds.")
                self.stdout.flush()
                first = False
            time.sleep(every)
