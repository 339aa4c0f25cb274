"""Write the clicks of tracked links waiting in Redis to the database (run it all the time)."""

from analytics.services import drain_clicks
from jobs.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = (
        "Write the clicks waiting in the Redis click stream, in batches. Run it every few "
        "seconds (cron), or keep it running with --every 2."
    )
    running = "Writing clicks every {every:g} seconds."

    def one_pass(self, verbosity):
        count = drain_clicks()
        if count or verbosity > 1:
            return f"{count} click(s) written."
        return None
