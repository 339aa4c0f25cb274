"""The data set of bench_dashboard.py: one channel test of a million messages, built in SQL.

INSERT ... SELECT FROM generate_series, no ORM row by row: contacts, a 5 % holdout, messages
over three dispatches (RCS arm, SMS arm, contacts outside the test) sent over three days, one
or two provider attempts per message, ten provider events per message, clicks, conversions
(attributed and not, some in another currency). Then the rollups, computed from those rows by
the real code (analytics.rollups.rebuild). Imported by the bench after django.setup().
"""

import time
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

NAME = "Bench: channel test at scale"
EVENTS_PER_MESSAGE = 10
HOLDOUT_SHARE = 0.05
HOURS = 72


def log(text):
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


def sql(statement, params=()):
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        count = cursor.rowcount
    return count, time.perf_counter() - began


def build(messages):
    """The data set of one campaign of `messages` messages; returns the campaign."""
    from campaigns.models import Campaign, CampaignArm
    from sending.dispatches import Dispatch
    from tests.factories import make_campaign

    launched = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=3)
    # One transaction: a failure leaves nothing behind.
    with transaction.atomic():
        # A bulk load of rows consistent by construction: foreign keys are not checked row by
        # row (ten million deferred checks at COMMIT took longer than the inserts).
        sql("SET LOCAL session_replication_role = replica")
        campaign = make_campaign(test_mode=False, experiment="channel", name=NAME)
        version = campaign.template_version
        dispatches = {}
        for arm, policy in (("rcs", "rcs_only"), ("sms", "sms_only"), ("outside", "sms_only")):
            dispatch = Dispatch.objects.create(
                test_mode=False,
                template_version=version,
                policy=policy,
                traffic_type="PROMOTION",
                rcs_ttl_seconds=3600,
                provider="simulator",
                status=Dispatch.Status.DONE,
                released_stage=1,
            )
            CampaignArm.objects.create(campaign=campaign, dispatch=dispatch, arm=arm)
            dispatches[arm] = dispatch.pk
        Campaign.objects.filter(pk=campaign.pk).update(
            status="done", launched_at=launched, holdout_share=HOLDOUT_SHARE
        )
        fill(campaign, version, dispatches, messages, launched)
    for table in TABLES:
        sql(f"VACUUM ANALYZE {table}")
    return Campaign.objects.get(pk=campaign.pk)


def fill(campaign, version, dispatches, messages, launched):
    params = {
        "n": messages,
        "held": int(messages * HOLDOUT_SHARE),
        "launched": launched,
        "version": version.pk,
        "campaign": campaign.pk,
        "d_rcs": dispatches["rcs"],
        "d_sms": dispatches["sms"],
        "d_out": dispatches["outside"],
        "hours": HOURS,
        "events": EVENTS_PER_MESSAGE,
    }
    steps = [
        ("contacts", CONTACTS),
        ("holdout", HOLDOUT),
        ("messages", MESSAGES),
        ("attempts", ATTEMPTS),
        ("fallback attempts", FALLBACK_ATTEMPTS),
        ("events", EVENTS),
        ("clicks", CLICKS),
        ("conversions", CONVERSIONS),
        ("holdout conversions", HOLDOUT_CONVERSIONS),
    ]
    for label, statement in steps:
        count, elapsed = sql(statement, params)
        log(f"{label}: {count:,} rows in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f}/s)")


TABLES = (
    "audience_contact",
    "campaigns_campaignholdout",
    "sending_message",
    "sending_attempt",
    "sending_event",
    "analytics_click",
    "analytics_conversion",
)

# Contact i (1..n+held) has the phone +3369 and i on 7 digits; the last `held` are the holdout.
CONTACTS = """
INSERT INTO audience_contact (phone, first_name, last_name, attributes, rcs_capable, created,
    updated, test_mode, email, language, public_id, rcs_consent, sms_consent)
SELECT '+3369' || lpad(i::text, 7, '0'), 'Client ' || i, '', '{}', (i %% 10) < 9, now(), now(),
    false, '', 'fr', gen_random_uuid(), 'granted', 'granted'
FROM generate_series(1, %(n)s + %(held)s) AS i
"""

HOLDOUT = """
INSERT INTO campaigns_campaignholdout (campaign_id, contact_id, created)
SELECT %(campaign)s, c.id, now() FROM audience_contact c
WHERE c.test_mode = false AND c.phone > '+3369' || lpad(%(n)s::text, 7, '0')
  AND c.phone LIKE '+3369_______'
"""

# Message i goes to contact i. Out of 20: 9 in the RCS arm, 9 in the SMS arm, 2 outside the
# test (not RCS capable: SMS). r, a pseudo-random 0..99, picks the outcome: 3 % failed, RCS
# arm 12 % fallen back to SMS, 60 % of RCS deliveries read; sent evenly over three days.
MESSAGES = """
INSERT INTO sending_message (public_id, variables, sms_text, sms_encoding, sms_segments,
    traffic_type, policy, intended_channel, final_channel, status, status_reason, status_detail,
    fallback_reason, rcs_ttl_seconds, provider, test_mode, external_id, source, send_tries,
    created, updated, sent_at, delivered_at, read_at, failed_at, contact_id,
    template_version_id, draft_test, arm, stage, dispatch_id)
SELECT gen_random_uuid(), '{}', 'Offre -20 %% ce week-end', 'gsm7', 1 + (r %% 4 = 0)::int,
    'PROMOTION', policy, intended, final, status, '', '', reason, 3600, 'simulator', false, '',
    'campaign', 1, sent_at - interval '1 minute', sent_at, sent_at,
    CASE WHEN status IN ('delivered', 'read') THEN sent_at + interval '20 seconds' END,
    CASE WHEN status = 'read' THEN sent_at + interval '5 minutes' END,
    CASE WHEN status = 'failed' THEN sent_at + interval '30 seconds' END,
    contact_id, %(version)s, false, arm, (i > %(n)s / 10)::int, dispatch_id
FROM (
    SELECT i, r, arm, contact_id, sent_at,
        CASE arm WHEN 'rcs' THEN 'rcs_only' ELSE 'sms_only' END AS policy,
        CASE arm WHEN 'sms' THEN 'sms' ELSE 'rcs' END AS intended,
        CASE WHEN arm = 'rcs' AND r >= 12 THEN 'rcs' ELSE 'sms' END AS final,
        CASE WHEN arm = 'outside' THEN 'not_capable'
             WHEN arm = 'rcs' AND r < 12 THEN 'not_reachable' ELSE '' END AS reason,
        CASE WHEN r >= 97 THEN 'failed'
             WHEN arm = 'rcs' AND r >= 12 AND r < 63 THEN 'read' ELSE 'delivered' END AS status,
        CASE arm WHEN 'rcs' THEN %(d_rcs)s WHEN 'sms' THEN %(d_sms)s ELSE %(d_out)s END
            AS dispatch_id
    FROM (
        SELECT i, (i * 7919 + i / 100) %% 100 AS r,
            CASE WHEN i %% 20 < 9 THEN 'rcs' WHEN i %% 20 < 18 THEN 'sms' ELSE 'outside' END
                AS arm,
            c.id AS contact_id,
            %(launched)s::timestamptz
                + (i - 1) * (%(hours)s * interval '1 hour') / %(n)s AS sent_at
        FROM generate_series(1::bigint, %(n)s) AS i
        JOIN audience_contact c ON c.test_mode = false
            AND c.phone = '+3369' || lpad(i::text, 7, '0')
    ) AS base
) AS m
"""

ATTEMPTS = """
INSERT INTO sending_attempt (public_id, channel, provider, provider_message_id, status,
    provider_handles_fallback, error_code, error_text, raw_response, created, updated, message_id)
SELECT gen_random_uuid(), m.final_channel, 'simulator', 'SM' || m.id,
    CASE m.status WHEN 'failed' THEN 'failed' ELSE m.status END, false,
    CASE WHEN m.status <> 'failed' THEN ''
         ELSE (ARRAY['30003', '30005', 'E404', '30008'])[1 + m.id %% 4] END,
    '', '{}', m.sent_at, m.sent_at, m.id
FROM sending_message m
WHERE m.dispatch_id IN (%(d_rcs)s, %(d_sms)s, %(d_out)s)
"""

# The RCS try before each fallback.
FALLBACK_ATTEMPTS = """
INSERT INTO sending_attempt (public_id, channel, provider, provider_message_id, status,
    provider_handles_fallback, error_code, error_text, raw_response, created, updated, message_id)
SELECT gen_random_uuid(), 'rcs', 'simulator', 'RBM' || m.id, 'failed', false, 'NOT_FOUND', '',
    '{}', m.created, m.created, m.id
FROM sending_message m
WHERE m.dispatch_id = %(d_rcs)s AND m.final_channel = 'sms'
"""

# Ten provider events per message: the statuses of its attempts, their replays, taps.
EVENTS = """
INSERT INTO sending_event (provider, provider_event_id, type, channel, cta_id, number, text,
    error_code, occurred_at, raw, created, message_id)
SELECT 'simulator', 'ev-' || m.id || '-' || k,
    (ARRAY['queued', 'sent', 'delivered', 'read', 'sent', 'delivered', 'read', 'clicked',
           'unknown', 'delivered'])[1 + k],
    m.final_channel, CASE WHEN k = 7 THEN 'cta_offres' ELSE '' END, '', '', '',
    m.sent_at + k * interval '1 minute', '{}', m.sent_at + k * interval '1 minute', m.id
FROM sending_message m
CROSS JOIN generate_series(0, %(events)s - 1) AS k
WHERE m.dispatch_id IN (%(d_rcs)s, %(d_sms)s, %(d_out)s)
"""

# People click 15 % of delivered RCS messages and 3 % of SMS ones, some twice; 1 % of
# delivered messages also get a link preview (a bot).
CLICKS = """
INSERT INTO analytics_click (message_id, dispatch_id, cta_index, cta_id, channel, source, kind,
    agent, is_unique, occurred_at, test_mode, click_id, created)
SELECT m.id, m.dispatch_id, 0, 'cta_offres', m.final_channel, 'link', kind, agent, is_unique,
    m.sent_at + t * interval '2 minutes', false, '', now()
FROM sending_message m
CROSS JOIN LATERAL (VALUES
    ('human', 'browser', true, 1, 15, 3),
    ('human', 'browser', false, 2, 5, 1),
    ('bot', 'preview', false, 0, 100, 100)
) AS c(kind, agent, is_unique, t, rcs_share, sms_share)
WHERE m.dispatch_id IN (%(d_rcs)s, %(d_sms)s, %(d_out)s)
  AND m.status IN ('delivered', 'read')
  AND CASE WHEN kind = 'bot' THEN m.id %% 100 = 7
           WHEN m.final_channel = 'rcs' THEN (m.id * 31) %% 100 < rcs_share
           ELSE (m.id * 31) %% 100 < sms_share END
"""

# One unique clicker in ten orders (attributed to the click); one order in seven is in pounds.
# Addressed contacts also order without clicking (unattributed): the holdout compares those.
CONVERSIONS = """
INSERT INTO analytics_conversion (public_id, order_id, value, currency, occurred_at, test_mode,
    matched_by, attributed_by, clicked_at, cta_index, source, created, updated, contact_id,
    dispatch_id, message_id)
SELECT gen_random_uuid(), 'B-' || m.id, 20 + (m.id %% 80) + 0.90,
    CASE WHEN m.id %% 7 = 3 THEN 'GBP' ELSE 'EUR' END,
    c.occurred_at + interval '10 minutes', false, 'click_id', 'click', c.occurred_at, 0, 'api',
    now(), now(), m.contact_id, m.dispatch_id, m.id
FROM analytics_click c JOIN sending_message m ON m.id = c.message_id
WHERE c.is_unique AND c.kind = 'human' AND m.dispatch_id IN (%(d_rcs)s, %(d_sms)s, %(d_out)s)
  AND (m.id * 13) %% 10 = 0
UNION ALL
SELECT gen_random_uuid(), 'U-' || m.id, 15 + (m.id %% 60) + 0.50, 'EUR',
    m.sent_at + interval '1 day', false, 'phone', '', NULL, NULL, 'api', now(), now(),
    m.contact_id, NULL, NULL
FROM sending_message m
WHERE m.dispatch_id IN (%(d_rcs)s, %(d_sms)s, %(d_out)s) AND (m.id * 17) %% 100 = 0
"""

# The holdout orders a little less: 0.8 % against the addressed contacts' 1 % unattributed.
HOLDOUT_CONVERSIONS = """
INSERT INTO analytics_conversion (public_id, order_id, value, currency, occurred_at, test_mode,
    matched_by, attributed_by, source, created, updated, contact_id)
SELECT gen_random_uuid(), 'H-' || h.contact_id, 15 + (h.contact_id %% 60) + 0.50, 'EUR',
    %(launched)s::timestamptz + interval '1 day', false, 'phone', '', 'api', now(), now(),
    h.contact_id
FROM campaigns_campaignholdout h
WHERE h.campaign_id = %(campaign)s AND (h.contact_id * 17) %% 1000 < 8
"""


def prepared(messages, recompute_rollups=False):
    """The bench's campaign: reused when the database has it, else built with `messages`
    messages; its rollups computed when new, missing or asked for."""
    from analytics.rollup_models import MessageFact
    from campaigns.models import Campaign

    campaign = Campaign.objects.filter(name=NAME).first()
    built = campaign is None
    if built:
        log(f"building {messages:,} messages")
        began = time.perf_counter()
        campaign = build(messages)
        log(f"data set built in {time.perf_counter() - began:.0f} s")
    else:
        log(f"reusing the data set of campaign {campaign.pk}")
    if built or recompute_rollups or not MessageFact.objects.exists():
        compute_rollups()
    return campaign


def compute_rollups():
    from analytics.rollups.rebuild import rebuild

    began = time.perf_counter()
    done = rebuild(
        chunk=5000,
        log=lambda n: n % 100_000 < 5000 and log(f"rollups: {n:,} messages"),
    )
    took = time.perf_counter() - began
    log(f"rollups computed from {done:,} messages in {took:.0f} s ({done / took:,.0f}/s)")
    for table in (
        "analytics_rollup",
        "analytics_buttonrollup",
        "analytics_currencyrollup",
        "analytics_messagefact",
    ):
        sql(f"VACUUM ANALYZE {table}")
