"""The analytics drain loop: write the clicks waiting in Redis, then refresh the rollups of the
messages that changed (sends, receipts, clicks, conversions, STOPs). Run it all the time."""

from analytics.rollups import queue
from analytics.services import drain_clicks
from jobs.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = (
        "Write the clicks waiting in the Redis click stream, then refresh the rollups of the "
        "messages that changed, in batches. Run it every few seconds (cron), or keep it "
        "running with --every 2."
    )
    running = "Draining clicks and rollups every {every:g} seconds."

    def one_pass(self, verbosity):
        clicks = drain_clicks()
        refreshed = queue.drain()
        if clicks or refreshed or verbosity > 1:
            return f"{clicks} click(s) written, {refreshed} message(s) refreshed in the rollups."
        return None
