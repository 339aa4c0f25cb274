"""The rollup refresh queue: a drainer killed for real (os._exit, no clean-up) between taking
ids and committing, or between committing and forgetting them, loses nothing; Redis out of
reach means an immediate refresh. Real processes on the test database and the test Redis."""

import logging

import pytest
import redis
from django.db import connection

from analytics.models import MessageFact, Rollup
from analytics.rollups import queue
from analytics.rollups.rebuild import rebuild
from tests.support.analytics import T0, campaign_with_arms, message
from tests.support.workers import run_python

MESSAGES = 25
BATCH = 10
# Dies inside the second refresh's write of the rollups, before its transaction commits.
DIE_BEFORE_COMMIT = """
from analytics.rollups import apply
original = apply.write
calls = []
def write(model, *args, **kwargs):
    if model is apply.Rollup:
        calls.append(1)
        if len(calls) == 2:
            os._exit(9)
    return original(model, *args, **kwargs)
apply.write = write
"""
# Dies after the first refresh committed, before its ids are forgotten.
DIE_BEFORE_FORGETTING = """
import redis
redis.Redis.srem = lambda *args, **kwargs: os._exit(9)
"""


def run_drainer(patch=""):
    """A drainer in a process of its own, patched first (to die at a chosen moment)."""
    drain = f"from analytics.rollups import queue\nprint(queue.drain(batch={BATCH}))\n"
    return run_python(patch + "\n" + drain)


def buckets():
    return [{k: v for k, v in row.items() if k != "id"} for row in Rollup.objects.values()]


def sent_counts():
    return sum(Rollup.objects.values_list("sent", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_killed_drainer_restarted_loses_no_message(rollup_queue):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("another process cannot see an in-memory SQLite test database")
    _campaign, dispatches = campaign_with_arms()
    ids = [
        message(dispatches[""], final="rcs", status="delivered", sent_at=T0).pk
        for _ in range(MESSAGES)
    ]
    rollup_queue.mark(ids)
    lock = rollup_queue.keys()[2]

    killed = run_drainer(DIE_BEFORE_COMMIT)
    assert killed.returncode == 9, killed.stderr
    # The first batch committed and was forgotten; the second died with its ids still held.
    assert MessageFact.objects.count() == BATCH
    assert rollup_queue.pending() == MESSAGES - BATCH
    rollup_queue.mark([ids[0]])  # changed again meanwhile: waits behind the held ones
    queue.clickstream.client().delete(lock)

    killed = run_drainer(DIE_BEFORE_FORGETTING)
    assert killed.returncode == 9, killed.stderr
    assert MessageFact.objects.count() == 2 * BATCH
    assert rollup_queue.pending() == MESSAGES - BATCH + 1  # committed, not forgotten yet
    queue.clickstream.client().delete(lock)

    finished = run_drainer()
    assert finished.returncode == 0, finished.stderr

    assert rollup_queue.pending() == 0
    assert MessageFact.objects.count() == MESSAGES
    # Refreshed twice here and there, counted once.
    assert sent_counts() == MESSAGES
    incremental = buckets()
    rebuild()
    assert buckets() == incremental


@pytest.mark.django_db
def test_without_redis_the_rollups_are_refreshed_at_once(monkeypatch, caplog):
    _campaign, dispatches = campaign_with_arms()
    sent = message(dispatches[""], final="rcs", status="delivered", sent_at=T0)
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    monkeypatch.setattr(queue.clickstream, "client", lambda: unreachable)

    with caplog.at_level(logging.WARNING, logger="analytics.rollups.queue"):
        queue.mark([sent.pk])

    assert sent_counts() == 1
    assert "Redis unreachable" in caplog.text


@pytest.mark.django_db
def test_a_drain_with_nothing_waiting_does_nothing(rollup_queue):
    assert rollup_queue.drain() == 0
    assert not MessageFact.objects.exists()
