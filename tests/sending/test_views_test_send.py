"""Sending a test from the editor: to a typed or saved number, then following its delivery."""

import pytest

from audience.models import ConsentEntry
from editor.models import TestRecipient
from sending.models import Message
from tests.factories import make_published_template
from tests.support.sending import ALWAYS_RCS, NEVER_RCS
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def promo():
    template, _version = make_published_template(slug="promo_test")
    return template


def send(client, template, **data):
    response = client.post(f"/campaigns/test-send/{template.pk}/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_test_goes_out_on_rcs_and_its_delivery_comes_back(client, promo, jobs, network):
    user = signed_in(client)
    page = send(client, promo, phone="06 99 00 00 01", consent="on")
    message = Message.objects.get()
    assert message.source == Message.Source.EDITOR_TEST
    assert message.contact.phone == ALWAYS_RCS
    assert message.variables == {"prenom": "Marie"}
    assert "Test to +33699000001" in page
    assert "Queued" in page
    assert f"/campaigns/test-send/status/{message.public_id}/" in page  # polling
    entry = ConsentEntry.objects.get(contact=message.contact)
    assert entry.kind == ConsentEntry.Kind.OPT_IN
    assert user.username in entry.wording

    jobs.run()
    status = client.get(f"/campaigns/test-send/status/{message.public_id}/").content.decode()
    message.refresh_from_db()
    assert message.final_channel == "rcs"
    assert message.status in (Message.Status.DELIVERED, Message.Status.READ)
    assert message.get_status_display() in status
    assert "Simulated" in status


def test_a_phone_without_rcs_gets_the_sms_and_the_panel_says_why(client, promo, jobs, network):
    signed_in(client)
    send(client, promo, phone=NEVER_RCS, consent="on")
    jobs.run()
    message = Message.objects.get()
    status = client.get(f"/campaigns/test-send/status/{message.public_id}/").content.decode()
    message.refresh_from_db()
    assert (message.intended_channel, message.final_channel) == ("rcs", "sms")
    assert "SMS · fallback: Not reachable over RCS" in status
    assert "cannot receive RCS" in status
    # Delivered is settled for an SMS, but a click or a reply may still come back.
    assert message.status == Message.Status.DELIVERED
    assert "Listening for taps, clicks and replies" in status


def test_a_promotion_to_a_number_without_opt_in_is_refused_next_to_the_consent_box(
    client, promo, jobs
):
    signed_in(client)
    page = send(client, promo, phone=ALWAYS_RCS)
    assert "has not opted in to promotional messages" in page
    assert not Message.objects.exists()
    assert not ConsentEntry.objects.exists()


def test_an_invalid_number_is_refused(client, promo, jobs):
    signed_in(client)
    page = send(client, promo, phone="12", consent="on")
    assert "not a valid phone number" in page
    assert not Message.objects.exists()


def test_a_saved_number_is_offered_next_time_and_sends_in_one_click(client, promo, jobs):
    user = signed_in(client)
    send(client, promo, phone=ALWAYS_RCS, consent="on", save="on", label="My Pixel")
    recipient = TestRecipient.objects.get()
    assert (recipient.user, recipient.phone, recipient.label) == (user, ALWAYS_RCS, "My Pixel")
    panel = client.get(f"/campaigns/test-send/{promo.pk}/").content.decode()
    assert "Send to My Pixel (+33699000001)" in panel
    send(client, promo, saved_phone=ALWAYS_RCS, phone="")
    assert Message.objects.count() == 2


def test_saved_numbers_are_each_users_own(client, promo):
    signed_in(client)
    other = signed_in(client.__class__(), username="other")
    TestRecipient.objects.create(user=other, phone=ALWAYS_RCS, label="Not yours")
    panel = client.get(f"/campaigns/test-send/{promo.pk}/").content.decode()
    assert "Not yours" not in panel


def test_a_viewer_cannot_send_a_test(client, promo, jobs):
    signed_in(client, role="Viewer")
    response = client.post(f"/campaigns/test-send/{promo.pk}/", {"phone": ALWAYS_RCS})
    assert response.status_code == 403
    assert not Message.objects.exists()
