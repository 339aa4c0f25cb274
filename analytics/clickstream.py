"""The Redis stream between the redirect and the drainer: clicks waiting to be written.

The redirect appends (XADD) and answers; the drainer reads through a consumer group and
acknowledges an entry only once its click is committed, so a crash between the two means the
entry is read again, and the click's unique stream id keeps it from being written twice.
"""

import functools

import redis
from django.conf import settings

# Capped, approximately (cheap trimming): a million clicks is hours of a large send even with
# the drainer stopped; past that the oldest are dropped rather than filling Redis.
MAX_LENGTH = 1_000_000
GROUP = "drainer"
# One drainer at a time (a lock), so one consumer name: a restarted drainer reads what the
# previous one left unacknowledged first.
CONSUMER = "drainer"


@functools.cache
def _client(url):
    return redis.Redis.from_url(url, decode_responses=True)


def client():
    return _client(settings.REDIS_URL)


def key():
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "relais"
    return f"{prefix}:clicks"


def append(fields):
    """Add one click to the stream; returns its entry id."""
    return client().xadd(key(), fields, maxlen=MAX_LENGTH, approximate=True)


def ensure_group(connection):
    """Create the drainer's consumer group (from the stream's start) unless it exists."""
    try:
        connection.xgroup_create(key(), GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise
