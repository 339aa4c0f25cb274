"""A campaign's dashboard at 1,000,000 messages and 10,000,000 events, read from rollups.

Builds, in SQL (bench/dashboard_data.py), a channel test with a 5 % holdout sent over three
days: contacts, messages over three dispatches, one or two provider attempts per message, ten
provider events per message, clicks, conversions and the holdout. Then it computes the rollups
from those rows with the real code (analytics.rollups.rebuild, the same sums the event-by-event
refresh keeps), and times, through Django's test client and the whole middleware stack, logged
in as a Viewer:

- the campaign's page (every table, the experiment, the holdout, the charts),
- the global page (all campaigns, last 30 days),
- a bare view through the same client (the raw baseline: the cost of Django itself),
- the campaign's page cold: its holdout comparison (read from the conversions, remembered
  until they change) computed again each time,
- and, for scale, the campaign's status counts straight from the messages table.

The data set stays in the database: a second run reuses it (drop and create the database
to build it again: deleting a million messages through the ORM takes longer).
It writes a lot; use a database of its own, never one with data you want to keep:

  createdb relais_bench_analytics
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_analytics \\
  .venv/bin/python manage.py migrate
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_analytics \\
  .venv/bin/python bench/bench_dashboard.py --messages 1000000

Smaller sizes (--messages 20000) check the script in seconds. It clears the cache of
REDIS_URL's database: give it one of its own.
"""

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from bench.dashboard_data import prepared  # noqa: E402


@login_not_required
def bare(request):
    return HttpResponse("ok")


def urlconf():
    from config import urls

    module = types.ModuleType("bench_dashboard_urls")
    module.urlpatterns = [path("bench-bare", bare), *urls.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def timed(action, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times)


def ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def counts(campaign):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM sending_message m JOIN campaigns_campaignarm a
               ON a.dispatch_id = m.dispatch_id WHERE a.campaign_id = %s""",
            [campaign.pk],
        )
        messages = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM sending_event e JOIN sending_message m ON m.id = e.message_id
               JOIN campaigns_campaignarm a ON a.dispatch_id = m.dispatch_id
               WHERE a.campaign_id = %s""",
            [campaign.pk],
        )
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*), sum(messages) FROM analytics_rollup")
        rollups, summed = cursor.fetchone()
    return messages, events, rollups, summed


def raw_status_counts(campaign):
    """The campaign's status counts straight from its messages: what rollups spare the page."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT m.status, count(*) FROM sending_message m
               WHERE m.dispatch_id IN (SELECT dispatch_id FROM campaigns_campaignarm
                                       WHERE campaign_id = %s)
               GROUP BY m.status""",
            [campaign.pk],
        )
        return cursor.fetchall()


# Static files unhashed, as in development: no collectstatic needed to run the bench.
@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def measure(campaign, runs):
    messages, events, rollups, summed = counts(campaign)
    user, _created = User.objects.get_or_create(username="bench-viewer")
    user.groups.add(Group.objects.get_or_create(name="Viewer")[0])
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    campaign_url = f"/dashboard/?campaign={campaign.pk}"
    global_url = "/dashboard/"
    page = ok(client, campaign_url).content.decode()
    assert "95" in page and campaign.name in page
    ok(client, global_url)
    load_before = os.getloadavg()

    def cold():
        # Forgets the remembered holdout comparison (this bench's own cache database).
        cache.clear()
        ok(client, campaign_url)

    with override_settings(ROOT_URLCONF=urlconf()):
        cold_time, cold_worst = timed(cold, 5)
        bare_time, _worst = timed(lambda: ok(client, "/bench-bare"), runs * 10)
        campaign_time, campaign_worst = timed(lambda: ok(client, campaign_url), runs)
        global_time, global_worst = timed(lambda: ok(client, global_url), runs)
        bare_again, _worst = timed(lambda: ok(client, "/bench-bare"), runs * 10)
    raw_time, _worst = timed(lambda: raw_status_counts(campaign), 3)
    load_after = os.getloadavg()
    bare_mean = (bare_time + bare_again) / 2
    print()
    print(
        f"campaign: {messages:,} messages, {events:,} provider events; "
        f"{rollups:,} rollup rows in all"
    )
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print(f"bare view (baseline)   {bare_mean * 1000:8.2f} ms  (median of {runs * 10}, twice)")
    print(
        f"campaign page          {campaign_time * 1000:8.1f} ms  (median of {runs}, "
        f"worst {campaign_worst * 1000:.1f})"
    )
    print(
        f"campaign page, cold    {cold_time * 1000:8.1f} ms  (median of 5, worst "
        f"{cold_worst * 1000:.1f}; the holdout comparison computed again)"
    )
    print(
        f"global page            {global_time * 1000:8.1f} ms  (median of {runs}, "
        f"worst {global_worst * 1000:.1f})"
    )
    print(f"status counts from the raw messages table: {raw_time * 1000:.1f} ms (median of 3)")
    print(f"ratio campaign page / bare view: {campaign_time / bare_mean:.1f}×")
    print(f"ratio campaign page cold / bare view: {cold_time / bare_mean:.1f}×")
    print(f"ratio global page / bare view:   {global_time / bare_mean:.1f}×")
    print(f"ratio raw status counts / campaign page: {raw_time / campaign_time:.2f}×")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--rollups",
        action="store_true",
        help="compute the rollups again from the rows (after a change of their code)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own: that is what is measured.")

    campaign = prepared(args.messages, recompute_rollups=args.rollups)
    measure(campaign, args.runs)


if __name__ == "__main__":
    main()
