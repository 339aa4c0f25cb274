"""Messages waiting for their rollups to be refreshed: a Redis set, emptied by the drain loop.

The send path only records which messages changed (one SADD per batch) and goes on; the
drainer (`manage.py drain_analytics`) refreshes them a batch at a time. A pass first renames
the waiting set to a "refreshing" set (atomic: ids added meanwhile go to a new waiting set),
then refreshes its members a batch at a time and removes each batch only after its refresh
committed. A drainer killed anywhere leaves the refreshing set behind, and the next pass
finishes it first: an id is never lost, at worst refreshed twice, which changes nothing
(refresh recomputes each fact and adds only the difference).

When Redis cannot be reached, the changed messages are refreshed at once instead (slower,
but no figure is lost).
"""

import logging

import redis
from django.conf import settings

from analytics import clickstream
from analytics.rollups.apply import refresh

logger = logging.getLogger(__name__)

BATCH = 1000
# Ids per SADD: a batch of sends is well below it, a large consent import is cut in pieces.
CHUNK = 10_000
LOCK_SECONDS = 60


def key(name):
    """The Redis key of the rollups' `name`, under the cache's prefix like the click stream."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "relais"
    return f"{prefix}:rollups:{name}"


def keys():
    """(waiting, refreshing, lock) keys."""
    return key("waiting"), key("refreshing"), key("drainer")


def mark(message_ids):
    """Record that these messages changed; their rollups are refreshed by the next drain."""
    ids = sorted({int(i) for i in message_ids})
    if not ids:
        return
    waiting = keys()[0]
    try:
        connection = clickstream.client()
        for start in range(0, len(ids), CHUNK):
            connection.sadd(waiting, *ids[start : start + CHUNK])
    except redis.RedisError as error:
        logger.warning(
            "Redis unreachable (%s): refreshing the rollups of %d message(s) now", error, len(ids)
        )
        refresh(ids)


def pending():
    """How many messages wait for a refresh (waiting and being refreshed)."""
    waiting, refreshing, _lock = keys()
    connection = clickstream.client()
    return connection.scard(waiting) + connection.scard(refreshing)


def drain(batch=BATCH):
    """Refresh the rollups of the messages waiting, a batch at a time; returns how many.

    One drainer at a time (a Redis lock); another finding it taken returns 0 at once.
    """
    waiting, refreshing, lock_key = keys()
    connection = clickstream.client()
    lock = connection.lock(lock_key, timeout=LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        return 0
    done = 0
    try:
        while True:
            # A refreshing set left by a killed drainer is finished before anything new.
            if not connection.exists(refreshing):
                try:
                    connection.rename(waiting, refreshing)
                except redis.ResponseError:
                    return done  # nothing waiting ("no such key")
            while True:
                ids = connection.srandmember(refreshing, batch)
                if not ids:
                    break
                refresh(int(i) for i in ids)
                connection.srem(refreshing, *ids)
                done += len(ids)
                lock.extend(LOCK_SECONDS, replace_ttl=True)
    finally:
        try:
            lock.release()
        except redis.RedisError:
            logger.warning("the rollup drainer's lock had expired")
