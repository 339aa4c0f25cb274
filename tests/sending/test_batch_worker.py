"""A dispatch of a few thousand contacts sent by two real RQ workers, one SIGKILLed mid-way.

Worker A and its work-horse die together (the whole process group, as when a machine or a
container dies); their batch keeps its lease until it runs out, the reconciler process gives
its ids to a new batch job, and worker B finishes the dispatch alone.
"""

import os
import signal
import time

import pytest

from audience.models import Consent, Contact
from sending import services
from sending.dispatches import Dispatch
from sending.models import Attempt, Message
from tests.factories import make_dispatch, make_published_template
from tests.support.workers import NO_PROMOTION_RULES, Workers, empty_queues, skip_on_memory_database

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONTACTS = 2000
OPTED_OUT_EVERY = 50  # 2 %
THROTTLE = 100  # messages a second for the whole dispatch: ~20 s, so the kill lands mid-way
WAIT_SECONDS = 120


@pytest.fixture
def processes():
    """processes(*args) starts `manage.py <args>` as a real process; all stop at the end."""
    skip_on_memory_database()
    empty_queues()
    workers = Workers()
    yield lambda *args: workers.start(*args, **NO_PROMOTION_RULES)
    workers.stop()
    empty_queues()


def make_audience():
    contacts = []
    for index in range(CONTACTS):
        consent = Consent.OPT_OUT if index % OPTED_OUT_EVERY == 0 else Consent.OPT_IN
        contacts.append(
            Contact(
                phone=f"+3367{index:07d}",
                test_mode=True,
                first_name=f"Client{index}",
                sms_consent=consent,
                rcs_consent=consent,
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=1000)
    return Contact.objects.filter(test_mode=True)


def test_two_workers_one_killed_every_eligible_contact_gets_exactly_one_message(processes):
    _template, version = make_published_template(slug="promo_batch_worker")
    contacts = make_audience()
    dispatch = make_dispatch(version, throttle_per_second=THROTTLE)
    spec = {"prenom": {"field": "first_name", "default": "client"}}

    victim = processes("rqworker", "messages")
    processes("rqworker", "messages")
    processes("reconcile_messages", "--every", "5")
    services.snapshot_audience(dispatch, contacts, spec)

    deadline = time.monotonic() + WAIT_SECONDS
    while Attempt.objects.filter(status="sent").count() < CONTACTS // 4:
        assert time.monotonic() < deadline, "the workers never got going"
        time.sleep(0.2)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    killed_at = time.monotonic()

    while Dispatch.objects.get(pk=dispatch.pk).status != Dispatch.Status.DONE:
        assert time.monotonic() < deadline, (
            f"not done: {Dispatch.objects.get(pk=dispatch.pk).counts()}"
        )
        time.sleep(0.5)
    recovered_in = time.monotonic() - killed_at

    messages = Message.objects.filter(dispatch=dispatch)
    assert messages.count() == CONTACTS
    opted_out = messages.filter(contact__sms_consent=Consent.OPT_OUT)
    assert opted_out.count() == CONTACTS // OPTED_OUT_EVERY
    assert set(opted_out.values_list("status", flat=True)) == {Message.Status.SUPPRESSED}
    assert not Attempt.objects.filter(message__in=opted_out).exists()
    eligible = messages.exclude(contact__sms_consent=Consent.OPT_OUT)
    assert set(eligible.values_list("status", flat=True)) == {Message.Status.SENT}
    # Exactly one provider call that counts per eligible contact: one accepted attempt each
    # (a batch redone after the kill reused the attempt ids, which the simulator, like RBM,
    # treats as the same message).
    accepted = Attempt.objects.filter(message__in=eligible, status=Attempt.Status.SENT)
    assert accepted.count() == eligible.count()
    assert accepted.values("message").distinct().count() == eligible.count()
    # Besides: the RCS tries of numbers the network said were not reachable (then SMS).
    others = Attempt.objects.exclude(status=Attempt.Status.SENT)
    assert set(others.values_list("status", "channel")) <= {("failed", "rcs")}
    assert recovered_in < WAIT_SECONDS
