"""The progress fragment, polled every 2 seconds, and the campaign list read each campaign
once: the quiet hours notice counts the held messages of the campaigns they already have."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services, tallies
from campaigns.models import Campaign
from tests.factories import make_contact, make_list, make_published_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db
# A Sunday: French promotions wait for Monday 08:00.
PARIS = ZoneInfo("Europe/Paris")
SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=PARIS)
MONDAY_8 = datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)


@pytest.fixture
def held(client, jobs, network, settings, time_machine):
    """A campaign launched on a Sunday whose 3 messages wait for the window, signed in."""
    settings.QUIET_HOURS_POLICY = "fr"
    time_machine.move_to(SUNDAY, tick=False)
    _template, version = make_published_template(name="Soldes d'hiver")
    clients = make_list("Clients", test_mode=True)
    for index in range(3):
        contact = make_contact(opted_in=True, test_mode=True, phone=f"+3361234{index:04d}")
        contact.memberships.create(contact_list=clients, source="admin")
    campaign = services.create_campaign(
        name="Soldes",
        test_mode=True,
        template_version=version,
        contact_list=clients,
        variables={"prenom": {"field": "first_name", "default": "client"}},
    )
    signed_in(client)
    client.post(f"/campaigns/{campaign.pk}/launch/?mode=test")
    jobs.run(until=0)
    return Campaign.objects.get(pk=campaign.pk)


def _campaign_reads(queries):
    row = 'SELECT "campaigns_campaign"."id", "campaigns_campaign"."public_id"'
    return [query for query in queries if query["sql"].startswith(row)]


def test_the_progress_poll_reads_the_campaign_once(client, held, django_assert_num_queries):
    url = f"/campaigns/{held.pk}/progress/?mode=test"
    # Session, user, the campaign, "is a dispatch still moving", the tally, the held
    # messages, the user's roles: the held count no longer reads the campaign again.
    with django_assert_num_queries(7) as captured:
        page = client.get(url).content.decode()
    assert "Quiet hours: 3 messages wait" in page
    assert len(_campaign_reads(captured.captured_queries)) == 1


def test_the_campaign_list_reads_each_campaign_once(client, held):
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/campaigns/?mode=test").content.decode()
    assert "Quiet hours: waits until Mon 7 Dec, 08:00" in page
    assert len(_campaign_reads(captured.captured_queries)) == 1


def test_holds_count_in_one_query_and_none_when_nothing_is_sending(held, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert services.quiet_hours_hold(held) == (3, MONDAY_8)
    # A queryset is read together with the counts.
    with django_assert_num_queries(1):
        (hold,) = tallies.quiet_hours_holds(Campaign.objects.filter(test_mode=True))
    assert (hold.campaign, hold.messages) == (held, 3)
    held.status = Campaign.Status.PAUSED
    with django_assert_num_queries(0):
        assert tallies.quiet_hours_holds([held]) == []
