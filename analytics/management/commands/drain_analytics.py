"""The analytics drain loop: write the clicks waiting in Redis, then refresh the rollups of the
messages that changed (sends, receipts, clicks, conversions, STOPs), and every half minute
the holdout comparisons of the campaigns in their conversion window. Run it all the time."""

import time

from analytics.rollups import holdout, queue
from analytics.services import drain_clicks
from jobs.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = (
        "Write the clicks waiting in the Redis click stream, then refresh the rollups of the "
        "messages that changed, in batches. Run it every few seconds (cron), or keep it "
        "running with --every 2."
    )
    running = "Draining clicks and rollups every {every:g} seconds."
    # Holdout comparisons are computed again at most this often (seconds).
    warm_every = 30
    _warmed_at = None

    def one_pass(self, verbosity):
        clicks = drain_clicks()
        refreshed = queue.drain()
        now = time.monotonic()
        if self._warmed_at is None or now - self._warmed_at >= self.warm_every:
            self._warmed_at = now
            holdout.warm_holdouts()
        if clicks or refreshed or verbosity > 1:
            return f"{clicks} click(s) written, {refreshed} message(s) refreshed in the rollups."
        return None
