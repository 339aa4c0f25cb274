"""EXPLAIN at realistic sizes: the queries served by a partial or reordered index of
sending_message and sending_attempt still use it (PostgreSQL)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from messaging.providers.normalized import Channel
from sending.models import Attempt, Message
from sending.services import frequency
from tests.support.plans import dispatch_with_contacts

pytestmark = pytest.mark.django_db

# A dispatch near its end: one message in a thousand still sending, one in ten sent and
# waiting for its receipt, the rest delivered.
CAMPAIGN = 100_000
API = 20_000  # API sends, each with the caller's reference
# Times and references count from the first contact's id, not from 1: the ids continue from
# whatever the tests before wrote (the deadline check found nothing in a full run).


@pytest.fixture
def big_tables(db):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's")
    dispatch = dispatch_with_contacts("promo_index_plans", CAMPAIGN)
    version = dispatch.template_version_id
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sending_message (public_id, contact_id, template_version_id, dispatch_id,
                arm, stage, draft_test, variables, sms_text, sms_encoding, sms_segments,
                traffic_type, policy, intended_channel, final_channel, status, status_reason,
                status_detail, fallback_reason, rcs_ttl_seconds, provider, test_mode,
                external_id, source, send_tries, created, updated, locked_until, sent_at,
                rcs_deadline)
            SELECT gen_random_uuid(), c.id, %(version)s, %(dispatch)s, '', 0, false, '{}', '',
                '', 0, 'PROMOTION', 'rcs_with_fallback', 'rcs', 'rcs',
                CASE WHEN c.id %% 1000 = 0 THEN 'sending' WHEN c.id %% 10 = 1 THEN 'sent'
                    ELSE 'delivered' END, '', '', '', 3600,
                'simulator', true, '', 'campaign', 1,
                now() - interval '2 days' + (c.id - f.first) * interval '1 second', now(),
                CASE WHEN c.id %% 1000 = 0 THEN now() - interval '1 hour' END,
                CASE WHEN c.id %% 1000 = 0 THEN NULL ELSE now() - interval '1 day' END,
                CASE WHEN c.id %% 1000 <> 0
                    THEN now() - interval '47 hours' + (c.id - f.first) * interval '1 second' END
            FROM audience_contact c, (SELECT min(id) AS first FROM audience_contact) f
            """,
            {"version": version, "dispatch": dispatch.pk},
        )
        cursor.execute(
            """
            INSERT INTO sending_message (public_id, contact_id, template_version_id, arm, stage,
                draft_test, variables, sms_text, sms_encoding, sms_segments, traffic_type,
                policy, intended_channel, final_channel, status, status_reason, status_detail,
                fallback_reason, rcs_ttl_seconds, provider, test_mode, external_id, source,
                send_tries, created, updated)
            SELECT gen_random_uuid(), c.id, %(version)s, '', 0, false, '{}', '', '', 0,
                'TRANSACTION', 'rcs_with_fallback', 'sms', 'sms', 'delivered', '', '', '', 3600,
                'twilio', true, 'order-' || (c.id - f.first), 'api', 1, now(), now()
            FROM audience_contact c, (SELECT min(id) AS first FROM audience_contact) f
            WHERE c.id - f.first < %(api)s
            """,
            {"version": version, "api": API},
        )
        cursor.execute(
            """
            INSERT INTO sending_attempt (public_id, message_id, channel, provider,
                provider_message_id, status, provider_handles_fallback, error_code, error_text,
                raw_response, created, updated)
            SELECT gen_random_uuid(), m.id, m.final_channel, m.provider,
                CASE WHEN m.status = 'sending' THEN '' ELSE 'SM' || md5(m.id::text) END,
                CASE WHEN m.status = 'sending' THEN 'calling' ELSE 'sent' END, false, '', '',
                '{}', now(), now()
            FROM sending_message m
            """
        )
        cursor.execute("ANALYZE audience_contact")
        cursor.execute("ANALYZE sending_message")
        cursor.execute("ANALYZE sending_attempt")
    return dispatch


def test_lookups_use_the_partial_and_reordered_indexes(big_tables):
    # One test, so the rows are written once.
    check_the_reconciler_finds_expired_leases_through_the_lease_index()
    check_the_reconciler_finds_missed_deadlines_through_the_deadline_index()
    check_the_api_list_pages_through_the_list_index()
    check_the_api_finds_a_reference_through_the_external_index()
    check_a_webhook_finds_its_attempt_by_provider_id()
    check_the_frequency_cap_reads_contacts_through_the_unique_index()


def check_the_reconciler_finds_expired_leases_through_the_lease_index():
    stuck = Message.objects.stuck(timezone.now()).order_by("pk").values_list("pk", "dispatch_id")
    text = stuck[:1000].explain()
    assert "sending_message_lease" in text, text
    assert "Seq Scan on sending_message" not in text, text
    assert len(stuck) == CAMPAIGN // 1000


def check_the_reconciler_finds_missed_deadlines_through_the_deadline_index():
    # What each reconciler pass asks (sending.services.pipeline.reconcile_stuck_messages).
    overdue = Attempt.objects.filter(
        channel=Channel.RCS,
        status=Attempt.Status.SENT,
        message__in=Message.objects.deadline_overdue(timezone.now()),
    ).values_list("message_id", "public_id")
    text = overdue[:1000].explain()
    assert "sending_message_deadline" in text, text
    assert "Seq Scan on sending_message" not in text, text
    # Deadlines from 47 to about 19 hours ago, one in ten still sent: those of the last day.
    assert 1000 < len(overdue) < 2000


def check_the_api_list_pages_through_the_list_index():
    page = Message.objects.filter(test_mode=True).order_by("-created", "-pk")
    text = page[:21].explain()
    assert "sending_message_list" in text, text
    assert "Sort" not in text, text


def check_the_api_finds_a_reference_through_the_external_index():
    # What GET /api/v1/messages/by-external-id/order-42 asks (sending.api).
    found = Message.objects.filter(test_mode=True, external_id="order-42")
    text = found.order_by("-created", "-pk")[:1].explain()
    assert "sending_message_external" in text, text
    assert found.count() == 1


def check_a_webhook_finds_its_attempt_by_provider_id():
    # What a Twilio status callback asks (sending.services.webhooks._attempt_of).
    message_id = Message.objects.filter(external_id="order-42").values_list("pk", flat=True)[0]
    sid = Attempt.objects.get(message_id=message_id).provider_message_id
    found = Attempt.objects.filter(provider="twilio", provider_message_id=sid)
    text = found.explain()
    assert "sending_attempt_provider_id" in text, text
    assert found.get().channel == Channel.SMS


def check_the_frequency_cap_reads_contacts_through_the_unique_index():
    now = timezone.now() + timedelta(minutes=1)
    counted = frequency.counted_messages(list(range(1000, 1500)), now, True)
    text = counted.explain()
    assert "sending_message_once_per_dispatch" in text, text
    assert "Seq Scan on sending_message" not in text, text
