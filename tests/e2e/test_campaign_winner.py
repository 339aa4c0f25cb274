"""The progress screen in real Chromium after a content test's winner decision without a clear
winner (Send A / Send B, then the rest going out), and after a rollout that stopped itself."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from campaigns import services
from campaigns.models import Campaign, CampaignArm
from sending.models import Event, Message
from tests.factories import make_campaign, make_list, make_published_template
from tests.support.browser import marketer_page
from tests.support.campaigns import bulk_list

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
VIEWPORTS = pytest.mark.parametrize(
    "viewport, phone, suffix",
    [({"width": 1366, "height": 900}, False, ""), ({"width": 390, "height": 844}, True, "-phone")],
)


def _messages(campaign, **filters):
    return Message.objects.filter(dispatch__campaign_arm__campaign=campaign, **filters)


def _clicks(campaign, arm, clicks):
    messages = list(_messages(campaign, arm=arm).order_by("pk"))
    _messages(campaign, arm=arm).update(status=Message.Status.DELIVERED)
    Event.objects.bulk_create(
        Event(message=m, provider="simulator", provider_event_id=f"click-{m.pk}", type="clicked")
        for m in messages[:clicks]
    )


@VIEWPORTS
def test_a_content_test_without_a_clear_winner_asks_which_version_the_rest_gets(
    browser, live_server, jobs, screenshot, viewport, phone, suffix
):
    _template, version = make_published_template(name="Soldes d'hiver")
    _template_b, version_b = make_published_template(name="Soldes d'hiver, court")
    clients = make_list("Clients fidèles", test_mode=True)
    bulk_list(clients, 1000)
    campaign = make_campaign(
        version,
        clients,
        name="Soldes : A contre B",
        experiment="content",
        template_version_b=version_b,
        winner_after_hours=24,
        winner_test_share=0.2,
    )
    services.launch(campaign)
    campaign = Campaign.objects.get(pk=campaign.pk)
    _clicks(campaign, CampaignArm.Arm.A, 6)
    _clicks(campaign, CampaignArm.Arm.B, 9)
    # The decision's sentence is written in the language of the process that decides.
    with translation.override("en"):
        services.decide_winner(campaign.pk, now=campaign.winner_due_at)
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)

    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/?mode=test")

    card = page.locator(".campaign-winner")
    expect(card).to_contain_text("not significant at 95 %")
    expect(page.get_by_text("did not differ enough to pick a winner")).to_be_visible()
    expect(page.get_by_role("button", name="Continue the rollout")).to_have_count(0)
    screenshot(page, f"campaign-winner{suffix}", full_page=True)

    card.get_by_role("button", name="Send B").click()

    expect(card).to_contain_text("The rest gets B")
    expect(card.get_by_role("button", name="Send B")).to_have_count(0)
    expect(page.locator("[data-row='rest']")).to_be_visible()
    assert Campaign.objects.get(pk=campaign.pk).winner == "b"


@VIEWPORTS
def test_a_stopped_rollout_says_why(
    browser, live_server, jobs, screenshot, viewport, phone, suffix
):
    _template, version = make_published_template(name="Soldes d'hiver")
    clients = make_list("Clients fidèles", test_mode=True)
    bulk_list(clients, 400)
    campaign = make_campaign(
        version, clients, name="Soldes de janvier", rollout_share=0.1, rollout_mode="auto"
    )
    services.launch(campaign)
    first = list(_messages(campaign, stage=0).order_by("pk").values_list("pk", flat=True))
    failing = len(first) // 5
    _messages(campaign, pk__in=first[:failing]).update(status=Message.Status.FAILED)
    _messages(campaign, pk__in=first[failing:]).update(status=Message.Status.DELIVERED)
    # Stopped by a worker speaking French: the English reader still reads English.
    with translation.override("fr"):
        assert services.check_rollout(campaign.pk) == Campaign.Status.STOPPED
    page = marketer_page(browser, live_server, viewport=viewport, phone=phone, password=PASSWORD)

    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/?mode=test")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The rollout stopped itself")
    expect(alert).to_contain_text(f"{failing} of {len(first)} messages of the first share failed")
    expect(page.get_by_role("button", name="Continue the rollout")).to_be_visible()
    screenshot(page, f"campaign-stopped{suffix}", full_page=True)
