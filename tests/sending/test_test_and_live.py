"""Test and live never mix: test sends, test checks and the simulator leave live data alone."""

import logging

import pytest

from audience.models import ConsentEntry, Contact
from sending import services
from sending.models import Message
from sending.services.test_send import send_test
from tests.factories import make_contact
from tests.support.sending import NEVER_RCS, REPLIES_STOP, post_inbound, post_twilio_inbound
from tests.support.views import signed_in

pytestmark = pytest.mark.usefixtures("network")


def send(version, phone, **options):
    return services.submit_message(
        template_id=version.template.slug,
        recipient=phone,
        variables={"prenom": "Camille"},
        **options,
    )


def test_a_test_key_capability_check_leaves_a_live_send_on_rcs(promo, opted_in, locmem, jobs):
    opted_in(NEVER_RCS)
    # The simulator says this test number cannot receive RCS...
    [answer] = services.check_capabilities([NEVER_RCS], test_mode=True)
    assert answer.capable is False

    # ...which says nothing about the real phone: the live send still tries RCS.
    message = send(promo, NEVER_RCS)
    assert message.intended_channel == "rcs"
    jobs.run(until=0)
    assert [call.channel for call in locmem.outbox] == ["rcs"]
    assert Contact.objects.live().get(phone=NEVER_RCS).known_rcs_capable is True


def test_a_simulated_stop_in_test_mode_leaves_the_live_contact_promotable(promo, opted_in, jobs):
    live = opted_in(REPLIES_STOP)
    test = opted_in(REPLIES_STOP, test_mode=True)

    send(promo, REPLIES_STOP, test_mode=True)
    jobs.run()

    test.refresh_from_db()
    assert test.is_opted_out()
    assert live.allows_promotions("sms") and live.allows_promotions("rcs")
    assert not live.consent_entries.filter(kind=ConsentEntry.Kind.OPT_OUT).exists()
    # The acknowledgement went to the test contact, as a test message.
    assert not live.messages.exists()
    assert all(message.test_mode for message in Message.objects.all())


# The reported call: the most numbers one check takes (about 3 s here).
MANY = 10_000


def test_a_test_capability_check_of_many_numbers_creates_no_live_contact(db):
    numbers = [f"+336{index:08d}" for index in range(MANY)]

    answers = services.check_capabilities(numbers, test_mode=True)

    assert len(answers) == MANY
    assert not Contact.objects.live().exists()
    assert Contact.objects.test().count() == MANY


def test_a_live_check_never_sees_a_test_contacts_capability(locmem, db):
    services.check_capabilities([NEVER_RCS], test_mode=True)

    # locmem cannot tell: a live answer is unknown, not the test contact's cached "no".
    [answer] = services.check_capabilities([NEVER_RCS])
    assert (answer.capable, answer.cache_age_seconds) == (None, None)
    assert Contact.objects.test().get(phone=NEVER_RCS).rcs_capable is False


def test_same_number_keeps_its_own_capability_in_each_mode(locmem, db):
    make_contact(phone=NEVER_RCS, test_mode=False, rcs_capable=True)
    services.check_capabilities([NEVER_RCS], test_mode=True)

    assert Contact.objects.live().get(phone=NEVER_RCS).rcs_capable is True
    assert Contact.objects.test().get(phone=NEVER_RCS).rcs_capable is False


def test_an_editor_test_writes_only_test_consent_and_reaches_the_phone(promo, locmem, jobs, client):
    user = signed_in(client)
    live = make_contact(phone="+33612345678")

    message = send_test(promo.template, "+33612345678", user=user, consent=True)
    jobs.run(until=0)

    assert message.test_mode
    assert message.contact.test_mode
    assert not live.consent_entries.exists()
    [entry] = ConsentEntry.objects.test()
    assert entry.kind == ConsentEntry.Kind.OPT_IN
    # The ledger names who confirmed it.
    assert entry.operator == user.get_username()
    # A test from the editor goes to a real phone through the configured provider.
    assert message.provider == "locmem"
    assert [call.to for call in locmem.outbox] == ["+33612345678"]


def test_the_simulator_as_live_provider_writes_nothing_to_live_contacts(
    settings, promo, opted_in, jobs, caplog
):
    settings.MESSAGING_PROVIDER = "simulator"
    live = opted_in(REPLIES_STOP)

    with caplog.at_level(logging.INFO, logger="sending"):
        message = send(promo, REPLIES_STOP)
        jobs.run()
        [answer] = services.check_capabilities([NEVER_RCS])

    message.refresh_from_db()
    assert message.status in (Message.Status.DELIVERED, Message.Status.READ)
    live.refresh_from_db()
    # Its invented STOP and capability stay out of the live contact, and the log says so.
    assert live.allows_promotions()
    assert live.rcs_checked_at is None
    assert answer.capable is False
    assert not Contact.objects.filter(phone=NEVER_RCS).exists()
    assert "not applied to a live contact" in caplog.text
    assert "not cached" in caplog.text
    assert not Message.objects.filter(source=Message.Source.ACKNOWLEDGEMENT).exists()


def test_a_simulated_stop_answering_no_message_is_test_data(db, jobs):
    live = make_contact(phone="+33612345678", opted_in=True)

    assert post_inbound("+33612345678", "STOP").status_code == 200
    jobs.run(until=0)

    assert live.allows_promotions()
    assert Contact.objects.test().get(phone="+33612345678").is_opted_out()
    [ack] = Message.objects.filter(source=Message.Source.ACKNOWLEDGEMENT)
    assert ack.test_mode and ack.contact.test_mode


def test_a_real_stop_after_a_simulated_test_opts_the_live_contact_out(settings, promo, jobs):
    live = make_contact(phone="+33612345678", opted_in=True)
    make_contact(phone="+33612345678", opted_in=True, test_mode=True)
    send(promo, "+33612345678", test_mode=True)
    jobs.run(until=0)  # sent through the simulator; it never reached the phone

    response = post_twilio_inbound(settings, "+33612345678", "STOP")

    assert response.status_code == 200
    live.refresh_from_db()
    assert live.is_opted_out()
