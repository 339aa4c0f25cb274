"""The rollups follow a real batch send: the engine's message_events queue its messages, the
drain loop refreshes them."""

import pytest

from analytics.models import Rollup
from analytics.rollups.rebuild import rebuild
from audience.models import Contact
from sending import services
from tests.factories import make_contact, make_dispatch, make_published_template
from tests.support.sending import NEVER_RCS

pytestmark = pytest.mark.django_db

SPEC = {"prenom": {"field": "first_name", "default": "client"}}


def counts():
    return {
        (row["route"], row["sent"], row["delivered"])
        for row in Rollup.objects.values("route", "sent", "delivered", "messages")
        if row["messages"]
    }


def test_a_batch_send_and_its_receipts_reach_the_rollups_after_the_drain(
    jobs, network, django_capture_on_commit_callbacks, rollup_queue
):
    _template, version = make_published_template(slug="promo_rollups")
    contacts = [make_contact(opted_in=True, test_mode=True) for _ in range(12)]
    contacts.append(make_contact(opted_in=True, test_mode=True, phone=NEVER_RCS))
    dispatch = make_dispatch(version)
    services.snapshot_audience(
        dispatch, Contact.objects.filter(pk__in=[c.pk for c in contacts]), SPEC
    )

    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(until=3600)
    # The send only queued its messages: nothing is counted until the drain loop runs.
    assert not Rollup.objects.filter(template_version_id=version.pk).exists()
    assert rollup_queue.pending() >= 13
    assert rollup_queue.drain() >= 13
    assert rollup_queue.pending() == 0

    # The dispatch's messages (a simulated STOP may add an acknowledgement, without version).
    live = {
        route: (sum(r["sent"] for r in rows), sum(r["delivered"] for r in rows))
        for route, rows in _by_route(version).items()
    }
    assert sum(sent for sent, _d in live.values()) == 13
    assert live["sms_fallback"][0] >= 1  # the never-RCS number went by SMS fallback
    incremental = counts()
    rebuild()
    assert counts() == incremental


def _by_route(version):
    found = {}
    for row in Rollup.objects.filter(template_version_id=version.pk).values(
        "route", "sent", "delivered"
    ):
        found.setdefault(row["route"], []).append(row)
    return found
