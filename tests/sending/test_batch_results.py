"""Writing a chunk's accepted calls never moves a message or an attempt back (SQLite or PG).

On PostgreSQL this is batch_sent_sql's two statements, elsewhere the ORM path: same rules.
"""

import pytest
from django.utils import timezone

from audience.models import Contact
from messaging.providers.normalized import EventType, SendResult
from sending import services
from sending.models import Attempt, Message
from sending.services.batch_results import record_results, write_attempts
from tests.factories import make_contact, make_dispatch, make_published_template
from tests.support.batches import claim_batch

pytestmark = pytest.mark.django_db


def _written_calls(slug, contacts):
    """(dispatch, contact ids, now, the calls of a claimed and prepared batch, attempts written)."""
    _template, version = make_published_template(slug=slug)
    ids = [make_contact(opted_in=True, test_mode=True).pk for _ in range(contacts)]
    dispatch = make_dispatch(version)
    spec = {"prenom": {"field": "first_name", "default": "client"}}
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), spec)
    now = timezone.now()
    prepared = claim_batch(
        dispatch, message_ids, now=now, until=now + timezone.timedelta(seconds=30)
    )
    return dispatch, ids, now, write_attempts(prepared)


def test_accepted_calls_are_written_without_overwriting_a_receipt_or_a_cancel(jobs):
    dispatch, ids, now, calls = _written_calls("promo_results", 3)
    assert [call.attempt.status for call in calls] == ["calling"] * 3
    early, cancelled, plain = (call.message.pk for call in calls)
    # A receipt got in first for one; another was cancelled meanwhile.
    Message.objects.filter(pk=early).update(status="delivered", delivered_at=now)
    Attempt.objects.filter(message_id=early).update(status="delivered")
    Message.objects.filter(pk=cancelled).update(status="cancelled")
    results = [
        SendResult(provider_message_id=f"p{index}", status=EventType.SENT, raw={"n": index})
        for index in range(3)
    ]

    assert record_results(dispatch, calls, results) == (3, [])

    messages = {m.pk: m for m in Message.objects.all()}
    attempts = {a.message_id: a for a in Attempt.objects.all()}
    assert messages[early].status == "delivered" and attempts[early].status == "delivered"
    assert messages[early].sent_at is not None
    assert messages[cancelled].status == "cancelled" and messages[cancelled].sent_at is None
    assert messages[plain].status == "sent" and messages[plain].sent_at is not None
    for pk, message in messages.items():
        assert message.locked_until is None
        assert message.final_channel == "rcs"
        assert message.rcs_deadline is not None
        assert attempts[pk].error_code == ""
    assert attempts[plain].status == "sent"
    assert attempts[plain].raw_response == {"n": 2}
    assert attempts[plain].provider_message_id == "p2"
    # Accepted over RCS: each contact is now known reachable (the same round trip on PG).
    for capable, checked_at in Contact.objects.filter(pk__in=ids).values_list(
        "rcs_capable", "rcs_checked_at"
    ):
        assert capable is True and checked_at >= now


def test_a_batch_flags_earlier_attempts_with_its_own_query(jobs):
    """The claim's query says which messages have an attempt, and which one still calling;
    write_attempts and the quiet-hours rules read that instead of querying (SQLite or PG)."""
    _template, version = make_published_template(slug="promo_flags")
    ids = [make_contact(opted_in=True, test_mode=True).pk for _ in range(3)]
    dispatch = make_dispatch(version)
    spec = {"prenom": {"field": "first_name", "default": "client"}}
    message_ids = services.snapshot_audience(dispatch, Contact.objects.filter(pk__in=ids), spec)
    calling, settled, fresh = sorted(message_ids)
    Attempt.objects.create(message_id=calling, channel="rcs", provider="simulator")
    Attempt.objects.create(message_id=settled, channel="sms", provider="simulator", status="sent")
    now = timezone.now()

    prepared = claim_batch(
        dispatch, message_ids, now=now, until=now + timezone.timedelta(seconds=30)
    )

    flags = {
        item.message.pk: (item.message.has_attempt, item.message.interrupted) for item in prepared
    }
    assert flags == {calling: (True, True), settled: (True, False), fresh: (False, False)}
    calls = write_attempts(prepared)
    # The simulator is idempotent: the attempt left calling is called again with its own id.
    assert {call.message.pk: call.fresh for call in calls} == {
        calling: False,
        settled: True,
        fresh: True,
    }
    assert Attempt.objects.filter(message_id=calling).count() == 1
    assert Attempt.objects.filter(message_id=settled).count() == 2


def test_answers_with_quotes_backslashes_and_accents_are_stored_as_given(jobs):
    dispatch, _ids, _now, calls = _written_calls("promo_odd_answers", 2)
    odd = {"name": 'a "quoted" \\ name', "note": "é’😀", "nested": [{"x": None}, "NULL", ""]}
    results = [
        SendResult(provider_message_id='id "1" \\', status=EventType.SENT, raw=odd),
        SendResult(provider_message_id="", status=EventType.SENT, raw={}),
    ]

    assert record_results(dispatch, calls, results) == (2, [])

    first, second = (Attempt.objects.get(pk=call.attempt.pk) for call in calls)
    assert (first.provider_message_id, first.raw_response) == ('id "1" \\', odd)
    assert (second.provider_message_id, second.raw_response) == ("", {})
    for call in calls:
        message = Message.objects.get(pk=call.message.pk)
        # The deadline goes through as text: to the microsecond, ttl after the send.
        ttl = timezone.timedelta(seconds=message.rcs_ttl_seconds)
        assert message.rcs_deadline - message.sent_at == ttl
