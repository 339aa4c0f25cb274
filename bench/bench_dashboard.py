"""A campaign's dashboard at 1,000,000 messages and 10,000,000 events, read from rollups.

Fills the rollups of one campaign as a channel test of a million messages sent over three
days would leave them (two arms, two rollout stages, three routes, a few error codes, every
hour; ten million events counted in them), then times the whole dashboard page (every
table, the experiment, the charts) against a bare query on the same database in the same
run, and prints the ratio. Everything is written in one transaction rolled back at the end.

Run (PostgreSQL, migrated):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
  .venv/bin/python bench/bench_dashboard.py
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from analytics.models import ButtonRollup, Rollup  # noqa: E402
from tests.factories import make_campaign  # noqa: E402

MESSAGES = 1_000_000
HOURS = 72
RUNS = 15
ROUTES = [("rcs", "rcs", ""), ("rcs", "sms_fallback", "not_reachable"), ("sms", "sms_only", "")]
ERRORS = ["", "E404", "30003", "rcs_expired"]


class Rollback(Exception):
    pass


def fill(campaign_id, start):
    """Rollup rows whose counters add up to MESSAGES messages and ~10 M events."""
    keys = [
        (arm, stage, intended, route, reason, error, hour)
        for arm in ("rcs", "sms")
        for stage in (0, 1)
        for intended, route, reason in ROUTES
        if (arm == "sms") == (intended == "sms")
        for error in ERRORS
        for hour in range(HOURS)
    ]
    # A failure bucket holds 1 message for 20 delivered ones.
    weights = [1 if key[5] else 20 for key in keys]
    unit = MESSAGES / sum(weights)
    rows, buttons = [], []
    for key, weight in zip(keys, weights, strict=True):
        arm, stage, intended, route, reason, error, hour = key
        at = start + timedelta(hours=hour)
        per_row = round(unit * weight)
        failed = per_row if error else 0
        delivered = 0 if error else per_row * 9 // 10
        clicks = delivered // (6 if route == "rcs" else 40)
        rows.append(
            Rollup(
                campaign_id=campaign_id,
                arm=arm,
                stage=stage,
                template_version_id=1,
                intended_channel=intended,
                route=route,
                fallback_reason=reason,
                error_code=error,
                hour=at,
                messages=per_row,
                attempted=per_row,
                sent=per_row,
                delivered=delivered,
                read=delivered // 2 if route == "rcs" else 0,
                failed=failed,
                rcs_billable=delivered if route == "rcs" else 0,
                sms_segments=per_row if route != "rcs" else 0,
                opted_out=delivered // 500,
                clicks_total=clicks * 2,
                clicks_unique=clicks,
                clicks_bot=clicks // 10,
            )
        )
        for cta in () if error else ("cta_offres", "cta_magasin", "cta_stop"):
            buttons.append(
                ButtonRollup(
                    campaign_id=campaign_id,
                    arm=arm,
                    stage=stage,
                    template_version_id=1,
                    route=route,
                    hour=at,
                    cta_id=cta,
                    taps_total=clicks,
                    taps_unique=clicks // 2,
                )
            )
    Rollup.objects.bulk_create(rows, batch_size=2000)
    ButtonRollup.objects.bulk_create(buttons, batch_size=2000)
    events = sum(r.sent + r.delivered + r.read + r.failed + r.clicks_total for r in rows)
    return len(rows), len(buttons), sum(r.messages for r in rows), events


def timed(action):
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# Static files unhashed, as in development: no collectstatic needed to run the bench.
@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def main():
    if connection.vendor != "postgresql":
        print("(on SQLite: set DATABASE_URL to measure on PostgreSQL, the case that matters)")
    try:
        with transaction.atomic():
            campaign = make_campaign(test_mode=False, experiment="channel")
            campaign.launched_at = datetime.now(UTC) - timedelta(days=3)
            campaign.save()
            rows, buttons, messages, events = fill(campaign.pk, campaign.launched_at)
            cursor = connection.cursor()
            cursor.execute("ANALYZE analytics_rollup; ANALYZE analytics_buttonrollup")
            user = User.objects.create_user("bench-viewer", "", "x")
            user.groups.add(Group.objects.get_or_create(name="Viewer")[0])
            client = Client(SERVER_NAME="localhost")
            client.force_login(user)
            url = f"/dashboard/?campaign={campaign.pk}"
            assert client.get(url).status_code == 200

            page = timed(lambda: client.get(url))
            bare = timed(lambda: cursor.execute("SELECT 1") or cursor.fetchall())
            print(
                f"{messages:,} messages and {events:,} events in {rows:,} rollup rows "
                f"and {buttons:,} button rows"
            )
            print(f"dashboard page: {page * 1000:.1f} ms (median of {RUNS})")
            print(f"bare query:     {bare * 1000:.2f} ms")
            print(f"ratio page / bare query: {page / bare:.0f}×")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
