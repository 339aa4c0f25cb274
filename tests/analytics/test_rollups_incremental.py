"""Rollups kept up to date change by change equal the rollups rebuilt from the raw rows: each
change queues its message (the receivers, or the test for a click written directly), and the
drain loop refreshes them at random moments, some more than once."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.models import ButtonRollup, MessageFact, Rollup
from analytics.rollup_models import BUTTON_COUNTERS, BUTTON_KEY, COUNTERS, KEY
from analytics.rollups import queue
from analytics.rollups.rebuild import rebuild
from audience.models import ConsentEntry
from sending.models import Message
from tests.support.analytics import (
    T0,
    campaign_with_arms,
    empty_rollup_queue,
    fail,
    message,
    tap,
)

pytestmark = pytest.mark.django_db

STEPS = st.sampled_from(
    [
        "sent",
        "delivered",
        "read",
        "fallback",
        "fail",
        "tap_a",
        "tap_b",
        "bot",
        "stop",
        "late_delivery",
    ]
)


def snapshot():
    rows = {
        tuple(row[k] for k in KEY): {c: row[c] for c in COUNTERS}
        for row in Rollup.objects.values()
        if any(row[c] for c in COUNTERS)
    }
    buttons = {
        tuple(row[k] for k in BUTTON_KEY): {c: row[c] for c in BUTTON_COUNTERS}
        for row in ButtonRollup.objects.values()
        if any(row[c] for c in BUTTON_COUNTERS)
    }
    return rows, buttons


def apply_step(m, step, hours):
    at = T0 + timedelta(hours=hours)
    if step == "sent" and m.status == "queued":
        m.status, m.sent_at, m.final_channel = "sent", at, m.intended_channel
        m.save()
    elif step in ("delivered", "late_delivery") and m.sent_at:
        m.advance(Message.Status.DELIVERED, at)
        m.save()
    elif step == "read" and m.final_channel == "rcs" and m.sent_at:
        m.advance(Message.Status.READ, at)
        m.save()
    elif step == "fallback" and m.final_channel == "rcs" and m.status == "sent":
        m.final_channel, m.fallback_reason = "sms", Message.FallbackReason.NOT_REACHABLE
        m.save()
    elif step == "fail" and m.status in ("queued", "sent"):
        fail(m, f"E{hours % 3}")
    elif step in ("tap_a", "tap_b") and m.sent_at:
        tap(m, step[-1], at)
    elif step == "bot" and m.sent_at:
        tap(m, "a", at, kind=["bot", "suspected_bot"][hours % 2])
    elif step == "stop" and m.sent_at:
        ConsentEntry.objects.create(
            contact=m.contact,
            kind="opt_out",
            source="inbound_stop",
            wording="STOP",
            occurred_at=m.sent_at + timedelta(hours=1),
        )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    story=st.lists(
        st.tuples(st.integers(0, 5), STEPS, st.integers(0, 30), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_incremental_rollups_equal_a_rebuild(story, django_capture_on_commit_callbacks):
    empty_rollup_queue()
    Message.objects.all().delete()
    MessageFact.objects.all().delete()
    Rollup.objects.all().delete()
    ButtonRollup.objects.all().delete()
    _campaign, dispatches = campaign_with_arms("rcs", "sms")
    messages = [
        message(dispatches["rcs"], arm="rcs", intended="rcs", sms_segments=2),
        message(dispatches["rcs"], arm="rcs", intended="rcs"),
        message(dispatches["rcs"], arm="rcs", intended="rcs", stage=1),
        message(dispatches["sms"], arm="sms", intended="sms"),
        message(dispatches["sms"], arm="sms", intended="sms", sms_segments=3),
        message(dispatches["sms"], arm="sms", intended="sms", stage=1),
    ]
    queue.mark(m.pk for m in messages)
    for index, step, hours, drain in story:
        m = messages[index]
        with django_capture_on_commit_callbacks(execute=True):
            apply_step(m, step, hours)
        queue.mark([m.pk])  # a click written directly here goes through no receiver
        if drain:
            queue.mark([messages[0].pk])  # a replay: refreshed again, changes nothing
            queue.drain(batch=2)
    queue.drain(batch=2)
    assert queue.pending() == 0
    incremental = snapshot()

    rebuild()

    assert incremental == snapshot()
    assert sum(row["messages"] for row in incremental[0].values()) == 6
