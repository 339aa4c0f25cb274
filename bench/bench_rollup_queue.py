"""What the send path pays for the rollups: queueing 1,000 changed messages (one SADD) against
refreshing them in the sending job, as before the refresh queue.

Uses 1,000 messages of the database (let `make run` send its demo campaigns first on an empty
one), inside a transaction rolled back at the end; each refresh starts from facts removed, so it
does its whole work (read the messages, their clicks, conversions and opt-outs, write facts
and buckets). Prints the median of each and the ratio. The queued ids are removed after.

Run (PostgreSQL and Redis):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
  REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/bench_rollup_queue.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from analytics import clickstream  # noqa: E402
from analytics.models import MessageFact  # noqa: E402
from analytics.rollups import queue  # noqa: E402
from analytics.rollups.apply import refresh  # noqa: E402
from sending.models import Message  # noqa: E402

BATCH = 1000
RUNS = 9


class Rollback(Exception):
    pass


def timed(action, ids):
    times = []
    for _ in range(RUNS):
        MessageFact.objects.filter(message_id__in=ids).delete()
        start = time.perf_counter()
        action(ids)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ids = list(Message.objects.order_by("pk").values_list("pk", flat=True)[:BATCH])
    if len(ids) < BATCH:
        sys.exit(f"needs {BATCH} messages; let make run send its demo campaigns first")
    try:
        with transaction.atomic():
            synchronous = timed(refresh, ids)
            queued = timed(queue.mark, ids)
            raise Rollback
    except Rollback:
        pass
    finally:
        clickstream.client().srem(queue.keys()[0], *ids)
    print(f"{BATCH} messages changed in one batch of sends:")
    print(f"  refreshed in the sending job: {synchronous * 1000:8.1f} ms")
    print(f"  queued for the drain loop:    {queued * 1000:8.2f} ms")
    print(f"  ratio: {synchronous / queued:.0f}x less time on the send path")


if __name__ == "__main__":
    main()
