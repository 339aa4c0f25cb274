"""Quiet hours and the frequency cap applied to a whole batch at claim time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from audience.models import Contact
from sending import services
from sending.models import Message
from tests.factories import make_contact, make_dispatch, make_published_template

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SUNDAY = datetime(2026, 12, 6, 10, 0, tzinfo=PARIS)
MONDAY_OPENING = datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)
WEDNESDAY = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)
SPEC = {"prenom": {"field": "first_name", "default": "client"}}


@pytest.fixture
def version(db):
    _template, version = make_published_template(slug="promo_batch_policy")
    return version


def snapshot(version, contacts):
    dispatch = make_dispatch(version)
    ids = [contact.pk for contact in contacts]
    services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), SPEC)
    return dispatch


def test_on_a_sunday_the_batch_waits_for_monday_eight_then_goes(
    version, jobs, network, promotion_rules, time_machine
):
    time_machine.move_to(SUNDAY, tick=False)
    contacts = [make_contact(opted_in=True, test_mode=True) for _ in range(3)]
    snapshot(version, contacts)

    jobs.run(until=0)

    messages = Message.objects.all()
    assert {m.status for m in messages} == {"queued"}
    assert {m.status_reason for m in messages} == {"quiet_hours"}
    assert {m.not_before for m in messages} == {MONDAY_OPENING}
    assert not any(m.attempts.exists() for m in messages)
    wait = (MONDAY_OPENING - SUNDAY).total_seconds()
    assert [(job.name, job.due) for job in jobs.pending] == [("send_batch", wait)]

    time_machine.move_to(MONDAY_OPENING, tick=False)
    jobs.run(until=wait)

    assert {m.status for m in Message.objects.all()} == {"sent"}
    assert {m.status_reason for m in Message.objects.all()} == {""}


def test_a_contact_at_the_cap_is_suppressed_and_the_others_go(
    version, jobs, network, promotion_rules, time_machine
):
    time_machine.move_to(WEDNESDAY, tick=False)
    capped, free = (make_contact(opted_in=True, test_mode=True) for _ in range(2))
    # A promotion sent to `capped` an hour ago by another path (an API send).
    Message.objects.create(
        contact=capped,
        template_version=version,
        traffic_type=version.traffic_type,
        intended_channel="rcs",
        final_channel="rcs",
        status=Message.Status.SENT,
        sent_at=timezone.now() - timedelta(hours=1),
        rcs_ttl_seconds=3600,
        provider="simulator",
        test_mode=True,
    )
    dispatch = snapshot(version, [capped, free])

    jobs.run(until=0)

    mine = Message.objects.filter(dispatch=dispatch)
    held = mine.get(contact=capped)
    assert (held.status, held.status_reason) == ("suppressed", "frequency_cap")
    assert not held.attempts.exists()
    assert mine.get(contact=free).status == "sent"
