"""The frequency cap for promotions: one per contact per 24 hours by default, across API sends
and messages from any other path, counted on what went out and what is on its way."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from messaging.providers.normalized import Channel, TrafficType
from sending import services
from sending.models import Message
from sending.services import frequency
from tests.factories import make_api_key, make_contact
from tests.support.api import bearer

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"
# A Wednesday, in the window: only the cap is at play.
WEDNESDAY = datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def rules(promotion_rules, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    return promotion_rules


@pytest.fixture
def api(db):
    # A live key: its messages go through the configured provider (locmem here).
    _key, secret = make_api_key(mode="live")
    return Client(headers=bearer(secret))


def post(api, version, recipient=PHONE):
    body = {
        "template_id": version.template.slug,
        "recipient": recipient,
        "variables": {"prenom": "Léa"},
        "policy": "sms_only",
    }
    return api.post("/api/v1/messages", body, content_type="application/json")


def submit(version, recipient=PHONE, **options):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=recipient,
        variables={"prenom": "Léa"},
        policy="sms_only",
        **options,
    )


def promotion(contact, **fields):
    """A promotional message written straight into the table, as a campaign's snapshot does."""
    values = {
        "traffic_type": TrafficType.PROMOTION,
        "intended_channel": Channel.SMS,
        "rcs_ttl_seconds": 3600,
        "provider": "locmem",
        "test_mode": contact.test_mode,
        "sms_text": "Soldes !",
    }
    values.update(fields)
    return Message.objects.create(contact=contact, **values)


def test_the_second_api_promotion_within_24_hours_is_accepted_and_suppressed(
    promo, opted_in, locmem, jobs, api
):
    opted_in(PHONE)
    first = post(api, promo).json()
    jobs.run(until=jobs.clock)

    response = post(api, promo)

    assert response.status_code == 202
    second = response.json()
    assert (second["status"], second["status_reason"]) == ("suppressed", "frequency_cap")
    detail = api.get(second["status_url"]).json()
    assert (detail["status"], detail["status_reason"]) == ("suppressed", "frequency_cap")
    assert api.get(first["status_url"]).json()["status"] == "sent"
    jobs.run(until=jobs.clock)
    assert len(locmem.outbox) == 1


def test_the_cap_lifts_24_hours_after_the_send(promo, opted_in, locmem, jobs, time_machine):
    opted_in(PHONE)
    submit(promo)
    jobs.run(until=jobs.clock)

    time_machine.move_to(WEDNESDAY + timedelta(hours=23, minutes=59), tick=False)
    assert submit(promo).status_reason == Message.Reason.FREQUENCY_CAP

    time_machine.move_to(WEDNESDAY + timedelta(hours=24), tick=False)
    third = submit(promo)
    jobs.run(until=jobs.clock)
    third.refresh_from_db()
    assert third.status == Message.Status.SENT
    assert len(locmem.outbox) == 2


def test_a_promotion_from_another_path_counts_sent_or_on_its_way(promo, opted_in, locmem, jobs):
    contact = opted_in(PHONE)
    # A campaign's message that went out two hours ago.
    promotion(contact, status=Message.Status.SENT, sent_at=WEDNESDAY - timedelta(hours=2))
    assert submit(promo).status_reason == Message.Reason.FREQUENCY_CAP

    other = opted_in("+33612345679")
    # A campaign's message still queued (its batch, or the window, has not come).
    promotion(other, status=Message.Status.QUEUED)
    assert submit(promo, recipient=other.phone).status_reason == Message.Reason.FREQUENCY_CAP
    jobs.run(until=jobs.clock)
    assert locmem.outbox == []


def test_what_does_not_count(promo, transactional, opted_in, locmem, jobs):
    contact = opted_in(PHONE)
    old = WEDNESDAY - timedelta(hours=25)
    promotion(contact, status=Message.Status.DELIVERED, sent_at=old)
    promotion(contact, status=Message.Status.SUPPRESSED)
    promotion(contact, status=Message.Status.CANCELLED)
    promotion(contact, status=Message.Status.FAILED, failed_at=WEDNESDAY)  # never went out
    promotion(contact, status=Message.Status.SENT, source=Message.Source.EDITOR_TEST)
    promotion(contact, status=Message.Status.SENT, traffic_type=TrafficType.TRANSACTION)
    # The same number's test contact is other data.
    test_twin = make_contact(phone=PHONE, test_mode=True)
    promotion(test_twin, status=Message.Status.SENT, sent_at=WEDNESDAY)

    message = submit(promo)
    jobs.run(until=jobs.clock)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_transactional_traffic_is_never_capped(promo, transactional, opted_in, locmem, jobs):
    opted_in(PHONE)
    submit(promo)
    receipt = submit(transactional)
    jobs.run(until=jobs.clock)
    receipt.refresh_from_db()
    assert receipt.status == Message.Status.SENT
    assert len(locmem.outbox) == 2


def test_editor_test_sends_are_never_capped(promo, opted_in, locmem, jobs):
    contact = opted_in(PHONE, test_mode=True)
    promotion(contact, status=Message.Status.SENT, sent_at=WEDNESDAY)
    message = submit(promo, test_mode=True, source=Message.Source.EDITOR_TEST, provider="locmem")
    jobs.run(until=jobs.clock)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_cap_0_turns_it_off_and_3_lets_a_third_through(promo, opted_in, locmem, jobs, settings):
    opted_in(PHONE)
    settings.PROMOTION_CAP_PER_24H = 0
    submit(promo), submit(promo)
    jobs.run(until=jobs.clock)
    assert len(locmem.outbox) == 2

    settings.PROMOTION_CAP_PER_24H = 3
    third = submit(promo)
    assert third.status == Message.Status.QUEUED
    fourth = submit(promo)
    assert fourth.status_reason == Message.Reason.FREQUENCY_CAP
    jobs.run(until=jobs.clock)
    assert len(locmem.outbox) == 3


@pytest.mark.parametrize("jobs_lost", [False, True], ids=["own jobs", "reconciler"])
def test_of_two_promotions_held_for_the_window_the_older_goes_whoever_is_claimed_first(
    promo, opted_in, locmem, jobs, time_machine, jobs_lost
):
    opted_in(PHONE)
    saturday_night = datetime(2026, 12, 12, 21, 0, tzinfo=UTC)
    time_machine.move_to(saturday_night, tick=False)
    older = submit(promo)
    time_machine.move_to(saturday_night + timedelta(hours=12), tick=False)
    younger = submit(promo)
    # Both wait for Monday: the cap is decided when they go.
    assert [older.status_reason, younger.status_reason] == ["quiet_hours", "quiet_hours"]

    if jobs_lost:
        # The reconciler re-drives both, in id order: the older is claimed first.
        jobs.pending.clear()
        time_machine.move_to(datetime(2026, 12, 14, 7, 11, tzinfo=UTC), tick=False)
        assert services.reconcile_stuck_messages() == 2
        assert jobs.pending[0].args == (older.pk,)
    else:
        # The younger's job is due first (it waits less): it is claimed before the older.
        time_machine.move_to(datetime(2026, 12, 14, 7, 0, tzinfo=UTC), tick=False)
        assert min(jobs.pending, key=lambda job: job.due).args == (younger.pk,)
    jobs.run(until=jobs.clock + timedelta(days=3).total_seconds())

    older.refresh_from_db()
    younger.refresh_from_db()
    assert older.status == Message.Status.SENT
    assert (younger.status, younger.status_reason) == ("suppressed", "frequency_cap")
    assert len(locmem.outbox) == 1


# The set-based function the batch engine calls


def test_capped_contact_ids_answers_for_many_contacts_in_one_query(
    opted_in, django_assert_num_queries
):
    sent, waiting, fresh = (opted_in(f"+3361234500{index}") for index in range(3))
    promotion(sent, status=Message.Status.READ, sent_at=WEDNESDAY - timedelta(hours=3))
    promotion(waiting, status=Message.Status.QUEUED)
    ids = [sent.pk, waiting.pk, fresh.pk]
    now = datetime.now(UTC)

    with django_assert_num_queries(1):
        capped = frequency.capped_contact_ids(ids, now, test_mode=False)

    assert capped == {sent.pk, waiting.pk}
    assert frequency.capped_contact_ids(ids, now, test_mode=True) == set()


def test_the_messages_being_decided_never_cap_themselves_and_the_older_wins(opted_in):
    contact = opted_in(PHONE)
    older = promotion(contact, status=Message.Status.QUEUED)
    younger = promotion(contact, status=Message.Status.QUEUED)
    now = datetime.now(UTC)

    def capped(message):
        found = frequency.capped_contact_ids([contact.pk], now, False, message_ids=[message.pk])
        return contact.pk in found

    assert not capped(older)
    assert capped(younger)
    # One already sending (another worker holds it) counts whatever its age.
    Message.objects.filter(pk=younger.pk).update(status=Message.Status.SENDING)
    assert capped(older)
    assert frequency.is_capped(contact, now, message=older)


def test_a_batch_of_claimed_messages_is_not_capped_by_itself(opted_in):
    contacts = [opted_in(f"+3361234501{index}") for index in range(3)]
    batch = [promotion(contact, status=Message.Status.SENDING) for contact in contacts]
    ids = [contact.pk for contact in contacts]
    now = datetime.now(UTC)
    found = frequency.capped_contact_ids(
        ids, now, False, message_ids=[message.pk for message in batch]
    )
    assert found == set()
    # Without saying which messages are being decided, each counts against its contact.
    assert frequency.capped_contact_ids(ids, now, False) == set(ids)
