"""The dashboard's demo figures: two campaigns of test data, rates like the field's, written
once however often the command runs, and rollups equal to a rebuild."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from analytics import experiments
from analytics.models import Conversion, Rollup
from analytics.reports import Scope
from analytics.rollups.rebuild import rebuild
from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def rows():
    """The buckets, the sums of squares rounded (summed in another order by a rebuild)."""
    return sorted(
        tuple(round(v, 4) if k == "revenue_sq" else v for k, v in row.items() if k != "id")
        for row in Rollup.objects.values()
    )


def rate(arm, counter, of):
    figures = Rollup.objects.filter(test_mode=True, arm=arm).aggregate(n=Sum(counter), d=Sum(of))
    return figures["n"] / figures["d"]


def test_the_demo_campaigns_fill_the_dashboard_once(rollup_queue):
    call_command("seed_templates", verbosity=0)
    call_command("seed_demo_analytics", verbosity=0)

    campaigns = Campaign.objects.filter(test_mode=True)
    assert campaigns.count() == 2
    assert not Rollup.objects.filter(test_mode=False).exists()  # test data only
    assert Rollup.objects.aggregate(n=Sum("messages"))["n"] == 2850  # 5 % held out
    assert 0.10 < rate("rcs", "clicks_unique", "delivered") < 0.20
    assert 0.01 < rate("sms", "clicks_unique", "delivered") < 0.04
    assert rate("b", "clicks_unique", "delivered") > rate("a", "clicks_unique", "delivered")
    assert Rollup.objects.filter(route="sms_fallback").aggregate(n=Sum("messages"))["n"] > 0
    assert Rollup.objects.aggregate(n=Sum("opted_out"))["n"] > 0
    assert Rollup.objects.aggregate(n=Sum("conversions"))["n"] > 0
    assert Conversion.objects.filter(attributed_by="").exists()
    channel = campaigns.get(experiment="channel")
    read = experiments.read(channel, Scope(test_mode=True, campaign_id=channel.pk))
    assert read.holdout.contacts == 100 and read.holdout.treated.buyers > 0
    # The campaign brings orders (a fifth of the people who clicked), and the draw shows it.
    assert read.holdout.incremental_buyers[0] > 0
    assert read.sentence.startswith("RCS got")

    before = rows()
    call_command("seed_demo_analytics", verbosity=0)
    assert rows() == before
    rebuild()
    assert rows() == before
