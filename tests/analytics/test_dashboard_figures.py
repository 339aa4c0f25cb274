"""Every figure of the dashboard against numbers computed by hand on a known campaign.

The campaign is a channel test with a holdout, all sent on Monday 2 March 2026 at 10:15
(Paris time):
- RCS arm, 10 contacts meant for RCS: 6 delivered over RCS (4 read; 3 people clicked button
  "a", one of them twice; one bot click), 2 fell back to SMS and were delivered (1 segment
  each; 1 click), 1 failed over RCS with error E404, 1 sent and not delivered yet.
- SMS arm, 10 contacts sent by SMS only (2 segments each): 8 delivered (1 click, 1 STOP),
  2 failed with error 30003.
- Holdout: 2 contacts who got nothing.
"""

import csv
import io
import re
from decimal import Decimal

import pytest

from analytics.rollups.rebuild import rebuild
from audience.models import ConsentEntry
from campaigns.models import CampaignHoldout
from tests.factories import make_contact
from tests.support.analytics import T0, campaign_with_arms, fail, message, tap
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(settings):
    settings.RCS_PRICE_EUR = Decimal("0.06")
    settings.SMS_SEGMENT_PRICE_EUR = Decimal("0.045")
    campaign, dispatches = campaign_with_arms("rcs", "sms", experiment="channel", holdout_share=0.1)
    campaign.launched_at = T0
    campaign.save()
    rcs, sms = dispatches["rcs"], dispatches["sms"]
    sent = {"sent_at": T0}
    for index in range(6):
        m = message(
            rcs, arm="rcs", final="rcs", status="read" if index < 4 else "delivered", **sent
        )
        if index < 3:
            tap(m, "a")
        if index == 0:
            tap(m, "a")
            tap(m, "a", kind="bot")
    for index in range(2):
        m = message(
            rcs, arm="rcs", final="sms", status="delivered", fallback_reason="not_reachable", **sent
        )
        if index == 0:
            tap(m, "a")
    fail(message(rcs, arm="rcs", final="rcs", status="sent", **sent), "E404")
    message(rcs, arm="rcs", final="rcs", status="sent", **sent)
    for index in range(8):
        m = message(
            sms, arm="sms", intended="sms", final="sms", status="delivered", sms_segments=2, **sent
        )
        if index == 0:
            tap(m, "a")
        if index == 1:
            ConsentEntry.objects.create(
                contact=m.contact,
                kind="opt_out",
                source="inbound_stop",
                wording="STOP",
                occurred_at=T0.replace(hour=12),
            )
    for _ in range(2):
        m = message(
            sms, arm="sms", intended="sms", final="sms", status="sent", sms_segments=2, **sent
        )
        fail(m, "30003", channel="sms")
    for _ in range(2):
        CampaignHoldout.objects.create(campaign=campaign, contact=make_contact())
    rebuild()
    return campaign


def stat(page, name):
    return re.search(rf'data-stat="{name}">([^<]*)<', page).group(1)


def table(client, url, slug):
    response = client.get(f"{url}&export={slug}")
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_headline_figures(client, campaign):
    signed_in(client, role="Viewer")
    page = client.get(f"/dashboard/?campaign={campaign.pk}").content.decode()

    assert stat(page, "sent") == "20"
    assert stat(page, "delivered") == "80.0 %"  # 16 of 20 attempted
    assert stat(page, "read") == "66.7 %"  # 4 of the 6 delivered over RCS
    assert stat(page, "clicks") == "31.2 %"  # 5 people of 16 delivered
    assert stat(page, "conversions") == "0.0 %"
    assert stat(page, "opt_outs") == "6.2 %"  # 1 of 16
    # 6 RCS delivered × 0.06 + (2 fallbacks × 1 + 10 SMS × 2 segments) × 0.045 = 1.35
    assert stat(page, "cost") == "1.35 €"
    assert stat(page, "cost_per_conversion") == "—"
    assert 'data-deliverability="low"' in page
    assert "E404" in page and "30003" in page


def test_rcs_and_sms_side_by_side_never_count_a_fallback_as_rcs(client, campaign):
    signed_in(client, role="Viewer")
    rows = table(client, f"/dashboard/?campaign={campaign.pk}", "channels")

    assert rows[0] == ["Measure", "Currency", "RCS", "SMS fallback", "SMS only", "All"]
    currencies = {row[0]: row[1] for row in rows[1:]}
    assert (currencies["Sent"], currencies["Cost"], currencies["Revenue (EUR)"]) == (
        "",
        "EUR",
        "EUR",
    )
    figures = {row[0]: row[2:] for row in rows[1:]}
    assert figures["Sent"] == ["8", "2", "10", "20"]
    assert figures["Delivered"] == ["75.0", "100.0", "80.0", "80.0"]
    assert figures["Read (RCS)"] == ["66.67", "", "", "66.67"]
    assert figures["Unique click rate"] == ["50.0", "50.0", "12.5", "31.25"]
    assert figures["Clicks (all taps)"] == ["4", "1", "1", "6"]
    assert figures["Bot and suspected bot clicks (not counted)"] == ["1", "0", "0", "1"]
    assert figures["Opt-out rate"] == ["0.0", "0.0", "12.5", "6.25"]
    assert figures["Cost"] == ["0.36", "0.09", "0.90", "1.35"]


def test_by_intended_channel(client, campaign):
    signed_in(client, role="Viewer")
    rows = table(client, f"/dashboard/?campaign={campaign.pk}", "intended")

    figures = {row[0]: row[2:] for row in rows[1:]}
    assert figures["Sent"] == ["10", "10"]
    assert figures["Delivered"] == ["80.0", "80.0"]
    assert figures["Unique click rate"] == ["50.0", "12.5"]  # 4 of 8, 1 of 8


def test_the_per_button_table(client, campaign):
    signed_in(client, role="Viewer")
    rows = table(client, f"/dashboard/?campaign={campaign.pk}", "buttons")

    assert [row[2:] for row in rows[1:]] == [
        ["RCS", "3", "4", "50.0"],
        ["SMS fallback", "1", "1", "50.0"],
        ["SMS only", "1", "1", "12.5"],
    ]


def test_failures_by_error_code_and_capability_mix(client, campaign):
    signed_in(client, role="Viewer")
    url = f"/dashboard/?campaign={campaign.pk}"

    failures = table(client, url, "failures")[1:]
    capability = table(client, url, "capability")[1:]

    assert failures == [["30003", "SMS only", "2", "10.0"], ["E404", "RCS", "1", "5.0"]]
    assert capability == [
        ["Sent by SMS only (by choice)", "10", "50.0"],
        ["Reached over RCS", "8", "40.0"],
        ["Not reachable over RCS", "2", "10.0"],
    ]


def test_engagement_by_hour_and_day_of_week_in_local_time(client, campaign):
    signed_in(client, role="Viewer")
    url = f"/dashboard/?campaign={campaign.pk}"

    hours = {row[0]: row[1:] for row in table(client, url, "hours")[1:]}
    days = {row[0]: row[1:] for row in table(client, url, "weekdays")[1:]}

    # Sent 09:15 UTC = 10:15 in Paris in March (UTC+1).
    assert hours["10:00"][:3] == ["20", "80.0", "31.25"]
    assert hours["09:00"][0] == "0"
    assert days["Monday"][:3] == ["20", "80.0", "31.25"]


def test_the_experiment_arms_lift_and_sentence(client, campaign):
    signed_in(client, role="Viewer")
    url = f"/dashboard/?campaign={campaign.pk}"
    page = client.get(url).content.decode()

    # 4 of 10 against 1 of 10: ratio 4.0, log interval 0.537 to 29.8, p = 0.121.
    assert (
        "RCS got 4.0× the clicks of SMS, 95 % CI 0.5×–29.8×, on 20 capable contacts. "
        "The difference is not significant." in page
    )
    assert "Holdout: 2 contacts got nothing." in page
    arms = {row[0]: row[1:] for row in table(client, url, "arms")[1:]}
    # Wilson 4/10: 0.1682–0.6873; 1/10: 0.0179–0.4042.
    assert arms["RCS"][:4] == ["10", "80.0", "40.0", "0.1682–0.6873"]
    assert arms["SMS"][:4] == ["10", "80.0", "10.0", "0.0179–0.4042"]


def test_a_period_leaves_out_older_sends(client, campaign):
    signed_in(client, role="Viewer")

    page = client.get(f"/dashboard/?campaign={campaign.pk}&period=7d").content.decode()

    assert "Nothing to measure yet" in page


def test_the_global_dashboard_sees_live_data_only(client, campaign):
    signed_in(client, role="Viewer")

    live = client.get("/dashboard/?period=all").content.decode()
    test = client.get("/dashboard/?period=all&mode=test").content.decode()

    assert stat(live, "sent") == "20"
    assert "Nothing to measure yet" in test


def test_bad_filters_get_a_400_naming_the_problem(client, campaign):
    signed_in(client, role="Viewer")

    assert client.get("/dashboard/?campaign=999999").status_code == 400
    assert client.get("/dashboard/?period=forever").status_code == 400
    response = client.get(f"/dashboard/?campaign={campaign.pk}&export=nope")
    assert response.status_code == 400
    assert "nope" in response.content.decode()


def test_a_sending_campaign_refreshes_itself(client, campaign):
    signed_in(client, role="Viewer")
    campaign.status = "sending"
    campaign.save()

    page = client.get(f"/dashboard/?campaign={campaign.pk}").content.decode()
    fragment = client.get(f"/dashboard/?campaign={campaign.pk}", headers={"HX-Request": "true"})

    assert 'data-polling="on"' in page and 'hx-trigger="every 15s"' in page
    assert fragment.content.decode().lstrip().startswith('<div id="dashboard-report"')
