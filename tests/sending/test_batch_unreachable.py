"""A batch's RCS calls answered "not reachable" are written for the chunk at once, with the
rule of the one-at-a-time path: attempt failed, contact not capable, SMS fallback queued once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audience.models import Contact
from messaging.providers import get_provider
from sending import services
from sending.models import Attempt, Message
from sending.services import batch_failures, simulation
from sending.signals import MessageEvent, message_events
from tests.factories import make_contact, make_dispatch, make_published_template

pytestmark = pytest.mark.django_db

SPEC = {"prenom": {"field": "first_name", "default": "client"}}


@pytest.fixture
def version(db):
    _template, version = make_published_template(slug="promo_unreachable")
    return version


def numbers(*, capable, count, start=0):
    """count mobile numbers the simulator answers as RCS-capable or not (stable per number)."""
    simulator = get_provider(simulation.SIMULATOR)
    found, index = [], start
    while len(found) < count:
        number = f"+3367{index:07d}"
        if simulator.is_rcs_capable(number) == capable:
            found.append(number)
        index += 1
    return found


def contacts(phones):
    made = [make_contact(opted_in=True, test_mode=True, phone=phone) for phone in phones]
    return Contact.objects.filter(pk__in=[contact.pk for contact in made])


def test_unreachable_contacts_of_a_batch_fall_back_to_sms_once_and_are_remembered(
    version, jobs, network, django_capture_on_commit_callbacks
):
    unreachable = numbers(capable=False, count=4)
    reachable = numbers(capable=True, count=3)
    dispatch = make_dispatch(version)
    changes = []

    def listener(sender, **kwargs):
        changes.extend(kwargs["changes"])

    message_events.connect(listener, weak=False, dispatch_uid="test-unreachable")
    try:
        services.snapshot_audience(dispatch, contacts(unreachable + reachable), SPEC)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.run(until=0)
    finally:
        message_events.disconnect(dispatch_uid="test-unreachable")

    for phone in unreachable:
        message = Message.objects.get(dispatch=dispatch, contact__phone=phone)
        assert (message.status, message.final_channel, message.fallback_reason) == (
            "sent",
            "sms",
            "not_reachable",
        )
        rcs, sms = message.attempts.order_by("pk")
        assert (rcs.channel, rcs.status) == ("rcs", "failed")
        assert rcs.error_text
        assert sms.channel == "sms"
        assert message.contact.rcs_capable is False
        assert message.contact.rcs_checked_at is not None
    for phone in reachable:
        message = Message.objects.get(dispatch=dispatch, contact__phone=phone)
        assert (message.final_channel, message.fallback_reason) == ("rcs", "")
    fell_back = {change.message_id for change in changes if change.event == MessageEvent.FELL_BACK}
    assert fell_back == set(
        Message.objects.filter(dispatch=dispatch, fallback_reason="not_reachable").values_list(
            "pk", flat=True
        )
    )


def test_a_chunk_of_unreachable_calls_costs_the_same_statements_whatever_their_number(
    version, jobs, network, monkeypatch
):
    real = batch_failures.record_unreachable
    statements = {}

    def counted(failed, now):
        with CaptureQueriesContext(connection) as queries:
            queued = real(failed, now)
        statements[len(failed)] = len(queries)
        return queued

    monkeypatch.setattr(batch_failures, "record_unreachable", counted)
    for count, start in ((2, 0), (7, 5000)):
        dispatch = make_dispatch(version)
        phones = numbers(capable=False, count=count, start=start)
        services.snapshot_audience(dispatch, contacts(phones), SPEC)
        jobs.run(until=0)

    assert set(statements) == {2, 7}
    assert statements[2] == statements[7]


def test_a_message_queued_for_its_fallback_meanwhile_is_left_to_that(
    version, jobs, network, monkeypatch
):
    [phone] = numbers(capable=False, count=1)
    dispatch = make_dispatch(version)
    services.snapshot_audience(dispatch, contacts([phone]), SPEC)
    [job] = jobs.pending
    jobs.pending.clear()
    real_in_bulk = batch_failures.in_bulk

    def fallen_back_meanwhile(call, error):
        # As a webhook's request_fallback would, while the call was in flight.
        Message.objects.filter(pk=call.message.pk).update(
            status="queued", fallback_reason="rcs_failed"
        )
        return real_in_bulk(call, error)

    monkeypatch.setattr(batch_failures, "in_bulk", fallen_back_meanwhile)
    services.send_batch(*job.args)

    message = Message.objects.get(dispatch=dispatch)
    assert (message.status, message.fallback_reason) == ("queued", "rcs_failed")
    assert Attempt.objects.get(message=message).status == "failed"
    assert not Attempt.objects.filter(message=message, channel="sms").exists()
    # Not queued a second time by the batch: the webhook's own job sends it.
    assert jobs.pending == []
