"""The admin shows contacts with their ledger, messages with attempts and events, read-only."""

import pytest

from analytics.models import Event
from campaigns import services
from tests.campaigns.conftest import ALWAYS_RCS

pytestmark = pytest.mark.usefixtures("network")


@pytest.fixture
def delivered(transactional, jobs):
    message = services.submit_message(
        template_id=transactional.template.slug,
        recipient=ALWAYS_RCS,
        variables={"prenom": "Camille"},
    )
    jobs.run(until=60)
    services.record_consent(message.contact, "opt_out", source="admin", wording="Par téléphone")
    return message


def test_message_page_shows_attempts_and_events(admin_client, delivered):
    response = admin_client.get(f"/admin/campaigns/message/{delivered.pk}/change/")
    assert response.status_code == 200
    attempt = delivered.attempts.get()
    assert str(attempt.public_id) in response.text
    event = Event.objects.filter(message=delivered).first()
    assert event.provider_event_id in response.text
    # Evidence is not editable: no save button.
    assert 'name="_save"' not in response.text


def test_contact_page_shows_the_consent_ledger(admin_client, delivered):
    response = admin_client.get(f"/admin/campaigns/contact/{delivered.contact.pk}/change/")
    assert response.status_code == 200
    assert "Par téléphone" in response.text


@pytest.mark.parametrize("model", ["campaigns/message", "campaigns/contact", "analytics/event"])
def test_lists_render(admin_client, delivered, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{model}/?q=%2B3369").status_code == 200
