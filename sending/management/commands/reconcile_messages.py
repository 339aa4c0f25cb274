"""Re-drive messages whose sending job died or whose retry was lost (run every minute)."""

from jobs.periodic import PeriodicCommand
from sending import services


class Command(PeriodicCommand):
    help = (
        "Queue again the messages stuck in sending (lease expired) or queued without a job. "
        "Run it every minute (cron), or keep it running with --every 60."
    )
    running = "Re-driving stuck messages every {every} seconds."
    every_type = int

    def one_pass(self, verbosity):
        count = services.reconcile_stuck_messages()
        if count or verbosity > 1:
            return f"{count} message(s) queued again."
        return None
