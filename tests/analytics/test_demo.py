"""The demo through the real path: seed_demo launches two campaigns, real RQ workers send them
through the simulator, its receipts come back through the webhook, and the demo audience's
people click (the redirect, the click stream, the drainer), order (the conversions service)
and reply STOP (the inbound webhook); the dashboard's rollups then show the field's rates."""

import time

import django_rq
import pytest
from django.core.management import call_command
from django.db.models import Sum

from analytics import experiments
from analytics.models import Click, Conversion, Rollup
from analytics.reports import Scope
from analytics.rollups.rebuild import rebuild
from audience.models import ConsentEntry, Contact
from campaigns import demo as demo_campaigns
from campaigns.models import Campaign
from campaigns.services import lifecycle
from integrations import demo
from sending.models import Message
from tests.support.workers import NO_PROMOTION_RULES, Workers, empty_queues, skip_on_memory_database

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 600
# Each message costs its receipts through the webhook, so the run's length follows the audience.
# At 400 + 300 (95 % sent, 5 % held out) about 150 messages of the channel test's RCS arm, 265
# SMS of either test and 120 and 110 of the content test's A and B reach the phone by RCS: every
# rate below is checked within 3 standard deviations of its binomial around the drawn rate
# (integrations.demo.CLICK_RATES), so the ranges are wider than at 800 + 400, and as strict.
AUDIENCE = (400, 300)
# Time compressed like the people's delays below: the first share is judged this long after
# the launch (the product's least wait is a minute), and an RCS message not taken this long
# after it was sent falls back (the simulator delivers within 6 s).
FIRST_CHECK_SECONDS = 10
RCS_TTL_SECONDS = 30
ADDRESS_VARIABLES = ("PUBLIC_BASE_URL", "INTERNAL_BASE_URL", "RELAIS_PORT")


@pytest.fixture
def processes(live_server, settings, monkeypatch, rollup_queue):
    """processes(*args) starts `manage.py <args>` reaching the live server, as `make run` does;
    processes.stop() stops every one."""
    skip_on_memory_database()
    empty_queues()
    settings.INTERNAL_BASE_URL = live_server.url
    # The people act within seconds of delivery instead of minutes (the receiver that draws
    # the delays runs in the live server, in this process).
    for name in ("CLICK_AFTER", "ORDER_AFTER", "STOP_AFTER"):
        monkeypatch.setattr(demo, name, (1, 4))
    monkeypatch.setattr(demo, "ANYWAY_AFTER", (1, 10))
    # Under a quarter of the demo audience: enough for the rates (AUDIENCE), quick on a busy box.
    monkeypatch.setattr(demo_campaigns, "CHANNEL_AUDIENCE", AUDIENCE[0])
    monkeypatch.setattr(demo_campaigns, "CONTENT_AUDIENCE", AUDIENCE[1])
    monkeypatch.setattr(demo_campaigns, "RCS_TTL_SECONDS", RCS_TTL_SECONDS)
    # seed_demo launches in this process: its first rollout check is queued sooner. A check
    # that finds the first share still being handed over looks again 2 minutes later, in the
    # worker: slower, never wrong.
    schedule_check = lifecycle.schedule_check
    monkeypatch.setattr(
        lifecycle,
        "schedule_check",
        lambda campaign, now, delay: schedule_check(campaign, now, min(delay, FIRST_CHECK_SECONDS)),
    )
    workers = Workers()

    def start(*args):
        variables = {"INTERNAL_BASE_URL": live_server.url, **NO_PROMOTION_RULES}
        return workers.start(*args, drop=ADDRESS_VARIABLES, **variables)

    start.stop = workers.stop
    yield start
    workers.stop()
    empty_queues()


def settled():
    """True when both campaigns are done, every message has its receipt, and nobody has
    anything left to do (receipts of reads planned minutes ahead may still wait)."""
    if Campaign.objects.exclude(status=Campaign.Status.DONE).exists():
        return False
    if Message.objects.filter(status__in=("queued", "sending", "sent")).exists():
        return False
    for name in ("messages", "default", "webhooks"):
        queue = django_rq.get_queue(name)
        if queue.count or len(queue.started_job_registry):
            return False
    return not len(django_rq.get_queue("default").scheduled_job_registry)


def rate(counter, of, **bucket):
    figures = Rollup.objects.filter(test_mode=True, **bucket).aggregate(n=Sum(counter), d=Sum(of))
    return figures["n"] / figures["d"]


def rows():
    """The buckets holding messages, the sums of squares rounded (summed in another order by a
    rebuild). A bucket every message left (sent over RCS, then fallen back) keeps a row of zeros
    where a rebuild has none: the same figures."""
    return sorted(
        tuple(round(v, 4) if k == "revenue_sq" else v for k, v in row.items() if k != "id")
        for row in Rollup.objects.exclude(messages=0).values()
    )


def test_the_demo_campaigns_go_through_the_workers_and_fill_the_dashboard(processes):
    call_command("seed_demo", verbosity=0)
    call_command("open_demo_shop", verbosity=0)
    processes("rqworker", "messages", "--with-scheduler")
    processes("rqworker", "default", "webhooks", "--with-scheduler")
    processes("rqworker", "webhooks", "--with-scheduler")

    deadline = time.monotonic() + WAIT_SECONDS
    while not settled():
        assert time.monotonic() < deadline, list(Campaign.objects.values("name", "status"))
        # The drainer's pass, as `make run` runs it every 2 seconds.
        call_command("drain_analytics", verbosity=0)
        time.sleep(1)
    call_command("drain_analytics", verbosity=0)

    channel = Campaign.objects.get(name=demo_campaigns.CHANNEL_TEST)
    assert channel.rollout_released_at is not None  # continued automatically
    sent = Message.objects.filter(contact__phone__startswith="+3375700", arm__gt="")
    holdout = sum(campaign.holdout.count() for campaign in Campaign.objects.all())
    assert sent.count() == sum(AUDIENCE) - holdout
    assert not sent.filter(status__in=("queued", "sending")).exists()
    assert not Rollup.objects.filter(test_mode=False).exists()  # test data only
    # Clicks by people through the tracked links, at the field's rates.
    assert Click.objects.filter(source="link", kind="human").count() > 30
    assert not Click.objects.exclude(source="link").exists()
    # RCS arm: 15 % of ~150, σ 2.9 points.
    assert 0.06 < rate("clicks_unique", "delivered", arm="rcs", route="rcs") < 0.24
    # Every SMS delivered, whatever the arm: 2.5 % of ~265, σ 1 point; no click at all has a
    # chance of 0.975^265 = 0.1 %.
    sms = {"route__in": ("sms_only", "sms_fallback")}
    assert 0.003 < rate("clicks_unique", "delivered", **sms) < 0.06
    # Content test: A 13 % of ~120 (σ 3.1 points), B 17 % of ~110 (σ 3.6 points).
    for arm in ("a", "b"):
        assert 0.035 < rate("clicks_unique", "delivered", arm=arm, route="rcs") < 0.28
    # Some RCS messages fall back to SMS: not capable, or not delivered before the deadline.
    reasons = set(sent.exclude(fallback_reason="").values_list("fallback_reason", flat=True))
    assert {"not_reachable", "rcs_expired"} <= reasons, reasons
    # A few STOP replies, through the inbound webhook and the keywords.
    stops = ConsentEntry.objects.filter(kind="opt_out")
    assert set(stops.values_list("source", flat=True)) <= {"inbound_stop"}
    assert Contact.objects.filter(pk__in=stops.values("contact_id")).count() <= 20
    # Orders credited to the clicks, and orders anyway (holdout included).
    assert Conversion.objects.filter(attributed_by="click", matched_by="click_id").count() > 3
    # Drawn by number, so fixed for the audience: 8 of the first 700 demo numbers buy anyway.
    assert Conversion.objects.filter(order_id__startswith=demo.ANYWAY_PREFIX).count() > 3
    assert not Conversion.objects.filter(test_mode=False).exists()
    read = experiments.read(channel, Scope(test_mode=True, campaign_id=channel.pk))
    assert read.holdout.contacts == channel.holdout.count() > 0
    assert read.sentence.startswith("RCS")  # "RCS got 4.1× the clicks of SMS…", in French too
    # What the rollups say is what a rebuild from the raw rows says, once the workers stop (the
    # read receipts planned minutes ahead would keep changing them).
    processes.stop()
    call_command("drain_analytics", verbosity=0)
    before = rows()
    rebuild()
    assert rows() == before

    counts = (Contact.objects.count(), Message.objects.count(), Conversion.objects.count())
    call_command("seed_demo", verbosity=0)
    call_command("open_demo_shop", verbosity=0)
    assert (Contact.objects.count(), Message.objects.count(), Conversion.objects.count()) == counts
