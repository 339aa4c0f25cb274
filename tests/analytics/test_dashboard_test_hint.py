"""The live dashboard of a new installation, where only test data holds anything (the demo's
campaigns), says so and links to the test view, instead of a bare "nothing to measure yet";
once anything was sent live, or while test data is shown, it does not."""

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from tests.factories import make_campaign, make_contact, make_sent_message
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def _launched_test_campaign(name):
    campaign = make_campaign(name=name)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING, launched_at=timezone.now()
    )
    return campaign


def _page(client, query=""):
    response = client.get(f"/dashboard/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_live_dashboard_points_to_the_demo_in_test_data(client):
    older = _launched_test_campaign("Soldes d'hiver")
    newer = _launched_test_campaign("Lancement produit")
    signed_in(client)

    page = _page(client, "?period=7d")

    hint = page.split("data-test-data-hint")[1]
    assert "Nothing live yet" in hint
    assert "For now everything is in test data" in hint
    # The campaigns, newest first, each opening its own figures in test data.
    assert hint.index("Lancement produit") < hint.index("Soldes d&#x27;hiver")
    assert f'href="?mode=test&amp;campaign={newer.pk}"' in hint
    assert f'href="?mode=test&amp;campaign={older.pk}"' in hint
    # The switch keeps the period asked for.
    assert 'href="?period=7d&amp;mode=test"' in hint and "Show test data" in hint
    assert "Once messages go out" not in page


def test_it_names_three_campaigns_and_counts_the_others(client):
    for number in range(5):
        _launched_test_campaign(f"Campagne {number}")
    signed_in(client)

    hint = _page(client).split("data-test-data-hint")[1]

    assert "Campagne 4" in hint and "Campagne 2" in hint and "Campagne 1" not in hint
    assert "and 2 more campaigns" in hint


def test_test_sends_alone_are_pointed_to_as_well(client):
    make_sent_message(make_contact(test_mode=True), test_mode=True)
    signed_in(client)

    hint = _page(client).split("data-test-data-hint")[1]

    assert "Nothing live yet" in hint and "In test data:" not in hint


def test_no_hint_on_a_fresh_install_in_test_data_or_once_anything_went_live(client):
    signed_in(client)
    assert "data-test-data-hint" not in _page(client)  # nothing anywhere: the usual page
    assert "Once messages go out" in _page(client)

    _launched_test_campaign("Soldes d'hiver")
    # Looking at test data already.
    assert "data-test-data-hint" not in _page(client, "?mode=test")

    # A live send exists: an empty page is about its filters, not a new installation.
    make_sent_message(make_contact())
    assert "data-test-data-hint" not in _page(client, "?period=1d")
