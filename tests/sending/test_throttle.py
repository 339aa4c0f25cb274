"""The send rate shared through Redis per provider and channel (sending/services/throttle.py)."""

import time
import uuid

from sending.services import throttle


def recording_sleep(calls):
    def sleep(seconds):
        calls.append(seconds)
        time.sleep(seconds)

    return sleep


def test_calls_within_the_rate_never_wait():
    slept = []
    provider = f"p-{uuid.uuid4()}"
    assert throttle.acquire(provider, "rcs", 10, 20, sleep=recording_sleep(slept))
    assert slept == []


def test_more_calls_than_a_second_allows_wait_for_room():
    slept = []
    provider = f"p-{uuid.uuid4()}"
    assert throttle.acquire(provider, "rcs", 45, 20, sleep=recording_sleep(slept))
    assert slept, "45 calls at 20 a second must wait"
    assert all(0 < seconds <= throttle.MAX_SLEEP for seconds in slept)


def test_the_limit_is_per_provider_and_channel():
    slept = []
    provider = f"p-{uuid.uuid4()}"
    throttle.acquire(provider, "rcs", 20, 20, sleep=recording_sleep(slept))
    # The SMS side of the same provider has its own window.
    assert throttle.acquire(provider, "sms", 20, 20, sleep=recording_sleep(slept))
    assert slept == []


def test_a_stopped_batch_stops_waiting():
    provider = f"p-{uuid.uuid4()}"
    throttle.acquire(provider, "rcs", 5, 5)
    assert not throttle.acquire(provider, "rcs", 5, 5, should_stop=lambda: True)


def test_no_limit_means_no_redis_at_all(settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens: it must not be asked
    assert throttle.acquire("any", "rcs", 1000, None)
