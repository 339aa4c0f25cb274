"""EXPLAIN at 100,000 rows: the batch claim and the snapshot use their indexes (PostgreSQL)."""

import pytest
from django.db import connection
from django.utils import timezone

from audience.models import Contact
from sending import services
from sending.services import claim_sql
from tests.factories import make_contact, make_dispatch, make_published_template
from tests.support.plans import dispatch_with_contacts

pytestmark = pytest.mark.django_db

ROWS = 100_000


@pytest.fixture
def big_dispatch(db):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's; SQLite runs the ORM fallback (no SKIP LOCKED)")
    dispatch = dispatch_with_contacts("promo_plans", ROWS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sending_message (public_id, contact_id, template_version_id, dispatch_id,
                arm, stage, draft_test, variables, sms_text, sms_encoding, sms_segments,
                traffic_type, policy, intended_channel, final_channel, status, status_reason,
                status_detail, fallback_reason, rcs_ttl_seconds, provider, test_mode,
                external_id, source, send_tries, created, updated)
            SELECT gen_random_uuid(), c.id, %s, %s, '', 0, false, '{}', '', '', 0,
                'PROMOTION', 'rcs_with_fallback', 'rcs', '', 'queued', '', '', '', 3600,
                'simulator', true, '', 'campaign', 0, now(), now()
            FROM audience_contact c
            """,
            [dispatch.template_version_id, dispatch.pk],
        )
        cursor.execute("ANALYZE audience_contact")
        cursor.execute("ANALYZE sending_message")
    return dispatch


def plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_claim_snapshot_and_finish_queries_use_their_indexes(big_dispatch):
    # One test, so the 100,000 rows are written once.
    check_the_claim_reads_a_batch_by_primary_key(big_dispatch)
    check_the_second_snapshot_finds_conflicts_through_the_unique_index(big_dispatch)
    check_the_anything_left_check_uses_an_index(big_dispatch)


def check_the_claim_reads_a_batch_by_primary_key(big_dispatch):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM sending_message WHERE dispatch_id = %s ORDER BY id LIMIT 500 "
            "OFFSET 50000",
            [big_dispatch.pk],
        )
        ids = [row[0] for row in cursor.fetchall()]
    text = claim_sql._locking(big_dispatch.pk, ids, timezone.now()).explain()
    assert "sending_message_pkey" in text, text
    assert "Seq Scan on sending_message" not in text, text
    assert "Seq Scan on audience_contact" not in text, text


def check_the_anything_left_check_uses_an_index(big_dispatch):
    # Near the end of a dispatch: almost everything is sent.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sending_message SET status = 'sent' WHERE dispatch_id = %s AND id %% 1000 <> 0",
            [big_dispatch.pk],
        )
        cursor.execute("ANALYZE sending_message")
    text = plan(
        "SELECT 1 FROM sending_message WHERE dispatch_id = %s AND status IN ('queued', 'sending') "
        "LIMIT 1",
        [big_dispatch.pk],
    )
    # The (dispatch, status) index or the (status, locked_until) lease index: PostgreSQL picks
    # by the statistics of the moment (few queued rows in the whole table favour the lease
    # index). Either answers without reading the dispatch's 100,000 rows.
    assert "Seq Scan on sending_message" not in text, text
    assert "sending_message_dispatch" in text or "sending_message_lease" in text, text


def check_the_second_snapshot_finds_conflicts_through_the_unique_index(big_dispatch):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'sending_message_once_per_dispatch'"
        )
        (definition,) = cursor.fetchone()
    # ON CONFLICT (dispatch_id, contact_id) is arbitrated by exactly this unique index (its
    # columns in either order: contact first, so it serves lookups by contact too).
    assert "UNIQUE" in definition and "(contact_id, dispatch_id)" in definition
    text = plan(
        "SELECT 1 FROM sending_message WHERE dispatch_id = %s AND contact_id = %s",
        [big_dispatch.pk, 1],
    )
    # The lookup a conflict check makes is an index lookup, never a scan of the table.
    assert "Index" in text and "Seq Scan" not in text, text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_a_large_snapshot_refreshes_the_statistics_the_claim_is_planned_with(monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from sending.services import snapshot

    _template, version = make_published_template(slug="promo_analyze")
    ids = [make_contact(opted_in=True, test_mode=True).pk for _ in range(3)]
    spec = {"prenom": {"field": "first_name", "default": "client"}}

    def statements(threshold):
        monkeypatch.setattr(snapshot, "ANALYZE_AFTER", threshold)
        with CaptureQueriesContext(connection) as captured:
            services.snapshot_audience(
                make_dispatch(version), Contact.objects.filter(pk__in=ids), spec
            )
        return [query["sql"] for query in captured.captured_queries]

    assert "ANALYZE sending_message" not in statements(4)
    assert "ANALYZE sending_message" in statements(3)
