"""A send rate shared by every worker, per provider and channel, kept in Redis by `limits`.

A dispatch's throttle_per_second caps the provider calls all workers make for it together
(the provider's contracted rate: 10 MPS for a French short code, 1 msg/s for some RCS
accounts). Workers take permits for a chunk of calls at once and sleep until the window
has room, so the limit holds across processes and machines with no other coordination.
"""

import functools
import time

from django.conf import settings
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

# Never sleep longer than this at once: the caller's lease heartbeat keeps running anyway,
# and a short sleep notices a pause of the dispatch sooner.
MAX_SLEEP = 1.0


def _limits_url(url):
    # limits names a unix socket redis+unix://, the rest of Relais unix://.
    return "redis+unix://" + url.removeprefix("unix://") if url.startswith("unix://") else url


@functools.cache
def _limiter(url):
    return SlidingWindowCounterRateLimiter(storage_from_string(_limits_url(url)))


def _key_prefix():
    return settings.CACHES["default"].get("KEY_PREFIX") or "relais"


def acquire(provider, channel, count, per_second, *, sleep=time.sleep, should_stop=None):
    """Block until `count` calls on (provider, channel) fit in per_second; False if stopped."""
    if not per_second or count <= 0:
        return True
    limiter = _limiter(settings.REDIS_URL)
    item = RateLimitItemPerSecond(per_second)
    identifiers = (_key_prefix(), "throttle", str(provider), str(channel))
    left = count
    while left:
        take = min(left, per_second)
        if limiter.hit(item, *identifiers, cost=take):
            left -= take
            continue
        if should_stop is not None and should_stop():
            return False
        stats = limiter.get_window_stats(item, *identifiers)
        sleep(min(MAX_SLEEP, max(0.01, stats.reset_time - time.time())))
    return True
