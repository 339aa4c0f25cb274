"""The drainer killed for real (os._exit, no clean-up) mid-batch, then restarted: nothing
lost, nothing counted twice. Real processes on the test database and the test Redis."""

import pytest
from django.db import connection

from analytics.models import Click
from tests.support.links import code_of, make_tracked_message, tracked
from tests.support.workers import run_python

pytestmark = pytest.mark.django_db(transaction=True)

TAPS = 50
HEADERS = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile", "Accept-Language": "fr"}
BATCH = 20
# Process A commits its first batch, then dies before acknowledging it.
DIE_BEFORE_ACK = """
import redis
redis.Redis.xack = lambda *args, **kwargs: os._exit(9)
"""
# Process B dies inside its second write, before the commit.
DIE_BEFORE_COMMIT = """
from analytics.models import Click
original = Click.objects.bulk_create
calls = []
def bulk_create(rows, *args, **kwargs):
    calls.append(len(rows))
    original(rows, *args, **kwargs)
    if len(calls) == 2:
        os._exit(9)
Click.objects.bulk_create = bulk_create
"""


def run_drainer(patch=""):
    """A drainer in a process of its own, patched first (to die at a chosen moment)."""
    drain = f"from analytics.services import drain_clicks\nprint(drain_clicks(batch={BATCH}))\n"
    return run_python(patch + "\n" + drain)


def test_a_killed_drainer_restarted_loses_nothing_and_counts_nothing_twice(client, click_stream):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("another process cannot see an in-memory SQLite test database")
    message = make_tracked_message()
    for number in range(TAPS):
        client.get(f"/l/{code_of(tracked(message, number % 3))}", headers=HEADERS)
    lock = f"{click_stream.key()}:drainer"

    killed = run_drainer(DIE_BEFORE_ACK)
    assert killed.returncode == 9, killed.stderr
    assert Click.objects.count() == BATCH
    # The dead drainer's lock runs out (LOCK_SECONDS); the test does not wait for it.
    click_stream.client().delete(lock)

    killed = run_drainer(DIE_BEFORE_COMMIT)
    assert killed.returncode == 9, killed.stderr
    assert Click.objects.count() == BATCH
    click_stream.client().delete(lock)

    finished = run_drainer()
    assert finished.returncode == 0, finished.stderr

    assert Click.objects.count() == TAPS
    assert Click.objects.values("stream_id").distinct().count() == TAPS
    # Two buttons (the SMS link of the first joins its funnel): two unique clicks.
    assert Click.objects.filter(is_unique=True).count() == 2
    pending = click_stream.client().xpending(click_stream.key(), click_stream.GROUP)
    assert pending["pending"] == 0
