"""The analytics drain loop: write the clicks waiting in Redis, then refresh the rollups of the
messages that changed (sends, receipts, clicks, conversions, STOPs), and every half minute
the holdout comparisons of the campaigns in their conversion window. Run it all the time.

Its first pass on an installation also queues the facts written before revenue was kept per
currency (migration analytics 0006), so an upgrade needs no `rebuild_rollups`."""

import time

from analytics.rollups import holdout, queue
from analytics.rollups.rebuild import repair_revenues_once
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
    _repaired = False

    def one_pass(self, verbosity):
        clicks = drain_clicks()
        if not self._repaired:
            self._repaired = True
            repaired = repair_revenues_once()
            if repaired:
                self.stdout.write(
                    f"{repaired} message(s) written before revenue was kept per currency "
                    "queued for a refresh."
                )
        refreshed = queue.drain()
        now = time.monotonic()
        if self._warmed_at is None or now - self._warmed_at >= self.warm_every:
            self._warmed_at = now
            holdout.warm_holdouts()
        if clicks or refreshed or verbosity > 1:
            return f"{clicks} click(s) written, {refreshed} message(s) refreshed in the rollups."
        return None
