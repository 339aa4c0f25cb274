"""An empty dashboard while quiet hours hold promotions says which campaigns wait and when the
window opens (a demo launched on a Sunday), instead of only "nothing to measure yet"; the
campaigns wait like any promotion."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns import services
from tests.factories import make_contact, make_list, make_published_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
# A Sunday: French promotions wait for Monday 08:00.
SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=PARIS)
MONDAY = datetime(2026, 12, 7, 8, 1, tzinfo=PARIS)


def _launched(name, contacts, test_mode=True):
    _template, version = make_published_template(slug=f"promo_{contacts}_{test_mode}")
    audience = make_list(f"List {name}", test_mode=test_mode)
    for index in range(contacts):
        phone = f"+336{test_mode:d}{contacts:02d}{index:05d}"
        contact = make_contact(opted_in=True, test_mode=test_mode, phone=phone)
        contact.memberships.create(contact_list=audience, source="admin")
    campaign = services.create_campaign(
        name=name,
        test_mode=test_mode,
        template_version=version,
        contact_list=audience,
        variables={"prenom": {"field": "first_name", "default": "client"}},
    )
    return services.launch(campaign)


@pytest.fixture
def sunday(settings, time_machine, jobs, network):
    settings.QUIET_HOURS_POLICY = "fr"
    time_machine.move_to(SUNDAY, tick=False)
    return jobs


def _page(client, query="?mode=test"):
    return client.get(f"/dashboard/{query}").content.decode()


def test_the_empty_dashboard_names_the_campaigns_waiting_and_when_the_window_opens(
    client, sunday, time_machine
):
    sales = _launched("Soldes d'hiver", 3)
    launch = _launched("Lancement", 2)
    sunday.run(until=0)
    signed_in(client)

    page = _page(client)

    assert "Nothing to measure yet: quiet hours" in page
    assert "These campaigns wait for the window for promotions." in page
    assert f'href="/campaigns/{sales.pk}/?mode=test"' in page
    assert "Soldes d&#x27;hiver</a>:" in page
    assert "3 messages wait; the window opens Monday 7 December, 08:00." in page
    assert "2 messages wait; the window opens Monday 7 December, 08:00." in page
    # One campaign chosen: that one only.
    one = _page(client, f"?mode=test&campaign={launch.pk}")
    assert "This campaign waits for the window for promotions." in one
    assert "2 messages wait" in one and "Soldes" not in one.split("data-quiet-hours-wait")[1]
    # Live data has no campaign waiting: its empty page points to the test data.
    live = _page(client, "")
    assert "data-test-data-hint" in live and "quiet hours" not in live

    # The window opens: they go out, and the page no longer says they wait.
    time_machine.move_to(MONDAY, tick=False)
    sunday.run()
    assert "data-quiet-hours-wait" not in _page(client)


def test_the_opening_is_told_in_the_readers_language_and_time_zone(client, sunday):
    _launched("Soldes", 1)
    sunday.run(until=0)
    signed_in(client)
    client.cookies["django_language"] = "fr"

    page = _page(client)

    # 07:00 UTC, told in Paris time with French day and month names.
    assert "lundi 7 décembre, 08:00" in page.lower()
