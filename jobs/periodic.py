"""The base of the commands that do one pass of background upkeep, or one pass every
`--every` seconds until stopped (the reconciler, the analytics drainer): cron runs them once,
`make run` and a service manager keep them running."""

import time

from django.core.management.base import BaseCommand


class PeriodicCommand(BaseCommand):
    """Subclasses write `one_pass(verbosity)`, returning the line to print or None, and set
    `running` ("Doing this every {every:g} seconds.") and `every_type` (int or float)."""

    running = "One pass every {every:g} seconds."
    every_type = float

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=self.every_type,
            default=0,
            metavar="SECONDS",
            help="Keep running, one pass every SECONDS (default: one pass, then exit).",
        )

    def one_pass(self, verbosity):
        raise NotImplementedError

    def handle(self, *args, every=0, **options):
        first = True
        while True:
            said = self.one_pass(options["verbosity"])
            if said:
                self.stdout.write(said)
            if not every:
                return
            if first:
                # Once, after a pass worked: whoever started it (a service manager) sees it is up.
                self.stdout.write(self.running.format(every=every))
                self.stdout.flush()
                first = False
            time.sleep(every)
