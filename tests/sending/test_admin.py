"""The admin shows contacts with their ledger, messages with attempts and events, read-only."""

import pytest

from audience import services as audience_services
from sending import services
from sending.models import Event
from tests.support.sending import ALWAYS_RCS

pytestmark = pytest.mark.usefixtures("network")


@pytest.fixture
def delivered(transactional, jobs):
    message = services.submit_message(
        template_id=transactional.template.slug,
        recipient=ALWAYS_RCS,
        variables={"prenom": "Camille"},
    )
    jobs.run(until=60)
    audience_services.record_consent(
        message.contact, "opt_out", source="admin", wording="Par téléphone"
    )
    return message


def test_message_page_shows_attempts_and_events(admin_client, delivered):
    response = admin_client.get(f"/admin/sending/message/{delivered.pk}/change/")
    assert response.status_code == 200
    attempt = delivered.attempts.get()
    assert str(attempt.public_id) in response.text
    event = Event.objects.filter(message=delivered).first()
    assert event.provider_event_id in response.text
    # Evidence is not editable: no save button.
    assert 'name="_save"' not in response.text


def test_contact_page_shows_the_consent_ledger(admin_client, delivered):
    response = admin_client.get(f"/admin/audience/contact/{delivered.contact.pk}/change/")
    assert response.status_code == 200
    assert "Par téléphone" in response.text


@pytest.mark.parametrize("model", ["sending/message", "audience/contact", "sending/event"])
def test_lists_render(admin_client, delivered, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{model}/?q=%2B3369").status_code == 200


def test_the_message_list_says_when_quiet_hours_hold_promotions(
    admin_client, promo, opted_in, jobs, promotion_rules, time_machine
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    opted_in(ALWAYS_RCS)
    time_machine.move_to(datetime(2026, 12, 6, 11, 0, tzinfo=ZoneInfo("Europe/Paris")))
    services.submit_message(
        template_id=promo.template.slug, recipient=ALWAYS_RCS, variables={"prenom": "Léa"}
    )
    response = admin_client.get("/admin/sending/message/")
    notices = [str(message) for message in response.context["messages"]]
    assert any("2026-12-07 07:00 UTC" in notice for notice in notices), notices
